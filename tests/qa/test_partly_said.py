"""A refusal for a specific the passages lack quotes what they do say, verbatim; a refusal for a
question they are not about quotes nothing."""

from __future__ import annotations

import time

from advisor.qa.extractive import refusal
from advisor.retrieval.refusal import FAR_AWAY, HARD_MISS, NO_FIGURE, Grounding
from advisor.types import Hit

TEXT = (
    "第三十九条 在自主创新示范区累计工作时间达到一定年限的本地专业技术人才，经过评定，"
    "可以享受引进高层次人才相关优惠政策。"
)
HITS = [
    Hit(chunk_id="c1", doc_id="d1", title="某示范区条例", section="第三十九条", text=TEXT, score=1.0),
    Hit(
        chunk_id="c2",
        doc_id="d1",
        title="某示范区条例",
        section="第四十条",
        text="第四十条 本市支持人才发展。",
        score=0.5,
    ),
]
QUESTION = "本地专业技术人才在示范区干满多少年，可以享受引进高层次人才的优惠政策？"


def _refused(reason: str):  # type: ignore[no-untyped-def]
    g = Grounding(grounded=False, coverage=0.9, missing=[], reason=reason)
    return refusal(QUESTION, QUESTION, HITS, g, "extractive", time.perf_counter())


def test_a_refusal_for_a_missing_figure_quotes_the_closest_sentence_verbatim() -> None:
    answer = _refused(NO_FIGURE)
    assert not answer.grounded
    assert answer.excerpts and answer.excerpts[0].chunk_id == "c1"
    assert "一定年限" in answer.excerpts[0].quote and answer.excerpts[0].quote in TEXT
    assert "相关原文摘录" in answer.text and "一定年限" in answer.text
    assert [c.n for c in answer.excerpts] == list(range(1, len(answer.excerpts) + 1))


def test_a_refusal_for_an_absent_name_or_a_far_question_quotes_nothing() -> None:
    for reason in (HARD_MISS, FAR_AWAY, "资料未覆盖问题中的关键内容"):
        answer = _refused(reason)
        assert answer.excerpts == [] and "相关原文摘录" not in answer.text
