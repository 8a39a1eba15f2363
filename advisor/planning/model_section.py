"""A plan section written by the model: one constrained-JSON call over the chunks behind the extractive
picks (pinned evidence first, within the provider's prompt budget). The model names a source key per
recommendation but writes no quote; the shared item rules (:mod:`advisor.verify.recommendations`, strict
mode) quote the cited chunk's best sentence and check keys, support and numbers. The extractive
recommendations whose evidence the model left out follow its verified ones."""

from __future__ import annotations

import logging
import re
from typing import Any

from advisor.generation.errors import LLMFailure
from advisor.generation.prompts import load_prompt, system_prompt
from advisor.generation.providers import Provider
from advisor.generation.sources import format_sources
from advisor.generation.structured import generate_json
from advisor.planning.context import PlanContext, merge_hits, template_summary
from advisor.planning.picks import BuiltSection, Pick
from advisor.planning.profile import profile_sentence, profile_texts
from advisor.planning.sections import HORIZONS, SectionSpec
from advisor.qa.sentences import short_title
from advisor.text import count_tokens, squash
from advisor.types import Hit, PlanSection, Verification
from advisor.verify.citations import Verifier, support, unsupported_numbers
from advisor.verify.recommendations import INJECTION, ItemRules, tidy, verified_items

log = logging.getLogger(__name__)


MAX_TOKENS = 600


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


class Unverified(LLMFailure):
    """The model answered, but none of its recommendations survived verification."""

    def __init__(self, stats: Verification, text: str, summary: str = "") -> None:
        super().__init__("garbage", "大模型输出未通过引用核验", "no recommendation survived", text)
        self.stats = stats
        self.summary = summary  # the model's summary when it passed its own checks, else ""


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
    provider: Provider, system: str, values: dict[str, str], given: list[Hit], focus: str
) -> tuple[list[Hit], str]:
    """The sources and the rendered prompt within the provider's prompt budget (tiktoken cl100k, which
    counts Chinese more heavily than Qwen's tokenizer): 4 sources, else 3, excerpts shrunk to fit."""
    prompt = load_prompt("plan_section")
    budget = provider.budget.plan_prompt_tokens
    overhead = count_tokens(system) + count_tokens(prompt.render(sources="", **values))
    user = ""
    for n in sorted({len(given), min(len(given), 3)}, reverse=True):
        shown = given[:n]
        per = min(provider.budget.source_tokens, (budget - overhead) // max(1, n) - 45)
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


def summary_ok(text: str, sources: list[str], profile: list[str]) -> bool:
    if not text or len(text) > 400 or INJECTION.search(text):
        return False
    if unsupported_numbers(text, [*sources, *profile]):
        return False
    return support(text, "\n".join([*sources, *profile])) >= 0.3


def name_subject(text: str, ctx: PlanContext) -> str:
    if ctx.subject in text:
        return text
    name = ctx.place.name
    if text.startswith(name):
        return ctx.subject + text[len(name) :]
    if text.startswith(ctx.place.short):
        return ctx.subject + text[len(ctx.place.short) :]
    return f"{ctx.subject}：{text}"


def model_summary(data: dict[str, Any], ctx: PlanContext, given: list[Hit], profile: list[str]) -> str:
    """The model's section summary, named for the city, or "" when it fails the summary checks."""
    summary = tidy(str(data.get("summary") or ""))
    # a source carrying an instruction to the model is evidence of nothing the model then writes
    trusted = [h.text for h in given if not INJECTION.search(h.text)]
    if not summary_ok(summary, trusted, profile):
        return ""
    return name_subject(summary, ctx)


def model_section(
    provider: Provider,
    ctx: PlanContext,
    spec: SectionSpec,
    picks: list[Pick],
    pool: list[Hit],
    summary_tail: str,
    notes: list[str],
) -> BuiltSection:
    """One constrained call for the section, verified. Raises :class:`LLMFailure` when the call fails or
    nothing survives verification (:class:`Unverified`, which carries the verification counts)."""
    pinned = [p for p in picks if p.topic.pinned]
    given = merge_hits([p.shown or p.hit for p in pinned])
    for h in [*(p.shown or p.hit for p in picks), *pool]:
        if len(given) >= provider.budget.sources:
            break
        if all(h.chunk_id != g.chunk_id for g in given):
            given.append(h)
    system = system_prompt()
    values = {
        "subject": ctx.subject,
        "section": spec.title,
        "focus": spec.focus,
        "profile": profile_sentence(ctx.profile) or "未提供",
        "horizons": "、".join(HORIZONS),
    }
    focus_q = " ".join([spec.focus, *(p.sentence for p in picks)])
    given, user = _fit_prompt(provider, system, values, given, focus_q)
    try:
        gen = generate_json(
            provider.chat_model(),
            [("system", system), ("human", user)],
            PLAN_SCHEMA,
            max_tokens=MAX_TOKENS,
            timeout_s=provider.section_timeout_s,
        )
        data, raw_text, model = gen.data or {}, gen.text, gen.model
    except LLMFailure as exc:
        # a section cut off by the deadline or the token cap keeps the recommendations it completed
        salvaged = _salvage(exc)
        if salvaged is None:
            raise
        data, raw_text, model = salvaged, exc.text, ""
    verifier = Verifier(given)
    facts = profile_texts(ctx.profile)
    default = picks[0].topic
    rules = ItemRules(
        quote_from_model=False,
        strict=True,
        extra_sources=tuple(facts),
        default_actor=default.actor,
        default_horizon=default.horizon,
        horizons=HORIZONS,
    )
    recs = verified_items(data.get("recommendations"), verifier, rules)
    summary = model_summary(data, ctx, given, facts)
    if not recs:
        raise Unverified(verifier.stats, raw_text, summary)
    quoted = [squash(c.quote) for c in verifier.citations if any(c.n in r.citations for r in recs)]
    # The section's evidence the model left out (the province quote, local rules, …) is kept as the
    # extractive recommendation, so a model section never covers less than the extractive one.
    for p in picks:
        mine = squash(p.sentence)
        if any(q in mine or mine in q for q in quoted):
            continue
        if all(h.chunk_id != p.hit.chunk_id for h in verifier.hits):
            verifier.hits.append(p.hit)
        n = verifier.cite_hit(p.hit, p.sentence)
        recs.append(p.recommendation(n))
    summary = summary or name_subject(template_summary(ctx, spec), ctx)
    if summary_tail:
        summary = f"{summary}{summary_tail}"
    kept = [r for r in recs if verifier.check_claim(r)]
    cites = verifier.used(kept)
    section = PlanSection(key=spec.key, title=spec.title, summary=summary, recommendations=kept, notes=notes)
    return BuiltSection(section, cites, verifier.stats, model or provider.label)
