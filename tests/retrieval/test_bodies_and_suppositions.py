"""Which body acts, and what a question supposes (session 40): the bodies a department acts with and the
charge it holds (职责) are no part of the act asked; a sentence of the top passage that says the whole act
names the body doing it; a definition (以下统称…) says which body a name stands for; a sanction names the
consequence of a wrong; a copula, a verb of placing, enjoying or providing is no part of a document's
name; 几 in a supposition is "a few"; organisations on a list are answered by their names only; a city
asked for by a city; people replaced by machines ask for no successor text; who sets a figure asks for a
body; a numbered list counts its items; the things asked, named by the top passage, are not deferred by
another; a qualified noun or a verb with its pronoun names nothing absent; where a thing appears is no
state of things; a list by any word for one; conditions and lists yet to be set out defer."""

from __future__ import annotations

from advisor.retrieval.asks import ask_kind, asked_noun
from advisor.retrieval.bodies import asked_act, names_body
from advisor.retrieval.doc_names import unquoted_titles
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
    # … and a city asked for with its county (哪个市县) is asked for by name too
    assert asked_noun("这些集群分别落在哪个市县？") == "城市"


def test_people_replaced_by_machines_ask_for_no_successor_text() -> None:
    from advisor.retrieval.status import asks_successor

    assert not asks_successor("上级文件是不是要工厂都用机器人把工人换掉？")
    assert not asks_successor("智能客服会不会取代人工？")
    assert asks_successor("这部办法到期以后被哪个文件替掉了？")


def test_a_verb_before_规定_makes_no_title() -> None:
    assert unquoted_titles("河南的芯片设计企业想享受规定的所得税减免，要满足什么前提？") == []


def test_who_sets_a_figure_asks_for_a_body_not_the_figure() -> None:
    assert ask_kind("市里出资设立产业基金，财政出多少钱的比例由谁来定？") == "who"
    assert ask_kind("补贴多少由谁来定？标准又是多少？") == "number"


def test_a_total_of_listed_items_is_counted_by_the_numbered_list() -> None:
    from advisor.retrieval.counted import totalled_by_list
    from advisor.types import Hit

    listed = Hit(
        chunk_id="c", doc_id="g", title="某指南", score=1.0,
        text="关键技术标准主要包括以下几类。\n\n**1. 语音识别标准。**规范……\n\n**2. 图像识别标准。**规范……",
    )  # fmt: skip
    prose = Hit(
        chunk_id="p", doc_id="g", title="某指南", score=1.0, text="关键技术标准包括语音识别、图像识别等标准。"
    )
    assert totalled_by_list("指南的关键技术标准一共分了多少类？", [listed])
    assert not totalled_by_list("指南的关键技术标准一共分了多少类？", [prose])
    assert not totalled_by_list("语音识别标准要求的识别率是多少？", [listed])  # no total asked


def test_an_edition_year_dates_the_text_not_a_figure() -> None:
    from advisor.retrieval.figures import years_of_figures

    assert years_of_figures("2024版国家标准化指南里一共列了多少类标准？") == []
    assert years_of_figures("到2025年算力规模要达到多少？") == ["2025"]


def test_the_things_asked_named_by_the_top_passage_are_not_deferred_by_another() -> None:
    from synthetic_passages import passages

    from advisor.retrieval.grounding import DEFERRED, assess

    texts = {
        "asked": "第十三条 产品上架前，经营者应当提交关于来源、用途等方面的说明材料以及第三方出具的合规报告。",
        "rules": "第八条 经营者上架产品的运行管理指南等业务规则由运营机构另行制定。",
    }
    hits, keyword = passages(texts, "某市交易办法")
    assert assess("产品上架前，经营者要提交哪些材料？", hits, keyword).grounded
    # … while a question on what the other passage defers stays deferred
    deferred = assess("经营者运行管理指南等业务规则有哪些内容？", hits[::-1], keyword)
    assert not deferred.grounded and deferred.reason == DEFERRED, deferred


def test_a_qualified_noun_or_a_verb_with_its_pronoun_names_nothing_absent() -> None:
    from advisor.index.keyword import KeywordIndex, tokenize
    from advisor.retrieval.absent import absent_terms

    texts = ["县级以上人民政府应当统筹安排专项资金。", "个人有权请求更正其个人信息。"]
    keyword = KeywordIndex(["a", "b"], [tokenize(t) for t in texts], [{}, {}])
    keyword.attach_texts(texts)
    assert absent_terms(["具体安排", "发现自己", "火星基地"], keyword) == ["火星基地"]
    assert absent_terms(["具体航线"], keyword) == ["具体航线"]  # … a qualified word no text uses is absent
    assert names_kind("特殊补贴", "对新型研发机构给予租金补贴。")
    assert not names_kind("特殊补贴", "对新型研发机构给予用地支持。")


def test_where_a_thing_appears_is_no_state_of_things_but_what_has_come_about_is() -> None:
    from advisor.retrieval.status import asks_status

    assert not asks_status("“众创空间”这个说法出现在条例的第几条？")
    assert not asks_status("这种理念体现在规划的哪一部分？")
    assert asks_status("目前有哪些城市已经开通了这项服务？")


def test_a_verb_of_providing_before_a_plans_name_opens_no_title() -> None:
    assert unquoted_titles("规定全市智慧城市发展规划由谁编制的是哪一条？") == []


def test_a_list_numbered_in_chinese_counts_its_items() -> None:
    from advisor.retrieval.counted import _chinese_number, totalled_by_list
    from advisor.types import Hit

    duties = Hit(
        chunk_id="c",
        doc_id="d",
        title="某办法",
        score=1.0,
        text="运营机构履行下列职责：（一）制定规则；（二）组织交易；（三）信息披露。",
    )
    assert totalled_by_list("办法第九条给运营机构列了多少项职责？", [duties])
    assert [_chinese_number(n) for n in ("九", "十", "十二", "二十", "三十四")] == [9, 10, 12, 20, 34]


def test_a_list_is_named_by_any_word_for_one_and_a_task_handed_by_any_body() -> None:
    from advisor.retrieval.bodies import names_body

    assert names_kind("名单", "省信息化主管部门定期向社会公布软件产品目录。")
    assert not names_kind("名单", "省信息化主管部门推广软件产品。")
    question = "把数据要素纳入核算的任务交给了哪个部门？"
    assert names_body(question, ["市统计部门应当探索建立数据要素统计核算制度。"], "")
    # … while a power granted is answered by the body it is granted to
    assert not names_body("公共数据授权给了哪家机构运营？", ["市人民政府可以开展公共数据授权运营。"], "")


def test_conditions_or_lists_yet_to_be_set_out_defer_the_question() -> None:
    from advisor.retrieval.figures import defers_after

    assert defers_after(
        "从事培训要具备的条件具体有哪些？", "从事信息化培训活动的，应当具备国家和省规定的条件。"
    )
    assert defers_after("认可目录里收录了哪些证书？", "升级国际职业资格认可目录，推动证书互认。")
    assert defers_after(
        "负面清单里有哪些数据？", "运营机构应当制定数据交易规范、数据流通交易负面清单和谨慎清单。"
    )
    assert not defers_after(
        "交易规范有哪些内容？", "运营机构应当制定数据交易规范、数据流通交易负面清单和谨慎清单。"
    )
    assert asked_noun("基础设施集中布局在哪里？还要汇聚哪些力量？") == ""


def test_a_list_to_be_drawn_up_defers_what_it_holds_not_which_lists_there_are() -> None:
    from advisor.retrieval.figures import defers_after

    text = "运营机构应当制定数据交易规范、数据流通交易负面清单和谨慎清单。"
    assert defers_after("负面清单里有哪些数据？", text)
    assert not defers_after("运营机构要制定哪几项规范和清单？", text)
