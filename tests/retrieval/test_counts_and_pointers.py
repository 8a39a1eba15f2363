"""How a question's counts and pointers are read (session 38): votes and credits are counted, never
listed; 第几条 asks where, not how many; a kind named by a list ending in 等 or by a word jieba does not
know; a measure pointed at (这项措施) is no document; a national text's short name with its level and tag
moved; who draws up a list the text defers to is answered by the deferring clause."""

from __future__ import annotations

from advisor.retrieval.asks import ask_kind, asked_noun
from advisor.retrieval.doc_names import stands_for, unquoted_titles
from advisor.retrieval.grounding import Grounding, assess
from advisor.retrieval.lexicon import names_kind
from advisor.retrieval.units import asked_unit, has_number_in
from advisor.service import Advisor


def test_votes_and_credits_are_counted_in_their_own_measure() -> None:
    question = "学生给开源项目提交一次代码能折算几个学分？"
    assert ask_kind(question) == "number"
    assert asked_unit(question) == "学分"
    assert not has_number_in("鼓励高校将开源贡献纳入学生学分认证。", "学分")
    assert has_number_in("每门课程计2个学分。", "学分")
    assert ask_kind("每一股特别表决权股份最多对应几票表决权？") == "number"
    assert ask_kind("这项工作由几个部门负责？") == "list"  # 几个 before a body still counts a list
    assert ask_kind("创始团队想让创始人手里多几票投票权，当地条例支持吗？") == "yesno"  # a few more


def test_which_article_asks_where_a_thing_is_said_not_a_list() -> None:
    assert ask_kind("上海数据条例是在第几条规定重要数据目录的？") != "list"
    assert ask_kind("条例规定了哪几条义务？") == "list"


def test_a_kind_is_named_by_a_list_ending_in_its_head_word() -> None:
    text = "支持保险机构开发科技保险、出口信用保险、专利保险等产品，为科技企业提供风险保障。"
    assert names_kind("保险产品", text)
    assert not names_kind("保险产品", "支持保险机构为科技企业提供风险保障。")


def test_a_noun_jieba_does_not_know_is_named_where_its_characters_stand_as_a_word() -> None:
    assert names_kind("专板", "支持北京股权交易中心专精特新专板建设，支持企业挂牌融资。")
    assert not names_kind("专板", "支持企业在多层次资本市场挂牌融资。")


def test_what_a_thing_depends_on_is_whatever_the_text_makes_it_depend_on() -> None:
    assert asked_noun("政务服务能不能搞无人干预的自动审批？前提是什么？") == ""


def test_a_measure_pointed_at_is_no_document() -> None:
    assert unquoted_titles("北京数字人才方案里“优化人才流动机制”这项措施由哪几个部门负责？") == []


def test_a_national_texts_short_name_may_put_its_level_first_and_its_tag_anywhere() -> None:
    title = "“十四五”数字经济发展规划"
    assert stands_for("国家数字经济“十四五”规划", title)
    assert not stands_for("国家数字经济“十五五”规划", title)
    assert not stands_for("国家人工智能“十四五”规划", title)


def test_who_draws_up_a_deferred_list_is_answered_by_the_deferring_clause(corpus_advisor: Advisor) -> None:
    r = corpus_advisor.retriever()

    def check(question: str) -> Grounding:
        return assess(question, r.retrieve(question, k=corpus_advisor.settings.top_k), r.snapshot.keyword)

    lead = "北京政府投资的信息化项目不符合流程管理要求的不予立项，"
    assert check(lead + "具体办法由哪个部门制定？办法要经过哪些审批？").grounded
    # … while what the rules the text defers to hold is still left to them
    assert not check(lead + "具体办法包括哪些内容？").grounded
