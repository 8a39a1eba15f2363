"""The extractive section: for each topic (those the city's profile speaks to first), the best verbatim
sentence among its scoped hits that contains one of the topic's terms and was not cited before in the
plan; the recommendation is the topic's action title, the sentence rewritten as the city's action
(:mod:`advisor.planning.actions`, opened with the city's own asset when the profile names one), the
topic's actor and horizon, and a citation of the sentence. It is what the plan shows first, and what a
model refinement must beat."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from advisor.planning.actions import is_definition, strip_excerpt, to_action
from advisor.planning.context import PlanContext, in_scope, merge_hits, region_names, scope_filters, search
from advisor.planning.profile import profile_texts
from advisor.planning.sections import HORIZONS, SectionSpec, Topic
from advisor.planning.tailor import lead, topic_order
from advisor.qa.sentences import rank_sentences, short_title, strip_bullet
from advisor.retrieval.hybrid import Retriever
from advisor.text import clean, squash
from advisor.types import Citation, Hit, PlanSection, Recommendation, Verification
from advisor.verify.citations import Verifier, support
from advisor.verify.recommendations import INJECTION

POOL_K = 6


TOPIC_K = 5


FOLLOW = "按照“{quote}”的要求推进。"  # the last resort of a pick whose title its quote does not carry


TIGHT = 0.5  # share of a wording's bigrams its quote must hold (before the last-resort wording)


MAX_RECS = 7  # a section's recommendations; the topics the profile speaks to come first


_RULE_KINDS = ("规定", "办法", "条例", "法")


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
    action: str = ""  # the sentence as the city's action ("" for a description: the title says it)
    lead: str = ""  # the city's own asset the action builds on ("依托……，")

    def recommendation(self, n: int) -> Recommendation:
        """The pick as a recommendation citing ``n``: action title, the city's action, actor, horizon."""
        return Recommendation(
            title=self.title,
            detail=f"{self.lead}{self.action}".strip(),
            actor=self.topic.actor,
            horizon=self.topic.horizon,
            citations=[n],
        )

    def variants(self, city_short: str) -> list[Pick]:
        """This pick, then plainer versions of it, for a claim its quote does not support as worded; last,
        the quote named as what the city follows (a title its quote alone does not carry)."""
        out = [self]
        if self.lead:
            out.append(Pick(self.topic, self.hit, self.sentence, self.title, self.shown, self.action, ""))
        if self.action:
            out.append(Pick(self.topic, self.hit, self.sentence, self.title, self.shown, "", ""))
        follow = city_short + FOLLOW.format(quote=strip_excerpt(self.sentence).rstrip("；;。"))
        out.append(Pick(self.topic, self.hit, self.sentence, self.title, self.shown, follow, ""))
        return out


def national_rule(hit: Hit) -> bool:
    """A national regulation (规定, 办法, 条例): its articles bind providers, so they become compliance tasks."""
    kind = str(hit.meta.get("kind", ""))
    return hit.meta.get("level") == "national" and any(k in kind for k in _RULE_KINDS)


def as_action(pick: Pick, ctx: PlanContext, spec: SectionSpec) -> Pick:
    """The pick with its action and the city's lead filled in."""
    action = to_action(pick.sentence, ctx.place.short, national_rule(pick.hit)) or ""
    pick.action = action
    pick.lead = lead(spec, pick.topic, ctx.profile, bool(action))
    return pick


def pick_for_topic(
    lib: Retriever,
    ctx: PlanContext,
    topic: Topic,
    candidates: list[Hit],
    taken: set[str],
    require: tuple[str, ...] = (),
) -> Pick | None:
    query = ctx.fill(topic.query)
    best: tuple[float, Hit, str] | None = None
    for score, hit, sent in rank_sentences(query, candidates, lib.snapshot.keyword):
        if best is not None and score * 1.15 <= best[0]:
            break  # ranked best first: nothing further down can win, even with the quality bonus
        score *= quality(sent)
        key = squash(sent)
        if key in taken or key in ctx.used or not usable(sent) or is_definition(sent):
            continue  # no quote twice in a plan; a definition is no recommendation
        if topic.terms and not any(t in sent for t in topic.terms):
            continue
        if require and not any(t in sent for t in require):
            continue
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


def _scoped_pick(
    lib: Retriever,
    ctx: PlanContext,
    topic: Topic,
    pool: list[Hit],
    taken: set[str],
    filters: dict[str, Any] | None,
) -> Pick | None:
    query = ctx.fill(topic.query)
    require: tuple[str, ...] = ()
    if topic.scope == "region_mention":
        require = tuple(region_names(ctx.place))
        query = f"{' '.join(require)} {query}"
    own = search(lib, query, TOPIC_K, filters, "keyword")
    candidates = merge_hits(own, [h for h in pool if in_scope(h, filters)])
    return pick_for_topic(lib, ctx, topic, candidates, taken, require)


def extractive_picks(lib: Retriever, ctx: PlanContext, spec: SectionSpec, pool: list[Hit]) -> list[Pick]:
    picks: list[Pick] = []
    taken: set[str] = set()
    for topic in topic_order(spec, ctx.profile):
        if len(picks) >= MAX_RECS and not topic.pinned:
            continue
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
            pick = None
            if topic.scope == "local":  # every local text the plan has not cited yet gets its turn first
                uncited = [d for d in ctx.local_docs if d not in ctx.cited_docs]
                if uncited:
                    pick = _scoped_pick(lib, ctx, topic, pool, taken, {"doc_id": uncited})
            if pick is None:
                pick = _scoped_pick(lib, ctx, topic, pool, taken, scope_filters(lib, ctx, topic))
        if pick is not None and squash(pick.sentence) not in ctx.used | taken:
            picks.append(as_action(pick, ctx, spec))
            taken.add(squash(pick.sentence))
            ctx.cited_docs.add(pick.hit.doc_id)
    if not picks:  # an unfamiliar corpus: the best sentences for the section's focus
        for _, hit, sent in rank_sentences(spec.focus, pool, lib.snapshot.keyword)[:20]:
            fresh = squash(sent) not in ctx.used | taken
            if fresh and usable(sent) and not is_definition(sent) and len(picks) < 2:
                topic = Topic("general", "", "市人民政府", HORIZONS[0], spec.focus)
                picks.append(as_action(Pick(topic, hit, sent, label_of(sent)), ctx, spec))
                taken.add(squash(sent))
    return picks


def label_of(sentence: str) -> str:
    return strip_excerpt(strip_bullet(sentence)).split("，")[0][:20]


@dataclass
class BuiltSection:
    """A section with section-local citation numbers, before global numbering."""

    section: PlanSection
    citations: list[Citation]
    stats: Verification
    model: str = ""


def extractive_section(
    picks: list[Pick], spec: SectionSpec, summary: str, notes: list[str], ctx: PlanContext, title: str = ""
) -> BuiltSection:
    """The picks as a verified section: each recommendation as worded, or plainer (no lead, then the
    title alone) when its quote does not support the wording; a pick supporting none is left out."""
    verifier = Verifier(merge_hits([p.hit for p in picks]))
    verifier.vouch(profile_texts(ctx.profile))  # the city's own figures, shown as its own
    kept = []
    for p in picks:
        n = verifier.cite_hit(p.hit, p.sentence)
        before = verifier.stats.model_copy()
        variants = p.variants(ctx.place.short)
        for variant in variants:
            rec = variant.recommendation(n)
            # a wording must be mostly its quote's own words (half its bigrams), the last resort only
            # pass the claim rule: the evidence, not the template, carries the recommendation
            own = f"{rec.title}{variant.action}"  # the lead names the city's own asset: vouched, not quoted
            loose = variant is variants[-1] or support(own, p.sentence) >= TIGHT
            if loose and verifier.check_claim(rec):
                verifier.stats = before  # a plainer wording that holds is no dropped claim
                kept.append(rec)
                break
    cites = verifier.used(kept)
    section = PlanSection(
        key=spec.key, title=title or spec.title, summary=summary, recommendations=kept, notes=notes
    )
    return BuiltSection(section, cites, verifier.stats, "extractive")
