"""Everyday words → the words official texts use for them (``register.yaml``): an official asks about
公司, 员工 and 钱; the regulations say 企业, 从业人员 and 资金. Answerability counts an everyday word as
present where one of its official words is, and keyword search looks for those words too."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources

import yaml


@cache
def _terms() -> dict[str, tuple[str, ...]]:
    raw = yaml.safe_load(resources.files("advisor.retrieval").joinpath("register.yaml").read_text("utf-8"))
    return {str(k): tuple(str(v) for v in vs) for k, vs in (raw.get("terms") or {}).items()}


@cache
def _longest_first() -> tuple[str, ...]:
    return tuple(sorted(_terms(), key=len, reverse=True))


def official_words(text: str) -> dict[str, tuple[str, ...]]:
    """The everyday words of ``text`` (longest first; a word inside a longer one found is skipped) and
    the official words for each."""
    found: dict[str, tuple[str, ...]] = {}
    for word in _longest_first():
        if word in text and not any(word in longer for longer in found):
            found[word] = _terms()[word]
    return found


def expand_query(query: str) -> str:
    """The keyword query with the official words for its everyday ones appended."""
    extra = [w for words in official_words(query).values() for w in words if w not in query]
    return f"{query} {' '.join(dict.fromkeys(extra))}" if extra else query


def names_thing(word: str, haystack: str, occurs: Callable[[str], bool]) -> bool:
    """Whether ``haystack`` names the thing an everyday word the texts never use asks for, in their own
    words (红线: 底线, 禁止). A word they do use (公司) asks for one of its own (哪家公司: a company's name)."""
    return not occurs(word) and any(w in haystack for w in _terms().get(word, ()))
