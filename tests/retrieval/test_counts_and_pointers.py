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


def test_which_bodies_carry_a_plans_item_is_its_closing_note() -> None:
    from advisor.qa.carriers import CARRIERS_TITLE, carriers_note, with_carriers
    from advisor.types import Hit

    text = (
        "（十二）优化人才流动机制。支持开展高层次数字人才出国（境）培训交流。促进数字人才资源顺畅有序流动。"
        "（市科委中关村管委会、市教委、市人力资源社会保障局）\n\n（十三）健全数字人才工作体系。"
    )
    hit = Hit(chunk_id="c1", doc_id="d1", title="某市数字人才实施方案", text=text, score=1.0)
    head = "（十二）优化人才流动机制。"
    note = "（市科委中关村管委会、市教委、市人力资源社会保障局）"
    assert carriers_note(hit, head, None) == (hit, note)
    asked = with_carriers("优化人才流动机制由哪几个部门负责？", [(hit, head, "")], None)
    assert asked[1] == (hit, note, CARRIERS_TITLE)
    # … only when asked who acts, and only a note naming bodies (a period in brackets names none)
    assert with_carriers("优化人才流动机制有哪些举措？", [(hit, head, "")], None) == [(hit, head, "")]
    dated = hit.model_copy(update={"text": "（一）总体目标。到2026年培养数字人才。（2024-2026年）\n"})
    assert carriers_note(dated, "（一）总体目标。", None) is None


def test_conditions_a_text_only_calls_the_prescribed_ones_are_left_to_other_rules() -> None:
    from advisor.retrieval.figures import defers_after

    text = "对探索中出现失误或者偏差，符合规定条件的，可以予以免除或者从轻、减轻责任。"
    assert defers_after("条例说符合规定条件的可以免责，到底要满足哪几项条件？", text)
    # … but not a question that asks what follows, not the conditions
    assert not defers_after("探索中出现失误，两地分别怎么免责？", text)


def test_a_cited_text_asked_about_after_its_number_or_its_scope_is_one_the_corpus_lacks(
    corpus_advisor: Advisor,
) -> None:
    from advisor.retrieval.named_things import hard_misses

    r = corpus_advisor.retriever()
    name = "《中华人民共和国网络安全法》"
    for question in (
        f"{name}（2016年通过），在全国层面提出了哪些关键信息基础设施保护要求？",
        f"{name}在网络运营者层面规定了哪些义务？",
    ):
        hits = r.retrieve(question, k=corpus_advisor.settings.top_k)
        haystack = "\n".join(h.text for h in hits)
        assert name in hard_misses(question, hits, haystack, r.snapshot.keyword), question


def test_which_organisation_asks_for_one_by_its_own_name() -> None:
    from advisor.retrieval.bodies import names_body

    question = "市里统一的服务管理平台由哪家单位负责运营？"
    government = "市人民政府统筹建设全市统一的服务管理平台，并负责平台运营管理。"
    assert not names_body(question, [government], government)
    named = "全市统一的服务管理平台由北京某某科技有限公司负责运营。"
    assert names_body(question, [named], named)
    # … a kind of organisation is no name (大数据相关的实验室, 专业机构)
    kind = "推动建设大数据相关的实验室、研究中心，并委托专业机构负责平台运营。"
    assert not names_body(question, [kind], kind)
    # … while which department acts is still answered by a department
    assert names_body("平台由哪个部门负责运营？", [government], government)


def test_a_texts_number_is_missing_where_neither_its_front_matter_nor_its_passages_give_one() -> None:
    from advisor.retrieval.doc_facts import number_missing
    from advisor.types import Hit

    regulation = Hit(
        chunk_id="c", doc_id="d", title="某市数据条例", text="第一条 为了…，制定本条例。", score=1.0
    )
    assert number_missing("《某市数据条例》的发文字号是什么？", [regulation])
    assert not number_missing("《某市数据条例》什么时候施行？", [regulation])
    numbered = regulation.model_copy(update={"meta": {"doc_number": "国发〔2025〕11号"}})
    assert not number_missing("《某市数据条例》的文号是什么？", [numbered])
    announced = regulation.model_copy(update={"text": "某市人民代表大会常务委员会公告第55号"})
    assert not number_missing("这部条例是以第几号公告公布的？", [announced])
