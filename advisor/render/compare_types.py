"""The 对标分析 as data: what :mod:`advisor.compare` produces and the comparison renderers read.

It lives beside its renderers (not in :mod:`advisor.compare`) because renderers are an earlier stage
than the comparison and may not import it; it imports only the foundation types.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.types import Citation

MeasureStatus = Literal["current", "expired", "superseded"]
EMPTY_CELL = "资料库中未检索到该地区的相关条款"
NATIONAL = "全国"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Measure(_Model):
    """One concrete measure of one region on one topic: a short action phrase and the verbatim quote of
    that region's own document that states it."""

    region: str = Field(description="Region as in the corpus front matter: 河南省, 深圳市, 全国.")
    topic: str
    action: str = Field(description="Short action phrase taken from the quote (not itself a quote).")
    quote: str = Field(description="Verbatim span of the chunk `chunk_id`.")
    doc_id: str
    title: str
    section: str = Field(default="", description="Heading breadcrumb, e.g. 第三章 > 第十二条.")
    article: str = Field(default="", description="The article or section the quote is in, e.g. 第十二条.")
    date: str = ""
    issuer: str = ""
    level: str = ""
    status: MeasureStatus = "current"
    valid_until: str = ""
    validity: str = Field(default="", description="Shown beside an expired text: 已失效（有效期至…）.")
    chunk_id: str
    score: float = Field(default=0.0, description="How strongly the clause is about the topic.")
    n: int = Field(default=0, description="Citation number in the comparison (0 when not numbered).")


class CompareCell(_Model):
    region: str
    topic: str
    measures: list[Measure] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.measures


class SummaryPoint(_Model):
    """One cited point of the summary (per topic or per region)."""

    scope: Literal["topic", "region"]
    key: str = Field(description="The topic or the region the point is about.")
    text: str
    citations: list[int] = Field(default_factory=list)


class Comparison(_Model):
    regions: list[str]
    topics: list[str]
    cells: list[CompareCell] = Field(default_factory=list)
    topic_summary: list[SummaryPoint] = Field(default_factory=list)
    region_summary: list[SummaryPoint] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="What the user must know, e.g. coverage gaps.")
    provider: str = "extractive"
    created: str = ""
    timings: dict[str, float] = Field(default_factory=dict)

    def cell(self, region: str, topic: str) -> CompareCell:
        for c in self.cells:
            if c.region == region and c.topic == topic:
                return c
        return CompareCell(region=region, topic=topic)

    @property
    def summary(self) -> list[SummaryPoint]:
        return [*self.topic_summary, *self.region_summary]
