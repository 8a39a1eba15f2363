"""Who carries a plan's item. An implementation plan closes each item with the bodies that carry it, in
brackets (…促进数字人才资源顺畅有序流动。（市科委中关村管委会、市教委、市人力资源社会保障局）); the note
shares no word with a question asking which bodies are responsible for the item, so sentence ranking
never picks it. Asked who acts, an answer quotes it from wherever the head's item ends."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.retrieval.bodies import BODY, asks_body
from advisor.types import Hit

# （市教委、市人力资源社会保障局）, （责任单位：各区政府）: a bracket at a paragraph's end, every part
# of which names a body (BODY)
_NOTE = re.compile(r"[（(](?:(?:责任|牵头|负责|配合)单位[：:])?([^（）()]{2,120})[）)]\s*$")
_WHICH_BODIES = re.compile(r"哪几个?(?:部门|单位|机构)")  # … or which of them (由哪几个部门负责)
FOLLOWED = 3  # chunks read on past the head's for the end of its item
CARRIERS_TITLE = "负责单位"  # the point's label


def carriers_note(hit: Hit, sentence: str, snapshot: Snapshot | None) -> tuple[Hit, str] | None:
    """The note of bodies that closes the paragraph of ``sentence`` (in ``hit`` or the document's next
    chunks), with the chunk it is quoted from; None when the paragraph ends without one."""
    at = hit.text.find(sentence)
    if at < 0:
        return None
    end = hit.text.find("\n", at + len(sentence))
    if end >= 0 or snapshot is None:
        return _note(hit, hit.text[at : end if end >= 0 else len(hit.text)])
    start = int(hit.meta.get("start", -1))
    for rec in [c for c in snapshot.chunks_of(hit.doc_id) if c.start > start][:FOLLOWED]:
        line_end = rec.text.find("\n")
        if line_end >= 0:  # the item ends in this chunk's first line
            return _note(snapshot.hit(rec.chunk_id), rec.text[:line_end])
    return None


def _note(hit: Hit, paragraph: str) -> tuple[Hit, str] | None:
    m = _NOTE.search(paragraph.strip())
    if not m or not all(BODY.search(part) for part in re.split(r"[、，,；;]", m.group(1))):
        return None
    return hit, m.group(0).strip()


def with_carriers(
    question: str, points: list[tuple[Hit, str, str]], snapshot: Snapshot | None
) -> list[tuple[Hit, str, str]]:
    """``points`` (the head first) with, when the question asks which body acts, the head item's note of
    bodies right after the head."""
    if not points or not (asks_body(question) or _WHICH_BODIES.search(question)):
        return points
    hit, head, _ = points[0]
    found = carriers_note(hit, head, snapshot)
    if found is None or any(found[1] in s for _, s, _ in points):
        return points
    return [points[0], (found[0], found[1], CARRIERS_TITLE), *points[1:]]
