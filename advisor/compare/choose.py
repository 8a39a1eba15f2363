"""Which of a cell's scored measures to show: one per article, each document's best first, a clause
on each part of a two-part topic, passing mentions only to fill a cell (see :func:`diverse`)."""

from __future__ import annotations

import re

from advisor.render.compare_types import Measure
from advisor.text import ARTICLE_NUMBER
from advisor.verify.citations import content_bigrams

PASSING = 0.0  # the score of a clause that names the topic once, in passing: it only fills a cell …
MIN_PASSING = 2  # … or makes one where at least this many articles of the region name it so
DIVERSE_SHARE = 0.5
FACET_SHARE = 0.25  # a clause on a part of the topic the others miss scores at least this share
MORE_SHARE = 0.4  # a clause beyond the first ``limit`` scores at least this share of the best
NEAR_SAME = 0.8  # two quotes sharing this share of their word pairs say the same thing
ITEM_NUMBER = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]|第[一二三四五六七八九十百零〇]+条")


def _unit(m: Measure) -> str:
    """What a measure is one of: its article (第十二条) or item (（九）…); in a text with neither, a
    paragraph labelled only with its heading is a unit of its own (its chunk)."""
    return (
        m.article
        if ARTICLE_NUMBER.fullmatch(m.article or "") or ITEM_NUMBER.match(m.article or "")
        else m.chunk_id
    )


def same(a: Measure, b: Measure) -> bool:
    """One article, or two clauses in (nearly) the same words (a text and its revision, a clause
    repeated in a second law): listed once."""
    if (a.doc_id, _unit(a)) == (b.doc_id, _unit(b)):
        return True
    mine, theirs = content_bigrams(a.quote), content_bigrams(b.quote)
    return bool(mine and theirs) and len(mine & theirs) >= NEAR_SAME * max(len(mine), len(theirs))


def diverse(
    scored: list[tuple[float, Measure, frozenset[int]]], limit: int, extra: int = 0, n_facets: int = 0
) -> list[Measure]:
    """Best first, but each current document's best clause before a second one of the same document when
    it scores at least DIVERSE_SHARE of the best (a region's two laws both count; a text no longer in
    force only fills what is left), one per article; a clause on each part of a two-part topic the
    others miss (伦理 beside 数据安全) when it scores at least FACET_SHARE of the best, within ``limit``
    and ``extra``; the rest up to ``limit`` (a clause naming the topic in passing, scored PASSING, only
    here, and alone only as :func:`_in_passing` allows); then up to ``extra`` more clauses that score at
    least MORE_SHARE of the best (a text no longer in force too, marked so and listed after those in
    force: a cell on 数据交易 shows what the expired measures said)."""
    if not scored:
        return []
    if scored[0][0] <= PASSING:
        return _in_passing(scored, limit)
    top = scored[0][0]
    chosen: list[Measure] = []
    covered: set[int] = set()

    def fits(m: Measure) -> bool:
        return not any(same(o, m) for o in chosen)

    def take(m: Measure, facets: frozenset[int]) -> None:
        chosen.append(m)
        covered.update(facets)

    for s, m, f in scored:
        if (
            len(chosen) < limit
            and s >= DIVERSE_SHARE * top
            and fits(m)
            and m.status == "current"
            and all(o.doc_id != m.doc_id for o in chosen)
        ):
            take(m, f)
    for i in range(n_facets):
        if i in covered:
            continue
        for s, m, f in scored:
            if i in f and len(chosen) < limit + extra and s >= FACET_SHARE * top and fits(m):
                take(m, f)
                break
    for s, m, f in scored:
        if len(chosen) < limit and fits(m) and (s > PASSING or chosen):
            take(m, f)
    for s, m, f in scored:
        if len(chosen) < limit + extra and s >= MORE_SHARE * top and fits(m):
            take(m, f)
    order = {id(m): i for i, (_, m, _) in enumerate(scored)}
    return sorted(chosen, key=lambda m: (m.status != "current", order[id(m)]))  # texts in force first


def _in_passing(scored: list[tuple[float, Measure, frozenset[int]]], limit: int) -> list[Measure]:
    """A region whose texts only name the topic in passing: nothing from one such clause (a word in a
    list is no measure), but clauses in MIN_PASSING articles or more (享受税收优惠 in three articles) are
    how its texts treat the topic — the cell shows them rather than say there is nothing."""
    distinct: list[Measure] = []
    for s, m, _ in scored:
        if s == PASSING and not any(same(o, m) for o in distinct):
            distinct.append(m)
    return distinct[:limit] if len(distinct) >= MIN_PASSING else []
