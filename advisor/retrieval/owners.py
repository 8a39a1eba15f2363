"""The bodies that carry out a plan's item: implementation plans end each item's paragraph with them in
brackets (…加大数字领域博士后人才培养力度。（市教委、市人力资源社会保障局）, or 牵头单位：…). Asked who is
responsible for an item, that bracket answers, though the item's opening sentence names no body."""

from __future__ import annotations

import re

from advisor.retrieval.asks import asks_who
from advisor.retrieval.figures import best_through
from advisor.types import Hit

_BODY = r"[^（）()\n]{1,30}?(?:局|委|厅|办|部|署|院|会|中心|政府|办公室|小组|集团)"
# a bracket of bodies that ends a paragraph, with or without a label (牵头单位：…；责任单位：…)
_OWNERS = re.compile(
    rf"[（(](?:(?:牵头|责任|配合|主责)(?:单位|部门)?[：:])?{_BODY}(?:[、，,；;]\s*(?:(?:牵头|责任|配合)(?:单位|部门)?[：:])?{_BODY})*[)）]\s*$"
)
_ASKS_OWNER = re.compile(r"责任单位|牵头单位|负责单位|配合单位|牵头部门|责任部门|由谁|谁来|谁负责|谁牵头")


def asks_owner(question: str) -> bool:
    """Whether a question asks who is in charge (of an item, a task)."""
    return asks_who(question) or _ASKS_OWNER.search(question) is not None


def closing_owners(head: str, pieces: list[Hit]) -> tuple[Hit, str] | None:
    """The bracket of bodies ending the paragraph that holds ``head`` in ``pieces[0]``, read on into the
    chunks that continue it (``pieces[1:]``, in order), verbatim with the chunk it is in."""
    at = pieces[0].text.find(head) if pieces else -1
    if at < 0:
        return None
    for piece in pieces:
        end = piece.text.find("\n", at)
        m = _OWNERS.search(piece.text[at : end if end >= 0 else len(piece.text)].rstrip())
        if m:
            return piece, m.group(0).strip()
        if end >= 0:
            return None
        at = 0  # the paragraph goes on at the start of the next chunk
    return None


CONTINUED = 2  # chunks a paragraph is read on into


def continuing(hit: Hit, hits: list[Hit]) -> list[Hit]:
    """The retrieved chunks that follow ``hit`` in its document without a gap, in order."""
    out: list[Hit] = []
    end = hit.meta.get("end")
    while end is not None:
        nxt = next((h for h in hits if h.doc_id == hit.doc_id and h.meta.get("start") == end), None)
        if nxt is None or len(out) >= CONTINUED:
            break
        out.append(nxt)
        end = nxt.meta.get("end")
    return out


def answering_sentences(question: str, top: list[Hit], hits: list[Hit]) -> list[str]:
    """Each top passage's sentence that best answers ``question``; asked who is in charge, with the bracket
    of bodies that closes the sentence's paragraph (in a retrieved chunk that continues it)."""
    out = []
    owner_asked = asks_owner(question)
    for h in top:
        best = best_through(question, h.text)
        if not best:
            continue
        out.append(best)
        owners = closing_owners(best, [h, *continuing(h, hits)]) if owner_asked else None
        if owners:
            out.append(owners[1])
    return out
