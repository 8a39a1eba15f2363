"""Measures over a real index (the tests' fixed corpus: national texts, 深圳, 北京, 浙江; real embedder):
each measure comes from its own region's document, quotes are verbatim, empty where a region has none.

The expected clauses were read from the policy texts, not taken from the code's output."""

from __future__ import annotations

import numpy as np
import pytest

from advisor.compare import NATIONAL, find_measures, peer_measures, region_names
from advisor.compare.cache import caching
from advisor.compare.choose import diverse as _diverse
from advisor.render.compare_types import Measure
from advisor.retrieval.hybrid import Retriever
from advisor.service import Advisor

SZ_AI = "深圳经济特区人工智能产业促进条例"


@pytest.fixture(scope="module")
def lib(corpus_advisor: Advisor) -> Retriever:
    return caching(corpus_advisor.retriever())


def _check_own_and_verbatim(lib: Retriever, measures: list, region: str) -> None:
    for m in measures:
        rec = lib.snapshot.chunks[m.chunk_id]
        doc = lib.snapshot.docs[rec.doc_id]
        assert doc.region == region, (m.title, doc.region)
        assert m.quote and m.quote in rec.text, m.quote
        assert m.title == doc.title and m.doc_id == rec.doc_id
        assert m.date == doc.date


@pytest.mark.parametrize(
    ("region", "topic", "article", "words"),
    [
        ("深圳市", "应用场景", "第四十三条", "人工智能应用场景开放制度"),
        ("深圳市", "资金与基金", "第五十五条", "投资引导基金"),
        ("深圳市", "组织保障", "第五条", "人工智能产业发展协调工作机制"),
    ],
)
def test_a_regions_own_clause_is_found(
    lib: Retriever, region: str, topic: str, article: str, words: str
) -> None:
    measures = find_measures(lib, region, topic)
    assert 1 <= len(measures) <= 3
    _check_own_and_verbatim(lib, measures, region)
    hit = [m for m in measures if m.title == SZ_AI and m.article == article]
    assert hit, [(m.title, m.article) for m in measures]
    assert words in lib.snapshot.chunks[hit[0].chunk_id].text
    assert hit[0].action and len(hit[0].action) <= 40 and hit[0].status == "current"


@pytest.mark.parametrize("topic", ["人才", "数据要素", "算力与基础设施", "安全与伦理治理"])
@pytest.mark.parametrize("region", ["深圳市", "北京市", "浙江省", NATIONAL])
def test_every_measure_is_its_regions_own_and_verbatim(lib: Retriever, region: str, topic: str) -> None:
    measures = find_measures(lib, region, topic, limit=3)
    _check_own_and_verbatim(lib, measures, region)
    assert all(lib.snapshot.docs[m.doc_id].level != "think-tank" for m in measures)  # the report is no policy


@pytest.mark.parametrize("region", ["广东省", "洛阳市", "河南省", "江苏省"])
def test_a_region_without_texts_gets_nothing(lib: Retriever, region: str) -> None:
    """广东省 has no provincial text here: 深圳's city laws must not fill its column."""
    assert find_measures(lib, region, "人才") == []
    assert find_measures(lib, region, "数据要素") == []


def test_no_clause_on_a_topic_the_texts_never_mention(lib: Retriever) -> None:
    assert find_measures(lib, "深圳市", "海洋渔业捕捞") == []


def test_peers_are_other_provinces_and_cities(lib: Retriever) -> None:
    peers = peer_measures(lib, "人才", exclude_regions=["深圳市"], limit=3)
    assert peers
    regions = [m.region for m in peers]
    assert len(set(regions)) == len(regions)  # one per region
    assert not {"深圳市", NATIONAL} & set(regions)
    for m in peers:
        _check_own_and_verbatim(lib, [m], m.region)


def test_region_names_list_the_corpus_regions(lib: Retriever) -> None:
    names = region_names(lib)
    assert names[0] == NATIONAL
    assert {"深圳市", "北京市", "浙江省"} <= set(names)


def _m(article: str, doc: str = "d1", quote: str = "") -> Measure:
    return Measure(
        region="深圳市",
        topic="安全与伦理治理",
        action=article,
        quote=quote or f"{article}：本市建立{article}相关制度。",
        doc_id=doc,
        title=doc,
        article=article,
        chunk_id=f"{doc}-{article}",
    )


def test_a_cell_shows_each_part_of_a_two_part_topic() -> None:
    """Four strong clauses on security and one weaker one on ethics: the ethics clause is shown too."""
    words = ["网络安全等级保护", "数据分类分级管理", "个人信息合法使用", "关键信息基础设施"]
    security = [(20.0 - i, _m(f"第{i}条", quote=words[i - 1]), frozenset({0})) for i in range(1, 5)]
    ethics = (6.0, _m("第九条", quote="科技伦理审查机制"), frozenset({1}))
    chosen = _diverse([*security, ethics], limit=3, extra=2, n_facets=2)
    assert [m.article for m in chosen][-1] == "第九条" and len(chosen) <= 5
    # too weak a clause (below FACET_SHARE of the best) is not forced in
    weak = (0.2 * 19.0, _m("第九条", quote="科技伦理审查机制"), frozenset({1}))
    assert "第九条" not in [m.article for m in _diverse([*security, weak], limit=3, extra=0, n_facets=2)]


def test_near_identical_clauses_are_listed_once() -> None:
    same = "本市建立健全数据分类分级保护制度，推动本地区数据安全治理工作。"
    scored = [
        (10.0, _m("第八十条", "d1", same), frozenset()),
        (9.0, _m("第十条", "d2", same + "。"), frozenset()),
    ]
    assert len(_diverse(scored, limit=3)) == 1


def test_a_text_no_longer_in_force_is_listed_after_the_texts_in_force() -> None:
    old = _m("第四条", "d-old", quote="统筹协调全市数据交易管理工作").model_copy(update={"status": "expired"})
    scored = [(12.0, old, frozenset()), (11.0, _m("第五条", quote="建立产业发展协调工作机制"), frozenset())]
    assert [m.article for m in _diverse(scored, limit=3)] == ["第五条", "第四条"]
    # … and a cell with room beyond ``limit`` shows more of its clauses strong enough, after those in force
    more = [
        (12.0 - i, _m(f"第{n}条", "d-old", quote=q).model_copy(update={"status": "expired"}), frozenset())
        for i, (n, q) in enumerate([("六", "数据交易场所运营机构职责"), ("七", "数据交易主体的权利义务")])
    ]
    current = (11.5, _m("第五条", quote="建立产业发展协调工作机制"), frozenset())
    shown = [m.article for m in _diverse([more[0], current, more[1]], limit=2, extra=1)]
    assert shown == ["第五条", "第六条", "第七条"]


def test_a_topic_said_in_other_words_is_found_by_its_meaning(lib: Retriever) -> None:
    """浙江 never writes 适老化; its 第四十六条 is about 老年人等运用智能技术困难群体 — the article whose
    meaning stands out by far for the topic, so the region has it; then the cell fills like any short
    one, with 第四十一条 (智慧养老服务平台). Each quote is the article's sentence on it, verbatim."""
    measures = find_measures(lib, "浙江省", "适老化")
    assert [m.article for m in measures] == ["第四十六条", "第四十一条"], [
        (m.article, m.quote) for m in measures
    ]
    assert "养老" in measures[1].quote
    _check_own_and_verbatim(lib, measures, "浙江省")
    assert "老年人" in measures[0].quote
    # named by none of the topic's words: never a peer region's measure
    assert not [p for p in peer_measures(lib, "适老化", exclude_regions=["深圳市"]) if p.region == "浙江省"]


def test_a_cell_short_of_clauses_is_filled_by_meaning(lib: Retriever) -> None:
    """Only 算法推荐规定 第十八条 and a plan's line name 未成年人 with the topic's words; 生成式AI办法
    第十条 (采取有效措施防范未成年人用户过度依赖或者沉迷) is about it too, and fills the third place."""
    measures = find_measures(lib, NATIONAL, "未成年人保护")
    assert len(measures) == 3
    _check_own_and_verbatim(lib, measures, NATIONAL)
    genai = [m for m in measures if m.title == "生成式人工智能服务管理暂行办法"]
    assert [m.article for m in genai] == ["第十条"], [(m.title, m.article) for m in measures]
    assert "未成年人" in genai[0].quote


def test_an_articles_likeness_counts_its_own_sentences_only(lib: Retriever) -> None:
    """Each article's sentence vectors are the sentences inside its own span of its chunks (a chunk holds
    several articles): the best sentence of one article never lends its likeness to the next."""
    from advisor.compare.articles import region_articles
    from advisor.compare.semantic import _region_sentences
    from advisor.ingest.splitter import sentence_units

    arts = region_articles(lib.snapshot, "深圳市")
    rows, matrix = _region_sentences(lib, "深圳市")
    assert len(rows) == len(arts) and matrix.shape[0] == sum(map(len, rows)) > len(arts)
    units = {u for a in arts for cid in a.chunk_ids for u in sentence_units(lib.snapshot.chunks[cid].text)}
    expected = lib.snapshot.sentences.matrix(sorted(units))
    for art, mine in zip(arts, rows, strict=True):
        text = "".join(art.texts(lib.snapshot))
        for row in mine:  # the row is the vector of one of this article's sentences
            match = [u for u, v in zip(sorted(units), expected, strict=True) if np.allclose(v, matrix[row])]
            assert match and any(u in text for u in match), (art.article, match[:1])


def test_an_article_the_search_ranks_high_may_name_the_topic_by_a_supporting_word(lib: Retriever) -> None:
    """深圳 names 公共数据开放 elsewhere; its 第二十九条 (公共数据资源体系 … 人工智能产业) never says 开放 but the
    region-filtered search ranks it high and its meaning stands out: it is one of the cell's measures. An
    everyday supporting word (保护 of 知识产权保护) admits nothing: 算法推荐规定's clauses that protect
    consumers are no measure of intellectual property."""
    measures = find_measures(lib, "深圳市", "公共数据开放", limit=5, extra=3)
    assert "第二十九条" in [m.article for m in measures], [(m.article, m.quote[:30]) for m in measures]
    _check_own_and_verbatim(lib, measures, "深圳市")
    national = find_measures(lib, NATIONAL, "知识产权保护", limit=5, extra=3)
    assert not [
        m for m in national if "知识产权" not in m.quote and "保护" in m.quote and "算法推荐" in m.quote
    ]


def test_the_sanction_for_breaking_a_shown_measure_follows_it(lib: Retriever) -> None:
    """算法推荐管理规定第三十一条 punishes breaking 第十条 (用户标签管理) among others: with room in the
    cell it is listed after the measures, quoted verbatim from its own text."""
    measures = find_measures(lib, NATIONAL, "用户标签管理", limit=2, extra=2)
    _check_own_and_verbatim(lib, measures, NATIONAL)
    articles = [(m.doc_id, m.article) for m in measures]
    shown = next(m for m in measures if m.article == "第十条")
    sanction = [m for m in measures if "违反本规定" in m.quote]
    assert sanction and sanction[0].doc_id == shown.doc_id, articles
    assert "第十条" in lib.snapshot.chunks[sanction[0].chunk_id].text
    assert measures.index(sanction[0]) > measures.index(shown)
    # a full cell takes no sanction in place of a measure
    assert not [m for m in find_measures(lib, NATIONAL, "用户标签管理", limit=1) if "违反本规定" in m.quote]


def test_an_article_beside_a_clause_on_the_same_subject_follows_it(
    lib: Retriever, monkeypatch: pytest.MonkeyPatch
) -> None:
    """深圳's 第四十条 (AI in natural resources and the environment) names no 场景, but it carries on 第三十九条's
    list of fields AI is applied in: beside a clause the 应用场景 cell shows, it follows that clause."""
    import advisor.compare.measures as measures

    shown = find_measures(lib, "深圳市", "应用场景", limit=6, extra=4)
    _check_own_and_verbatim(lib, shown, "深圳市")
    arts = {(m.title, m.article) for m in shown}
    assert (SZ_AI, "第四十条") in arts
    assert "自然资源" in next(m.quote for m in shown if m.article == "第四十条")
    # … because it stands beside one (without the rule, the cell does not show it)
    monkeypatch.setattr(measures, "NEIGHBOUR_Z", 99.0)
    without = {(m.title, m.article) for m in find_measures(lib, "深圳市", "应用场景", limit=6, extra=4)}
    assert (SZ_AI, "第四十条") not in without
    assert {(SZ_AI, "第三十九条"), (SZ_AI, "第四十一条")} & without
