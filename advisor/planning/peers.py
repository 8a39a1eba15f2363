"""对标借鉴: two or three measures of peer regions for a plan's key tasks, chosen by topic (the topics
the city's profile calls for first), each labelled with its region and cited verbatim. The measures come
from :func:`advisor.compare.measures.peer_measures` — only a region's own documents, never the city's
own region, never a text that is no longer in force."""

from __future__ import annotations

from advisor.compare.measures import peer_measures
from advisor.planning.context import PlanContext
from advisor.planning.picks import BuiltSection
from advisor.planning.sections import MID
from advisor.render.compare_types import Measure
from advisor.retrieval.hybrid import FilterError, Retriever
from advisor.text import squash
from advisor.types import Recommendation
from advisor.verify.citations import Verifier

PEER_LIMIT = 3

# compare topics in the order a plan's 重点任务 borrows from, and the profile words that move one up
PEER_TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("资金与基金", ("基金", "资金", "投资", "招商")),
    ("算力与基础设施", ("算力", "数据中心", "智算", "能源")),
    ("应用场景", ("场景", "应用", "制造")),
    ("人才", ("人才", "高校", "科研")),
    ("研发与成果转化", ("研发", "转化", "科研", "实验室")),
    ("数据要素", ("数据",)),
)


def topic_order(ctx: PlanContext) -> list[str]:
    """Peer topics, those the city's profile speaks to first."""
    prof = ctx.profile
    said = ""
    if prof is not None:
        said = "、".join([*prof.constraints, *prof.strengths, *prof.compute, *prof.funds, *prof.universities])

    def weight(entry: tuple[str, tuple[str, ...]]) -> int:
        return sum(1 for w in entry[1] if w in said)

    return [name for name, _ in sorted(PEER_TOPICS, key=lambda e: -weight(e))]


def own_regions(ctx: PlanContext) -> list[str]:
    p = ctx.place
    names = {p.name, p.province, p.prefecture}
    return sorted(n for n in names if n)


def peer_section(lib: Retriever, ctx: PlanContext, built: BuiltSection) -> None:
    """Add up to :data:`PEER_LIMIT` peer measures (one region each) to ``built`` as its 对标借鉴, cited
    with section-local numbers after its own."""
    exclude = own_regions(ctx)
    chosen: list[Measure] = []
    regions: set[str] = set()
    for topic in topic_order(ctx):
        if len(chosen) >= PEER_LIMIT:
            break
        try:
            found = peer_measures(lib, topic, exclude_regions=exclude, limit=PEER_LIMIT)
        except FilterError:
            continue
        for m in found:
            if m.region in regions or m.status != "current" or squash(m.quote) in ctx.used:
                continue
            if m.chunk_id not in lib.snapshot.chunks:
                continue
            chosen.append(m)
            regions.add(m.region)
            break
    if not chosen:
        return
    hits = [lib.snapshot.hit(m.chunk_id) for m in chosen]
    verifier = Verifier(hits)
    offset = max((c.n for c in built.citations), default=0)
    peers = []
    for m, hit in zip(chosen, hits, strict=True):
        n = verifier.cite_hit(hit, m.quote)
        rec = Recommendation(
            title=f"{m.region}·{m.topic}",
            detail=f"借鉴{m.region}做法：{m.action.rstrip('…')}。",
            actor="市发展改革部门",
            horizon=MID,
            citations=[n],
        )
        if verifier.check_claim(rec):
            peers.append(rec)
    cites = verifier.used(peers)
    for c in cites:
        ctx.used.add(squash(c.quote))
    for rec in peers:
        rec.citations = [n + offset for n in rec.citations]
    built.citations.extend(c.model_copy(update={"n": c.n + offset}) for c in cites)
    built.section.peers = peers


__all__ = ["PEER_LIMIT", "PEER_TOPICS", "peer_section"]
