"""How an everyday question's own words are read (session 37): a count is no grade, a stance or a meaning
is whatever the text says, a relation names no thing, asking whether something is enough asks the rules,
a place asked for is one the question does not name, an office asked for by its everyday name. Pure rules:
no index, except where the corpus's own words decide."""

from __future__ import annotations

from advisor.retrieval.absent import absent_terms
from advisor.retrieval.asks import asked_noun
from advisor.retrieval.bodies import does, names_body
from advisor.retrieval.doc_names import document_names
from advisor.retrieval.figures import defers_after, sentence_before
from advisor.retrieval.lexicon import sibling_named, sibling_of
from advisor.retrieval.particulars import asked_role
from advisor.retrieval.places_named import names_other_place
from advisor.retrieval.status import asks_status
from advisor.service import Advisor


def test_a_count_is_no_grade_of_a_word_sharing_its_measure_word() -> None:
    passage = "市人民政府应当优化网络基础设施建设协调机制，解决用电、用地、审批、入场等问题。"
    question = "我们准备上一批网络基础设施项目，卡在用电、用地和审批上，条例有没有要求市政府出面协调解决？"
    assert sibling_of("一批", question, passage) == ""
    assert sibling_named("一批", question, passage) == ""
    # … while a count's own siblings still are (第二批 beside 第一批)
    assert sibling_of("一批", "第一批试点城市有哪些？", "第二批试点城市名单") == "第二批"


def test_what_a_text_is_like_on_a_thing_asks_no_thing_to_be_named() -> None:
    assert asked_noun("深圳那个AI条例对这类产品是什么态度？") == ""
    assert asked_noun("信能比这个指标是什么意思？") == ""
    assert asked_noun("产业大数据枢纽要融合哪些要素？") == ""
    assert asked_noun("领导小组的组长是什么人？") == "组长"  # the office, still
    assert asked_noun("那家运营公司叫什么？") == "公司"


def test_a_city_asked_for_is_one_the_question_does_not_name_itself() -> None:
    question = "东数西算在甘肃的那个数据中心集群，具体落在哪个市？"
    assert asked_noun(question) == "城市"
    listing = "在京津冀、长三角、贵州、内蒙古、甘肃、宁夏等地区布局全国一体化算力网络国家枢纽节点。"
    assert not names_other_place(question, listing)  # 甘肃 again, and provinces beside it
    assert names_other_place(question, "建设甘肃庆阳数据中心集群。")
    assert names_other_place("节点布局在哪些城市？", "在贵阳、庆阳建设数据中心集群。")


def test_a_relation_to_another_thing_names_nothing_the_corpus_lacks(corpus_advisor: Advisor) -> None:
    keyword = corpus_advisor.retriever().snapshot.keyword
    assert absent_terms(["所在城市", "所属行业"], keyword) == []
    assert absent_terms(["太空电梯"], keyword) == ["太空电梯"]


def test_whether_doing_something_is_enough_asks_the_rules_not_a_state() -> None:
    assert not asks_status("平台给AI内容加了标识，是不是只满足这个办法就够了？还得符合什么要求？")
    assert not asks_status("企业备案就行了吗？")
    assert asks_status("数据交易所已经建好了？")


def test_a_name_after_is_in_is_the_documents_whole_name() -> None:
    question = "数字经济发展部际协调机制是在“十四五”数字经济发展规划的哪一部分提出的？"
    assert document_names(question) == ["“十四五”数字经济发展规划"]


def test_issuing_a_policy_is_said_by_any_verb_of_issuing() -> None:
    sentence = "市政府办公厅应当制定政策，鼓励和引导市场主体依法开展数据共享、开放、交易、合作。"
    assert does("出台", sentence)
    assert not does("出台", "市政府办公厅应当协调有关部门推进数据共享。")


def test_an_office_asked_for_by_its_everyday_name_must_be_written() -> None:
    assert asked_role("杭州市大数据管理机构现在的一把手是谁？") == ("一把手",)


def test_a_matter_whose_scope_a_body_is_to_set_is_left_to_it() -> None:
    text = "依法赋予张江科学城相关管理职权，具体事项范围由市人民政府确定并公布。"
    assert defers_after("上海市人民政府赋予张江科学城的管理职权，具体包括哪些事项？", text)
    assert not defers_after("张江科学城由谁赋予管理职权？", "依法赋予张江科学城相关管理职权。")


def test_the_body_asked_about_may_act_in_the_sentence_before_the_one_that_matches() -> None:
    text = (
        "第二十六条 完成自动驾驶汽车道路测试、示范应用，可以向市经济和信息化部门申请安全评估。"
        "通过安全评估的，可以按照有关规定申领自动驾驶车辆号牌，申请开展道路应用试点。"
    )
    question = "通过安全评估才能申请道路应用试点，这种安全评估向哪个部门申请？"
    assert "市经济和信息化部门" in sentence_before(question, text)
    assert names_body(question, [], text)
    # … but never the sentence before an article's first one: that is another article
    assert sentence_before("完成道路测试可以向哪个部门申请安全评估？", text) == ""


def test_a_place_the_question_names_is_not_another_under_its_other_name() -> None:
    question = "北京现在哪些区能坐无人驾驶出租车？"
    assert not names_other_place(question, "北京市人民政府统筹推进自动驾驶汽车发展。")
    assert names_other_place("示范区落在河南哪个市？", "以郑州、洛阳、新乡三个国家高新区为核心。")


def test_places_asked_by_name_are_which_places_not_a_thing_they_qualify() -> None:
    from advisor.retrieval.places_named import asks_place_by_name

    assert asks_place_by_name("首批试点地区有哪些？", "地区")
    assert asks_place_by_name("中试基地分别落在哪些城市？", "城市")
    assert not asks_place_by_name("最终是为哪个城市目标提供支撑？", "城市")
    assert not asks_place_by_name("各级政府建哪些管城市、管环境的智慧平台？", "城市")
