"""Session 47: a compound of two light nouns (功能定位) and a light noun after an activity on a thing
(薪酬分配形式) ask for whatever the text says; punitive damages and liability to pay are sanctions a
passage states; 红线 is named by 不得 and 意见反馈 by the texts' complaint channels."""

from __future__ import annotations

from advisor.retrieval import register
from advisor.retrieval.asks import asked_noun
from advisor.retrieval.sanctions import SANCTION


def test_a_compound_of_light_nouns_names_no_thing() -> None:
    assert asked_noun("产业园区的功能定位是什么？") == ""
    assert asked_noun("这项补贴的资金来源是什么？") == "资金来源"  # (资金 is no light noun)


def test_a_light_noun_after_an_activity_on_a_thing_names_no_thing() -> None:
    assert asked_noun("对紧缺人才可以采用哪些薪酬分配形式？") == ""
    assert asked_noun("可以采用哪些薪酬标准？") == "薪酬"


def test_damages_that_punish_and_liability_to_pay_are_sanctions() -> None:
    assert SANCTION.search("依法实施惩罚性赔偿制度，加大侵权损害赔偿力度。")
    assert SANCTION.search("造成损失的，依法承担赔偿责任。")
    assert not SANCTION.search("鼓励保险机构开发首台套保险产品，分担赔偿风险。")


def test_red_lines_and_feedback_channels_are_named_in_the_texts_words() -> None:
    def never(word: str) -> bool:
        return False

    assert register.names_thing("红线", "平台企业不得利用数据优势排除或者限制竞争。", never)
    assert register.names_thing("意见反馈", "应当设置便捷有效的用户申诉和公众投诉、举报入口。", never)
    assert not register.names_thing("意见反馈", "应当建立数据分类分级保护制度。", never)
