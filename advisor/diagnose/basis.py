"""The corpus basis of each checklist element: its quotes found in the chunks of the ingested index."""

from __future__ import annotations

from advisor.diagnose.checklist import Element, Source
from advisor.index.snapshot import Snapshot
from advisor.text import squash
from advisor.types import Citation


def find_source(snapshot: Snapshot, source: Source) -> Citation | None:
    """A citation (n=0) of ``source.quote`` in the chunk of the index that contains it, or None when the
    document is not in the index (a library without it)."""
    want = squash(source.quote)
    for doc_id, meta in snapshot.docs.items():
        if squash(meta.title) != squash(source.doc):
            continue
        for chunk in snapshot.chunks_of(doc_id):
            if want in squash(chunk.text):
                return Citation(
                    n=0,
                    chunk_id=chunk.chunk_id,
                    doc_id=doc_id,
                    title=meta.title,
                    section=chunk.section,
                    quote=_verbatim(chunk.text, source.quote),
                    issuer=meta.issuer,
                    date=meta.date,
                    doc_number=meta.doc_number,
                    level=meta.level,
                )
    return None


def _verbatim(chunk_text: str, quote: str) -> str:
    """The quote as the chunk spells it (the checklist may differ in whitespace only)."""
    if quote in chunk_text:
        return quote
    want = squash(quote)
    for start in range(len(chunk_text)):
        if squash(chunk_text[start : start + 1]) != want[:1]:
            continue
        for end in range(start + len(want), min(len(chunk_text), start + 3 * len(want)) + 1):
            if squash(chunk_text[start:end]) == want:
                return chunk_text[start:end]
    return quote


def element_basis(snapshot: Snapshot, element: Element) -> list[Citation]:
    return [c for c in (find_source(snapshot, s) for s in element.sources) if c is not None]
