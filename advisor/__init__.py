"""区域AI产业顾问 — an offline, cited RAG advisor for regional AI-industry policy."""

from advisor.settings import Settings
from advisor.types import (
    Answer,
    Chunk,
    Citation,
    Document,
    Hit,
    IngestReport,
    Plan,
    PlanSection,
    Recommendation,
)

__all__ = [
    "Advisor",
    "Answer",
    "Chunk",
    "Citation",
    "Document",
    "Hit",
    "IngestReport",
    "Plan",
    "PlanSection",
    "Recommendation",
    "Settings",
]


def __getattr__(name: str) -> object:
    if name == "Advisor":
        from advisor.service import Advisor

        return Advisor
    raise AttributeError(name)
