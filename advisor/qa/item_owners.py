"""Who carries out a plan's item: implementation plans end each item with its bodies in brackets
(…加大数字领域博士后人才培养力度。（市教委、市人力资源社会保障局）, or 牵头单位：…). Asked who is
responsible for an item, that bracket answers; the item's first sentence only says what it is."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.retrieval.asks import asks_who
from advisor.types import Hit

_BODY = r"[^（）()\n]{1,30}?(?:局|委|厅|办|部|署|院|会|中心|政府|办公室|小组|集团)"
# a bracket of bodies that ends a paragraph, with or without a label (牵头单位：…；责任单位：…)
_OWNERS = re.compile(
    rf"[（(](?:(?:牵头|责任|配合|主责)(?:单位|部门)?[：:])?{_BODY}(?:[、，,；;]\s*(?:(?:牵头|责任|配合)(?:单位|部门)?[：:])?{_BODY})*[)）]\s*$"
)
_ASKS_OWNER = re.compile(r"责任单位|牵头单位|负责单位|配合单位|牵头部门|责任部门|由谁|谁来|谁负责|谁牵头")


def item_owners(question: str, hit: Hit, head: str, snapshot: Snapshot | None) -> tuple[Hit, str] | None:
    """The bracket of bodies that ends the paragraph holding ``head`` in ``hit`` (read on into the chunks
    that continue it), verbatim with its own chunk, when the question asks who; None otherwise."""
    if not (asks_who(question) or _ASKS_OWNER.search(question)):
        return None
    at = hit.text.find(head)
    if at < 0:
        return None
    for piece in [hit, *_continuing(hit, snapshot)]:
        end = piece.text.find("\n", at)
        m = _OWNERS.search(piece.text[at : end if end >= 0 else len(piece.text)].rstrip())
        if m:
            return piece, m.group(0).strip()
        if end >= 0:
            return None
        at = 0  # the paragraph goes on at the start of the next chunk
    return None


CONTINUED = 2  # chunks a paragraph is read on into


def _continuing(hit: Hit, snapshot: Snapshot | None) -> list[Hit]:
    """The chunks that follow ``hit`` in its document without a gap, in order."""
    rec = snapshot.chunks.get(hit.chunk_id) if snapshot is not None else None
    if rec is None or snapshot is None:
        return []
    out: list[Hit] = []
    end = rec.end
    for nxt in snapshot.chunks_of(rec.doc_id):
        if nxt.start == end and len(out) < CONTINUED:
            out.append(snapshot.hit(nxt.chunk_id))
            end = nxt.end
    return out
