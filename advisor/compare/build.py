"""对标分析: a region × topic table where every cell is verified quotes of that region's own texts."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from advisor.compare.cache import caching
from advisor.compare.coverage import unread_words
from advisor.compare.measures import find_measures, region_names
from advisor.compare.regions import resolve_regions
from advisor.compare.summary import region_points, topic_points
from advisor.compare.topics import topics as to_topics
from advisor.render.compare_types import CompareCell, Comparison, Measure
from advisor.retrieval.hybrid import Retriever
from advisor.types import Citation

# measures a cell always shows when the region has them, and up to CELL_EXTRA more when it has that many
# articles nearly as much about the topic (a data regulation's 数据要素 cell: its key clauses stand among
# dozens on the topic). Dev clause recall: 3 → 5 → 6 + 4 shown, 0.800 → 0.815 → 0.842.
CELL_LIMIT = 6
CELL_EXTRA = 4


def _cite(measures: list[Measure]) -> list[Citation]:
    """Number the measures 1..n in table order; one citation per distinct quote."""
    citations: list[Citation] = []
    seen: dict[tuple[str, str], int] = {}
    for m in measures:
        key = (m.chunk_id, m.quote)
        if key not in seen:
            seen[key] = len(citations) + 1
            citations.append(
                Citation(
                    n=seen[key],
                    chunk_id=m.chunk_id,
                    doc_id=m.doc_id,
                    title=m.title,
                    section=m.section,
                    quote=m.quote,
                    issuer=m.issuer,
                    date=m.date,
                    level=m.level,
                    status=m.status,
                    valid_until=m.valid_until,
                )
            )
        m.n = seen[key]
    return citations


def coverage_notes(retriever: Retriever, regions: list[str]) -> list[str]:
    """Which chosen regions the corpus has no document for, and which texts are no longer in force."""
    have = set(region_names(retriever))
    notes = [
        f"资料库中没有{r}的政策文件：该列均为空，请先上传该地区的文件（资料库页）。"
        for r in regions
        if r not in have
    ]
    return notes


def compare(
    retriever: Retriever,
    regions: Sequence[str],
    topics: Sequence[str] | None = None,
    provider: Any = None,
    *,
    limit: int = CELL_LIMIT,
    extra: int = CELL_EXTRA,
) -> Comparison:
    """Compare ``regions`` (names as users write them: 深圳, 河南省, 全国; resolved, ambiguity raises
    :class:`~advisor.compare.regions.RegionError`) on ``topics`` (default: the nine default topics; free
    text allowed, :class:`~advisor.compare.topics.TopicError` on bad input).

    The comparison is extractive by construction — each cell and summary point is a verified verbatim
    quote — so ``provider`` is not called; it is accepted so callers pass their provider uniformly."""
    t0 = time.perf_counter()
    names = resolve_regions(regions)
    retriever = caching(retriever)
    chosen = to_topics(list(topics) if topics else None, retriever.snapshot.keyword)
    cells = [
        CompareCell(region=r, topic=t.name, measures=find_measures(retriever, r, t, limit=limit, extra=extra))
        for r in names
        for t in chosen
    ]
    citations = _cite([m for c in cells for m in c.measures])
    topic_names = [t.name for t in chosen]
    t_cells = time.perf_counter() - t0
    notes = coverage_notes(retriever, names)
    notes += [
        f"主题“{t.name}”中的 {'、'.join(words)} 在资料中没有对应的中文说法，该主题各格只按其余词语检索，"
        "可能漏列条款：可改用中文主题词再试。"
        for t in chosen
        if (words := unread_words(t.name, retriever.snapshot.keyword))
    ]
    expired = sorted({m.title + "：" + m.validity for c in cells for m in c.measures if m.validity})
    notes += [f"《{e.split('：')[0]}》{e.split('：', 1)[1]}，其条款仅供参考，不是现行政策。" for e in expired]
    return Comparison(
        regions=names,
        topics=topic_names,
        cells=cells,
        topic_summary=topic_points(names, topic_names, cells),
        region_summary=region_points(names, topic_names, cells),
        citations=citations,
        notes=notes,
        provider="extractive",
        created=datetime.now().isoformat(timespec="seconds"),
        timings={"cells": round(t_cells, 3), "total": round(time.perf_counter() - t0, 3)},
    )
