"""Peer measures for a gap: what other regions' texts do about the element's topic (对标分析).

Only measures whose quote is verbatim in its chunk of the current index and whose document is still
in force are used; the city's own region and its province are excluded (they are not peers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from advisor.compare import peer_measures
from advisor.retrieval.hybrid import Retriever
from advisor.text import squash
from advisor.types import Citation

# (topic, limit) → [(citation with n=0, region, action)]
PeerFinder = Callable[[str, int], list[tuple[Citation, str, str]]]


def peer_finder(lib: Retriever, exclude: Sequence[str]) -> PeerFinder:
    excluded = [r for r in exclude if r]

    def find(topic: str, limit: int) -> list[tuple[Citation, str, str]]:
        out: list[tuple[Citation, str, str]] = []
        for m in peer_measures(lib, topic, exclude_regions=excluded, limit=limit + 2):
            chunk = lib.snapshot.chunks.get(m.chunk_id)
            if chunk is None or squash(m.quote) not in squash(chunk.text) or m.status != "current":
                continue
            if m.region in excluded:
                continue
            meta = lib.snapshot.docs[chunk.doc_id]
            cite = Citation(
                n=0,
                chunk_id=m.chunk_id,
                doc_id=chunk.doc_id,
                title=meta.title,
                section=m.section or chunk.section,
                quote=m.quote,
                issuer=meta.issuer,
                date=meta.date,
                doc_number=meta.doc_number,
                level=meta.level,
            )
            out.append((cite, m.region, m.action))
            if len(out) >= limit:
                break
        return out

    return find
