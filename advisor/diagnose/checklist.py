"""The checklist (``checklist.yaml``, shipped as package data) as validated objects."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

CHECKLIST_FILE = Path(__file__).resolve().parent / "checklist.yaml"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Model):
    doc: str = Field(description="Title of the corpus document, as in its front matter.")
    section: str = Field(description="Section or article, for people.")
    quote: str = Field(description="Verbatim text of the document.")


class Element(_Model):
    id: str
    name: str
    group: str
    description: str
    priority: int = Field(ge=1, le=3)
    keywords: list[str] = Field(description="Words that show the draft addresses the element.")
    strong: list[str] = Field(description="Words specific enough to show it on their own.")
    subject: list[str] = Field(
        default_factory=list,
        description="For an element about one regulated service (生成式人工智能, 算法推荐 …): the words "
        "that name it. A draft that names none of them (nor a strong word) does not address the element, "
        "whatever generic words (备案, 标识, 算法) it uses.",
    )
    actor: str
    horizon: str
    suggestion: str = Field(description="What to add; {city} is replaced by the city's name.")
    peer_topic: str = Field(description="Topic asked of 对标分析 for peer measures.")
    sources: list[Source] = Field(min_length=1)

    @property
    def probe(self) -> str:
        """What the draft's sentences are compared with (dense similarity)."""
        return f"{self.name}。{self.description}"


class Checklist(_Model):
    groups: list[str]
    elements: list[Element]


@cache
def load_checklist(path: Path = CHECKLIST_FILE) -> Checklist:
    """The checklist; a broken file is a packaging error, reported with its path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuntimeError(f"诊断清单 {path} 无法读取：{exc}") from exc
    checklist = Checklist.model_validate(data)
    ids = [e.id for e in checklist.elements]
    if len(ids) != len(set(ids)):
        raise RuntimeError(f"诊断清单 {path} 中有重复的 id")
    unknown = {e.group for e in checklist.elements} - set(checklist.groups)
    if unknown:
        raise RuntimeError(f"诊断清单 {path} 中有未声明的分组：{'、'.join(sorted(unknown))}")
    return checklist
