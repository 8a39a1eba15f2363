"""Region and topic resolution: provinces, cities and the national level by the names the corpus uses;
ambiguity and bad input are errors that say what to write (never a guess)."""

from __future__ import annotations

import pytest

from advisor.compare import DEFAULT_TOPIC_NAMES, RegionError, TopicError, resolve_region, resolve_regions
from advisor.compare.topics import topic, topics


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("河南", "河南省"),
        ("河南省", "河南省"),
        ("深圳", "深圳市"),
        ("北京", "北京市"),
        ("浙江", "浙江省"),
        ("广西", "广西壮族自治区"),
        ("洛阳", "洛阳市"),
        ("全国", "全国"),
        ("national", "全国"),
        ("北京市朝阳区", "北京市"),  # a district's column is its city's
    ],
)
def test_regions_resolve_to_corpus_names(name: str, expected: str) -> None:
    assert resolve_region(name) == expected


def test_a_province_and_a_city_of_one_name_is_ambiguous() -> None:
    with pytest.raises(RegionError) as err:
        resolve_region("吉林")
    assert "吉林省" in err.value.candidates and "吉林省吉林市" in err.value.candidates
    assert "吉林省" in str(err.value) and "全称" in str(err.value)


def test_a_shared_city_name_lists_the_candidates() -> None:
    with pytest.raises(RegionError) as err:
        resolve_region("朝阳")
    assert any("辽宁省朝阳市" in c for c in err.value.candidates)


@pytest.mark.parametrize("bad", ["", "   ", "火星", "xyz"])
def test_unknown_regions_are_explained(bad: str) -> None:
    with pytest.raises(RegionError) as err:
        resolve_region(bad)
    assert "地区" in str(err.value) or "城市" in str(err.value)


def test_several_regions_keep_order_and_drop_duplicates() -> None:
    assert resolve_regions(["深圳 北京", "深圳市", "全国"]) == ["深圳市", "北京市", "全国"]
    with pytest.raises(RegionError):
        resolve_regions([])


def test_the_default_topics_are_the_issues_nine() -> None:
    assert list(DEFAULT_TOPIC_NAMES) == [
        "算力与基础设施",
        "数据要素",
        "人才",
        "资金与基金",
        "应用场景",
        "企业培育与招商",
        "研发与成果转化",
        "安全与伦理治理",
        "组织保障",
    ]
    assert [t.name for t in topics(None)] == list(DEFAULT_TOPIC_NAMES)


def test_a_free_text_topic_searches_its_own_words() -> None:
    t = topic("自动驾驶 测试")
    assert t.name == "自动驾驶 测试"
    assert "自动驾驶" in t.core
    assert topic("人才").name == "人才" and len(topic("人才").related) > 0


def test_a_topic_in_everyday_words_is_found_by_the_texts_official_ones() -> None:
    # a rare colloquial word names the topic through its official words; a common one only supports it
    slang = topic("大数据杀熟")
    assert {"差别待遇", "价格歧视"} <= set(slang.core)
    common = topic("公司上市")
    assert "企业" not in common.core and "企业" in common.related


@pytest.mark.parametrize("bad", ["", "的", "人" * 31, "data " * 13])
def test_bad_topics_are_explained(bad: str) -> None:
    with pytest.raises(TopicError):
        topic(bad)


def test_an_english_topic_of_a_few_words_is_not_too_long() -> None:
    """Thirty Chinese characters are a short phrase; so are five English words of 40 letters."""
    phrase = "cross-border personal data transfer rules"
    assert len(phrase) > 30
    assert topic(phrase).name == "cross-border personal data transfer rules"


def test_a_two_part_topic_has_a_facet_for_each_part() -> None:
    for t in topics(None):
        if "与" in t.name:
            assert len(t.facets) == 2, t.name
            assert all(t.facets), t.name
    assert topic("自动驾驶 测试").facets == (("自动驾驶",), ("测试",))
    assert topic("自动驾驶").facets == ()


def test_the_default_topics_know_the_measures_the_texts_word_their_own_way() -> None:
    """Clauses the texts write without the topic's usual words are still about it: the public sector
    using AI first opens scenarios, base stations and wireless networks are infrastructure, a chief data
    officer or an expert committee carries the work, drawing firms from home and abroad is 招商, and
    research projects open to whoever can solve them (揭榜挂帅) are research."""
    from advisor.compare.aboutness import has_core

    said = {
        "应用场景": "本市国家机关以及公共企事业单位应当率先使用人工智能产品和服务。",
        "算力与基础设施": "建设单位应当预留基站和室内无线网络分布系统所需的机房。",
        "组织保障": "本市推行首席数据官制度。市人民政府设立数据专家委员会。",
        "企业培育与招商": "鼓励国内外企业到本省从事高新技术研究开发及生产经营活动。",
        "研发与成果转化": "探索实行科技项目揭榜挂帅等竞争性科技项目组织实施方式。",
    }
    for name, text in said.items():
        assert has_core(topic(name), text), name
    assert not has_core(topic("组织保障"), "本市推行首席执行官制度。")  # not any office
