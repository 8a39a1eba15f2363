"""What else the first-ranked passage says to the question. Retrieval ranks the passage that answers
first more often than a sentence's own score finds the sentence that does (hit@1 0.84), and an answer
often spans two of its sentences (a rule and its exception, a figure and what it applies to), so the
answer's last point is that passage's best sentence it does not quote yet."""

from __future__ import annotations

from advisor.index.keyword import KeywordIndex
from advisor.qa.enumeration import is_heading_line, with_items
from advisor.qa.sentences import rank_sentences, repeats_heading, unfit
from advisor.qa.spans import whole_sentence
from advisor.retrieval.meaning import Meaning
from advisor.text import squash
from advisor.types import Hit
from advisor.verify.citations import support

# the sentence joins the answer when it scores this share of that passage's best: on dev answers, facts
# among the sentences selected 0.859 → 0.891 (any score), 0.884 (0.2), 0.879 (0.3)
MORE_OF_THE_TOP = 0.2


def more_of_the_top(
    question: str, hits: list[Hit], keyword: KeywordIndex | None, meaning: Meaning | None, quoted: list[str]
) -> list[tuple[Hit, str]]:
    """The first-ranked passage's best sentence (whole, with its items) that no quote in ``quoted`` holds
    or is held by, when it speaks to the question at all; never a heading or a cover line."""
    ranked = rank_sentences(question, hits[:1], keyword, meaning) if hits else []
    shown = [squash(q) for q in quoted]
    for score, hit, sent in ranked:
        if score < MORE_OF_THE_TOP * ranked[0][0]:
            break
        whole = with_items(hit, whole_sentence(hit, sent))
        if unfit(whole, hit) or repeats_heading(whole, hit) or is_heading_line(whole):
            continue
        mine = squash(whole)
        if any(mine in q or q in mine or support(whole, q) > 0.8 for q in shown):
            continue
        return [(hit, whole)]
    return []
