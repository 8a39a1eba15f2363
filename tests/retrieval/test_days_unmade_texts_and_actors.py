"""What blind batches 51 and 52 taught (session 42): a supposition that goes on to ask yes or no (如果几家…，
能不能…) counts nothing; the asker's pronoun or a verb's direction (推荐自己的, 组织起来) is no act a body must
do; "which four bodies issued" asks about the document; a salary or a median is a figure; which day needs a
month, not a year in a document number or a plan's period; a catalogue yet to be made and improved, or a
text the passage says is yet to be made, defers a question on what it holds; an English question on
someone's educational background asks for 学历, and for a body's official name a text that gives one. Batch
53: the other four of a count asked in English, a duration or a size, and amend 了哪几条."""

from __future__ import annotations

from synthetic_passages import passages

from advisor.retrieval.asks import about_document, ask_kind
from advisor.retrieval.bodies import asked_act, names_body
from advisor.retrieval.counted import count_not_listed
from advisor.retrieval.figures import defers_after, states_answer
from advisor.retrieval.particulars import asked_role
from advisor.retrieval.status import asks_changes


def test_a_supposition_that_goes_on_to_ask_yes_or_no_counts_nothing() -> None:
    asked = "市里资助科研项目时，如果几家单位的技术路线差别很大，能不能同时立项？经费怎么分配？"
    assert ask_kind(asked) != "number"
    # … while 几 asked on its own still asks a number
    assert ask_kind("市里资助科研项目时，最多能有几家单位同时立项？") == "number"


def test_the_askers_pronoun_or_a_verbs_direction_is_no_act_to_find() -> None:
    assert asked_act("哪些单位可以推荐自己的技术负责人破格申报职称？") == ["可以", "推荐"]
    assert asked_act("协调机制要定期把哪些单位组织起来沟通交流？") == ["组织", "沟通"]
    sentence = "全国重点实验室、科技领军企业等单位可以按照规定推荐技术负责人破格申报相应层级职称。"
    assert names_body("哪些单位可以推荐自己的技术负责人破格申报职称？", [sentence], sentence)
    # the act itself must still be said: a sentence where units only apply names no one recommending
    other = "科技领军企业等单位可以按照规定申报相应层级职称。"
    assert not names_body("哪些单位可以推荐自己的技术负责人破格申报职称？", [other], other)


def test_which_bodies_issued_it_with_a_count_before_the_noun_asks_about_the_document() -> None:
    assert about_document("Which four government bodies jointly issued the 2024 standardization guide?")
    assert about_document("Which two national ministries issued these measures?")
    assert not about_document("Which four government bodies must the platform report to?")


def test_a_salary_or_a_median_is_a_figure() -> None:
    assert ask_kind("What is the median annual salary of an algorithm engineer in Beijing?") == "number"
    assert ask_kind("What is the average wage the plan reports for data annotators?") == "number"
    # … and a score asked of a place by its possessive (Shanghai's index score)
    assert (
        ask_kind("The rules require an index to be published. What was Shanghai's index score for 2022?")
        == "number"
    )


def test_which_day_needs_a_month_not_a_year() -> None:
    asks_day = states_answer("这份行动方案是哪天印发的？", "date", "")
    assert not asks_day("为贯彻落实《行动方案（2024-2026年）》（人社部发〔2024〕37号）等文件要求")
    assert asks_day("本方案于2024年5月12日印发。")
    # which year is answered by the year alone
    assert states_answer("这份行动方案是哪一年印发的？", "date", "")("人社部发〔2024〕37号，2024年印发")


def test_a_catalogue_yet_to_be_made_and_improved_defers_what_it_sorts() -> None:
    text = "市统计部门应当会同其他有关部门，制定和完善人工智能产业统计分类目录，有序开展统计调查。"
    assert defers_after("统计分类目录把人工智能产业划分为哪几个大类？", text)
    assert not defers_after("市统计部门要会同哪些部门开展统计调查？", text)


def test_a_text_the_passage_says_is_yet_to_be_made_defers_a_question_naming_it() -> None:
    text = (
        "第六十六条 市人民政府根据人工智能应用的风险等级实施分级、分类差异化监管。\n\n"
        "高风险的人工智能应用应当采用事前评估和风险预警的监管模式。中低风险的应用应当采用事前披露的监管模式。"
        "其他应用适用一般规定。\n\n人工智能应用分级分类监管办法由市人民政府另行制定。"
    )
    assert defers_after("“人工智能应用分级分类监管办法”把哪些人工智能应用列为高风险？", text)
    # a question that does not name the text yet to be made asks what the article itself says
    assert not defers_after("高风险的人工智能应用采用什么监管模式？", text)


def test_an_english_question_on_educational_background_asks_for_schooling() -> None:
    assert asked_role("Where did the think tank's head study, and what is his educational background?") == (
        "学历",
        "学位",
    )
    assert asked_role("What academic background must the reviewers have?") == ("学历", "学位")


def test_an_english_question_for_a_bodys_official_name_needs_a_text_that_gives_one() -> None:
    asks_name = ("名称", "全称", "简称")
    assert (
        asked_role('What is the official name of the "innovation promotion agency" the city sets up?')
        == asks_name
    )
    assert (
        asked_role("The regulations provide for a data exchange. What is that exchange's official name?")
        == asks_name
    )
    # the full name of a document is its title, which every passage carries
    assert asked_role("What is the full name of the 2024 standardization guide?") == ()


def test_the_other_items_of_a_count_asked_in_english_are_not_listed() -> None:
    hits, _ = passages(
        {"a": "全力打造包括新型电力装备集群、物联网集群等6个国际领先的先进制造业集群。"}, "报告"
    )
    asked = (
        "The report names the power-equipment cluster and the IoT cluster. What are the other four clusters?"
    )
    assert count_not_listed(asked, hits, ["集群"])
    # … while a count whose items a passage lists is answered
    listed, _ = passages({"a": "分别是供给方、需求方、学研方、投资方和政府方五大核心角色。"}, "报告")
    assert not count_not_listed(
        "Besides the government, what other four core roles does it name?", listed, ["角色"]
    )


def test_a_duration_or_a_size_asked_in_english_is_a_figure() -> None:
    assert (
        ask_kind("What minimum display duration does the rule require for the label on a video?") == "number"
    )
    assert ask_kind("What label size does the text require?") == "number"
    assert ask_kind("What size of enterprise does the plan support?") != "number"  # a kind of enterprise


def test_amend_asked_in_a_chinese_sentence_asks_what_changed() -> None:
    assert asks_changes("那次修正具体 amend 了哪几条？")
    assert not asks_changes("那次修正是哪一年通过的？")
