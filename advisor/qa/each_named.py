"""A question naming several things and asking what each one is or does (中关村科学城、怀柔科学城、未来科学城
和创新型产业集群示范区各自的定位): each gets the sentence that has it as its subject, the one that opens with
it. The sentences that name all of them together (…为主要平台) match the question's words best and would
otherwise crowd out the ones that say what each does."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.text import sentences
from advisor.types import Hit

_EACH = re.compile(r"各自|分别|各是|各有|各[负承]责")
_CLAUSE = re.compile(r"[，,。？?；;：:]")
_ITEM = re.compile(r"、|以及|和|与|及")
_LABEL = re.compile(r"^(?:第[一二三四五六七八九十百零]+条|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、])\s*")
_SHORTEST, _LONGEST = 3, 16  # a name, not a word (经济 of 经济和信息化部门) or a phrase


def named_items(question: str) -> list[str]:
    """The things the question lists (X、Y和Z) right before it asks what each does; [] unless two or more."""
    for clause in _CLAUSE.split(question):
        m = _EACH.search(clause)
        if not m:
            continue
        items = [i.strip() for i in _ITEM.split(re.sub(r"的$", "", clause[: m.start()]))]
        if len(items) >= 2 and all(
            _SHORTEST <= len(i) <= _LONGEST and not re.search(r"[的对在]", i) for i in items
        ):
            return items
    return []


def _opens_with(sentence: str, item: str) -> bool:
    return _LABEL.sub("", sentence.strip()).startswith(item)


def each_ones_sentence(
    question: str, hits: list[Hit], snapshot: Snapshot, quoted: list[str]
) -> list[tuple[Hit, str]]:
    """For each thing the question lists that no ``quoted`` sentence opens with, the first sentence of the
    retrieved passages (then of their documents) that does, in the question's order."""
    items = named_items(question)
    if not items:
        return []
    out: list[tuple[Hit, str]] = []
    docs = list(dict.fromkeys(h.doc_id for h in hits))
    pool = [*hits, *(snapshot.hit(c.chunk_id) for d in docs for c in snapshot.chunks_of(d))]
    for item in items:
        if any(_opens_with(s, item) for s in quoted):
            continue
        found = next(((h, s) for h in pool for s in sentences(h.text) if _opens_with(s, item)), None)
        if found and all(found[1] != s for _, s in out):
            out.append(found)
    return out
