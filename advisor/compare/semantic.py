"""A topic a region's texts say in other words (容错免责 → 不作负面评价，依法免除相关责任; 同股不同权 →
特殊股权结构; 适老化 → 老年人等运用智能技术困难群体): when none of the region's articles names the topic,
the articles whose meaning stands out for it are its measures. e5 similarities are compressed (same topic
about 0.94, another about 0.92), so an article counts by how far it stands above the region's other
articles — a z-score over all of them, calibrated on the dev cells (``evals/README.md``) — never by an
absolute cut-off; a region with few articles gives no such measure."""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy as np

from advisor.compare.articles import Article, region_articles
from advisor.index.snapshot import Snapshot
from advisor.ingest.splitter import sentence_spans as unit_spans
from advisor.retrieval.hybrid import Retriever
from advisor.text import sentence_spans

Z_ADMIT = 3.3  # an article this many standard deviations above the region's mean similarity
MIN_ARTICLES = 20  # a z-score over fewer articles says little
MIN_SENTENCE = 12  # a shorter sentence (an item's title) is quoted with the one after it
MAX_SENTENCES = 8  # sentences of the best chunk embedded to choose the quote

_VECTORS: WeakKeyDictionary[Snapshot, dict[str, tuple[list[str], np.ndarray]]] = WeakKeyDictionary()
_SENTENCES: WeakKeyDictionary[Snapshot, dict[str, tuple[list[list[int]], np.ndarray]]] = WeakKeyDictionary()


@dataclass(frozen=True)
class Standout:
    """An article whose meaning stands out for the topic, and the part of a chunk most like it."""

    article: Article
    z: float
    chunk_id: str
    start: int
    end: int


def _region_vectors(retriever: Retriever, region: str) -> tuple[list[str], np.ndarray]:
    """The region's chunk ids and their unit vectors, fetched once per snapshot and region."""
    per_region = _VECTORS.setdefault(retriever.snapshot, {})
    if region not in per_region:
        ids = sorted({cid for art in region_articles(retriever.snapshot, region) for cid in art.chunk_ids})
        got = retriever.store.vectors(ids)
        ids = [cid for cid in ids if cid in got]
        matrix = np.vstack([got[c] for c in ids]) if ids else np.zeros((0, 1), dtype=np.float32)
        unit = matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12)
        per_region[region] = (ids, unit.astype(np.float32))
    return per_region[region]


def _region_sentences(retriever: Retriever, region: str) -> tuple[list[list[int]], np.ndarray]:
    """For each of the region's articles, the rows of its sentences in a matrix of their unit vectors
    (stored at ingest), built once per snapshot and region."""
    per_region = _SENTENCES.setdefault(retriever.snapshot, {})
    if region not in per_region:
        snap = retriever.snapshot
        units: dict[str, list[tuple[int, str]]] = {}  # chunk id → (start, sentence)
        rows: list[list[int]] = []
        texts: list[str] = []
        for art in region_articles(snap, region):
            mine: list[int] = []
            for cid, start, end in art.parts:
                if cid not in units:
                    text = snap.chunks[cid].text
                    units[cid] = [(a, text[a:b].strip()) for a, b in unit_spans(text, 0, len(text))]
                for at, sentence in units[cid]:
                    if start <= at < end and sentence:
                        mine.append(len(texts))
                        texts.append(sentence)
            rows.append(mine)
        snap.sentences.fill(texts, retriever.embedder.embed_passages)  # an index from before they were stored
        matrix = snap.sentences.matrix(texts) if texts else np.zeros((0, 1), dtype=np.float32)
        per_region[region] = (rows, matrix)
    return per_region[region]


def article_z(retriever: Retriever, region: str, query: str) -> list[tuple[float, str]]:
    """For each of the region's articles (in :func:`region_articles` order): how many standard deviations
    it is more like ``query`` than the region's articles are on average, and its best chunk's id
    (``(-inf, "")`` for an article without vectors); empty for a region of fewer than MIN_ARTICLES.

    An article's likeness is the mean of its best chunk's and its best sentence's: a chunk holds several
    short articles (and dilutes each), a sentence alone misses what the article is about."""
    arts = region_articles(retriever.snapshot, region)
    ids, unit = _region_vectors(retriever, region)
    if len(arts) < MIN_ARTICLES or not ids:
        return []
    q = np.asarray(retriever.embedder.embed_query_vector(query), dtype=np.float32)
    q /= np.linalg.norm(q) or 1.0
    sims = dict(zip(ids, (unit @ q).tolist(), strict=True))
    best = [
        max(((sims[c], c) for c in art.chunk_ids if c in sims), default=(float("-inf"), "")) for art in arts
    ]
    if retriever.by_meaning:  # sentence vectors are stored
        rows, sentences = _region_sentences(retriever, region)
        by_sentence = sentences @ q if len(sentences) else np.zeros(0, dtype=np.float32)
        best = [
            ((s + float(by_sentence[mine].max())) / 2, c) if mine and s > float("-inf") else (s, c)
            for (s, c), mine in zip(best, rows, strict=True)
        ]
    scores = np.array([s for s, _ in best if s > float("-inf")])
    mean, sd = float(scores.mean()), float(scores.std())
    if sd <= 0:
        return []
    return [((s - mean) / sd if s > float("-inf") else s, c) for s, c in best]


def standouts(
    arts: list[Article], zs: list[tuple[float, str]], limit: int, z_min: float = Z_ADMIT
) -> list[Standout]:
    """Up to ``limit`` of the region's articles ``arts`` whose best chunk stands out at least ``z_min``
    standard deviations (``zs`` from :func:`article_z`, in the same order), best first."""
    out: list[Standout] = []
    for i in sorted(range(len(zs)), key=lambda i: -zs[i][0]):
        z, cid = zs[i]
        if z < z_min or len(out) >= limit:
            break
        part = next(p for p in arts[i].parts if p[0] == cid)
        out.append(Standout(arts[i], round(z, 2), *part))
    return out


def closest_sentence(retriever: Retriever, query: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence of ``text[start:end]`` most like ``query`` (a short item title with the sentence
    after it), as a span of ``text``."""
    spans: list[tuple[int, int]] = []
    for s, e in sentence_spans(text, start, end):
        if spans and len(text[spans[-1][0] : spans[-1][1]].strip()) < MIN_SENTENCE:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    spans = spans[:MAX_SENTENCES]
    if len(spans) <= 1:
        return spans[0] if spans else (start, end)
    vectors = retriever.embedder.embed_passages([text[s:e].strip() for s, e in spans])
    q = np.asarray(retriever.embedder.embed_query_vector(query), dtype=np.float32)
    sims = (vectors / (np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12)) @ q
    return spans[int(np.argmax(sims))]
