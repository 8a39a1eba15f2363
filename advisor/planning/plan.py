"""City → draft ``Plan``: seven sections following the report, every recommendation cited and verified.

For each section (definitions in :mod:`advisor.planning.sections`):

1. **Retrieve**: the section's queries (with the city and province filled in) and one query per topic,
   scoped by metadata — the report (``level=think-tank``), national rules (``level=national``, or the
   document a topic names), the city's or province's own documents (``region``), or the report's
   passage on the city's province (the quotes of report §1.2).
2. **Extractive section** (always built; it is the ``extractive`` provider's output and every LLM
   section's fallback): each topic takes the best verbatim sentence among its hits that contains one of
   the topic's terms; the recommendation is the topic's fixed action title, that sentence as detail, the
   topic's actor and horizon, and a citation of the sentence.
3. **LLM section** (``local`` / ``openai``): the chunks behind the extractive picks (3–4 for the local
   model, prompt ≤ ~1,300 tokens; pinned evidence — the province quote, local rules — first) go to one
   constrained-JSON call. The model names a source key per recommendation but writes no quote: the
   verifier (:meth:`~advisor.verify.citations.Verifier.cite_best`) quotes the cited chunk's sentence that best
   supports the detail, and keys, support and numbers are checked; the extractive recommendations whose evidence the model left
   out follow its verified ones. Any :class:`~advisor.generation.errors.LLMFailure`, or nothing surviving
   verification, falls back to the extractive section with a note.

The plan never states facts about the city beyond the user's profile (marked 「据本市提供的概况」); a
fact it would need and lacks becomes a 待补充 note. Citations are renumbered globally across sections.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from advisor.generation.errors import FALLBACK, LLMFailure
from advisor.generation.prompts import load_prompt, system_prompt
from advisor.generation.providers import model_label, resolve_provider
from advisor.generation.structured import generate_json
from advisor.planning.cities import CityMatch, CityProfile, missing_facts, profile_from_dict, resolve_city
from advisor.planning.sections import HORIZONS, INDICATORS, MACRO_REGIONS, SECTIONS, SectionSpec, Topic
from advisor.qa.answer import LLM_SOURCES, SOURCE_TOKENS, format_sources
from advisor.qa.extractive import rank_sentences, short_title, strip_bullet
from advisor.retrieval.hybrid import FilterError, Mode
from advisor.text import clean, count_tokens, squash
from advisor.types import Citation, Hit, Plan, PlanSection, Recommendation, Verification
from advisor.verify.citations import Verifier, support, unsupported_numbers

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from advisor.service import Advisor

Progress = Callable[[int, int, str], None]

REPORT_LEVEL = "think-tank"
PROMPT_TOKENS = {"local": 1300, "openai": 3000}
MAX_TOKENS = 600
SECTION_FALLBACK = "本节改用抽取式内容。"  # ends the plan note of a section whose model output was not used
ITEMS_FALLBACK = "建议条目改用抽取式内容，本节概述由大模型撰写。"
DETAIL_SUPPORT = 0.4  # share of an LLM detail's bigrams found in its cited chunk
TITLE_SUPPORT = 0.3  # share of an LLM title's bigrams found in its detail and quote
POOL_K = 6
TOPIC_K = 5
REUSE_PENALTY = 0.7  # a sentence already cited by an earlier section ranks lower
PLAN_SCHEMA: dict[str, Any] = {
    "title": "plan_section",
    "type": "object",
    "properties": {
        "summary": {"type": "string"},
        "recommendations": {
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "actor": {"type": "string"},
                    "horizon": {"type": "string", "enum": list(HORIZONS)},
                    "source": {"type": "integer"},
                },
                # no quote: the model copied its detail a second time (a third of the section's output
                # tokens); the verifier quotes the cited chunk's sentence that best supports the detail
                "required": ["title", "detail", "actor", "horizon", "source"],
            },
        },
    },
    "required": ["summary", "recommendations"],
}
PROFILE_LABELS = {
    "pillar_industries": "支柱产业",
    "universities": "高校与科研院所",
    "compute": "现有算力",
    "parks": "产业园区",
    "funds": "产业基金",
    "strengths": "比较优势",
    "constraints": "短板与约束",
}
_INJECTION = re.compile(
    r"忽略(以上|上述|之前|前面|所有|全部)|无视(以上|上述|之前|前面)|ignore\s+(all\s+|the\s+)?(previous|above|prior)"
    r"|system\s*prompt|系统提示词|你现在是|新的指令|以下指令",
    re.I,
)
_HEADING = re.compile(r"^(#|\d+(\.\d+)+\s|Part\s*\d|目录|CONTENTS|图\d*：)")
_MARKERS = re.compile(r"\s*\[\d+\]")
_TITLE_DATE = re.compile(r"》\s*[（(]\d{4}(?:[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?)?[）)]")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条")
_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_DANGLING = re.compile(r"前款|下列|如下|上述|前述")


# --------------------------------------------------------------------------- context


@dataclass
class _Context:
    """What every section needs about the place, the profile and the corpus."""

    place: CityMatch
    subject: str  # 合肥市（安徽省）
    profile: CityProfile | None
    local_docs: list[str]  # doc_ids of the city's / province's own documents
    report_docs: list[str]
    allowed: list[str]  # national, report and own-region documents (not other regions' rules)
    used: set[tuple[str, str]] = field(default_factory=set)  # (chunk_id, squashed sentence) cited so far

    def fill(self, template: str, doc: str = "") -> str:
        p = self.place
        return template.format(
            city=p.name, short=p.short, province=p.province, province_short=p.province_short, doc=doc
        )


def _subject(place: CityMatch) -> str:
    if place.level == "municipality":
        return f"{place.name}（直辖市）"
    if place.level == "county":
        if place.prefecture == place.name:
            return f"{place.name}（{place.province}直管县级市）"
        return f"{place.name}（{place.province}{place.prefecture}所辖县级市）"
    return f"{place.name}（{place.province}）"


def _parent_city(match: CityMatch) -> CityMatch:
    name = match.prefecture if match.province == match.prefecture else f"{match.province}{match.prefecture}"
    return resolve_city(name, prefer_cities=True)


def _profile(profile: dict[str, Any] | CityProfile | None) -> CityProfile | None:
    if profile is None:
        return None
    if isinstance(profile, CityProfile):
        return profile
    return profile_from_dict(profile)


def _profile_sentence(profile: CityProfile | None, fields: tuple[str, ...]) -> str:
    if profile is None:
        return ""
    parts = [f"{PROFILE_LABELS[f]}：{'、'.join(getattr(profile, f))}" for f in fields if getattr(profile, f)]
    return f"据本市提供的概况——{'；'.join(parts)}。" if parts else ""


def _profile_texts(profile: CityProfile | None) -> list[str]:
    if profile is None:
        return []
    return [*(v for f in PROFILE_LABELS for v in getattr(profile, f)), profile.notes]


def _local_docs(adv: Advisor, place: CityMatch) -> list[str]:
    regions = {place.name, place.prefecture, place.province}
    return [
        doc_id
        for doc_id, meta in adv.snapshot.docs.items()
        if meta.region in regions and meta.level not in ("national", REPORT_LEVEL)
    ]


def _allowed_docs(adv: Advisor, place: CityMatch) -> list[str]:
    """Documents that may ground this city's plan: all but other regions' local rules."""
    regions = {place.name, place.prefecture, place.province, "", "全国"}
    return [doc_id for doc_id, meta in adv.snapshot.docs.items() if meta.region in regions]


def _region_names(place: CityMatch) -> list[str]:
    short = place.province_short
    return [place.province, short, *(m for m, provinces in MACRO_REGIONS.items() if short in provinces)]


# --------------------------------------------------------------------------- retrieval


def _retrieve(
    adv: Advisor, query: str, k: int, filters: dict[str, Any] | None = None, mode: Mode = "hybrid"
) -> list[Hit]:
    try:
        return adv.retrieve(query, k=k, filters=filters, mode=mode)
    except FilterError:
        return []


def _scope_filters(adv: Advisor, ctx: _Context, topic: Topic) -> dict[str, Any] | None:
    if topic.scope == "report":
        return {"doc_id": ctx.report_docs} if ctx.report_docs else None
    if topic.scope == "local":
        return {"doc_id": ctx.local_docs}
    if topic.scope in ("national", "region_mention"):
        docs = adv.snapshot.docs
        if topic.doc_hint:
            ids = [d for d, m in docs.items() if topic.doc_hint in m.title]
            if ids:
                return {"doc_id": ids}
        return {"doc_id": [d for d in ctx.allowed if docs[d].level == "national"]}
    return {"doc_id": ctx.allowed}


def _in_scope(hit: Hit, filters: dict[str, Any] | None) -> bool:
    if not filters:
        return True
    for key, value in filters.items():
        allowed = {str(v) for v in value} if isinstance(value, list | tuple | set) else {str(value)}
        have = hit.doc_id if key == "doc_id" else str(hit.meta.get(key, ""))
        if have not in allowed:
            return False
    return True


def _merge(*lists: list[Hit]) -> list[Hit]:
    """Hits of several retrievals, one per chunk (its best score), best first; equal scores keep the
    order in which the chunks first appear (list by list, rank by rank)."""
    seen: dict[str, Hit] = {}
    first: dict[str, int] = {}
    for hits in lists:
        for h in hits:
            first.setdefault(h.chunk_id, len(first))
            if h.chunk_id not in seen or h.score > seen[h.chunk_id].score:
                seen[h.chunk_id] = h
    return sorted(seen.values(), key=lambda h: (-h.score, first[h.chunk_id]))


def _usable(sentence: str) -> bool:
    """A sentence fit to quote as a recommendation: not a heading, slide fragment, table or injection."""
    s = sentence.strip()
    return len(squash(s)) >= 12 and s.count("\n") <= 1 and not _HEADING.match(s) and not _INJECTION.search(s)


def _quality(sentence: str) -> float:
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


def _display(sentence: str) -> str:
    """A quoted sentence as recommendation detail: one line, no Markdown emphasis."""
    return clean(sentence).replace("**", "")


def province_passage(adv: Advisor, ctx: _Context) -> tuple[Hit, str, str] | None:
    """The report's passage on the city's province (§1.2 quotes a line per province), if it has one:
    (hit, quote, span), where span is the province's label and quote — the part of the chunk that is
    about this province, which is all an LLM is shown of it (the chunk quotes other provinces too).

    Found by retrieval first, then by scanning the report's chunks (a line naming the province, and the
    line after it is the quote).
    """
    p = ctx.place
    names = {p.province, p.province_short}
    filters = {"doc_id": ctx.report_docs} if ctx.report_docs else None
    hits = _retrieve(adv, f"{p.province} “十四五”期间", 8, filters)
    scanned = [
        adv.snapshot.hit(c.chunk_id)
        for d in ctx.report_docs
        for c in adv.snapshot.chunks_of(d)
        if p.province in c.text
    ]
    for hit in [*hits, *scanned]:
        lines = hit.text.split("\n")
        for i, line in enumerate(lines):
            if strip_bullet(line).strip() not in names:
                continue
            nxt = next((x.strip() for x in lines[i + 1 :] if x.strip()), "")
            if _usable(nxt) and len(strip_bullet(nxt).strip()) > 12:
                start = len("\n".join(lines[:i])) + (1 if i else 0)
                end = hit.text.index(nxt, start) + len(nxt)
                return hit, nxt, hit.text[start:end]
    return None


# --------------------------------------------------------------------------- extractive


@dataclass
class _Pick:
    topic: Topic
    hit: Hit
    sentence: str
    title: str
    shown: Hit | None = None  # what an LLM sees of the hit, when not the whole chunk


def _pick(
    adv: Advisor,
    ctx: _Context,
    topic: Topic,
    candidates: list[Hit],
    taken: set[tuple[str, str]],
    require: tuple[str, ...] = (),
) -> _Pick | None:
    query = ctx.fill(topic.query)
    best: tuple[float, Hit, str] | None = None
    for score, hit, sent in rank_sentences(query, candidates, adv.snapshot.keyword):
        if best is not None and score * 1.15 <= best[0]:
            break  # ranked best first: nothing further down can win, even with the quality bonus
        score *= _quality(sent)
        key = (hit.chunk_id, squash(sent))
        if key in taken or not _usable(sent):
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
    return _Pick(topic, hit, sent, ctx.fill(topic.title, doc=short_title(hit.title)))


def _section_pool(adv: Advisor, ctx: _Context, spec: SectionSpec) -> list[Hit]:
    """The section's queries, merged: the first hybrid (dense + keyword), the others keyword only, to
    keep query embeddings — the slow part on a busy CPU — to one per section."""
    allowed = {"doc_id": ctx.allowed}
    return _merge(
        *(
            _retrieve(adv, ctx.fill(q), POOL_K, allowed, "hybrid" if i == 0 else "keyword")
            for i, q in enumerate(spec.queries)
        )
    )


def _extractive_picks(adv: Advisor, ctx: _Context, spec: SectionSpec, pool: list[Hit]) -> list[_Pick]:
    picks: list[_Pick] = []
    taken: set[tuple[str, str]] = set()
    for topic in spec.topics:
        if topic.scope == "local" and not ctx.local_docs:
            continue
        if topic.scope == "province_quote":
            found = province_passage(adv, ctx)
            pick = None
            if found:
                hit, quote, span = found
                shown = hit.model_copy(update={"text": span})
                pick = _Pick(topic, hit, quote, ctx.fill(topic.title), shown)
        else:
            filters = _scope_filters(adv, ctx, topic)
            query = ctx.fill(topic.query)
            require: tuple[str, ...] = ()
            if topic.scope == "region_mention":
                require = tuple(_region_names(ctx.place))
                query = f"{' '.join(require)} {query}"
            own = _retrieve(adv, query, TOPIC_K, filters, "keyword")
            candidates = _merge(own, [h for h in pool if _in_scope(h, filters)])
            pick = _pick(adv, ctx, topic, candidates, taken, require)
        if pick is not None:
            picks.append(pick)
            taken.add((pick.hit.chunk_id, squash(pick.sentence)))
    if not picks:  # an unfamiliar corpus: the best sentences for the section's focus
        for _, hit, sent in rank_sentences(spec.focus, pool, adv.snapshot.keyword)[:20]:
            if _usable(sent) and len(picks) < 2:
                topic = Topic("general", "", "市人民政府", HORIZONS[0], spec.focus)
                picks.append(_Pick(topic, hit, sent, f"{spec.title}：{_label(sent)}"))
    return picks


def _label(sentence: str) -> str:
    return clean(strip_bullet(sentence)).split("，")[0][:20]


class _Unverified(LLMFailure):
    """The model answered, but none of its recommendations survived verification."""

    def __init__(self, stats: Verification, text: str, summary: str = "") -> None:
        super().__init__("garbage", "大模型输出未通过引用核验", "no recommendation survived", text)
        self.stats = stats
        self.summary = summary  # the model's summary when it passed its own checks, else ""


@dataclass
class _Built:
    """A section with section-local citation numbers, before global numbering."""

    section: PlanSection
    citations: list[Citation]
    stats: Verification
    model: str = ""


def _extractive_section(picks: list[_Pick], spec: SectionSpec, summary: str, notes: list[str]) -> _Built:
    verifier = Verifier(_merge([p.hit for p in picks]))
    recs = []
    for p in picks:
        n = verifier.cite_hit(p.hit, p.sentence)
        recs.append(
            Recommendation(
                title=p.title,
                detail=_display(p.sentence),
                actor=p.topic.actor,
                horizon=p.topic.horizon,
                citations=[n],
            )
        )
    kept = [r for r in recs if verifier.check_claim(r)]
    cites = verifier.used(kept)
    section = PlanSection(key=spec.key, title=spec.title, summary=summary, recommendations=kept, notes=notes)
    return _Built(section, cites, verifier.stats, "extractive")


# --------------------------------------------------------------------------- LLM


def _shown(hit: Hit) -> Hit:
    """A hit as a prompt shows it: short title, the last heading only, date but no issuer (the report's
    full title and issuer alone cost ~100 tokens a source)."""
    leaf = hit.section.split(" > ")[-1]
    if re.match(r"^\d+\.\d+\s", leaf):
        leaf = leaf.split("：")[-1]
    return hit.model_copy(
        update={"title": short_title(hit.title), "section": leaf, "meta": {"date": hit.meta.get("date", "")}}
    )


def _fit_prompt(
    provider: str, system: str, values: dict[str, str], given: list[Hit], focus: str
) -> tuple[list[Hit], str]:
    """The sources and the rendered prompt within the provider's prompt budget (tiktoken cl100k, which
    counts Chinese more heavily than Qwen's tokenizer): 4 sources, else 3, excerpts shrunk to fit."""
    prompt = load_prompt("plan_section")
    budget = PROMPT_TOKENS.get(provider, PROMPT_TOKENS["local"])
    overhead = count_tokens(system) + count_tokens(prompt.render(sources="", **values))
    user = ""
    for n in sorted({len(given), min(len(given), 3)}, reverse=True):
        shown = given[:n]
        per = min(SOURCE_TOKENS.get(provider, 300), (budget - overhead) // max(1, n) - 45)
        for _ in range(5):
            user = prompt.render(
                sources=format_sources([_shown(h) for h in shown], focus, max(per, 40)), **values
            )
            if count_tokens(system) + count_tokens(user) <= budget:
                return shown, user
            per = int(per * 0.8)
    return given[: min(len(given), 3)], user


def _salvage(exc: LLMFailure) -> dict[str, Any] | None:
    """The complete recommendations of output cut off by a timeout or the token cap, or None. The last,
    unfinished one is dropped (it has no source key yet, or its detail may stop mid-sentence)."""
    from langchain_core.utils.json import parse_partial_json

    if exc.kind not in ("timeout", "garbage") or not exc.text.strip():
        return None
    try:
        data = parse_partial_json(exc.text[exc.text.find("{") :])
    except ValueError:
        return None
    recs = data.get("recommendations") if isinstance(data, dict) else None
    if not isinstance(recs, list) or len(recs) < 2:
        return None
    done = [r for r in recs[:-1] if isinstance(r, dict) and {"title", "detail", "source"} <= r.keys()]
    if not done:
        return None
    log.info("plan section: kept %d recommendations of output cut off (%s)", len(done), exc.kind)
    return {"summary": data.get("summary") or "", "recommendations": done}


def _tidy(text: str) -> str:
    """Model text without citation markers or the source dates it copies after a title
    (《…》（2023-07-10） → 《…》)."""
    return _TITLE_DATE.sub("》", _MARKERS.sub("", clean(text)))


def _grounded(title: str, detail: str, quote: str, chunk: str) -> bool:
    """Stricter than the answer's check, because a plan's detail reads as advice: most of the detail
    must come from the cited chunk, and the title must be about what the detail and quote say (the
    small model writes "市场培育" over a sentence on 技术研发, or pads details with 税收优惠…)."""
    return support(detail, chunk) >= DETAIL_SUPPORT and support(title, f"{detail}{quote}") >= TITLE_SUPPORT


def _summary_ok(text: str, sources: list[str], profile: list[str]) -> bool:
    if not text or len(text) > 400 or _INJECTION.search(text):
        return False
    if unsupported_numbers(text, [*sources, *profile]):
        return False
    return support(text, "\n".join([*sources, *profile])) >= 0.3


def _name_subject(text: str, ctx: _Context) -> str:
    if ctx.subject in text:
        return text
    name = ctx.place.name
    if text.startswith(name):
        return ctx.subject + text[len(name) :]
    if text.startswith(ctx.place.short):
        return ctx.subject + text[len(ctx.place.short) :]
    return f"{ctx.subject}：{text}"


def _model_summary(data: dict[str, Any], ctx: _Context, given: list[Hit], profile: list[str]) -> str:
    """The model's section summary, named for the city, or "" when it fails the summary checks."""
    summary = _tidy(str(data.get("summary") or ""))
    if not _summary_ok(summary, [h.text for h in given], profile):
        return ""
    return _name_subject(summary, ctx)


def _llm_section(
    adv: Advisor,
    provider: str,
    ctx: _Context,
    spec: SectionSpec,
    picks: list[_Pick],
    pool: list[Hit],
    summary_tail: str,
    notes: list[str],
) -> _Built:
    """One constrained call for the section, verified. Raises :class:`LLMFailure` when the call fails or
    nothing survives verification (:class:`_Unverified`, which carries the verification counts)."""
    pinned = [p for p in picks if p.topic.pinned]
    given = _merge([p.shown or p.hit for p in pinned])
    for h in [*(p.shown or p.hit for p in picks), *pool]:
        if len(given) >= LLM_SOURCES.get(provider, 4):
            break
        if all(h.chunk_id != g.chunk_id for g in given):
            given.append(h)
    system = system_prompt()
    values = {
        "subject": ctx.subject,
        "section": spec.title,
        "focus": spec.focus,
        "profile": _profile_sentence(ctx.profile, tuple(PROFILE_LABELS)) or "未提供",
        "horizons": "、".join(HORIZONS),
    }
    focus_q = " ".join([spec.focus, *(p.sentence for p in picks)])
    given, user = _fit_prompt(provider, system, values, given, focus_q)
    try:
        gen = generate_json(
            adv.llm(provider),
            [("system", system), ("human", user)],
            PLAN_SCHEMA,
            max_tokens=MAX_TOKENS,
            timeout_s=adv.settings.plan_section_timeout_s
            if provider == "local"
            else adv.settings.llm_timeout_s,
        )
        data, raw_text, model = gen.data or {}, gen.text, gen.model
    except LLMFailure as exc:
        # a section cut off by the deadline or the token cap keeps the recommendations it completed
        salvaged = _salvage(exc)
        if salvaged is None:
            raise
        data, raw_text, model = salvaged, exc.text, ""
    verifier = Verifier(given)
    profile_texts = _profile_texts(ctx.profile)
    recs: list[Recommendation] = []
    default = picks[0].topic
    raw_recs = data.get("recommendations")
    for raw in raw_recs if isinstance(raw_recs, list) else []:
        if not isinstance(raw, dict):
            continue
        title = _tidy(str(raw.get("title") or ""))[:40]
        detail = _tidy(str(raw.get("detail") or ""))
        if not title and not detail:
            continue
        n = verifier.cite_best(raw.get("source"), f"{title} {detail}")
        if n is None:
            continue
        cite = next(c for c in verifier.citations if c.n == n)
        claim = f"{title} {detail} {cite.quote}"
        hit = next(h for h in verifier.hits if h.chunk_id == cite.chunk_id)
        chunk = hit.text
        # the source's header (title, date) was shown to the model, so its numbers are sourced too
        header = f"{hit.title} {hit.meta.get('date', '')}"
        if unsupported_numbers(f"{title} {detail}", [chunk, header, *profile_texts]):
            verifier.stats.numbers_rejected += 1
            verifier.stats.claims_dropped += 1
            continue
        if _INJECTION.search(claim) or not _grounded(title, detail, cite.quote, chunk):
            verifier.stats.claims_dropped += 1
            continue
        horizon = str(raw.get("horizon") or "")
        actor = clean(str(raw.get("actor") or ""))[:30]
        if _INJECTION.search(actor) or actor.count("、") >= 2:  # the prompt's example list, copied
            actor = ""
        recs.append(
            Recommendation(
                title=title or detail[:20],
                detail=detail,
                actor=actor or default.actor,
                horizon=horizon if horizon in HORIZONS else default.horizon,
                citations=[n],
            )
        )
    summary = _model_summary(data, ctx, given, profile_texts)
    if not recs:
        raise _Unverified(verifier.stats, raw_text, summary)
    quoted = [squash(c.quote) for c in verifier.citations if any(c.n in r.citations for r in recs)]
    # The section's evidence the model left out (the province quote, local rules, …) is kept as the
    # extractive recommendation, so an LLM section never covers less than the extractive one.
    for p in picks:
        mine = squash(p.sentence)
        if any(q in mine or mine in q for q in quoted):
            continue
        if all(h.chunk_id != p.hit.chunk_id for h in verifier.hits):
            verifier.hits.append(p.hit)
        n = verifier.cite_hit(p.hit, p.sentence)
        recs.append(
            Recommendation(
                title=p.title,
                detail=_display(p.sentence),
                actor=p.topic.actor,
                horizon=p.topic.horizon,
                citations=[n],
            )
        )
    summary = summary or _name_subject(_template_summary(ctx, spec), ctx)
    if summary_tail:
        summary = f"{summary}{summary_tail}"
    kept = [r for r in recs if verifier.check_claim(r)]
    cites = verifier.used(kept)
    section = PlanSection(key=spec.key, title=spec.title, summary=summary, recommendations=kept, notes=notes)
    return _Built(section, cites, verifier.stats, model or model_label(adv.settings, provider))


# --------------------------------------------------------------------------- assembly


def _template_summary(ctx: _Context, spec: SectionSpec) -> str:
    return spec.summary.format(subject=ctx.subject, indicators="、".join(INDICATORS))


def _section_extras(
    ctx: _Context, spec: SectionSpec, picks: list[_Pick], adv: Advisor
) -> tuple[str, list[str]]:
    """Sentences appended to the summary, and the section's 待补充 notes."""
    tail: list[str] = []
    missing = set(missing_facts(ctx.profile))
    notes = [_missing_note(f).removeprefix("待补充：") for f in spec.facts if _missing_note(f) in missing]
    p = ctx.place
    if spec.key == "situation":
        if any(k.topic.scope == "province_quote" for k in picks):
            tail.append(f"报告在论述产业升级机遇时列举了{p.province}的“十四五”部署，本市规划应与之衔接。")
        else:
            tail.append(f"报告未专门论及{p.province}，本节依据报告的全国性判断。")
            notes.append(f"{p.province}数字经济和人工智能相关规划的要点（报告未论及，资料库未收录）")
    if spec.key == "safeguards":
        titles = [f"《{short_title(adv.snapshot.docs[d].title)}》" for d in ctx.local_docs]
        if titles:
            tail.append(f"本地适用的地方性法规有{'、'.join(titles)}，相关措施应依其执行。")
        else:
            notes.append(f"本市及{p.province}人工智能、数字经济方面的地方性法规和政策文件（资料库未收录）")
    profile = _profile_sentence(ctx.profile, spec.facts)
    if profile:
        tail.append(profile)
    return "".join(tail), notes


@cache
def _missing_note(fact: str) -> str:
    """The 待补充 note :func:`~advisor.planning.cities.missing_facts` gives for one empty profile field."""
    others = CityProfile(**{f: ["-"] for f in PROFILE_LABELS if f != fact})
    found = missing_facts(others)
    return found[0] if found else ""


def _add_stats(total: Verification, part: Verification) -> None:
    for name in Verification.model_fields:
        setattr(total, name, getattr(total, name) + getattr(part, name))


class _Numbering:
    """Global citation numbers across sections; the same chunk and quote keep one number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._index: dict[tuple[str, str], int] = {}

    def add(self, built: _Built) -> None:
        remap: dict[int, int] = {}
        for c in built.citations:
            key = (c.chunk_id, squash(c.quote))
            if key not in self._index:
                self._index[key] = len(self.citations) + 1
                self.citations.append(c.model_copy(update={"n": self._index[key]}))
            remap[c.n] = self._index[key]
        for rec in built.section.recommendations:
            rec.citations = [remap[n] for n in rec.citations if n in remap]


def draft_plan(
    adv: Advisor,
    city: str,
    profile: dict[str, Any] | CityProfile | None = None,
    provider: str | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Draft the plan for ``city``. Raises :class:`~advisor.planning.cities.CityError` (a ValueError) for an
    unknown or ambiguous name and :class:`~advisor.planning.cities.ProfileError` for an invalid profile."""
    t0 = time.perf_counter()
    match = resolve_city(city, prefer_cities=True)
    prof = _profile(profile)
    chosen = resolve_provider(adv.settings, provider)
    notes: list[str] = []
    place = match
    if match.level == "district":
        place = _parent_city(match)
        notes.append(
            f"{match.name}是{place.name}的市辖区：本草案按{place.name}起草，区级方案请结合本区实际调整。"
        )
    snap = adv.snapshot
    ctx = _Context(
        place=place,
        subject=_subject(place),
        profile=prof,
        local_docs=_local_docs(adv, place),
        report_docs=[d for d, m in snap.docs.items() if m.level == REPORT_LEVEL],
        allowed=_allowed_docs(adv, place),
    )
    numbering = _Numbering()
    stats = Verification()
    sections: list[PlanSection] = []
    timings: dict[str, float] = {}
    model = "extractive" if chosen == "extractive" else ""
    fallbacks: list[str] = []
    for i, spec in enumerate(SECTIONS, start=1):
        ts = time.perf_counter()
        pool = _section_pool(adv, ctx, spec)
        picks = _extractive_picks(adv, ctx, spec, pool)
        tail, sec_notes = _section_extras(ctx, spec, picks, adv)
        built: _Built | None = None
        if chosen != "extractive" and picks:
            try:
                built = _llm_section(adv, chosen, ctx, spec, picks, pool, tail, list(sec_notes))
                model = model or built.model
            except _Unverified as exc:
                _add_stats(stats, exc.stats)
                if exc.summary:  # the verified summary stays; the items come from the extractive picks
                    model = model or model_label(adv.settings, chosen)
                    built = _extractive_section(picks, spec, exc.summary + tail, list(sec_notes))
                    fallbacks.append(f"“{spec.title}”一节：大模型建议未通过引用核验，{ITEMS_FALLBACK}")
                else:
                    fallbacks.append(f"“{spec.title}”一节：大模型输出未通过引用核验，{SECTION_FALLBACK}")
            except LLMFailure as exc:
                fallbacks.append(
                    f"“{spec.title}”一节：{exc.notice.replace('，' + FALLBACK, '')}，{SECTION_FALLBACK}"
                )
            except Exception as exc:  # never let a provider bug lose the plan
                fallbacks.append(
                    f"“{spec.title}”一节：大模型调用出错（{type(exc).__name__}），{SECTION_FALLBACK}"
                )
        if built is None:
            built = _extractive_section(picks, spec, _template_summary(ctx, spec) + tail, list(sec_notes))
        if not built.section.recommendations:
            built.section.notes.append("本节要点（资料库中未检索到可引用的依据）")
        for c in built.citations:
            ctx.used.add((c.chunk_id, squash(c.quote)))
        numbering.add(built)
        _add_stats(stats, built.stats)
        sections.append(built.section)
        timings[f"{spec.key}_s"] = round(time.perf_counter() - ts, 3)
        if progress is not None:
            progress(i, len(SECTIONS), spec.title)
    notes += missing_facts(prof)
    notes.append("“推进步骤与指标”只列指标名称，目标值须由本市结合实际测算确定；本草案未设定任何数值目标。")
    notes += fallbacks
    timings["total_s"] = round(time.perf_counter() - t0, 3)
    return Plan(
        city=place.name,
        province=place.province,
        title=f"{place.name}人工智能产业培育方案（草案）",
        sections=sections,
        citations=numbering.citations,
        notes=notes,
        provider=chosen,
        model=model or model_label(adv.settings, chosen),
        profile=prof.model_dump(exclude_defaults=True) if prof else {},
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        timings=timings,
        verification=stats,
    )


def plan_numbers_unsupported(plan: Plan, adv: Advisor) -> set[str]:
    """Numbers in the plan's own text (title, summaries, recommendations, notes) that occur neither in
    the cited chunks nor in the profile — should always be empty."""
    # notices about the drafting itself (a section's model call timed out …) are not content
    texts = [plan.title, *(n for n in plan.notes if not n.endswith(SECTION_FALLBACK))]
    for s in plan.sections:
        texts += [s.summary, *s.notes, *(f"{r.title} {r.detail} {r.actor}" for r in s.recommendations)]
    sources = [
        adv.snapshot.chunks[c.chunk_id].text for c in plan.citations if c.chunk_id in adv.snapshot.chunks
    ]
    sources += [str(v) for v in plan.profile.values()]
    return unsupported_numbers("\n".join(texts), sources)


__all__ = ["PLAN_SCHEMA", "draft_plan", "plan_numbers_unsupported", "province_passage"]
