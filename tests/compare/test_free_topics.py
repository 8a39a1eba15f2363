"""Free-text topics and liability chapters (issue 16, fresh dev cells c122–c151): a phrase said in the
texts' other words or order still finds its clauses, a chapter joining 监督检查 and 法律责任 does not make
its duties liability clauses, and a topic the texts name only in passing, but in several articles, is not
reported as missing.

The clauses were read from the policy texts (the tests' fixed corpus: national texts, 深圳, 北京, 浙江)."""

from __future__ import annotations

import pytest

from advisor.compare import NATIONAL, find_measures
from advisor.compare.aboutness import has_core, liability, mentions, topic_score
from advisor.compare.cache import caching
from advisor.compare.choose import PASSING
from advisor.compare.choose import diverse as _diverse
from advisor.compare.topics import topic
from advisor.render.compare_types import Measure
from advisor.retrieval.hybrid import Retriever
from advisor.service import Advisor

GENAI = "生成式人工智能服务管理暂行办法"
LABELING = "人工智能生成合成内容标识办法"
FYP = "“十四五”数字经济发展规划"


@pytest.fixture(scope="module")
def lib(corpus_advisor: Advisor) -> Retriever:
    return caching(corpus_advisor.retriever())


def _m(quote: str, article: str, doc: str = "d1") -> Measure:
    return Measure(
        region="某省", topic="税收优惠", action=quote[:10], quote=quote, doc_id=doc, title="某条例",
        article=article, chunk_id=f"{doc}-{article}",
    )  # fmt: skip


# ------------------------------------------------------------------------------ rules, no index


def test_a_phrase_said_in_other_order_counts_as_the_phrase() -> None:
    t = topic("内容标识")
    said = "服务提供者应当对生成合成内容添加显式标识。"
    assert has_core(t, said) and mentions(t, said) == 1
    # the words in one sentence weigh as the phrase itself (core 2 + its two words)
    assert topic_score(t, said) == topic_score(t, "应当添加内容标识。") == 4.0
    # … but not words in two different sentences
    apart = "服务提供者应当核验内容。用户应当使用标识功能。"
    assert topic_score(t, apart) == 2.0 and mentions(t, apart) == 0


def test_a_heading_may_complete_a_phrase() -> None:
    t = topic("个人信息保护")
    article = "第十八条 处理个人信息的，应当取得个人同意。"
    assert not has_core(t, article)
    assert has_core(t, article, "第二章 数据权益保障 > 第二节 个人信息特别保护")
    # the heading alone makes no clause about the topic
    assert not has_core(t, "第十七条 市场主体应当依法处理数据。", "第二节 个人信息特别保护")


def test_a_phrase_in_the_texts_other_words() -> None:
    """深圳经济特区数据条例 writes 个人数据 where the national laws write 个人信息."""
    t = topic("个人信息保护")
    assert "个人数据保护" in t.core
    assert has_core(t, "建立健全个人数据保护监督管理联合工作机制")
    assert topic("研发投入").core == ("研发投入", "研究开发投入")
    assert len(topic("个人信息保护, 数据交易").facets) == 2  # a variant is no part of its own


def test_an_english_phrase_keeps_all_its_parts() -> None:
    """The glossary renders cross-border data as 跨境 alone; 数据 跨境 together say it better."""
    t = topic("cross-border data")
    assert "跨境" in t.core and ("跨境", "数据") in t.together
    assert topic_score(t, "健全完善数据跨境流动安全管理相关制度规范。") > topic_score(t, "大力发展跨境电商。")


def test_only_a_liability_chapter_makes_liability_clauses() -> None:
    duty = "提供者应当按照国家有关规定开展安全评估，并履行算法备案手续。"
    assert not liability("第四章　监督检查和法律责任 > 第十七条", duty)
    assert not liability("第四章 监督检查与法律责任", duty)
    assert liability("第九章  法律责任 > 第六十五条", duty)
    assert liability("第三章 服务规范", "违反本办法规定的，由有关主管部门依照职责予以处罚。")


def test_a_topic_named_in_passing_in_several_articles_is_not_missing() -> None:
    one = _m("并依据国家规定享受税收优惠。", "第二十一条")
    two = _m("按照国家有关规定享受相关税收优惠政策。", "第二十七条", doc="d2")
    assert _diverse([(PASSING, one, frozenset())], 3) == []  # one passing mention makes no cell
    assert _diverse([(PASSING, one, frozenset()), (PASSING, two, frozenset())], 3) == [one, two]


# ------------------------------------------------------------------------------ over the real index


def test_a_duty_in_a_chapter_that_also_holds_liability_is_listed(lib: Retriever) -> None:
    """生成式人工智能服务管理暂行办法 第十七条 (algorithm filing) stands in 第四章 监督检查和法律责任."""
    found = find_measures(lib, NATIONAL, "算法备案", limit=3, extra=3)
    assert any(m.title == GENAI and m.article == "第十七条" for m in found), [
        (m.title, m.article) for m in found
    ]


def test_a_phrase_in_other_order_finds_its_article(lib: Retriever) -> None:
    """标识办法 第五条 (在生成合成内容的文件元数据中添加隐式标识) never writes 内容标识 as one word."""
    found = find_measures(lib, NATIONAL, "内容标识", limit=3, extra=3)
    assert any(m.title == LABELING and m.article == "第五条" for m in found), [
        (m.title, m.article) for m in found
    ]


def test_an_english_topic_finds_the_clause_naming_all_its_parts(lib: Retriever) -> None:
    found = find_measures(lib, NATIONAL, "cross-border data", limit=3, extra=3)
    assert any(m.title == FYP and "数据跨境流动安全管理" in m.quote for m in found), [
        (m.title, m.quote[:30]) for m in found
    ]


def test_an_english_topic_is_one_phrase_about_its_specific_part() -> None:
    """ "AI content labeling" is about 标识: 人工智能, which every national text names, only supports it."""
    t = topic("AI content labeling")
    assert t.core == ("标识",) and "人工智能" in t.related and not t.facets
    assert topic_score(t, "服务提供者应当对生成合成内容添加显式标识。") > topic_score(
        t, "推动人工智能赋能千行百业。"
    )
    assert "电子政务" in topic("e-government").core


def test_a_purpose_clause_or_a_transmittal_notice_is_never_a_measure(lib: Retriever) -> None:
    found = find_measures(lib, NATIONAL, topic("AI content labeling"), limit=3, extra=3)
    assert found and all(m.title == LABELING or "标识" in m.quote for m in found)
    for m in found:
        assert "制定本办法" not in m.quote and "印发给你们" not in m.quote, m


def test_a_long_typed_phrase_is_named_by_its_rare_words() -> None:
    t = topic("创新容错免责机制")
    assert {"容错", "免责"} <= set(t.core)  # each names the topic …
    assert "创新" not in t.core and "机制" not in t.core  # … the everyday words only support it
    assert has_core(t, "第四十八条 本市建立科技创新容错机制，激发创新主体的积极性。")
    assert set(topic("数字孪生").core) == {"数字孪生"}  # a short phrase is named as written


def test_a_broad_policy_term_is_named_by_the_instruments_under_it() -> None:
    """河南省促进高新技术产业发展条例 grants 加计扣除 and a 百分之十五的税率 without saying 税收优惠."""
    t = topic("税收优惠")
    assert {"税收优惠", "加计扣除", "企业所得税"} <= set(t.core)
    assert has_core(t, "按照研究开发费用的百分之五十加计扣除")
    assert "加计扣除" in topic("tax incentives").core  # … typed in English too
    assert not has_core(topic("数字孪生"), "按照研究开发费用的百分之五十加计扣除")


@pytest.mark.integration
def test_a_long_typed_topic_finds_the_clauses_of_its_rare_word(lib: Retriever) -> None:
    found = find_measures(lib, NATIONAL, "AI生成内容标识", limit=3)
    assert found and all("标识" in m.quote for m in found), [m.quote for m in found]


def test_two_phrases_joined_by_and_are_two_parts_of_the_topic() -> None:
    t = topic("人才评价与职称改革")
    assert t.core == ("人才评价", "职称改革") and len(t.facets) == 2
    assert len(topic("数据和算力").facets) == 2
    assert topic("产学研").core == ("产学研",)  # no 与/和/及 between two phrases: one phrase


def test_older_texts_say_information_where_newer_ones_say_data() -> None:
    """山东省信息化促进条例 (2007) writes 政务信息交换 and 信息资源共享."""
    t = topic("政务数据共享")
    assert has_core(t, "建立健全政务信息共享机制")
    assert has_core(t, "推动政务部门之间的信息资源共享")


def test_a_market_word_is_named_by_the_texts_official_word() -> None:
    """深圳市数据交易管理暂行办法 says 数据商 for what the market calls a 数据经纪人; the labelling rules
    say 标识 for a 水印."""
    assert "数据商" in topic("数据经纪人").core
    assert "标识" in topic("AI生成的图片视频要打水印").core


def test_an_english_topic_the_glossary_lacks_is_read_through_the_dictionary(lib: Retriever) -> None:
    """No glossary phrase renders "price discrimination": CC-CEDICT's 价格 and 歧视 written as one word
    find 深圳 AI 条例 第七十二条 (…实施价格歧视…), and a one-word topic is its renderings."""
    found = find_measures(
        lib, "深圳市", "algorithmic price discrimination against consumers", limit=3, extra=3
    )
    assert any("价格歧视" in m.quote and m.article == "第七十二条" for m in found), [
        (m.article, m.quote[:30]) for m in found
    ]
    assert "补贴" in topic("subsidies").core


def test_an_english_topic_of_policy_abbreviations_is_read_as_policy_terms() -> None:
    """IP in a policy topic is intellectual property (知识产权), a pledge is 质押: never 网际协定 or 发誓."""
    t = topic("IP pledge financing")
    assert "知识产权质押" in t.core
    assert not any("网际" in w or "誓" in w for w in (*t.core, *t.related))


def test_an_english_word_outside_the_glossary_is_read_in_the_senses_the_texts_use(lib: Retriever) -> None:
    """CC-CEDICT's shortest senses of "flow" (外流, 心流, 抛洒 …) and "broker" (仲介, 掮客 …) are words the
    policy texts never use; with the corpus's index, a topic takes the senses the texts do use (流动), and
    none they do not (the fixed corpus has no 经纪: broker then adds no sense at all)."""
    keyword = lib.snapshot.keyword
    flows, broker = topic("cross-border data flows", keyword), topic("data broker", keyword)
    assert "流动" in flows.core and "心流" not in flows.core
    assert "掮客" in topic("data broker").core and "掮客" not in broker.core
    assert all(keyword.knows(w) for w in flows.core if w not in topic("cross-border data flows").core)


def test_an_english_topic_word_the_texts_never_say_is_reported(corpus_advisor: Advisor) -> None:
    """ "sandbox" has no rendering the texts use: the cells are searched without it, and the notes say so
    rather than let an empty cell read as "the region has nothing"."""
    from advisor.compare import compare
    from advisor.compare.coverage import unread_words

    keyword = corpus_advisor.retriever().snapshot.keyword
    assert unread_words("regulatory sandbox", keyword) == ["sandbox"]
    assert unread_words("talent housing", keyword) == []  # both words are the texts' (人才, 住房)
    assert unread_words("数据跨境", keyword) == []
    comp = compare(corpus_advisor.retriever(), ["深圳"], ["regulatory sandbox", "人才"])
    notes = [n for n in comp.notes if "sandbox" in n]
    assert len(notes) == 1 and "regulatory sandbox" in notes[0]


def test_the_article_that_gives_a_department_the_work_is_organisation() -> None:
    """杭州市智慧经济促进条例 第六条 names no 协调机制 or 领导, only who does the work."""
    t = topic("组织保障")
    assert has_core(t, "第六条 市经济与信息化主管部门负责组织拟定并实施智慧经济发展战略。")
    assert not has_core(t, "第二十条 鼓励企业开展数据技术研发。")
