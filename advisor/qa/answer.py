"""Question → verified, cited ``Answer``: clean the question, carry the subject of a follow-up, retrieve,
check answerability, show the extractive answer at once, then let the model improve it.

The stream (:mod:`advisor.qa.events`) starts with a verified extractive :class:`Shown` answer (well under
a second) and, with a model provider, continues with the model's improvement
(:func:`advisor.qa.model_answer.refine`), which replaces what is shown only after verification."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from advisor.generation.providers import Provider
from advisor.qa.across import with_each_part
from advisor.qa.events import AnswerEvent, Polishing, Queued, Shown
from advisor.qa.extractive import extractive_answer, refusal
from advisor.qa.history import condense, normalise_history
from advisor.qa.model_answer import ANSWER_SCHEMA, WEAK_COVERAGE, prime_local_model, refine
from advisor.qa.referenced import with_referenced_article
from advisor.qa.title_page import document_facts
from advisor.retrieval.asks import about_document, ask_kind
from advisor.retrieval.grounding import FAR_IN_MEANING, HARD_MISS, assess
from advisor.retrieval.hybrid import Retriever
from advisor.retrieval.places_named import places_in
from advisor.retrieval.refusal import NO_CHANGES, NO_STATE, NO_SUCCESSOR, NOT_YET_MADE
from advisor.retrieval.region_focus import named_region_docs
from advisor.retrieval.status import AMENDMENT, SUCCESSION, asks_successor
from advisor.settings import Settings
from advisor.text import QuestionError, clean_question, to_simplified
from advisor.types import Answer


def stream_answer(
    library: Retriever,
    provider: Provider,
    settings: Settings,
    question: str,
    history: list[Any] | None = None,
    budget_s: float | None = None,
) -> Iterator[AnswerEvent]:
    """Yield the verified extractive answer, then (with a model) queue/draft events and the final one.

    ``budget_s``: longest the model's improvement may take, queueing included (default: short for the
    local model, whose users are watching; see :func:`~advisor.qa.model_answer.budget_s`)."""
    t0 = time.perf_counter()
    text, notice = clean_question(question, settings.max_question_chars)
    turns = normalise_history(history, settings.history_tokens)
    # the user's words are kept for display; grounding and the prompt see what retrieval sees
    standalone = condense(to_simplified(text), turns)
    t_r = time.perf_counter()
    hits = with_each_part(standalone, library.retrieve(standalone, k=settings.top_k), library.snapshot)
    retrieve_s = round(time.perf_counter() - t_r, 3)
    g = assess(standalone, hits, library.snapshot.keyword, far=FAR_IN_MEANING.get(settings.embeddings))
    region_first = False  # hits already ranked with the named region's texts first
    if (
        g.reason == HARD_MISS
        and g.missing
        and all(any(m in names for names in places_in(m).values()) for m in g.missing)
        and named_region_docs(" ".join(g.missing), library.snapshot)
    ):
        # a place whose texts the corpus has, but none among the passages: look in that place's texts
        focused = with_each_part(
            standalone, library.retrieve(standalone, k=settings.top_k, region_focus=True), library.snapshot
        )
        again = assess(
            standalone, focused, library.snapshot.keyword, far=FAR_IN_MEANING.get(settings.embeddings)
        )
        if again.grounded:
            hits, g, region_first = focused, again, True
    # … unless the question names a document the corpus does not hold (the title page is another's)
    # … or about a text another leaves to be made (the title page is the deferring text's)
    unheld = (
        g.reason == HARD_MISS and any(m.startswith("《") for m in g.missing)
    ) or g.reason == NOT_YET_MADE
    facts = (
        None
        if g.grounded or unheld or not about_document(standalone)
        else document_facts(standalone, hits, library.snapshot)
    )
    # … and, asked how the text stands now (修正过吗, 还适用吗, 被新法规取代了吗), only a title page
    # recording an amendment or a repeal (and never what an amendment changed: it records only that it was)
    now = g.reason in (NO_STATE, NO_SUCCESSOR)
    # … and, asked what replaced it (接替它的新办法叫什么), only one recording its successor
    unsucceeded = (
        facts is not None
        and asks_successor(standalone)
        and not any(SUCCESSION.search(x) for x in facts.lines())
    )
    if (
        facts
        and g.reason != NO_CHANGES
        and (not now or any(AMENDMENT.search(line) for line in facts.lines()))
        and not unsucceeded
    ):
        g = g.model_copy(update={"grounded": True, "reason": "", "coverage": 1.0})  # the title page answers
    elif unsucceeded:
        g = g.model_copy(update={"reason": NO_SUCCESSOR, "missing": []})
    if not g.grounded:
        ans = refusal(text, standalone, hits, g, provider.name, t0, notice=notice)
        ans.timings["retrieve_s"] = retrieve_s
        yield Shown(ans, final=True)
        return
    if not region_first and named_region_docs(standalone, library.snapshot):
        # answered from the texts of the one region the question names, ahead of other regions' texts
        # (whether it is answerable was judged on the whole corpus's best passages, above)
        focused = library.retrieve(standalone, k=settings.top_k, region_focus=True)
        hits = with_each_part(standalone, focused, library.snapshot)
    if ask_kind(standalone) == "list":  # the items may be in the article the best passage refers to
        hits = with_referenced_article(hits, library.snapshot)
    shown = extractive_answer(
        library.snapshot, text, standalone, hits, t0, notice=notice, meaning=library.meaning
    )
    shown.timings["retrieve_s"] = retrieve_s
    shown.timings["first_s"] = shown.timings.get("total_s", 0.0)
    if not provider.uses_model:
        yield Shown(shown, final=True)
        return
    yield Shown(shown, provisional=g.coverage < WEAK_COVERAGE)
    for event in refine(provider, text, standalone, hits, g, shown, t0, budget_s):
        if isinstance(event, Shown):
            event.answer.timings["retrieve_s"] = retrieve_s
            event.answer.timings["first_s"] = shown.timings["first_s"]
            event.answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
        yield event


def answer_question(
    library: Retriever,
    provider: Provider,
    settings: Settings,
    question: str,
    history: list[Any] | None = None,
) -> Answer:
    """The final answer of :func:`stream_answer`. Its caller waits for the whole answer (CLI, API, evals)
    rather than watching the extractive one, so the model gets the provider's full timeout."""
    final: Answer | None = None
    budget = provider.answer_timeout_s
    for event in stream_answer(library, provider, settings, question, history=history, budget_s=budget):
        if isinstance(event, Shown) and event.final:
            final = event.answer
    assert final is not None
    return final


__all__ = [
    "ANSWER_SCHEMA",
    "AnswerEvent",
    "Polishing",
    "QuestionError",
    "Queued",
    "Shown",
    "answer_question",
    "prime_local_model",
    "stream_answer",
]
