"""What the corpus covers: document counts per region and level, so a user sees which regions a
comparison can fill before trusting it (an empty column may only mean the texts are missing); and the
English words of a topic the texts never say."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from advisor.index.keyword import KeywordIndex
from advisor.render.compare_types import NATIONAL
from advisor.retrieval import dictionary, glossary
from advisor.types import DocumentMeta, document_status

LEVEL_ORDER = ("national", "provincial", "city", "county", "think-tank", "user", "unknown")


class CoverageRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    region: str = Field(description="Front matter region; 未标注 when a document has none.")
    level: str
    documents: int
    in_force: int = Field(description="Documents not expired or superseded.")
    titles: list[str] = Field(default_factory=list)


def coverage(docs: Iterable[DocumentMeta], today: str = "") -> list[CoverageRow]:
    """One row per (region, level), national first, then by level and region."""
    groups: dict[tuple[str, str], list[DocumentMeta]] = {}
    for d in docs:
        groups.setdefault((d.region or "未标注", d.level or "unknown"), []).append(d)
    rows = [
        CoverageRow(
            region=region,
            level=level,
            documents=len(items),
            in_force=sum(1 for d in items if document_status(d.status, d.valid_until, today) == "current"),
            titles=sorted(d.title for d in items),
        )
        for (region, level), items in groups.items()
    ]
    order = {lvl: i for i, lvl in enumerate(LEVEL_ORDER)}
    return sorted(rows, key=lambda r: (r.region != NATIONAL, order.get(r.level, len(order)), r.region))


def unread_words(topic: str, keyword: KeywordIndex) -> list[str]:
    """The English words of a topic that neither the glossary nor the dictionary puts in the texts'
    words (sandbox): its cells are searched without them, and the user should know."""
    if not glossary.has_english(topic):
        return []
    return [w for w in glossary.untranslated_words(topic) if not dictionary.known_renderings(w, keyword)]
