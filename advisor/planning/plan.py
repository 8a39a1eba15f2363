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

import time
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from advisor.generation.errors import FALLBACK, LLMFailure
from advisor.generation.providers import Provider
from advisor.index.snapshot import Snapshot
from advisor.places.cities import resolve_city
from advisor.planning.context import (
    REPORT_LEVEL,
    PlanContext,
    allowed_docs,
    local_docs,
    parent_city,
    subject_of,
    template_summary,
)
from advisor.planning.model_section import Unverified, model_section
from advisor.planning.picks import (
    BuiltSection,
    Pick,
    extractive_picks,
    extractive_section,
    province_passage,
    section_pool,
)
from advisor.planning.profile import (
    PROFILE_LABELS,
    CityProfile,
    missing_facts,
    profile_from_dict,
    profile_sentence,
)
from advisor.planning.sections import SECTIONS, SectionSpec
from advisor.qa.sentences import short_title
from advisor.retrieval.hybrid import Retriever
from advisor.text import squash
from advisor.types import Citation, Plan, PlanSection, Verification
from advisor.verify.citations import unsupported_numbers

Progress = Callable[[int, int, str], None]


SECTION_FALLBACK = "本节改用抽取式内容。"  # ends the plan note of a section whose model output was not used


ITEMS_FALLBACK = "建议条目改用抽取式内容，本节概述由大模型撰写。"


def _profile(profile: dict[str, Any] | CityProfile | None) -> CityProfile | None:
    if profile is None:
        return None
    if isinstance(profile, CityProfile):
        return profile
    return profile_from_dict(profile)


def _section_extras(
    ctx: PlanContext, spec: SectionSpec, picks: list[Pick], lib: Retriever
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
        titles = [f"《{short_title(lib.snapshot.docs[d].title)}》" for d in ctx.local_docs]
        if titles:
            tail.append(f"本地适用的地方性法规有{'、'.join(titles)}，相关措施应依其执行。")
        else:
            notes.append(f"本市及{p.province}人工智能、数字经济方面的地方性法规和政策文件（资料库未收录）")
    profile = profile_sentence(ctx.profile, spec.facts)
    if profile:
        tail.append(profile)
    return "".join(tail), notes


@cache
def _missing_note(fact: str) -> str:
    """The 待补充 note :func:`~advisor.places.cities.missing_facts` gives for one empty profile field."""
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

    def add(self, built: BuiltSection) -> None:
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
    lib: Retriever,
    provider: Provider,
    city: str,
    profile: dict[str, Any] | CityProfile | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Draft the plan for ``city``. Raises :class:`~advisor.places.cities.CityError` (a ValueError) for an
    unknown or ambiguous name and :class:`~advisor.places.cities.ProfileError` for an invalid profile."""
    t0 = time.perf_counter()
    match = resolve_city(city, prefer_cities=True)
    prof = _profile(profile)
    chosen = provider.name
    notes: list[str] = []
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
    numbering = _Numbering()
    stats = Verification()
    sections: list[PlanSection] = []
    timings: dict[str, float] = {}
    model = "" if provider.uses_model else "extractive"
    fallbacks: list[str] = []
    for i, spec in enumerate(SECTIONS, start=1):
        ts = time.perf_counter()
        pool = section_pool(lib, ctx, spec)
        picks = extractive_picks(lib, ctx, spec, pool)
        tail, sec_notes = _section_extras(ctx, spec, picks, lib)
        built: BuiltSection | None = None
        if provider.uses_model and picks:
            try:
                built = model_section(provider, ctx, spec, picks, pool, tail, list(sec_notes))
                model = model or built.model
            except Unverified as exc:
                _add_stats(stats, exc.stats)
                if exc.summary:  # the verified summary stays; the items come from the extractive picks
                    model = model or provider.label
                    built = extractive_section(picks, spec, exc.summary + tail, list(sec_notes))
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
            built = extractive_section(picks, spec, template_summary(ctx, spec) + tail, list(sec_notes))
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
        model=model or provider.label,
        profile=prof.model_dump(exclude_defaults=True) if prof else {},
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        timings=timings,
        verification=stats,
    )


def plan_numbers_unsupported(plan: Plan, snapshot: Snapshot) -> set[str]:
    """Numbers in the plan's own text (title, summaries, recommendations, notes) that occur neither in
    the cited chunks nor in the profile — should always be empty."""
    # notices about the drafting itself (a section's model call timed out …) are not content
    texts = [plan.title, *(n for n in plan.notes if not n.endswith(SECTION_FALLBACK))]
    for s in plan.sections:
        texts += [s.summary, *s.notes, *(f"{r.title} {r.detail} {r.actor}" for r in s.recommendations)]
    sources = [snapshot.chunks[c.chunk_id].text for c in plan.citations if c.chunk_id in snapshot.chunks]
    # the title of a corpus document the plan names (《…（2024-2026年）》) is a name, not a figure
    sources += [f"《{short_title(d.title)}》" for d in snapshot.docs.values()]
    sources += [str(v) for v in plan.profile.values()]
    return unsupported_numbers("\n".join(texts), sources)


__all__ = ["ITEMS_FALLBACK", "SECTION_FALLBACK", "draft_plan", "plan_numbers_unsupported", "province_passage"]
