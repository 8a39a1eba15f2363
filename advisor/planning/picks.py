"""The extractive section: for each topic, the best verbatim sentence among its scoped hits that
contains one of the topic's terms, under the topic's fixed action title, actor and horizon. It is the
``extractive`` provider's section and every model section's fallback."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.planning.context import PlanContext, in_scope, merge_hits, region_names, scope_filters, search
from advisor.planning.sections import HORIZONS, SectionSpec, Topic
from advisor.qa.sentences import rank_sentences, short_title, strip_bullet
from advisor.retrieval.hybrid import Retriever
from advisor.text import clean, squash
from advisor.types import Citation, Hit, PlanSection, Recommendation, Verification
from advisor.verify.citations import Verifier
from advisor.verify.recommendations import INJECTION

POOL_K = 6


TOPIC_K = 5


REUSE_PENALTY = 0.7  # a sentence already cited by an earlier section ranks lower


_HEADING = re.compile(r"^(#|\d+(\.\d+)+\s|Part\s*\d|目录|CONTENTS|图\d*：)")


_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条")


_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


_DANGLING = re.compile(r"前款|下列|如下|上述|前述")


def usable(sentence: str) -> bool:
    """A sentence fit to quote as a recommendation: not a heading, slide fragment, table or injection."""
    s = sentence.strip()
    return len(squash(s)) >= 12 and s.count("\n") <= 1 and not _HEADING.match(s) and not INJECTION.search(s)


def quality(sentence: str) -> float:
    """Sentences that stand on their own quote better: an article's opening sentence is preferred; list
    items, lead-ins ending in a colon and references to text around it ("前款""下列") are not."""
    s = sentence.strip()
    factor = 1.15 if _ARTICLE.match(s) else 1.0
    if _ITEM.match(s):
        factor *= 0.75
    if _DANGLING.search(s):
        factor *= 0.75
    if s.endswith(("：", ":")):
        factor *= 0.7
    return factor


def display(sentence: str) -> str:
    """A quoted sentence as recommendation detail: one line, no Markdown emphasis."""
    return clean(sentence).replace("**", "")


def province_passage(lib: Retriever, ctx: PlanContext) -> tuple[Hit, str, str] | None:
    """The report's passage on the city's province (§1.2 quotes a line per province), if it has one:
    (hit, quote, span), where span is the province's label and quote — the part of the chunk that is
    about this province, which is all an LLM is shown of it (the chunk quotes other provinces too).

    Found by retrieval first, then by scanning the report's chunks (a line naming the province, and the
    line after it is the quote).
    """
    p = ctx.place
    names = {p.province, p.province_short}
    filters = {"doc_id": ctx.report_docs} if ctx.report_docs else None
    hits = search(lib, f"{p.province} “十四五”期间", 8, filters)
    scanned = [
        lib.snapshot.hit(c.chunk_id)
        for d in ctx.report_docs
        for c in lib.snapshot.chunks_of(d)
        if p.province in c.text
    ]
    for hit in [*hits, *scanned]:
        lines = hit.text.split("\n")
        for i, line in enumerate(lines):
            if strip_bullet(line).strip() not in names:
                continue
            nxt = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
            if usable(nxt) and len(strip_bullet(nxt).strip()) > 12:
                start = len("\n".join(lines[:i])) + (1 if i else 0)
                end = hit.text.index(nxt, start) + len(nxt)
                return hit, nxt, hit.text[start:end]
    return None


@dataclass
class Pick:
    topic: Topic
    hit: Hit
    sentence: str
    title: str
    shown: Hit | None = None  # what an LLM sees of the hit, when not the whole chunk

    def recommendation(self, n: int) -> Recommendation:
        """The pick as a recommendation citing ``n``: the topic's title, actor and horizon, the quote as detail."""
        return Recommendation(
            title=self.title,
            detail=display(self.sentence),
            actor=self.topic.actor,
            horizon=self.topic.horizon,
            citations=[n],
        )


def pick_for_topic(
    lib: Retriever,
    ctx: PlanContext,
    topic: Topic,
    candidates: list[Hit],
    taken: set[tuple[str, str]],
    require: tuple[str, ...] = (),
) -> Pick | None:
    query = ctx.fill(topic.query)
    best: tuple[float, Hit, str] | None = None
    for score, hit, sent in rank_sentences(query, candidates, lib.snapshot.keyword):
        if best is not None and score * 1.15 <= best[0]:
            break  # ranked best first: nothing further down can win, even with the quality bonus
        score *= quality(sent)
        key = (hit.chunk_id, squash(sent))
        if key in taken or not usable(sent):
            continue
        if topic.terms and not any(t in sent for t in topic.terms):
            continue
        if require and not any(t in sent for t in require):
            continue
        if key in ctx.used:
            score *= REUSE_PENALTY
        if best is None or score > best[0]:
            best = (score, hit, sent)
    if best is None:
        return None
    _, hit, sent = best
    return Pick(topic, hit, sent, ctx.fill(topic.title, doc=short_title(hit.title)))


def section_pool(lib: Retriever, ctx: PlanContext, spec: SectionSpec) -> list[Hit]:
    """The section's queries, merged: the first hybrid (dense + keyword), the others keyword only, to
    keep query embeddings — the slow part on a busy CPU — to one per section."""
    allowed = {"doc_id": ctx.allowed}
    return merge_hits(
        *(
            search(lib, ctx.fill(q), POOL_K, allowed, "hybrid" if i == 0 else "keyword")
            for i, q in enumerate(spec.queries)
        )
    )


def extractive_picks(lib: Retriever, ctx: PlanContext, spec: SectionSpec, pool: list[Hit]) -> list[Pick]:
    picks: list[Pick] = []
    taken: set[tuple[str, str]] = set()
    for topic in spec.topics:
        if topic.scope == "local" and not ctx.local_docs:
            continue
        if topic.scope == "province_quote":
            found = province_passage(lib, ctx)
            pick = None
            if found:
                hit, quote, span = found
                shown = hit.model_copy(update={"text": span})
                pick = Pick(topic, hit, quote, ctx.fill(topic.title), shown)
        else:
            filters = scope_filters(lib, ctx, topic)
            query = ctx.fill(topic.query)
            require: tuple[str, ...] = ()
            if topic.scope == "region_mention":
                require = tuple(region_names(ctx.place))
                query = f"{' '.join(require)} {query}"
            own = search(lib, query, TOPIC_K, filters, "keyword")
            candidates = merge_hits(own, [h for h in pool if in_scope(h, filters)])
            pick = pick_for_topic(lib, ctx, topic, candidates, taken, require)
        if pick is not None:
            picks.append(pick)
            taken.add((pick.hit.chunk_id, squash(pick.sentence)))
    if not picks:  # an unfamiliar corpus: the best sentences for the section's focus
        for _, hit, sent in rank_sentences(spec.focus, pool, lib.snapshot.keyword)[:20]:
            if usable(sent) and len(picks) < 2:
                topic = Topic("general", "", "市人民政府", HORIZONS[0], spec.focus)
                picks.append(Pick(topic, hit, sent, f"{spec.title}：{label_of(sent)}"))
    return picks


def label_of(sentence: str) -> str:
    return clean(strip_bullet(sentence)).split("，")[0][:20]


@dataclass
class BuiltSection:
    """A section with section-local citation numbers, before global numbering."""

    section: PlanSection
    citations: list[Citation]
    stats: Verification
    model: str = ""


def extractive_section(picks: list[Pick], spec: SectionSpec, summary: str, notes: list[str]) -> BuiltSection:
    verifier = Verifier(merge_hits([p.hit for p in picks]))
    recs = []
    for p in picks:
        n = verifier.cite_hit(p.hit, p.sentence)
        recs.append(p.recommendation(n))
    kept = [r for r in recs if verifier.check_claim(r)]
    cites = verifier.used(kept)
    section = PlanSection(key=spec.key, title=spec.title, summary=summary, recommendations=kept, notes=notes)
    return BuiltSection(section, cites, verifier.stats, "extractive")
