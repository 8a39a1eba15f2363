"""What blind batch 54 taught (session 43): a question about a text another leaves to be made (…办法由市人民
政府另行制定，这个办法出台了吗; measures to be issued separately — under those measures) asks what no text of
the corpus says, and the deferring text's title page does not answer it; periods offered as the answer's
alternatives (每季度一次还是每年一次, quarterly or annually) ask a period, which 定期 does not give."""

from __future__ import annotations

from synthetic_passages import passages

from advisor.retrieval.asks import ask_kind
from advisor.retrieval.figures import asks_period
from advisor.retrieval.grounding import NO_FIGURE, assess
from advisor.retrieval.refusal import NOT_YET_MADE
from advisor.retrieval.status import asks_unmade_text

_DEFERRING = {
    "defers": "第三十条 市人民政府应当建立数据分级保护制度。重要数据的具体目录由市人民政府另行制定。",
    "other": "第三十一条 数据处理者应当建立数据安全管理制度，定期开展风险评估。",
}


def test_a_question_about_a_text_yet_to_be_made_asks_what_no_text_says() -> None:
    assert asks_unmade_text("条例说重要数据的具体目录由市政府另行制定，这个目录出台了吗？")
    assert asks_unmade_text("条例说重要数据的具体目录由市政府另行制定，那份目录里有哪些数据？")
    assert asks_unmade_text("市政府另行制定的重要数据目录，列了哪些数据？")
    assert asks_unmade_text(
        "The regulation says the catalogue of important data will be issued separately. "
        "Which data are listed under those rules?"
    )
    # … not a question that only says what the text leaves to another and asks what the text itself says
    assert not asks_unmade_text("条例说具体目录另行制定，那条例本身要求建立什么保护制度？")
    assert not asks_unmade_text("重要数据的目录由谁来制定？")


def test_a_text_yet_to_be_made_is_refused_with_its_own_reason() -> None:
    hits, keyword = passages(_DEFERRING, "某市数据条例")
    asked = assess("某市数据条例说重要数据的具体目录由市人民政府另行制定，这个目录出台了吗？", hits, keyword)
    assert not asked.grounded and asked.reason == NOT_YET_MADE, asked
    # … while what the deferring article itself provides is answered
    assert assess("某市数据条例要求市人民政府建立什么数据保护制度？", hits, keyword).grounded


def test_periods_offered_as_alternatives_ask_a_period() -> None:
    for asked in (
        "条例说定期开展风险评估，这里的定期是每季度一次还是每年一次？",
        "风险评估是半年做一次还是一年做一次？",
        "Must the risk assessment be done quarterly or annually?",
        "评估报告是 quarterly 还是 annually 提交？",
    ):
        assert asks_period(asked), asked
        assert ask_kind(asked) == "number", asked
    # … not alternatives that are no periods (一次性的还是每年都要加: once, or every year)
    assert not asks_period("这笔奖励是一次性的还是每年都要加？")
    assert ask_kind("监管思路是偏松还是偏严？") != "number"


def test_regularly_does_not_say_how_often() -> None:
    hits, keyword = passages(_DEFERRING, "某市数据条例")
    asked = assess(
        "某市数据条例说数据处理者定期开展风险评估，是每季度一次还是每年一次？", hits[::-1], keyword
    )
    assert not asked.grounded and asked.reason == NO_FIGURE, asked
    # … while a passage that gives the period answers
    given = {"other": "第三十一条 数据处理者应当建立数据安全管理制度，每年开展一次风险评估。"}
    hits, keyword = passages(given, "某市数据条例")
    assert assess("某市数据条例说数据处理者开展风险评估，是每季度一次还是每年一次？", hits, keyword).grounded


def test_conditions_asked_are_deferred_by_a_text_that_only_says_prescribed_conditions() -> None:
    from advisor.retrieval.conditions import asks_conditions
    from advisor.retrieval.refusal import DEFERRED

    assert asks_conditions("What exactly are the city's conditions for waiving liability?")
    assert asks_conditions("免责需要满足哪些条件？")
    assert not asks_conditions("免责由哪个部门决定？")
    texts = {"waiver": "第五十七条 在推进改革创新中出现失误，符合规定条件的，可以免除或者从轻、减轻责任。"}
    hits, keyword = passages(texts, "某市数字经济促进条例")
    vague = assess("某市数字经济促进条例对改革创新中的失误免责，具体条件是什么？", hits, keyword)
    assert not vague.grounded and vague.reason == DEFERRED, vague
    # … while a text that sets the conditions out answers
    listed = {
        "waiver": "第五十八条 在推进改革创新中出现失误，同时符合下列条件的，可以免除责任：（一）符合法律法规的规定；"
        "（二）履行了民主决策程序；（三）未谋取私利。"
    }
    hits, keyword = passages(listed, "某市数字经济促进条例")
    assert assess("某市数字经济促进条例对改革创新中的失误免责，具体条件是什么？", hits, keyword).grounded


def test_whether_a_measurable_thing_has_a_standard_asks_a_figure() -> None:
    assert ask_kind("免费无线网络的单次使用时长有没有标准？") == "number"
    assert ask_kind("公共场所的网速有没有最低要求？") == "number"
    # … not whether a thing that is no quantity has one
    assert ask_kind("人工智能产品有没有标准？") != "number"


def test_which_person_holds_an_office_asked_by_a_body_or_in_brackets() -> None:
    from advisor.retrieval.particulars import asked_role

    assert asked_role("协调小组的组长由哪个部门或哪位市领导担任？") == ("组长",)
    assert asked_role("协调小组的 team leader（组长）由谁担任？") == ("组长",)
    assert asked_role("协调小组由哪些部门组成？") == ()


def test_percentage_points_asked_are_a_figure_not_a_list() -> None:
    assert ask_kind("保荐费一般按交易额的几个百分点收取？") == "number"
    assert ask_kind("规划分几个方面部署？") == "list"


def test_which_item_of_a_plan_is_answered_by_its_numbered_part() -> None:
    from advisor.retrieval.particulars import asks_where_stated, numbered_part

    assert asks_where_stated("方案中“健全人才工作体系”是第几项措施？")
    asked = "方案中“健全人才工作体系”是第几项措施？"
    assert numbered_part("某市实施方案 > 五、加强组织保障体系建设", asked)
    assert numbered_part("某市实施方案 > （十）升级职业资格认可目录", asked)
    assert not numbered_part("某市实施方案 > 目标任务", asked)
    # … while an article asked for (是第几条) is not answered by a plan's part
    assert not numbered_part("某市实施方案 > 五、加强组织保障体系建设", "这是第几条？")
    # … and the article a question asks for is no thing to be named (哪一条专门讲…: its number answers)
    texts = {"art": "第三十条 本市推进科学中心建设，由市发展改革部门会同有关部门协调推进。"}
    hits = [h.model_copy(update={"section": "第三章 > 第三十条"}) for h in passages(texts, "某市条例")[0]]
    keyword = passages(texts, "某市条例")[1]
    assert assess("某市条例哪一条专门讲科学中心建设？由谁协调推进？", hits, keyword).grounded
