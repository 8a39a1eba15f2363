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


def test_which_cities_before_de_asks_for_cities() -> None:
    assert asked_noun("对哪些城市的测试结果予以认可？") == "城市"
    assert asked_noun("要建设哪些全市性的基础数据库？") == "数据库"


def test_a_sanction_asked_of_a_person_needs_a_sentence_punishing_one() -> None:
    from advisor.retrieval.sanctions import states_sanction
    from advisor.types import Hit

    firm = Hit(
        chunk_id="c",
        doc_id="d",
        title="t",
        section="s",
        text="骗取认定的，取消其资格，并处五万元罚款。",
        score=1.0,
    )
    person = Hit(
        chunk_id="p", doc_id="d", title="t", section="s", text="对直接负责的主管人员依法给予处分。", score=1.0
    )
    asked = "企业骗取认定的，对负有责任的法定代表人个人怎么处罚？"
    assert states_sanction([firm], "企业骗取认定会被怎么罚？")
    assert not states_sanction([firm], asked)
    assert states_sanction([firm, person], asked)


def test_a_size_reaching_what_standard_asks_a_figure() -> None:
    from advisor.retrieval.asks import ask_kind

    assert ask_kind("营收或员工规模达到什么标准的企业必须设立首席数据官？") == "number"
    assert ask_kind("企业应当达到什么要求？") != "number"


def test_liability_to_pay_damages_is_asked_as_a_sanction() -> None:
    from advisor.retrieval.sanctions import asks_sanction

    assert asks_sanction("保荐方要不要承担连带责任？")
    assert asks_sanction("出了事故，赔偿责任怎么分担？")
    assert not asks_sanction("条例第几条提出实施惩罚性赔偿制度？")


def test_modes_how_a_text_takes_effect_and_head_counts() -> None:
    from advisor.retrieval.asks import ask_kind

    assert asked_noun("政府一般会用哪些建设模式？") == ""
    assert ask_kind("这些制度制定后怎么生效？") != "date"
    assert ask_kind("这个办法什么时候生效？") == "date"
    assert ask_kind("评审专家组要几个人？") == "number"
    assert ask_kind("领导小组由哪几个人组成？") == "list"
