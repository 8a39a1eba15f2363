"""Question → verified, cited ``Answer``: clean the question, condense it with the conversation,
retrieve, check answerability, then answer extractively or with the model (which streams a draft; the
final answer is always the verified one, and any model fault falls back to the extractive answer)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

from advisor.generation.providers import Provider
from advisor.qa.extractive import extractive_answer, refusal
from advisor.qa.history import condense, normalise_history
from advisor.qa.model_answer import ANSWER_SCHEMA, model_answer, prime_local_model
from advisor.qa.title_page import document_facts
from advisor.retrieval.asks import about_document
from advisor.retrieval.grounding import assess
from advisor.retrieval.hybrid import Retriever
from advisor.settings import Settings
from advisor.text import QuestionError, clean_question, to_simplified
from advisor.types import Answer


def stream_answer(
    library: Retriever,
    provider: Provider,
    settings: Settings,
    question: str,
    history: list[Any] | None = None,
) -> Iterator[str | Answer]:
    """Yield text deltas (a growing draft), then the final verified :class:`Answer`."""
    t0 = time.perf_counter()
    text, notice = clean_question(question, settings.max_question_chars)
    turns = normalise_history(history, settings.history_tokens)
    # the user's words are kept for display; grounding and the prompt see what retrieval sees
    standalone = condense(to_simplified(text), turns, provider.chat_model if provider.uses_model else None)
    t_r = time.perf_counter()
    hits = library.retrieve(standalone, k=settings.top_k)
    retrieve_s = round(time.perf_counter() - t_r, 3)
    keyword = library.snapshot.keyword
    g = assess(standalone, hits, keyword)
    if not g.grounded and about_document(standalone) and document_facts(standalone, hits, library.snapshot):
        g = g.model_copy(update={"grounded": True, "reason": ""})  # the title page answers it
    if not g.grounded:
        ans = refusal(text, standalone, hits, g, provider.name, t0, notice=notice)
        ans.timings["retrieve_s"] = retrieve_s
        yield ans
        return
    if not provider.uses_model:
        ans = extractive_answer(library.snapshot, text, standalone, hits, t0, notice=notice)
        ans.timings["retrieve_s"] = retrieve_s
        for part in re.split(r"(?<=\n\n)", ans.text):
            if part:
                yield part
        yield ans
        return
    for item in model_answer(provider, library.snapshot, text, standalone, hits, g, t0, notice):
        if isinstance(item, Answer):
            item.timings["retrieve_s"] = retrieve_s
        yield item


def answer_question(
    library: Retriever,
    provider: Provider,
    settings: Settings,
    question: str,
    history: list[Any] | None = None,
) -> Answer:
    final: Answer | None = None
    for item in stream_answer(library, provider, settings, question, history=history):
        if isinstance(item, Answer):
            final = item
    assert final is not None
    return final


__all__ = [
    "ANSWER_SCHEMA",
    "QuestionError",
    "answer_question",
    "prime_local_model",
    "stream_answer",
]
