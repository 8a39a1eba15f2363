"""The items of an enumeration. Laws and plans introduce a list with a lead-in ending in a colon
("履行下列职责：", "主要用于下列事项：") and put one item per paragraph after it, sometimes across the next
chunk. A list question answered with the lead-in alone names no item; this finds the items, verbatim.
"""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.types import Hit

MAX_ITEMS = 12
# A sentence that announces a list: it ends in a colon.
_LEAD_IN = re.compile(r"[：:]\s*$")
_MARKER = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.、．)）](?!\d)|[①-⑳])"
)
_NEW_UNIT = re.compile(r"^\s*(?:#|第[一二三四五六七八九十百零]+[条章节])")
_PARAGRAPH = re.compile(r"[^\n]+")


def is_lead_in(sentence: str) -> bool:
    return bool(_LEAD_IN.search(sentence))


def _items_in(text: str, start: int) -> tuple[list[str], bool]:
    """(the item paragraphs of ``text`` from ``start``, whether the list may go on past the text)."""
    items: list[str] = []
    for m in _PARAGRAPH.finditer(text, start):
        para = m.group(0).strip()
        if not para:
            continue
        if _NEW_UNIT.match(para):
            return items, False
        marked = bool(_MARKER.match(para))
        if marked or para.endswith(("；", ";")):
            items.append(para)
            continue
        if not items and para.endswith(("。", "；")):  # an unmarked single item
            items.append(para)
        return items, False
    return items, True


def items_after(
    hit: Hit, sentence: str, snapshot: Snapshot | None, limit: int = MAX_ITEMS
) -> list[tuple[Hit, str]]:
    """The items that follow the lead-in ``sentence`` of ``hit``, each with the chunk it is quoted from:
    paragraphs that carry an enumeration marker or end in a semicolon, up to the next article, heading
    or plain paragraph, continuing into the document's next chunks while the list goes on."""
    at = hit.text.find(sentence)
    if at < 0 or not is_lead_in(sentence):
        return []
    found, more = _items_in(hit.text, at + len(sentence))
    out = [(hit, item) for item in found]
    if more and snapshot is not None:
        following = [c for c in snapshot.chunks_of(hit.doc_id) if c.start > int(hit.meta.get("start", -1))]
        for rec in following[:3]:
            seen = {item for _, item in out}
            found, more = _items_in(rec.text, 0)
            nxt = snapshot.hit(rec.chunk_id)
            out += [(nxt, item) for item in found if item not in seen]
            if not more:
                break
    return out[:limit]
