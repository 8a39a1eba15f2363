"""What the texts do say, beside a refusal for a specific they lack: a question about a figure, a date,
a body, a list left to another text … whose words the passages cover is refused, and the sentence that
comes closest is quoted under it (相关原文摘录), so an official sees 工作一定年限 where no number of years
is given, and can judge for themselves."""

from __future__ import annotations

from advisor.retrieval.figures import best_through
from advisor.retrieval.refusal import PARTLY_SAID
from advisor.types import Citation, Hit
from advisor.verify.citations import Verifier, verbatim_span

EXCERPTS = 2  # the best sentence of each of the first passages


def closest_sentences(question: str, hits: list[Hit], reason: str) -> list[Citation]:
    """The best-matching sentence of each of the first passages, verbatim and numbered, when ``reason``
    refuses for a specific the passages lack; none for a question they are not about."""
    if reason not in PARTLY_SAID:
        return []
    verifier = Verifier(hits)
    for hit in hits[:EXCERPTS]:
        sentence = best_through(question, hit.text).strip()
        if sentence and verbatim_span(sentence, hit.text) is not None:
            verifier.cite_hit(hit, sentence)
    return verifier.citations
