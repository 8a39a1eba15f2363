"""City → draft ``Plan``: seven sections following the report, every recommendation cited and verified.

Extractive first, always (:func:`prepare_draft`, about a second): for each section (definitions in
:mod:`advisor.planning.sections`, tailored to the profile by :mod:`advisor.planning.tailor`):

1. **Retrieve**: the section's queries (with the city and province filled in) and one query per topic,
   scoped by metadata — the report, national rules, the city's or province's own documents, or the
   report's passage on the city's province (the quotes of report §1.2).
2. **Extractive section** (:mod:`advisor.planning.picks`): each topic takes the best verbatim sentence
   not cited before in the plan, rewritten as the city's action; the quote goes in the citation.
3. **对标借鉴** (:mod:`advisor.planning.peers`): peer regions' measures for the key tasks, labelled.

Then, with a model (:func:`draft_plan` → :mod:`advisor.planning.refine`), sections are refined most
important first within a time budget; a refinement replaces a section only after verification, and a
late or failed one leaves the extractive section (the event goes to ``Plan.log``, never into the text).

The plan never states facts about the city beyond the user's profile (marked 「据本市提供的概况」); a
fact it would need and lacks becomes a 待补充 note, listed once. Citations are renumbered globally.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from advisor.generation.providers import Provider
from advisor.index.snapshot import Snapshot
from advisor.places.cities import CityError, resolve_city
from advisor.planning.context import (
    REPORT_LEVEL,
    PlanContext,
    allowed_docs,
    local_docs,
    parent_city,
    subject_of,
    template_summary,
)
from advisor.planning.draft import PlanDraft, SectionState
from advisor.planning.peers import peer_section
from advisor.planning.picks import Pick, extractive_picks, extractive_section, province_passage, section_pool
from advisor.planning.profile import (
    PROFILE_LABELS,
    CityProfile,
    missing_facts,
    profile_from_dict,
    profile_sentence,
)
from advisor.planning.refine import SECTION_FALLBACK, Update, refine_plan
from advisor.planning.sections import SECTIONS, SectionSpec
from advisor.planning.tailor import section_title
from advisor.qa.sentences import short_title
from advisor.retrieval.hybrid import Retriever
from advisor.text import squash
from advisor.types import Plan
from advisor.verify.citations import unsupported_numbers

Progress = Callable[[int, int, str], None]


# sections choose their quotes in this order: a quote cited once is not cited again, and the key
# tasks and the industry chain must keep the report's own sentences on them
PICK_ORDER = ("tasks", "chain", "situation", "safeguards", "roadmap", "strategy", "roles")


def _profile(profile: dict[str, Any] | CityProfile | None) -> CityProfile | None:
    if profile is None:
        return None
    if isinstance(profile, CityProfile):
        return profile
    return profile_from_dict(profile)


def _section_extras(
    ctx: PlanContext, spec: SectionSpec, picks: list[Pick], lib: Retriever
) -> tuple[str, list[str]]:
    """Sentences appended to the summary, and the section's 待补充 notes (each listed once in a plan)."""
    tail: list[str] = []
    missing = set(missing_facts(ctx.profile))
    notes = [_missing_note(f).removeprefix("待补充：") for f in spec.facts if _missing_note(f) in missing]
    p = ctx.place
    if spec.key == "situation":
        if any(k.topic.scope == "province_quote" for k in picks):
            tail.append(f"报告在论述产业升级机遇时列举了{p.province}的“十四五”部署，本市规划应与之衔接。")
        elif ctx.local_docs:
            tail.append(f"报告未专门论及{p.province}，本节依据报告的全国性判断，并衔接本省法规。")
        else:
            tail.append(f"报告未专门论及{p.province}，本节依据报告的全国性判断。")
            notes.append(f"{p.province}数字经济和人工智能相关规划的要点（报告未论及，资料库未收录）")
    if spec.key == "safeguards":
        titles = [f"《{short_title(lib.snapshot.docs[d].title)}》" for d in ctx.local_docs]
        if titles:
            tail.append(f"本地适用的地方性法规有{'、'.join(titles)}，相关措施应依其执行。")
        else:
            notes.append(f"本市及{p.province}人工智能、数字经济方面的地方性法规和政策文件（资料库未收录）")
    profile = profile_sentence(ctx.profile, spec.facts)
    if profile:
        tail.append(profile)
    fresh = [n for n in notes if n not in ctx.noted]
    ctx.noted.update(fresh)
    return "".join(tail), fresh


@cache
def _missing_note(fact: str) -> str:
    """The 待补充 note :func:`~advisor.planning.profile.missing_facts` gives for one empty profile field."""
    others = CityProfile(**{f: ["-"] for f in PROFILE_LABELS if f != fact})
    found = missing_facts(others)
    return found[0] if found else ""


def prepare_draft(
    lib: Retriever,
    provider: Provider,
    city: str,
    profile: dict[str, Any] | CityProfile | None = None,
    progress: Progress | None = None,
) -> PlanDraft:
    """The verified extractive draft of ``city``'s plan (about a second). Raises
    :class:`~advisor.places.cities.CityError` (a ValueError) for an unknown or ambiguous name and
    :class:`~advisor.planning.profile.ProfileError` for an invalid profile."""
    t0 = time.perf_counter()
    notes: list[str] = []
    try:
        match = resolve_city(city, prefer_cities=True)
    except CityError as exc:  # a county (朝阳县): the plan is its prefecture-level city's
        if len(exc.candidates) != 1 or "县级行政区" not in str(exc):
            raise
        match = resolve_city(exc.candidates[0], prefer_cities=True)
        notes.append(
            f"{city.strip()}是{match.name}下辖的县：本草案按{match.name}起草，县级方案请结合本县实际调整。"
        )
    prof = _profile(profile)
    place = match
    if match.level == "district":
        place = parent_city(match)
        notes.append(
            f"{match.name}是{place.name}的市辖区：本草案按{place.name}起草，区级方案请结合本区实际调整。"
        )
    snap = lib.snapshot
    ctx = PlanContext(
        place=place,
        subject=subject_of(place),
        profile=prof,
        local_docs=local_docs(lib, place),
        report_docs=[d for d, m in snap.docs.items() if m.level == REPORT_LEVEL],
        allowed=allowed_docs(lib, place),
    )
    states: dict[str, SectionState] = {}
    timings: dict[str, float] = {}
    # the key sections pick first, so they keep the best quotes (no quote is used twice in a plan)
    order = sorted(
        SECTIONS, key=lambda s: PICK_ORDER.index(s.key) if s.key in PICK_ORDER else len(PICK_ORDER)
    )
    for i, spec in enumerate(order, start=1):
        ts = time.perf_counter()
        pool = section_pool(lib, ctx, spec)
        picks = extractive_picks(lib, ctx, spec, pool)
        tail, sec_notes = _section_extras(ctx, spec, picks, lib)
        title = section_title(spec, prof)
        built = extractive_section(picks, spec, template_summary(ctx, spec) + tail, sec_notes, ctx, title)
        if not built.section.recommendations:
            built.section.notes.append("本节要点（资料库中未检索到可引用的依据）")
        for c in built.citations:
            ctx.used.add(squash(c.quote))
        if spec.key == "tasks":
            peer_section(lib, ctx, built)
        states[spec.key] = SectionState(spec, picks, built)
        timings[f"{spec.key}_s"] = round(time.perf_counter() - ts, 3)
        if progress is not None:
            progress(i, len(SECTIONS), title)
    sections = [states[s.key] for s in SECTIONS]
    notes += [m for m in missing_facts(prof) if m.removeprefix("待补充：") not in ctx.noted]
    notes.append("“推进步骤与指标”只列指标名称，目标值须由本市结合实际测算确定；本草案未设定任何数值目标。")
    timings["extractive_s"] = round(time.perf_counter() - t0, 3)
    return PlanDraft(
        ctx=ctx,
        sections=sections,
        notes=notes,
        provider=provider.name,
        label=provider.label,
        profile=prof.model_dump(exclude_defaults=True) if prof else {},
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        timings=timings,
        started=t0,
    )


def draft_plan(
    lib: Retriever,
    provider: Provider,
    city: str,
    profile: dict[str, Any] | CityProfile | None = None,
    progress: Progress | None = None,
    on_update: Update | None = None,
    budget_s: float | None = None,
) -> Plan:
    """Draft the plan for ``city``: the extractive draft, then (a provider with a model) its sections
    refined within ``budget_s`` seconds, most important first; ``on_update`` gets the plan as first
    drafted and after every refined section. Raises as :func:`prepare_draft`."""
    draft = prepare_draft(lib, provider, city, profile, progress)
    if on_update is not None:
        on_update(draft.plan())
    if provider.uses_model:
        refine_plan(draft, provider, budget_s, on_update)
    draft.timings["total_s"] = round(time.perf_counter() - draft.started, 3)
    return draft.plan()


def plan_numbers_unsupported(plan: Plan, snapshot: Snapshot) -> set[str]:
    """Numbers in the plan's own text (title, summaries, recommendations, notes) that occur neither in
    the cited chunks nor in the profile — should always be empty."""
    texts = [plan.title, *plan.notes]
    for s in plan.sections:
        texts += [s.title, s.summary, *s.notes]
        texts += [f"{r.title} {r.detail} {r.actor}" for r in [*s.recommendations, *s.peers]]
    sources = [snapshot.chunks[c.chunk_id].text for c in plan.citations if c.chunk_id in snapshot.chunks]
    # the title of a corpus document the plan names (《…（2024-2026年）》) is a name, not a figure
    sources += [f"《{short_title(d.title)}》" for d in snapshot.docs.values()]
    sources += [str(v) for v in plan.profile.values()]
    return unsupported_numbers("\n".join(texts), sources)


__all__ = ["SECTION_FALLBACK", "draft_plan", "plan_numbers_unsupported", "prepare_draft", "province_passage"]
