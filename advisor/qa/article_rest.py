"""The rest of the article an answer's head sentence stands in. In a regulation the article is the unit
of meaning: a condition and its consequence, a rule and its exception, a duty and how it is met are
often sentences apart (…取消其资格… / …已享受的优惠予以追回), so the answer quotes them too."""

from __future__ import annotations

import re

from advisor.text import sentence_spans
from advisor.types import Hit

_NUMERAL = "一二三四五六七八九十百零〇"
ARTICLE_LINE = re.compile(rf"(?m)^[ \t]*第[{_NUMERAL}\d]+条(?=\s)")
_HEADING_LINE = re.compile(rf"(?m)^[ \t]*(?:#|第[{_NUMERAL}\d]+[编章节](?:\s|$))")
_ARTICLE_LABEL = re.compile(rf"第[{_NUMERAL}\d]+条$")
MATES = 2  # sentences of the head's article quoted beside it
MIN_CHARS = 8


def article_span(hit: Hit, at: int) -> tuple[int, int] | None:
    """Where the numbered article holding position ``at`` of the chunk starts and ends in it; None when
    the chunk is no article's (a plan, a slide)."""
    starts = [m.start() for m in ARTICLE_LINE.finditer(hit.text)]
    before = [s for s in starts if s <= at]
    if before:
        start = before[-1]
    elif hit.section and _ARTICLE_LABEL.search(hit.section.split(" > ")[-1]):
        start = 0  # the chunk goes on with the article of its breadcrumb
    else:
        return None
    after = [s for s in starts if s > at] + [m.start() for m in _HEADING_LINE.finditer(hit.text, at + 1)]
    return start, min(after, default=len(hit.text))


def rest_of_article(hit: Hit, head: str, taken: list[str]) -> list[str]:
    """Up to MATES other sentences of the head's article, those after it first (what follows a rule:
    its consequence, its exception), none already ``taken``, verbatim. Outside an article (a plan, a
    slide), the sentences right before and after the head in its paragraph (…不同。只有不同角色共同发展…)."""
    at = hit.text.find(head)
    if at < 0:
        return []
    span = article_span(hit, at)
    if span is None:
        return _neighbours(hit, at, at + len(head), taken)
    end = at + len(head)
    found = []
    for s, e in sentence_spans(hit.text, *span):
        sentence = hit.text[s:e].strip()
        if len(sentence) < MIN_CHARS or (s < end and e > at):
            continue
        if any(sentence in t or t in sentence for t in taken if t):
            continue
        found.append((s < at, s, sentence))
    return [sentence for _, _, sentence in sorted(found)[:MATES]]


def _neighbours(hit: Hit, at: int, end: int, taken: list[str]) -> list[str]:
    """The sentence before and the one after ``hit.text[at:end]`` within its paragraph, verbatim."""
    start = hit.text.rfind("\n", 0, at) + 1
    stop = hit.text.find("\n", end)
    spans = sentence_spans(hit.text, start, stop if stop >= 0 else len(hit.text))
    before = [(s, e) for s, e in spans if e <= at]
    after = [(s, e) for s, e in spans if s >= end]
    found = []
    for s, e in after[:1] + before[-1:]:
        sentence = hit.text[s:e].strip()
        if len(sentence) >= MIN_CHARS and not any(sentence in t or t in sentence for t in taken if t):
            found.append((s, sentence))
    return [sentence for _, sentence in sorted(found)]
