"""The asker's story: the clauses before the first one that asks, when they tell of the asker's own place
(区里一家公司做智能客服，顾客总嫌它张冠李戴。按…办法，…要做什么？). No text describes the asker's situation, so its
words weigh less, and a word of it the corpus never uses is no sign the corpus lacks the answer."""

from __future__ import annotations

from functools import lru_cache

from advisor.retrieval.asks import ASKERS_OWN, from_first_ask
from advisor.retrieval.glossary import mostly_english


@lru_cache(maxsize=256)  # asked once per missing word of the same question
def asker_story(question: str) -> str:
    """The story told before the question asks (lower-cased), or "" when there is none or it is not the
    asker's own (an English question, a clause about someone else)."""
    story = question[: len(question) - len(from_first_ask(question))].lower()
    return story if story and ASKERS_OWN.search(story) and not mostly_english(question) else ""


def only_in_story(term: str, question: str) -> bool:
    """Whether ``term`` is a word of the asker's story and not of the clauses that ask."""
    story = asker_story(question)
    return bool(story) and term in story and term not in question[len(story) :].lower()
