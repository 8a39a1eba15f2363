"""Who carries out a plan's item (:mod:`advisor.retrieval.owners`): asked who is responsible for an item,
the bracket of bodies closing its paragraph answers; the item's first sentence only says what it is."""

from __future__ import annotations

from advisor.index.snapshot import Snapshot
from advisor.retrieval.owners import CONTINUED, asks_owner, closing_owners
from advisor.types import Hit


def item_owners(question: str, hit: Hit, head: str, snapshot: Snapshot | None) -> tuple[Hit, str] | None:
    """The bracket of bodies that ends the paragraph holding ``head`` in ``hit`` (read on into the chunks
    that continue it), verbatim with its own chunk, when the question asks who; None otherwise."""
    if not asks_owner(question):
        return None
    return closing_owners(head, [hit, *_continuing(hit, snapshot)])


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
