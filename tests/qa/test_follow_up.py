"""Follow-ups carry the subject of the previous turn (issue 15 §5): the reference back ("这个指标",
"这项技术", "it") becomes the subject, and the answer is about it. Real corpus index, extractive."""

from __future__ import annotations

import pytest

from advisor.qa.history import carry_subject, condense, subject
from advisor.service import Advisor


@pytest.mark.parametrize(
    ("previous", "follow_up", "expected"),
    [
        ("信能比是什么？", "那地方政府应该怎么用这个指标？", "地方政府应该怎么用信能比？"),
        ("深度合成是什么意思？", "这项技术的服务提供者要做什么？", "深度合成的服务提供者要做什么？"),
        ("What is 算力券?", "How do cities use it?", "How do cities use 算力券?"),
        ("新型工业化有哪些重点任务？", "那资金从哪里来？", "资金从哪里来？（新型工业化 重点任务）"),
    ],
)
def test_the_reference_back_becomes_the_subject(previous: str, follow_up: str, expected: str) -> None:
    assert carry_subject(follow_up, [("user", previous), ("assistant", "……")]) == expected


def test_a_standalone_question_is_left_alone() -> None:
    turns = [("user", "信能比是什么？"), ("assistant", "……")]
    question = "地方政府应该如何建设智能算力基础设施？"
    assert condense(question, turns) == question
    assert subject("信能比是什么？") == "信能比"


@pytest.mark.integration
@pytest.mark.parametrize(
    ("first", "follow_up", "term", "title"),
    [
        ("信能比是什么？", "那地方政府应该怎么用这个指标？", "信能比", "地方政府培育人工智能产业"),
        ("深度合成是什么意思？", "这项技术的服务提供者要履行哪些义务？", "深度合成", "深度合成"),
    ],
)
def test_follow_up_answers_about_the_previous_subject(
    corpus_advisor: Advisor, first: str, follow_up: str, term: str, title: str
) -> None:
    before = corpus_advisor.ask(first, provider="extractive")
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": before.conclusion}]
    ans = corpus_advisor.ask(follow_up, history=history, provider="extractive")
    assert ans.grounded and term in ans.standalone_question
    assert term in ans.conclusion or any(term in c.quote for c in ans.citations), ans.text
    assert title in ans.citations[0].title
    alone = corpus_advisor.ask(follow_up, provider="extractive")
    assert term not in alone.standalone_question
