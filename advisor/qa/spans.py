"""How far an extractive quote runs past the sentence chosen: to the end of its sentence, through the
figure asked for, with its proviso, or on through its paragraph. Always a verbatim span of the chunk."""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.qa.enumeration import is_item
from advisor.retrieval.figures import has_number
from advisor.text import sentence_spans
from advisor.types import Hit


def through_figure(hit: Hit, head: str) -> str:
    """A clause that leads up to the figure asked for ("……责令限期改正；") continued through the next
    sentence of its paragraph when that one states it ("逾期不改正的，处五万元以上……罚款"), verbatim."""
    return _run_on(hit, head, has_number)


# a proviso (但书): the sentence right after a rule that opens with 但是/但 or ends in 除外 qualifies it
_PROVISO = re.compile(r"^\s*(?:但是|但)[，,]?|除外[。；;]?\s*$")
PROVISO_CHARS = 80


def with_proviso(hit: Hit, head: str) -> str:
    """A rule quoted with its proviso when one follows it in its paragraph ("……不得……。但是，……的除外。"),
    verbatim: without it the rule reads as absolute."""
    return _run_on(hit, head, lambda s: len(s) <= PROVISO_CHARS and bool(_PROVISO.search(s.strip())))


def _run_on(hit: Hit, head: str, takes: Callable[[str], bool]) -> str:
    """``head`` through the next sentence of its paragraph when ``takes`` that sentence, verbatim."""
    at = hit.text.find(head)
    if at < 0:
        return head
    end = at + len(head)
    paragraph_end = hit.text.find("\n", end)
    for s, e in sentence_spans(hit.text, end, paragraph_end if paragraph_end >= 0 else None)[:1]:
        if takes(hit.text[s:e]):
            return hit.text[at:e].strip()
    return head


_CLAUSE_CHARS = 120  # a clause goes on to the end of its sentence when the rest is at most this long


def whole_sentence(hit: Hit, head: str) -> str:
    """A head that is one clause of a sentence ("……实施优先采购或者首购；") goes on to the sentence's end
    within its paragraph ("由政府出资……政府可以实行择优订购。"), verbatim; a list item stays itself."""
    at = hit.text.find(head)
    if at < 0 or not head.rstrip().endswith(("；", ";")) or is_item(head):
        return head
    end = at + len(head)
    paragraph_end = hit.text.find("\n", end)
    stop = paragraph_end if paragraph_end >= 0 else len(hit.text)
    # the sentence ends in 。, or in a colon when it introduces a list ("……给予处分；构成犯罪的……：")
    ends = [i for i in (hit.text.find("。", end, stop), hit.text.find("：", end, stop)) if i >= 0]
    full_stop = min(ends) if ends else -1
    if full_stop < 0 or full_stop - end > _CLAUSE_CHARS:
        return head
    return hit.text[at : full_stop + 1].strip()


def from_sentence_start(hit: Hit, head: str) -> str:
    """A head that is a later clause of a sentence (…加强统筹管理；<head>) quoted from the sentence's
    start within its paragraph, verbatim: the first clause often names who acts and what is set up. A
    list item stays itself, as does a head whose sentence starts more than _CLAUSE_CHARS before it."""
    at = hit.text.find(head)
    if at <= 0 or is_item(head) or not hit.text[:at].rstrip(" \t").endswith(("；", ";")):
        return head
    start = max(hit.text.rfind(c, 0, at) for c in ("\n", "。", "：", ":")) + 1
    first = hit.text[start:at].strip()
    if at - start > _CLAUSE_CHARS or is_item(first):
        return head
    return hit.text[start : at + len(head)].strip()


COUNTS = re.compile(r"[两二三四五六七八九十]\s*(?:类|个|种|方面|部分|大|项|层|步)")
_REST_SENTENCES = 3


def rest_of_paragraph(hit: Hit, head: str) -> list[str]:
    """Up to three sentences that follow ``head`` in its paragraph, verbatim."""
    at = hit.text.find(head)
    if at < 0:
        return []
    end = at + len(head)
    paragraph_end = hit.text.find("\n", end)
    spans = sentence_spans(hit.text, end, paragraph_end if paragraph_end >= 0 else None)
    return [hit.text[s:e].strip() for s, e in spans[:_REST_SENTENCES] if hit.text[s:e].strip()]


def paragraph_rest(kind: str, hit: Hit, head: str) -> list[str]:
    """The sentences after ``head`` in its paragraph that go on with the answer: all of them when a list
    is asked and the head counts its items (供给方，主要包括产业侧和服务侧两类。); the ones stating a figure
    when a list or a figure is asked and the head states one (到2026年…50项以上。…企业超过1000家…。)."""
    if kind == "list" and COUNTS.search(head):
        return rest_of_paragraph(hit, head)
    if kind in ("list", "number") and has_number(head):
        return [s for s in rest_of_paragraph(hit, head) if has_number(s)]
    return []
