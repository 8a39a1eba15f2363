"""English → Chinese glossary of the corpus's key terms, so English and mixed-language questions can be
answered from the Chinese corpus. The glossary is data (``glossary.yaml``, built from the corpus's titles,
the report's headings and frequent domain terms); this module loads it once and matches a question's
English words against it: case-insensitive, longest phrase first, with simple plural/-ing/-ed
normalisation. English function words (the, of, what, …) are known so they are ignored, never missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’&+\-][A-Za-z0-9]+)*\+?|\d+[A-Za-z]+")
_ASCII_WORD = re.compile(r"[a-z0-9][a-z0-9'’&+\-]*")
MAX_PHRASE = 14


def stem(word: str) -> str:
    """A crude, consistent normal form: lower case, plural, -ing and -ed removed, final e dropped."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isalpha():
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif w.endswith("ing") and len(w) > 5:
        w = w[:-3]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "sl":
            w = w[:-1]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "sl":
            w = w[:-1]
    if w.endswith("ll") and len(w) > 4:
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    """The English words of a text, in order (hyphenated words split: "sci-tech" → sci, tech)."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        out += [p for p in re.split(r"-", m.group(0)) if p]
    return out


@dataclass(frozen=True)
class Glossary:
    phrases: dict[tuple[str, ...], tuple[str, ...]]  # stemmed English words → Chinese terms
    function_words: frozenset[str]  # stemmed

    def match(self, text: str) -> tuple[list[tuple[str, tuple[str, ...]]], list[str]]:
        """([(English phrase, Chinese terms)], [English content words with no translation]), greedy
        longest phrase first, in the order of the text."""
        ws = words(text)
        keys = [stem(w) for w in ws]
        found: list[tuple[str, tuple[str, ...]]] = []
        untranslated: list[str] = []
        i = 0
        while i < len(ws):
            for n in range(min(MAX_PHRASE, len(ws) - i), 0, -1):
                zh = self.phrases.get(tuple(keys[i : i + n]))
                if zh:
                    found.append((" ".join(ws[i : i + n]), zh))
                    i += n
                    break
            else:
                if keys[i] not in self.function_words and not keys[i].isdigit():
                    untranslated.append(ws[i])
                i += 1
        return found, untranslated


@cache
def _raw() -> dict[str, Any]:
    raw = yaml.safe_load(resources.files("advisor.retrieval").joinpath("glossary.yaml").read_text("utf-8"))
    return raw or {}


def entries() -> dict[str, tuple[str, ...]]:
    """The glossary's English terms as written, each with its Chinese renderings."""
    return {
        str(en): tuple(str(z) for z in ([zh] if isinstance(zh, str) else zh))
        for en, zh in (_raw().get("terms") or {}).items()
    }


@cache
def chinese_terms() -> tuple[str, ...]:
    """Every Chinese rendering the glossary holds: the corpus's key terms."""
    return tuple(dict.fromkeys(z for zs in entries().values() for z in zs if not z.isascii()))


@cache
def glossary() -> Glossary:
    """The glossary shipped with the package (loaded once)."""
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for en, terms in entries().items():
        key = tuple(stem(w) for w in words(en))
        if key and terms and key not in phrases:
            phrases[key] = terms
    fw = frozenset(stem(str(w)) for w in _raw().get("function_words") or [])
    return Glossary(phrases=phrases, function_words=fw)


def has_english(text: str) -> bool:
    return bool(_WORD.search(text))


def mostly_english(question: str) -> bool:
    """More Latin letters than Chinese characters (a Chinese question may name AI or model-as-a-service)."""
    return len(re.findall(r"[A-Za-z]", question)) > len(re.findall(r"[\u4e00-\u9fff]", question))


def translate_terms(question: str) -> list[str]:
    """The Chinese terms for the English words and phrases of a question (all renderings, phrase order,
    each once). Chinese text, function words and unknown words give nothing."""
    found, _ = glossary().match(question)
    return list(dict.fromkeys(z for _, zh in found for z in zh))


def untranslated_words(question: str) -> list[str]:
    """English content words of a question that the glossary does not translate."""
    return glossary().match(question)[1]


def expand_query(query: str) -> str:
    """The keyword query for BM25: the query with the Chinese terms of its English words appended."""
    zh = translate_terms(query)
    return f"{query} {' '.join(zh)}" if zh else query


def split_question(question: str, present: Callable[[str], bool]) -> tuple[str, list[str], list[str]]:
    """(the question without its English words, the terms standing for its glossary phrases, its English
    content words the glossary does not know) for the answerability check. Each glossary phrase gives one
    term, its first rendering that ``present`` accepts (else its first rendering), kept whole: one English
    concept weighs as one term. Function words are dropped."""
    if not has_english(question):
        return question, [], []
    found, untranslated = glossary().match(question)
    terms = [next((z for z in zh if present(z)), zh[0]) for _, zh in found]
    rest = _WORD.sub(" ", question)
    return rest, list(dict.fromkeys(terms)), list(dict.fromkeys(untranslated))
