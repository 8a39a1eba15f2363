"""A fact about a place needs a passage about that place; advice for a place may come from the report."""

from __future__ import annotations

import pytest

from advisor.retrieval.grounding import HARD_MISS, assess
from advisor.retrieval.places_named import asks_advice, in_place_word, places_in
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


def test_a_city_and_its_town_are_one_place() -> None:
    assert list(places_in("想在北京城开一家体验店，要办什么手续？")) == ["北京"]  # 北京城: one word to jieba
    assert in_place_word("京城", "想在北京城开一家体验店")  # a piece of it names nothing itself
    assert not in_place_word("体验", "想在北京城开一家体验店")
    assert places_in("长城沿线的文旅项目") == {}  # 长城 is no town of a place


@pytest.mark.integration
def test_a_question_naming_a_text_by_its_issuer_or_asking_a_definition_is_covered(
    corpus_advisor: Advisor,
) -> None:
    r = corpus_advisor.retriever()
    k = corpus_advisor.settings.top_k
    defined = "深度合成管理规定所称的深度合成技术，是怎样界定的？"  # 界定, 所称: how a definition is asked
    g = assess(defined, r.retrieve(defined, k=k), r.snapshot.keyword)
    assert g.grounded and not {"界定", "所称"} & set(g.missing), g
    by_issuer = "甲子的报告给小微型专精特新企业列的评估要素中，管理团队占多少？"  # 甲子光年智库's report
    page = next(c for c, chunk in r.snapshot.chunks.items() if "小微型专精特新企业评估关键要素" in chunk.text)
    hits = [r.snapshot.hit(page)]  # the slide alone: its text never names the think tank
    assert "甲子" not in assess(by_issuer, hits, r.snapshot.keyword).missing
    unsigned = [h.model_copy(update={"meta": {**h.meta, "issuer": ""}}) for h in hits]
    assert "甲子" in assess(by_issuer, unsigned, r.snapshot.keyword).missing  # the issuer is what covers it
