"""Figures asked in a unit (a percentage, a count of standards), short forms beside the figure, whether a
text was amended since, another ordinal of the thing asked about."""

from __future__ import annotations

import pytest

from advisor.retrieval.asks import ask_kind
from advisor.retrieval.grounding import Grounding, assess
from advisor.retrieval.lexicon import long_form, passage_words, short_for, sibling_named, sibling_of
from advisor.retrieval.refusal import NO_CHANGES, NO_MEMBERS, NO_STATE, SIBLING_ONLY
from advisor.retrieval.status import AMENDMENT, CHANGES, asks_amendment, asks_changes
from advisor.retrieval.units import asked_unit, has_number_in
from advisor.service import Advisor
from advisor.types import Hit


def _hit(text: str) -> Hit:
    return Hit(chunk_id="c1", doc_id="d1", title="某条例", section="第五条", text=text, score=1.0)


def _check(adv: Advisor, question: str) -> Grounding:
    r = adv.retriever()
    return assess(question, r.retrieve(question, k=adv.settings.top_k), r.snapshot.keyword)


def test_a_share_asked_as_a_percentage_is_answered_by_one() -> None:
    assert asked_unit("流动岗位最多能占岗位总量的百分之几？") == "%"
    assert asked_unit("补贴比例是百分之多少？") == "%" and asked_unit("What percentage of the fund?") == "%"
    assert has_number_in("持有不低于百分之七十的份额", "%") and has_number_in("不低于70%", "%")
    assert has_number_in("给予三成奖励", "%")
    assert not has_number_in("赋予不少于十年的科技成果使用权", "%")  # a term of years is no share
    assert asked_unit("成果完成人最低能占多少份额？") == ""  # a share of what is held, in any wording


def test_what_value_or_figure_asks_a_number_in_english() -> None:
    assert ask_kind("What value does the report give for the ratio today?") == "number"
    assert ask_kind("What figure does the plan set for 2025?") == "number"
    assert ask_kind("What does the plan say about data?") != "number"
    assert ask_kind("What RMB figure does the opinion set as the 2027 target?") == "number"
    assert ask_kind("Which mandatory national standard (standard number) must labels follow?") == "number"
    assert ask_kind("What filing number must the provider display?") == "number"
    assert ask_kind("What 2025 target does the plan set for the share of the digital economy?") == "number"
    assert ask_kind("What numerical size is set for the core industry?") == "number"
    assert ask_kind("What transaction service fee or commission rate does the exchange charge?") == "number"
    assert ask_kind("What does the plan say about targets for data?") != "number"
    # an area asked what it is to become is a place, not a size; "which area" is no "which are"
    asked = "Which area does the regulation single out as its core zone, and what is that area supposed to become?"
    assert ask_kind(asked) != "number" and ask_kind(asked) != "list"
    assert ask_kind("What is the planned area of the park, in square kilometres?") == "number"


def test_a_short_form_has_the_passages_words_it_stands_for() -> None:
    words = passage_words("新制定国家标准和行业标准50项以上，推动技术改造和自主创新")
    assert long_form("国标", words) == "国家标准"
    assert long_form("技改", words) == "技术改造"
    assert long_form("老牌", words) == "" and not short_for("老牌", words)
    assert short_for("国标", words)


@pytest.mark.integration
def test_a_figure_beside_the_short_forms_words_answers(corpus_advisor: Advisor) -> None:
    """The standardization guide sets 50项以上 of 国家标准和行业标准 for 2026; the asker writes 国标行标,
    in a question too long for one sentence to match it well."""
    found = _check(
        corpus_advisor,
        "国家AI产业综合标准化体系建设指南给2026年定下的量化目标是什么：新定国标行标多少项，"
        "参与制定国际标准多少项，开展宣贯推广的企业多少家？",
    )
    assert found.grounded, found


def test_whether_a_text_was_amended_since_or_still_holds_is_asked() -> None:
    assert asks_amendment("这个条例是2011年的，之后有没有修订过？")
    assert asks_amendment("那条加计扣除的规定现在还适用吗？") and asks_amendment("现在还有效吗？")
    assert asks_amendment("Has the regulation been amended since 2011?")
    assert not asks_amendment("这个条例还适用于个人吗？")  # what it covers
    assert not asks_amendment("条例对数据交易有什么规定？")
    assert AMENDMENT.search("根据2018年9月21日…的决定第二次修正") and not AMENDMENT.search(
        "本条例自2011年8月1日起施行"
    )


@pytest.mark.integration
def test_a_text_without_a_record_of_amendment_does_not_say_whether_it_was_amended(
    corpus_advisor: Advisor,
) -> None:
    """浙江省数字经济促进条例 records its adoption in 2020 and nothing since."""
    verdict = _check(corpus_advisor, "浙江省数字经济促进条例2020年通过以后有没有修订过？现在还有效吗？")
    assert not verdict.grounded and verdict.reason == NO_STATE, verdict
    assert _check(corpus_advisor, "浙江省数字经济促进条例是哪次会议通过的？").grounded


def test_what_an_amendment_changed_is_asked() -> None:
    assert asks_changes("2021年那次修正，具体改了哪几条？") and asks_changes("新版改了哪些地方？")
    assert asks_changes("Which articles of the regulations were changed by the 2021 amendment?")
    assert asks_changes("Which articles did that amendment change?")
    assert not asks_changes("条例有没有修订过？") and not asks_changes("这个条例改变了什么管理方式？")
    assert not asks_changes("What does the regulation change for data brokers?")
    assert CHANGES.search("将第十六条修改为：") and not CHANGES.search("根据2021年9月29日…的决定修正")


@pytest.mark.integration
def test_a_consolidated_text_does_not_say_what_its_amendment_changed(corpus_advisor: Advisor) -> None:
    """A text's title page records that it was adopted (and amended), never which articles changed."""
    answer = corpus_advisor.ask("深圳经济特区人工智能产业促进条例后来修正时，具体改了哪几条？")
    assert not answer.grounded and NO_CHANGES in answer.text, answer.text
    verdict = _check(corpus_advisor, "Which articles of the Shenzhen AI industry regulations were amended?")
    assert not verdict.grounded, verdict


def test_a_grade_the_question_lists_beside_the_one_it_asks_is_a_sibling() -> None:
    passages = "中型专精特新企业评估关键要素 技术 20% … 小微型专精特新企业评估关键要素 技术 15%"
    asked = "报告给了中型和小微型企业的评估要素权重，那大型企业的权重怎么分配？"
    assert sibling_named("大型", asked, passages) == "中型"
    assert sibling_named("大型", "大型企业的评估要素权重怎么分配？", passages) == ""  # no grade listed
    assert sibling_named("中型", asked, passages) == ""  # it is there itself
    # a grade word that only shares the character (分级 beside 等级) is listed nowhere as a grade
    assert sibling_named("等级", "建立分级分类制度，具体划分为几个安全等级？", "实行分级分类管理") == ""


@pytest.mark.integration
def test_the_grade_the_report_leaves_out_is_refused(corpus_advisor: Advisor) -> None:
    verdict = _check(
        corpus_advisor, "报告给了中型和小微型专精特新企业的评估要素权重，那大型企业的权重是怎么分配的？"
    )
    assert not verdict.grounded and verdict.reason == SIBLING_ONLY, verdict
    assert _check(
        corpus_advisor, "报告给了中型和小微型专精特新企业的评估要素权重，中型企业的技术要素占多少？"
    ).grounded


def test_another_ordinal_of_the_thing_asked_about_is_not_it() -> None:
    passages = "以ChatGPT为代表的AIGC工具的出现，标志着人类生产效率出现了第二次脑力效率飞跃"
    assert sibling_of("一次", "那第一次脑力效率飞跃指的是什么？", passages) == "第二次"
    assert sibling_of("二次", "第二次脑力效率飞跃指的是什么？", passages) == ""  # it is there itself


@pytest.mark.integration
def test_another_ordinal_named_by_the_report_is_refused(corpus_advisor: Advisor) -> None:
    verdict = _check(corpus_advisor, "报告说AIGC带来了第二次脑力效率飞跃，那第一次脑力效率飞跃是什么？")
    assert not verdict.grounded and verdict.reason == SIBLING_ONLY, verdict
    assert "第一次" in verdict.missing


def test_a_text_that_repeals_another_records_nothing_about_itself() -> None:
    from advisor.retrieval.status import records_amendment

    assert not records_amendment("第六十二条 本条例自2021年3月1日起施行。《浙江省信息化促进条例》同时废止。")
    assert records_amendment(
        "根据2021年9月29日浙江省第十三届人民代表大会常务委员会第三十一次会议《关于修改…的决定》修正"
    )
    assert records_amendment("本办法自2023年3月1日起施行，有效期三年。")


def test_who_a_body_is_made_of_is_asked_and_stated() -> None:
    from advisor.retrieval.members import asks_members, states_members

    assert asks_members("这个机制由哪个部门牵头？成员单位有哪些？")
    assert asks_members("委员会由哪些专家组成？") and asks_members("Who sits on the ethics committee?")
    assert asks_members("Which departments are its members?")
    assert not asks_members("委员会负责什么工作？") and not asks_members("What do EU member states require?")
    assert not asks_members("Can members of the public inspect the register?")
    stated = _hit("成员单位由省直有关部门和郑州、洛阳、新乡市人民政府组成。")
    assert states_members([stated])
    assert not states_members([_hit("建立数字经济发展部际协调机制，加强形势研判，协调解决重大问题。")])


@pytest.mark.integration
def test_a_body_set_up_without_its_members_does_not_say_who_they_are(corpus_advisor: Advisor) -> None:
    verdict = _check(corpus_advisor, "十四五数字经济发展规划里的部际协调机制，成员单位有哪些？")
    assert not verdict.grounded and verdict.reason == NO_MEMBERS, verdict
