"""A fact about a place needs a passage about that place; advice for a place may come from the report."""

from __future__ import annotations

import pytest

from advisor.retrieval.grounding import HARD_MISS, assess
from advisor.retrieval.places_named import asks_advice, places_in
from advisor.service import Advisor


def test_places_a_question_names() -> None:
    assert list(places_in("武汉市人工智能产业园对入驻企业有哪些优惠政策？")) == ["武汉市"]
    assert set(places_in("上海和深圳对公共数据开放的分类有什么不同？")) == {"上海", "深圳"}
    assert places_in("阿里巴巴的大模型有哪些应用？") == {}  # a company, not 阿里地区
    assert places_in("来宾代表提出了什么建议？") == {}  # a guest, not 来宾市
    # a place jieba joins with the kind of area it names (厦门经济特区 is one word to it)
    assert list(places_in("厦门经济特区的数据条例怎么规定？")) == ["厦门"]
    assert places_in("新区的做法有哪些？") == {}


def test_advice_is_asked_differently_from_facts() -> None:
    assert asks_advice("合肥应该如何发展人工智能产业？") and asks_advice(
        "How should Hefei grow its AI industry?"
    )
    assert not asks_advice("合肥对人工智能企业有哪些补贴政策？")


@pytest.mark.integration
def test_a_place_the_corpus_has_no_text_about(corpus_advisor: Advisor) -> None:
    r = corpus_advisor.retriever()

    def check(q: str):
        return assess(q, r.retrieve(q, k=corpus_advisor.settings.top_k), r.snapshot.keyword)

    fact = check("武汉市对人工智能企业有哪些算力补贴政策？")
    assert not fact.grounded and fact.reason == HARD_MISS and "武汉市" in fact.missing
    assert "武汉市" in fact.explanation()
    assert check("武汉应该如何培育人工智能产业？").grounded  # the report's methodology answers
    assert check("深圳对人工智能企业有哪些支持政策？").grounded  # 深圳's own regulation
