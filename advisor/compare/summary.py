"""The comparison's summaries, every point cited: per topic, what some regions' texts have that the
others' lack; per region, its distinctive measures (those on topics where few other regions have any,
or least like the other regions' measures on the same topic)."""

from __future__ import annotations

from functools import lru_cache

from advisor.render.compare_types import CompareCell, Measure, SummaryPoint
from advisor.verify.citations import content_bigrams

MAX_REGION_POINTS = 3


@lru_cache(maxsize=8192)
def _pairs(quote: str) -> frozenset[tuple[str, str]]:
    """A quote's word pairs, computed once per comparison's quotes (each is compared with every other)."""
    return frozenset(content_bigrams(quote))


def _overlap(m: Measure, others: list[Measure]) -> float:
    mine = _pairs(m.quote)
    if not mine or not others:
        return 0.0
    return max(len(mine & _pairs(o.quote)) / len(mine) for o in others)


def _most_distinct(mine: list[Measure], others: list[Measure]) -> Measure:
    return min(mine, key=lambda m: (_overlap(m, others), -m.score))


def _label(m: Measure) -> str:
    return f"{m.action}（{m.region}，《{m.title}》{m.article}）"


def topic_points(regions: list[str], topics: list[str], cells: list[CompareCell]) -> list[SummaryPoint]:
    """Per topic: which regions have clauses the others lack, or, when all have some, each one's
    measure least like the others'."""
    by = {(c.region, c.topic): c.measures for c in cells}
    points: list[SummaryPoint] = []
    for topic in topics:
        having = [r for r in regions if by.get((r, topic))]
        lacking = [r for r in regions if r not in having]
        if not having:
            continue
        if lacking and len(regions) > 1:
            firsts = [by[(r, topic)][0] for r in having]
            text = f"{'、'.join(having)}有相关条款，{'、'.join(lacking)}的资料中未检索到：" + "；".join(
                _label(m) for m in firsts
            )
            points.append(SummaryPoint(scope="topic", key=topic, text=text, citations=[m.n for m in firsts]))
            continue
        if len(having) < 2:
            continue
        unique = []
        for r in having:
            others = [o for h in having if h != r for o in by[(h, topic)]]
            unique.append(_most_distinct(by[(r, topic)], others))
        text = "各地区均有相关条款，各自的侧重：" + "；".join(_label(m) for m in unique)
        points.append(SummaryPoint(scope="topic", key=topic, text=text, citations=[m.n for m in unique]))
    return points


def region_points(regions: list[str], topics: list[str], cells: list[CompareCell]) -> list[SummaryPoint]:
    """Per region: its most distinctive measures (topics few others cover first, then least overlap)."""
    by = {(c.region, c.topic): c.measures for c in cells}
    points: list[SummaryPoint] = []
    for region in regions:
        ranked: list[tuple[int, float, float, Measure]] = []
        for topic in topics:
            mine = by.get((region, topic), [])
            if not mine:
                continue
            others = [o for r in regions if r != region for o in by.get((r, topic), [])]
            covering = sum(1 for r in regions if r != region and by.get((r, topic)))
            best = _most_distinct(mine, others)
            ranked.append((covering, _overlap(best, others), -best.score, best))
        ranked.sort(key=lambda x: (x[0], x[1], x[2]))
        chosen = [x[3] for x in ranked[:MAX_REGION_POINTS]]
        if not chosen:
            points.append(SummaryPoint(scope="region", key=region, text="资料库中未检索到该地区的相关条款。"))
            continue
        text = "；".join(f"{m.topic}：{m.action}（《{m.title}》{m.article}）" for m in chosen)
        points.append(SummaryPoint(scope="region", key=region, text=text, citations=[m.n for m in chosen]))
    return points
