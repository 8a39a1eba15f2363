"""Model refinement of an extractive plan, within a time budget and never at anyone's expense.

Sections are refined most important first (:data:`PRIORITY`: 重点任务, 推进步骤与指标, …). One small
constrained-JSON call per section shows the model the section's leading recommendations with their
quotes and asks for each to be rewritten as the city's concrete action (actor, horizon, the city's own
assets). A rewrite replaces its extractive recommendation only when it passes verification against that
same quote — the relevance gate: its words must come from the quote (and the city's profile), its
numbers must be in the quote or the profile, no injected instruction. The citation stays the one the
extractive draft chose, so no quote is used twice.

A late or failed call leaves the extractive section as it was; what happened goes to ``Plan.log``
and the section's status, never into the plan's text or exports. With the local model, a section is
skipped while other requests wait in the worker's queue (refining would make them wait longer) or
when the budget left is too short for a call."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from advisor.generation.errors import LLMFailure
from advisor.generation.prompts import load_prompt, system_prompt
from advisor.generation.providers import Provider
from advisor.generation.structured import generate_json
from advisor.planning.actions import strip_excerpt
from advisor.planning.context import PlanContext
from advisor.planning.draft import PlanDraft, SectionState, add_stats
from advisor.planning.profile import profile_sentence, profile_texts
from advisor.planning.sections import HORIZONS
from advisor.qa.sentences import short_title
from advisor.types import Citation, Plan, Recommendation, Verification
from advisor.verify.citations import source_index, source_line, supported, unsupported_numbers
from advisor.verify.recommendations import INJECTION, tidy

log = logging.getLogger(__name__)

Update = Callable[[Plan], None]

PRIORITY = ("tasks", "roadmap", "chain", "strategy", "safeguards", "situation", "roles")
MAX_ITEMS = 2  # recommendations rewritten per section (the leading ones; the profile ordered them)
MAX_TOKENS = 260
QUOTE_CHARS = 100
MIN_SECTION_S = 12.0  # a call given less than this would only time out
BUDGET_S = {"local": 180.0, "openai": 120.0}

SECTION_FALLBACK = "本节保留抽取式内容。"  # ends a Plan.log line of a section the model did not refine


REFINE_SCHEMA: dict[str, Any] = {
    "title": "plan_section_refinement",
    "type": "object",
    "properties": {
        "recommendations": {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_ITEMS,
            "items": {
                "type": "object",
                "properties": {
                    "source": {"type": "integer"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "actor": {"type": "string"},
                    "horizon": {"type": "string", "enum": list(HORIZONS)},
                },
                "required": ["source", "title", "detail", "actor", "horizon"],
            },
        }
    },
    "required": ["recommendations"],
}


def budget_for(provider: Provider, budget_s: float | None) -> float:
    return budget_s if budget_s is not None else BUDGET_S.get(provider.name, 120.0)


def queue_ahead(provider: Provider) -> int:
    """Requests of others in the local model's queue now (0 for a remote model or a test's model). A
    request of this thread still in the worker (a section that timed out, being cancelled) is ours: only
    what is ahead of it counts."""
    if not provider.is_local or provider.injected is not None:
        return 0
    worker = getattr(provider.chat_model(), "worker", None)
    status = getattr(worker, "queue_status", None)
    if status is None:
        return 0
    return int(status(threading.get_ident()).ahead)


def _skip_reason(provider: Provider, left: float) -> str:
    if left < MIN_SECTION_S:
        return "润色时间预算已用完"
    ahead = queue_ahead(provider)
    if ahead:
        return f"本地模型繁忙（队列中还有 {ahead} 个请求），未润色"
    return ""


def _sources(recs: list[Recommendation], cites: dict[int, Citation]) -> str:
    blocks = []
    for i, rec in enumerate(recs, start=1):
        c = cites[rec.citations[0]]
        quote = c.quote if len(c.quote) <= QUOTE_CHARS else c.quote[:QUOTE_CHARS] + "……"
        blocks.append(f"〈资料 key={i}〉《{short_title(c.title)}》{quote}\n初稿措施：{rec.title}〈/资料〉")
    return "\n".join(blocks)


def _salvage(exc: LLMFailure) -> dict[str, Any] | None:
    """The complete items of output cut off by the deadline or the token cap (the last one dropped)."""
    from langchain_core.utils.json import parse_partial_json

    if exc.kind not in ("timeout", "garbage") or "{" not in exc.text:
        return None
    try:
        data = parse_partial_json(exc.text[exc.text.find("{") :])
    except ValueError:
        return None
    items = data.get("recommendations") if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) < 2:
        return None
    done = [r for r in items[:-1] if isinstance(r, dict) and {"source", "title", "detail"} <= r.keys()]
    return {"recommendations": done} if done else None


def check_item(
    raw: object,
    recs: list[Recommendation],
    cites: dict[int, Citation],
    facts: list[str],
    stats: Verification,
) -> tuple[int, Recommendation] | None:
    """(index of the draft recommendation it rewrites, the rewrite) when it passes verification."""
    if not isinstance(raw, dict):
        return None
    stats.citations_checked += 1
    idx = source_index(raw.get("source"), len(recs))
    if idx is None:
        stats.invented_keys_removed += 1
        return None
    old = recs[idx]
    # a title copied from its quote keeps no slide label ("资本介入："); a detail no elision of the prompt
    title = strip_excerpt(tidy(raw.get("title")))[:30]
    detail = tidy(raw.get("detail")).replace("……", "").replace("…", "")[:120]
    cite = cites[old.citations[0]]
    claim = f"{title} {detail}"
    if not title or not detail or INJECTION.search(claim):
        stats.claims_dropped += 1
        return None
    if unsupported_numbers(claim, [cite.quote, source_line(cite), *facts]):
        stats.numbers_rejected += 1
        stats.claims_dropped += 1
        return None
    if not supported(claim, cite.quote) or not supported(title, f"{detail}{cite.quote}"):
        stats.claims_dropped += 1  # the relevance gate: the rewrite must say what its own quote says
        return None
    actor = tidy(raw.get("actor"))[:30]
    if not actor or INJECTION.search(actor) or actor.count("、") >= 2:
        actor = old.actor
    horizon = str(raw.get("horizon") or "")
    return idx, Recommendation(
        title=title,
        detail=detail,
        actor=actor,
        horizon=horizon if horizon in HORIZONS else old.horizon,
        citations=list(old.citations),
    )


def refine_section(
    provider: Provider, ctx: PlanContext, state: SectionState, timeout_s: float
) -> tuple[dict[int, Recommendation], Verification]:
    """One call for the section's leading recommendations; the verified rewrites by position. Raises
    :class:`LLMFailure` when the call fails with nothing complete to keep."""
    section = state.built.section
    cites = {c.n: c for c in state.built.citations}
    recs = [r for r in section.recommendations if len(r.citations) == 1][:MAX_ITEMS]
    values = {
        "subject": ctx.subject,
        "section": section.title,
        "profile": profile_sentence(ctx.profile) or "未提供",
        "sources": _sources(recs, cites),
        "horizons": "、".join(HORIZONS),
    }
    user = load_prompt("plan_section").render(**values)
    try:
        gen = generate_json(
            provider.chat_model(),
            [("system", system_prompt()), ("human", user)],
            REFINE_SCHEMA,
            max_tokens=MAX_TOKENS,
            timeout_s=timeout_s,
        )
        data = gen.data or {}
    except LLMFailure as exc:
        salvaged = _salvage(exc)
        if salvaged is None:
            raise
        data = salvaged
    stats = Verification(keys_given=len(recs))
    facts = [t for t in profile_texts(ctx.profile) if t]
    out: dict[int, Recommendation] = {}
    items = data.get("recommendations") if isinstance(data, dict) else None
    for raw in items if isinstance(items, list) else []:
        checked = check_item(raw, recs, cites, facts, stats)
        if checked is not None and checked[0] not in out:
            out[checked[0]] = checked[1]
    positions = {id(r): i for i, r in enumerate(section.recommendations)}
    return {positions[id(recs[i])]: rec for i, rec in out.items()}, stats


_active = 0
_active_lock = threading.Lock()


def refine_plan(
    draft: PlanDraft, provider: Provider, budget_s: float | None = None, on_update: Update | None = None
) -> None:
    """Refine ``draft``'s sections in :data:`PRIORITY` order within the budget (see the module)."""
    global _active
    budget = budget_for(provider, budget_s)
    start = time.perf_counter()
    with _active_lock:
        _active += 1
        others = _active - 1
    try:
        for key in PRIORITY:
            state = draft.section(key)
            if state is None or not state.built.section.recommendations:
                continue
            section = state.built.section
            left = budget - (time.perf_counter() - start)
            reason = _skip_reason(provider, left)
            if not reason and others and provider.is_local and provider.injected is None:
                reason = "另一份方案正在使用本地模型，未润色"
            if reason:
                section.status = f"抽取式（{reason}）"
                draft.log.append(f"“{section.title}”一节：{reason}，{SECTION_FALLBACK}")
                continue
            t = time.perf_counter()
            try:
                rewrites, stats = refine_section(
                    provider, draft.ctx, state, min(provider.section_timeout_s, left)
                )
            except LLMFailure as exc:
                what = "超时" if exc.kind == "timeout" else "出错"
                section.status = f"抽取式（大模型润色{what}）"
                draft.log.append(f"“{section.title}”一节：{exc.notice}，{SECTION_FALLBACK}")
                log.info("plan section %s not refined: %s", key, exc)
                continue
            except Exception as exc:  # never let a provider bug lose the plan
                section.status = "抽取式（大模型调用出错）"
                draft.log.append(
                    f"“{section.title}”一节：大模型调用出错（{type(exc).__name__}），{SECTION_FALLBACK}"
                )
                log.warning("plan section %s: %s", key, exc, exc_info=True)
                continue
            add_stats(draft.refinement_stats, stats)
            draft.timings[f"{key}_refine_s"] = round(time.perf_counter() - t, 3)
            if not rewrites:
                section.status = "抽取式（大模型改写未通过引用核验）"
                draft.log.append(f"“{section.title}”一节：大模型改写未通过引用核验，{SECTION_FALLBACK}")
                continue
            for i, rec in rewrites.items():
                section.recommendations[i] = rec
            state.model = provider.label
            section.written_by = "model"
            section.status = (
                f"大模型润色 {len(rewrites)}/{len(section.recommendations)} 条（已核验），其余为抽取式"
            )
            if on_update is not None:
                on_update(draft.plan())
    finally:
        with _active_lock:
            _active -= 1
    draft.timings["refine_s"] = round(time.perf_counter() - start, 3)


__all__ = ["BUDGET_S", "PRIORITY", "SECTION_FALLBACK", "Update", "refine_plan", "refine_section"]
