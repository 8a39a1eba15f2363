"""The sentence that defines the term a question asks about ("本条例所称X，是指……", "投资方，主要是指……"):
a text defines a term once, often far from where it uses it."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.text import sentence_spans
from advisor.types import Hit

_DEFINES = re.compile(
    r"(?:所称|所指)的?\s*[“\"]?([^，,。；“”\"]{2,24}?)[”\"]?\s*[，,]?\s*(?:是指|指的是|系指|指)"
)
_DEFINES_AT_HEAD = re.compile(  # "投资方，主要是指……"
    r"^[\s\-—>□■●•·*]*[“\"]?([^，,。；：:“”\"\s]{2,12}?)[”\"]?\s*[，,]?\s*(?:主要)?(?:是指|指的是|系指)"
)
QUOTED = re.compile(  # a term the question puts in quotes (哪些“即服务”的新模式)
    r"[“\"「]([^”\"」]{2,24})[”\"」]"
)


def _definition(question: str, hits: list[Hit], top: int = 6) -> tuple[Hit, str] | None:
    """For "X是怎么定义的", the sentence that defines X ("本条例所称X，是指……"): X as the question quotes
    it, else the longest defined term the question contains outside a title (《…产业促进条例》所称X)."""
    quoted = set(QUOTED.findall(question))
    question = re.sub(r"《[^》]*》", " ", question)
    found: list[tuple[int, int, Hit, str]] = []
    for rank, hit in enumerate(hits[:top]):
        for s, e in sentence_spans(hit.text):
            sentence = hit.text[s:e].strip()
            m = _DEFINES.search(sentence) or _DEFINES_AT_HEAD.search(sentence)
            term = m.group(1).strip() if m else ""
            if term and (term in quoted or (not quoted and term in question)):
                found.append((-len(term), rank, hit, sentence))
    if not found:
        return None
    _, _, hit, sentence = min(found, key=lambda f: (f[0], f[1]))
    return hit, sentence


def definition_in(question: str, hits: list[Hit], snapshot: Snapshot | None) -> tuple[Hit, str] | None:
    """The defining sentence among the hits, else in the rest of the two leading hits' documents (a
    text defines a term once, often far from where it uses it)."""
    found = _definition(question, hits)
    if found is not None or snapshot is None:
        return found
    docs = list(dict.fromkeys(h.doc_id for h in hits))[:2]
    rest = [snapshot.hit(c.chunk_id) for d in docs for c in snapshot.chunks_of(d)]
    return _definition(question, rest, top=len(rest))
