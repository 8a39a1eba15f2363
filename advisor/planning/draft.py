"""A plan while it is being drafted: every section as currently shown (extractive first, replaced by a
verified model refinement when one arrives), and the plan assembled from them at any moment — so the UI
can show the extractive draft at once and every refined section as it lands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from advisor.planning.context import PlanContext
from advisor.planning.picks import BuiltSection, Pick
from advisor.planning.sections import SectionSpec
from advisor.text import squash
from advisor.types import Citation, Plan, Verification

EXTRACTIVE_LABEL = "抽取式"


@dataclass
class SectionState:
    """One section: its spec, the extractive picks behind it, and what is shown now."""

    spec: SectionSpec
    picks: list[Pick]
    built: BuiltSection
    model: str = ""  # the model that wrote the shown recommendations ("" = extraction)


def add_stats(total: Verification, part: Verification) -> None:
    for name in Verification.model_fields:
        setattr(total, name, getattr(total, name) + getattr(part, name))


class _Numbering:
    """Global citation numbers across sections; the same chunk and quote keep one number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._index: dict[tuple[str, str], int] = {}

    def add(self, built: BuiltSection) -> BuiltSection:
        """A copy of ``built`` whose recommendations (and peers) cite global numbers."""
        section = built.section.model_copy(deep=True)
        remap: dict[int, int] = {}
        for c in built.citations:
            key = (c.chunk_id, squash(c.quote))
            if key not in self._index:
                self._index[key] = len(self.citations) + 1
                self.citations.append(c.model_copy(update={"n": self._index[key]}))
            remap[c.n] = self._index[key]
        for rec in [*section.recommendations, *section.peers]:
            rec.citations = [remap[n] for n in rec.citations if n in remap]
        return BuiltSection(section, built.citations, built.stats, built.model)


@dataclass
class PlanDraft:
    ctx: PlanContext
    sections: list[SectionState]
    notes: list[str]
    provider: str
    label: str
    profile: dict[str, Any]
    created: str
    timings: dict[str, float]
    started: float
    log: list[str] = field(default_factory=list)
    refinement_stats: Verification = field(default_factory=Verification)

    def section(self, key: str) -> SectionState | None:
        return next((s for s in self.sections if s.spec.key == key), None)

    def model(self) -> str:
        """The model that wrote part of the plan, or "" when extraction wrote all of it."""
        return next((s.model for s in self.sections if s.model), "")

    def plan(self) -> Plan:
        """The plan as it stands now."""
        numbering = _Numbering()
        stats = self.refinement_stats.model_copy()
        sections = []
        for state in self.sections:
            numbered = numbering.add(state.built)
            add_stats(stats, state.built.stats)
            sections.append(numbered.section)
        place = self.ctx.place
        model = self.model()
        return Plan(
            city=place.name,
            province=place.province,
            title=f"{place.name}人工智能产业培育方案（草案）",
            sections=sections,
            citations=numbering.citations,
            notes=list(self.notes),
            provider=self.provider if model else "extractive",
            model=model or EXTRACTIVE_LABEL,
            profile=dict(self.profile),
            created=self.created,
            timings=dict(self.timings),
            verification=stats,
            log=list(self.log),
        )


__all__ = ["EXTRACTIVE_LABEL", "PlanDraft", "SectionState", "add_stats"]
