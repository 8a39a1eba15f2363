"""Answerability rules that need no index: what counts as a document's name, and how far the sentence
that answers a number question reaches."""

from __future__ import annotations

from advisor.retrieval.grounding import _best_through, unquoted_titles
from advisor.verify.citations import best_sentence

PENALTY = (
    "第四十六条 违反本条例第三十七条规定，试点主体未按照规定配备安全员的，由交通部门责令改正；"
    "拒不改正的，处一万元以上三万元以下罚款。第四十七条 其他事项依照有关法律办理。"
)


def test_a_verb_before_the_kind_of_document_is_not_a_title() -> None:
    assert unquoted_titles("企业没按规定配备安全员、拒不改正的要罚多少？") == []
    assert unquoted_titles("按照国家有关规定开展数据出境评估有哪些要求？") == []
    assert unquoted_titles("北京市促进通用人工智能创新发展的若干措施有哪些？") == [
        "北京市促进通用人工智能创新发展的若干措施"
    ]


def test_the_answering_sentence_runs_on_after_a_semicolon_to_its_figure() -> None:
    question = "试点主体没配备安全员、拒不改正的，要罚多少？"
    head, _ = best_sentence(question, PENALTY)
    assert "一万元" not in head  # the figure is past the semicolon
    through = _best_through(question, PENALTY)
    assert "一万元以上三万元以下" in through
    assert "第四十七条" not in through


def test_a_finished_sentence_does_not_run_into_the_next_item() -> None:
    text = "布局建设一批国家人工智能应用中试基地，搭建行业应用共性平台。4. 数字人标准。"
    through = _best_through("要建设多少个国家人工智能应用中试基地？", text)
    assert "中试基地" in through and "4." not in through
