"""Asks the fixed word lists missed: a unit in Latin letters (几K的), grades counted (几个安全等级),
which several bodies (哪几个部门), a text that mentions publishing something."""

from __future__ import annotations

from advisor.retrieval.figures import states_answer
from advisor.retrieval.units import asked_unit


def test_a_unit_in_latin_letters_is_answered_by_a_figure_in_it() -> None:
    """多少K的 asks a figure in K: 8K高清视频 states it, though 8K alone names a thing, and 5G does not;
    letters that begin a noun (多少AI企业) are no unit."""
    q = "规划提到要融合的高清视频技术是多少K的？"
    assert asked_unit(q) == "K"
    says = states_answer(q, "number", asked_unit(q))
    assert says("深化人工智能、虚拟现实、8K高清视频等技术的融合")
    assert not says("加快5G网络建设，推进高清视频应用")
    assert asked_unit("本市有多少AI企业？") == ""


def test_which_several_departments_asks_who() -> None:
    """哪几个部门 asks who, as 哪些部门 does: the bodies that issued a text answer it."""
    from advisor.retrieval.asks import asks_who

    assert asks_who("这份指南是哪几个部门联合发布的？")
    assert asks_who("由哪几家单位负责？")
    assert not asks_who("这份指南分几个部分？")


def test_how_many_grades_with_a_word_between_asks_a_number_in_grades() -> None:
    """几个安全等级 asks how many grades, in 级 as 分几级 does: 分级分类 states no number of them, 五个等级 does."""
    q = "这项制度把服务提供者分成几个安全等级？各等级分别适用什么要求？"
    assert asked_unit(q) == "级"
    says = states_answer(q, "number", "级")
    assert not says("网信部门建立算法分级分类安全管理制度，对算法推荐服务提供者实施分级分类管理。")
    assert says("评定结果分为五个等级。")
    assert says("实行三级联动机制。")


def test_what_a_text_mentions_publishing_is_no_date_of_the_text() -> None:
    """条例都提到发布应用场景清单 asks about a list the texts have published, not when they were."""
    from advisor.retrieval.asks import about_document

    assert not about_document("两部条例都提到发布应用场景清单，分别由哪个部门负责？")
    assert about_document("这份条例是哪天发布的？")


def test_the_first_item_of_a_plans_part_is_no_missing_article() -> None:
    """A plan has no articles: 保障措施第一条 is the first item of that part, while 规划第五条 claims an
    article the plan does not have."""
    from advisor.index.keyword import KeywordIndex, tokenize
    from advisor.retrieval.named_things import hard_misses

    texts = {
        "p1": "十一、保障措施\n（一）加强统筹协调和组织实施。建立数字经济发展部际协调机制。",
        "p2": "三、重点任务\n（一）优化升级数字基础设施。",
    }
    meta = [{"doc_id": "plan", "title": "某某数字经济发展规划"} for _ in texts]
    keyword = KeywordIndex(list(texts), [tokenize(t) for t in texts.values()], meta)
    haystack = "\n".join(texts.values())
    item = "某某数字经济发展规划排在保障措施第一条的是什么内容？"
    assert "第一条" not in hard_misses(item, [], haystack, keyword)
    assert "第五条" in hard_misses("某某数字经济发展规划第五条规定了什么？", [], haystack, keyword)


def test_a_vehicles_breakdown_in_everyday_words_is_its_fault() -> None:
    """出了毛病 is the texts' 故障, 没实名 their 真实身份 (everyday words, official words)."""
    from advisor.retrieval import register

    words = register.official_words("无人车出了毛病怎么办？用户没实名能发内容吗？")
    assert "故障" in words["毛病"] and "真实身份" in words["实名"], words


def test_a_district_level_is_named_by_its_bodies() -> None:
    """区级 asked beside 市级: a text naming 区公共数据主管部门 speaks of the district level, one naming only
    市级 bodies does not."""
    from advisor.retrieval.lexicon import sibling_named

    question = "市级和区级分别由谁统筹？"
    both = "市政府办公厅负责统筹市级公共管理和服务机构。区公共数据主管部门负责统筹本区。"
    assert sibling_named("区级", question, both) == ""
    assert sibling_named("区级", question, "市级责任部门应当编制目录。") == "市级"


def test_from_what_date_a_text_is_in_force_asks_about_the_text() -> None:
    from advisor.retrieval.asks import about_document

    assert about_document("From what date is the city's data regulation in force?")
    assert not about_document("Is the regulation on data still in force?")


def test_why_a_text_names_only_some_asks_its_reason() -> None:
    """为什么只写省和宁波，而没有写杭州 asks why the drafters left one out: a reason, which texts rarely give."""
    from advisor.retrieval.rationale import asks_rationale

    assert asks_rationale("条例第二十六条为什么只写省政府和宁波市政府设立科学技术奖，而没有写杭州市？")
    assert not asks_rationale("这一条只写了省里，没有写市里吗？")  # no why: what it says


def test_breaking_the_rules_in_english_is_the_texts_violation() -> None:
    from advisor.retrieval.glossary import translate_terms

    assert "违反" in translate_terms("If a platform breaks the rules on labeling, who deals with it?")
    assert "违反" in translate_terms("What happens when a provider violates the measures?")
