"""Which body acts, and what a question supposes (session 40): the bodies a department acts with and the
charge it holds (职责) are no part of the act asked; a sentence of the top passage that says the whole act
names the body doing it; a definition (以下统称…) says which body a name stands for; a sanction names the
consequence of a wrong; a copula or a verb of placing is no part of a document's name; 几 in a
supposition is "a few"; a list of organisations is answered by their names only."""

from __future__ import annotations

from advisor.retrieval.asks import ask_kind, asked_noun
from advisor.retrieval.bodies import asked_act
from advisor.retrieval.doc_names import unquoted_titles
from advisor.retrieval.figures import names_body
from advisor.retrieval.lexicon import names_kind
from advisor.retrieval.particulars import identifies


def test_fellow_bodies_and_a_charge_are_no_part_of_the_act_asked() -> None:
    acts = asked_act("园区的算力调度规则，是由哪个部门牵头会同其他部门制定的？")
    assert "其他" not in acts and "部门" not in acts
    assert asked_act("把数字技能写进干部培训，这是哪个部门的职责？") == []
    # … while the act itself still counts (受托 must be said; 管理 is any body's charge)
    assert asked_act("这个基金由哪家机构受托管理？") == ["受托"]


def test_a_sentence_of_the_top_passage_that_says_the_whole_act_names_the_body() -> None:
    question = "我们县的企业想用商标做抵押融资，按省里的条例，由哪个部门提供相应服务，银行又怎么配合？"
    top = "第二十条 鼓励金融机构开展知识产权质押业务。科技主管部门应当为办理知识产权质押提供相应的服务。"
    assert names_body(question, [], top)
    # … not a sentence that says the act with no body doing it
    assert not names_body(question, [], "第二十条 鼓励开展知识产权质押业务。办理质押时提供相应的服务。")


def test_a_definition_says_which_body_a_name_stands_for() -> None:
    text = "县级以上人民政府数据发展主管部门或者其确定的部门（以下统称公共数据主管部门）负责公共数据管理。"
    assert identifies("公共数据主管部门", text)
    assert not identifies("公共数据主管部门", "公共数据主管部门应当会同有关部门编制目录。")


def test_a_sanction_names_the_consequence_of_a_wrong() -> None:
    assert names_kind("后果", "有下列行为之一的，由有权机关责令改正，依法给予处分。")
    assert not names_kind("后果", "鼓励企业加大研发投入，提升创新能力。")


def test_a_copula_or_a_verb_of_placing_is_no_part_of_a_documents_name() -> None:
    assert unquoted_titles("申请测试牌照要先做的那项检测，是条例第几条规定的？") == []
    assert unquoted_titles("跨部门协调的安排写在规划的哪一章？") == []
    assert unquoted_titles("各单位自己编的信息化发展规划要报谁批？") == []
    # … a name after the copula is still a name
    assert unquoted_titles("这条规定出自的是北京市数字经济促进条例吗？") == ["北京市数字经济促进条例"]


def test_a_few_in_a_supposition_asks_no_number() -> None:
    question = "数据业务转给新公司后谁担责？如果几家企业一起处理同一批数据，又怎么分责任？"
    assert ask_kind(question) != "number"
    assert asked_noun(question) != "企业"
    # … while 几 the clause asks with stays a number
    assert ask_kind("如果要办备案，需要几个工作日？") == "number"


def test_organisations_on_a_list_are_answered_by_their_names() -> None:
    question = "办法允许委托专业机构做评估，主管部门认可的评估机构名单里有哪些机构？"
    assert not names_body(question, ["服务提供者可以自行或者委托专业机构开展安全评估。"], "")
    assert names_body(question, ["名单包括中国信息通信研究院等评估机构。"], "")


def test_a_city_asked_for_is_answered_by_a_city_not_by_the_provinces_a_plan_lists() -> None:
    from advisor.retrieval.places_named import names_other_place

    question = "成渝枢纽的数据中心集群具体落在哪个城市？"
    provinces = "在京津冀、长三角、贵州、内蒙古、甘肃、宁夏等地区布局国家枢纽节点。"
    assert not names_other_place(question, provinces, inside=False, city=True)
    assert names_other_place(question, "集群设在重庆市和贵阳市。", inside=False, city=True)
