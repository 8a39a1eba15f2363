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
    """几个安全等级 asks how many grades, as 分几级 does: 分级分类 states no number of them, 五个等级 does."""
    from advisor.retrieval.asks import ask_kind

    q = "这项制度把服务提供者分成几个安全等级？各等级分别适用什么要求？"
    assert ask_kind(q) == "number" and asked_unit(q) == "级"
    says = states_answer(q, "number", "级")
    assert not says("网信部门建立算法分级分类安全管理制度，对算法推荐服务提供者实施分级分类管理。")
    assert says("评定结果分为五个等级。")
    assert says("实行三级联动机制。")


def test_what_a_text_mentions_publishing_is_no_date_of_the_text() -> None:
    """条例都提到发布应用场景清单 asks about a list the texts have published, not when they were."""
    from advisor.retrieval.asks import about_document

    assert not about_document("两部条例都提到发布应用场景清单，分别由哪个部门负责？")
    assert about_document("这份条例是哪天发布的？")
