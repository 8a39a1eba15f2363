"""Retrieved passages made up for a grounding test: each text a hit of one document, ranked in order, and
the keyword index over them (phrase look-ups claim nothing absent: no texts are attached)."""

from __future__ import annotations

from advisor.index.keyword import KeywordIndex, tokenize
from advisor.types import Hit


def passages(texts: dict[str, str], title: str) -> tuple[list[Hit], KeywordIndex]:
    keyword = KeywordIndex(list(texts), [tokenize(t) for t in texts.values()], [{} for _ in texts])
    hits = [
        Hit(chunk_id=k, doc_id="d", title=title, text=t, score=1.0 - i / 10)
        for i, (k, t) in enumerate(texts.items())
    ]
    return hits, keyword
