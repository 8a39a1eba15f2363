"""What blind batch 56 taught (session 44): a time point asked (什么时间点) is a when, answered by a time after
an event; 规定在第几条 is a verb, not a document's name; a plan's 第一条措施 is its first measure, no article;
类型 asks a kind, it is no grade beside 新型; a figure said of another manner of a thing (显式标识) is not the
one asked (隐式标识); the corpus's word one character shorter (住宅区) names what
the asker's (住宅小区) does; an amount asked with an English magnitude (多少 trillion 元) is in 元."""

from __future__ import annotations

from synthetic_passages import passages

from advisor.index.keyword import KeywordIndex, tokenize
from advisor.retrieval import register
from advisor.retrieval.absent import absent_terms
from advisor.retrieval.doc_names import unquoted_titles
from advisor.retrieval.figures import states_answer
from advisor.retrieval.grounding import NO_FIGURE, assess
from advisor.retrieval.lexicon import for_another_grade, sibling_named
from advisor.retrieval.named_things import articles_named
from advisor.retrieval.units import asked_unit


def test_a_time_point_asked_is_answered_by_a_time_after_an_event() -> None:
    asked = "系统故障来不及提前通知用户的，事后应当在什么时间点通知？"
    said = states_answer(asked, "date", "")
    assert said("运营者应当在故障排除后及时通知用户。")
    assert not said("运营者应当建立故障通知制度。")
    # … while a calendar date asked still needs a date
    assert not states_answer("这项制度是哪一年建立的？", "date", "")("运营者应当在故障排除后及时通知用户。")


def test_a_time_point_question_is_answered_from_the_passage_that_says_after_what() -> None:
    hits, keyword = passages(
        {
            "notice": "第九条 因系统故障无法事前通知用户的，运营者应当在故障排除后及时通知用户。",
            "other": "第十条 运营者应当建立用户投诉处理制度。",
        },
        "某市平台服务条例",
    )
    assert assess(
        "按某市平台服务条例，系统故障无法事前通知用户的，运营者要在什么时间点通知用户？", hits, keyword
    ).grounded


def test_provided_in_which_article_is_a_verb_not_a_title() -> None:
    assert unquoted_titles("某省条例里，重点企业研发费用加计扣除的衔接机制规定在第几条？") == []
    assert unquoted_titles("这项优惠规定于哪一条？") == []
    # … a name that ends in 规定 is still one
    assert unquoted_titles("互联网信息服务深度合成管理规定对标识有什么要求？") == [
        "互联网信息服务深度合成管理规定"
    ]


def test_a_plans_first_measure_is_no_article() -> None:
    assert articles_named("规划的保障措施里，第一条措施要建立什么机制？") == []
    assert articles_named("第二条举措和第三条任务分别是什么？") == []
    assert articles_named("条例第一条规定了什么？") == ["第一条"]
    assert articles_named("第十二条要求建立什么制度？") == ["第十二条"]


def test_a_kind_asked_is_no_grade_beside_the_one_the_question_names() -> None:
    haystack = "鼓励企业、新型研发机构在境外建设研发中心和联合实验室。"
    assert sibling_named("类型", "鼓励企业、新型研发机构在境外建哪些类型的平台？", haystack) == ""
    # … while a grade the question lists beside the one it asks still is one
    graded = "中型企业评估要素：技术20%。小微型企业评估要素：技术15%。"
    assert (
        sibling_named("大型", "报告给了中型和小微型企业的要素权重，大型企业的权重是多少？", graded) == "中型"
    )


def test_the_corpus_word_one_character_shorter_names_the_same_thing() -> None:
    texts = ["新建住宅区和商业楼宇应当配套建设通信设施。", "市人民政府应当统筹安排专项资金。"]
    keyword = KeywordIndex(["a", "b"], [tokenize(t) for t in texts], [{}, {}])
    keyword.attach_texts(texts)
    assert absent_terms(["住宅小区", "火星基地"], keyword) == ["火星基地"]
    # … but only one character inside the term: its ends are what it names (专项资金 ≠ 项资金)
    assert absent_terms(["专项基金库"], keyword) == ["专项基金库"]


def test_an_amount_with_an_english_magnitude_is_asked_in_yuan() -> None:
    assert asked_unit("2027年核心产业规模的目标是多少 trillion 元？") == "元"
    assert asked_unit("规划要求的投资是多少billion元？") == "元"
    assert asked_unit("条例规定要在多少个工作日内答复？") == "工作日"


def _refused_for_no_figure(texts: dict[str, str], title: str, question: str) -> None:
    hits, keyword = passages(texts, title)
    asked = assess(question, hits, keyword)
    assert not asked.grounded and asked.reason == NO_FIGURE, asked


def test_an_amount_in_yuan_is_not_answered_by_a_percentage() -> None:
    _refused_for_no_figure(
        {
            "goals": "到2027年，智能终端应用普及率超70%，智能经济核心产业规模快速增长。",
            "other": "加强人工智能基础研究，完善人才培养体系。",
        },
        "某某行动意见",
        "某某行动意见说2027年智能经济核心产业规模快速增长，具体目标是多少 trillion 元？",
    )


def test_a_childs_everyday_word_is_answered_by_the_official_one() -> None:
    hits, keyword = passages(
        {
            "minors": "第十条 提供者应当采取有效措施防范未成年人用户过度依赖或者沉迷生成式人工智能服务。",
            "other": "第十一条 提供者应当依法保护使用者的输入信息。",
        },
        "某某服务管理办法",
    )
    assert assess("某某服务管理办法要求怎样防止小孩子上瘾？", hits, keyword).grounded
    everyday = register.official_words("怎样防止小孩子上瘾")
    assert "未成年人" in everyday["小孩子"] and "沉迷" in everyday["上瘾"], everyday


_LOGS = {
    "logs": "第九条 用户申请提供不含显式标识的内容的，服务提供者应当依法留存相关日志不少于六个月。",
    "other": "第十条 服务提供者应当在内容中添加隐式标识。",
}


def test_a_figure_said_of_another_manner_of_the_thing_is_not_the_one_asked() -> None:
    assert for_another_grade("提供不含隐式标识的内容时，日志留存多少个月？", _LOGS["logs"])
    assert not for_another_grade("提供不含显式标识的内容时，日志留存多少个月？", _LOGS["logs"])
    assert not for_another_grade("日志留存多少个月？", _LOGS["logs"])
    assert not for_another_grade("条例要推动几级联动？", "推动部、市、区三级联动。")  # the grade asked
    # … nor the other grade the question names itself (it may be the one asked)
    assert not for_another_grade("给了显式标识和隐式标识的要求，显式标识的日志留存多少个月？", _LOGS["logs"])
    hits, keyword = passages(_LOGS, "某某标识办法")
    asked = assess("按某某标识办法，提供不含隐式标识的内容时，相关日志要留存多少个月？", hits, keyword)
    assert not asked.grounded and asked.reason == NO_FIGURE, asked
    assert assess(
        "按某某标识办法，提供不含显式标识的内容时，相关日志要留存多少个月？", hits, keyword
    ).grounded


def test_a_comma_before_a_unit_is_no_figure() -> None:
    from advisor.retrieval.figures import has_amount
    from advisor.retrieval.units import has_number_in

    sued = "侵害众多个人的权益的，人民检察院可以依法提起诉讼。"
    assert not has_number_in(sued, "人")
    assert has_number_in("受侵害人数达到1,000人以上的", "人")
    assert has_number_in("覆盖10万人", "人")
    assert not has_amount("补贴多少元？", "推动人工智能技术，元宇宙等新技术融合。")
    assert has_amount("补贴多少元？", "给予最高1,000万元补贴。")


def test_how_many_people_a_vague_word_means_is_not_answered_by_the_word() -> None:
    _refused_for_no_figure(
        {
            "suit": "第八十九条 违反本条例规定处理个人信息，侵害众多个人的权益的，人民检察院可以依法提起诉讼。",
            "other": "第九十条 本条例自公布之日起施行。",
        },
        "某市数据条例",
        "某市数据条例第八十九条说侵害众多个人的权益可以起诉，众多是指达到多少人以上？",
    )


def test_a_numeric_target_in_english_asks_a_figure_in_yuan() -> None:
    from advisor.retrieval.asks import ask_kind

    asked = "What is the numeric target, in trillion yuan, for the size of the core industries by 2027?"
    assert ask_kind(asked) == "number"
    assert asked_unit(asked) == "元"
    assert ask_kind("What does the plan say about the core industries?") != "number"


def test_what_a_repealed_text_used_to_provide_is_asked_of_that_text() -> None:
    from advisor.retrieval.named_things import hard_misses

    texts = {
        "repeal": "第四十条 本条例自2021年1月1日起施行。《某某市促进成果转化条例》同时废止。",
        "share": "第二十五条 完成人份额不低于百分之七十。",
    }
    hits, keyword = passages(texts, "某某市科技创新条例")
    keyword.attach_texts(list(texts.values()))
    haystack = "\n".join(h.text for h in hits)
    asked = "被同时废止的《某某市促进成果转化条例》原来给完成人的份额是多少？"
    assert "《某某市促进成果转化条例》" in hard_misses(asked, hits, haystack, keyword)


def test_a_situation_qualified_names_nothing_absent() -> None:
    texts = ["发生紧急情况时，安全员应当立即接管车辆。", "市人民政府应当统筹安排专项资金。"]
    keyword = KeywordIndex(["a", "b"], [tokenize(t) for t in texts], [{}, {}])
    keyword.attach_texts(texts)
    assert absent_terms(["突发状况", "突发情形", "火星基地"], keyword) == ["火星基地"]


def test_named_options_no_text_uses_are_no_answer_of_the_corpus() -> None:
    from advisor.retrieval.options import options_absent

    texts = ["隐式标识应当写入文件元数据。", "服务提供者应当遵守GB 45438规定。"]
    keyword = KeywordIndex(["a", "b"], [tokenize(t) for t in texts], [{}, {}])
    keyword.attach_texts(texts)
    assert options_absent("文件元数据应当采用 ABCD、XYZ 还是 QRS 哪一种格式？", keyword) == [
        "ABCD",
        "XYZ",
        "QRS",
    ]
    assert options_absent("Should the metadata use XYZ or QRS?", keyword) == ["XYZ", "QRS"]
    # … not when a text uses one of them, nor when no choice is asked, nor for a single name
    assert options_absent("应当符合 GB 还是 ISO 的要求？", keyword) == []
    assert options_absent("办法对 ABCD、XYZ 有要求吗？", keyword) == []
    assert options_absent("要不要用 XYZ 格式？还是别的？", keyword) == []


def test_what_an_evaluation_found_asks_how_things_stand() -> None:
    from advisor.retrieval.status import asks_status

    assert asks_status("发展改革委对这份规划做的中期评估得出了什么结论？")
    assert asks_status("Tell me what the mid-term evaluation found about the plan's targets.")
    assert asks_status("What did the mid-term evaluation of the plan conclude?")
    assert not asks_status("规划要求由谁组织开展评估？")


def test_a_texts_provisions_on_a_matter_are_no_title() -> None:
    asked = "河南条例和浙江条例，对工作人员违规的法律责任规定有什么不同？"
    assert all(not t.endswith("法律责任规定") for t in unquoted_titles(asked))
    assert unquoted_titles("国务院关于加快发展数字经济的若干规定里怎么说？") == [
        "国务院关于加快发展数字经济的若干规定"
    ]


def test_others_besides_those_named_of_a_thing_allowed_only_as_some_are_not_listed() -> None:
    from advisor.retrieval.counted import besides_only_some

    hits, _ = passages(
        {
            "some": "第七条 市数据委员会可以设立若干专业委员会。",
            "one": "第三十二条 市数据委员会设立公共数据专业委员会，负责公共数据管理。",
        },
        "某市数据条例",
    )
    assert besides_only_some("除了公共数据专业委员会，市数据委员会还设立了哪些专业委员会？", hits)
    # … not when a passage names another, nor when nothing is set aside
    named, _ = passages(
        {
            "two": "市数据委员会设立公共数据专业委员会和个人数据专业委员会。",
            **{"some": "可以设立若干专业委员会。"},
        },
        "某市数据条例",
    )
    assert not besides_only_some("除了公共数据专业委员会，还设立了哪些专业委员会？", named)
    assert not besides_only_some("市数据委员会设立了哪些专业委员会？", hits)


def test_a_title_that_ends_the_question_is_still_a_title() -> None:
    assert unquoted_titles("请介绍一下广东省人工智能产业数据安全管理规定") == [
        "广东省人工智能产业数据安全管理规定"
    ]
