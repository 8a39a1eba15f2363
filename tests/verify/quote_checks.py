"""Checks the verification tests make on their own, without the production code they test (no
``verbatim_span``, no ``numbers_in``): whitespace-squashed substrings and regex number tokens."""

from __future__ import annotations

import re
import unicodedata


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_verbatim(quote: str, chunk: str) -> bool:
    """The quote occurs in the chunk, whitespace aside (and is not trivially short)."""
    q = squashed(quote)
    return len(q) >= 4 and q in squashed(chunk)


def number_tokens(text: str) -> set[str]:
    """Arabic numbers of a text as tokens: "300" is one token, never "30" plus "0"."""
    return set(re.findall(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", text)))


def missing_numbers(claim: str, *shown: str) -> set[str]:
    """Numbers of the claim that none of the shown texts holds as a number token."""
    have = set().union(*(number_tokens(s) for s in shown)) if shown else set()
    return number_tokens(claim) - have
