"""Peer measures for a gap: what other regions' texts do about the element's topic (对标分析).

Only measures whose quote is verbatim in its chunk of the current index, whose document is still in
force and whose quote uses one of the element's own terms are shown (a topic search alone can return a
clause of the right region about something else); the city's own region and its province are
excluded (they are not peers). None is better than an unrelated one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from advisor.compare import peer_measures
from advisor.diagnose.checklist import Element
from advisor.diagnose.match import found
from advisor.retrieval.hybrid import Retriever
from advisor.text import squash
from advisor.types import Citation

# (element, limit) → [(citation with n=0, region, action)]
PeerFinder = Callable[[Element, int], list[tuple[Citation, str, str]]]
CANDIDATES = 12


def peer_finder(lib: Retriever, exclude: Sequence[str]) -> PeerFinder:
    excluded = [r for r in exclude if r]

    def find(element: Element, limit: int) -> list[tuple[Citation, str, str]]:
        out: list[tuple[Citation, str, str]] = []
        terms = [*element.strong, *element.keywords]
        for m in peer_measures(lib, element.peer_topic, exclude_regions=excluded, limit=CANDIDATES):
            chunk = lib.snapshot.chunks.get(m.chunk_id)
            if chunk is None or squash(m.quote) not in squash(chunk.text) or m.status != "current":
                continue
            if m.region in excluded or not found(terms, m.quote):
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
