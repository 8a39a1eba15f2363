"""The 政策诊断 report as data: what :mod:`advisor.diagnose` produces and the diagnosis renderers read.

It lives beside its renderers (not in :mod:`advisor.diagnose`) because renderers are an earlier stage
than the diagnosis and may not import it; it imports only the foundation types.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.types import Citation

Status = Literal["已覆盖", "部分覆盖", "缺失"]
STATUSES: tuple[Status, ...] = ("已覆盖", "部分覆盖", "缺失")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DraftQuote(_Model):
    """A sentence of the user's draft, verbatim, with where it stands."""

    location: str = Field(description="第N条 for an article, else 第N段 (non-empty lines counted from 1).")
    text: str = Field(description="Verbatim text: exactly draft_text[start:end].")
    start: int = Field(description="Character offset in the loaded draft text.")
    end: int


class PeerMeasure(_Model):
    """One measure of another region (from 对标分析), cited as citation ``n``."""

    region: str
    action: str = ""
    title: str
    section: str = ""
    quote: str
    n: int = Field(description="Citation number of the quote.")


class Suggestion(_Model):
    text: str
    actor: str = ""
    horizon: str = ""
    citations: list[int] = Field(default_factory=list)


class DiagnosisItem(_Model):
    """One checklist element and how the draft addresses it."""

    element_id: str
    element: str = Field(description="Element name.")
    group: str
    priority: int = Field(description="1 most important … 3 least.")
    description: str = ""
    status: Status
    score: float = Field(default=0.0, description="Match strength of the best draft sentence (0…1).")
    explanation: str = Field(default="", description="Why this status, in words.")
    draft_quotes: list[DraftQuote] = Field(default_factory=list)
    basis: list[int] = Field(default_factory=list, description="Citation numbers of the corpus basis.")
    suggestions: list[Suggestion] = Field(default_factory=list)
    peers: list[PeerMeasure] = Field(default_factory=list)


class CoverageRow(_Model):
    group: str
    total: int
    covered: int
    partial: int
    missing: int


class DiagnosisSummary(_Model):
    covered: int = 0
    partial: int = 0
    missing: int = 0
    table: list[CoverageRow] = Field(default_factory=list)
    top_gaps: list[str] = Field(default_factory=list, description="element_id of the top five gaps.")


class Diagnosis(_Model):
    """A gap analysis of one draft policy against the checklist; every status explained by quotes."""

    city: str
    province: str = ""
    title: str = Field(description="Report title.")
    draft_title: str
    draft_chars: int = 0
    draft_paragraphs: int = 0
    items: list[DiagnosisItem] = Field(default_factory=list)
    summary: DiagnosisSummary = Field(default_factory=DiagnosisSummary)
    citations: list[Citation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    provider: str = "extractive"
    model: str = ""
    created: str = ""
    added_to_library: bool = False
    timings: dict[str, float] = Field(default_factory=dict)

    def item(self, element_id: str) -> DiagnosisItem:
        for it in self.items:
            if it.element_id == element_id:
                return it
        raise KeyError(element_id)
