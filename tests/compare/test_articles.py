"""Articles as the unit of a comparison, over the tests' fixed corpus (real index): a long article that
spans several chunks is one unit, listed at most once; an article is scored by what its lead sentence
says, not by how long it is. The clauses named here were read from 深圳经济特区人工智能产业促进条例."""

from __future__ import annotations

import itertools
import re

import pytest

from advisor.compare import find_measures
from advisor.compare.aboutness import HEADING_CAP, _specific_words, article_score, in_passing, lead
from advisor.compare.articles import _segments, headings, region_articles
from advisor.compare.cache import caching
from advisor.compare.measures import _best_sentence
from advisor.compare.topics import topic
from advisor.retrieval.hybrid import Retriever
from advisor.service import Advisor

SZ_AI = "深圳经济特区人工智能产业促进条例"
NUMBERED = re.compile(r"第[一二三四五六七八九十百零〇]+条")


@pytest.fixture(scope="module")
def lib(corpus_advisor: Advisor) -> Retriever:
    return caching(corpus_advisor.retriever())


def test_a_continuation_chunk_belongs_to_its_article(lib: Retriever) -> None:
    snap = lib.snapshot
    # 第六十五条 lists the ethics committee's duties; its last items and closing paragraph (日常工作由…
    # 承担) fall in a later chunk that opens mid-article, without the article's number
    items = [
        c
        for c in snap.chunks.values()
        if "伦理委员会的日常工作" in c.text and snap.docs[c.doc_id].title == SZ_AI
    ]
    assert items and not NUMBERED.match(items[0].text.lstrip())
    owner = [a for a in region_articles(snap, "深圳市") if items[0].chunk_id in a.chunk_ids]
    assert [a.article for a in owner] == ["第六十五条"]
    assert len(owner[0].chunk_ids) >= 2


def test_every_chunk_of_a_region_is_read_once(lib: Retriever) -> None:
    """Each chunk of the region is covered by its articles' parts, end to end, without overlap."""
    snap = lib.snapshot
    arts = region_articles(snap, "深圳市")
    own = [cid for cid, c in snap.chunks.items() if snap.docs[c.doc_id].region == "深圳市"]
    assert sorted({c for a in arts for c in a.chunk_ids}) == sorted(own)
    assert all(snap.docs[a.doc_id].region == "深圳市" for a in arts)
    spans: dict[str, list[tuple[int, int]]] = {}
    for a in arts:
        for cid, start, end in a.parts:
            spans.setdefault(cid, []).append((start, end))
    for cid, parts in spans.items():
        parts.sort()
        assert parts[0][0] == 0 and parts[-1][1] == len(snap.chunks[cid].text)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(parts)), parts


def test_an_article_starting_inside_a_chunk_is_a_unit_of_its_own(lib: Retriever) -> None:
    """A chunk holding the end of one article and the start of the next: the clause of the second is
    cited under its own number, not the number of the article before."""
    snap = lib.snapshot
    inner = [
        a
        for a in region_articles(snap, "深圳市")
        if a.parts and a.parts[0][1] > 0 and NUMBERED.fullmatch(a.article)
    ]
    assert inner
    for a in inner:
        cid, start, end = a.parts[0]
        lines = [x for x in snap.chunks[cid].text[start:end].splitlines() if x.strip()]
        body = [x for x in lines if not x.lstrip().startswith("#")]
        assert body and body[0].lstrip("* ").startswith(a.article), (a.article, lines)


def test_units_split_at_articles_and_at_items_of_unnumbered_texts() -> None:
    text = "由有关部门依法处理。\n\n## 第九章 法律责任\n\n第六十五条 违反本条例规定的，依法追究。"
    (a0, a1, first), (b0, b1, second) = _segments(text, numbered=True)
    assert (first, second) == ("", "第六十五条")
    assert text[a0:a1] == "由有关部门依法处理。\n" and text[b0:b1].lstrip().startswith("## 第九章")
    plan = "推动开源生态。\n\n（九）强化智能算力统筹。优化国家智算资源布局。\n\n（十）优化应用发展环境。"
    labels = [label for _, _, label in _segments(plan, numbered=False)]
    assert labels == ["", "（九）强化智能算力统筹", "（十）优化应用发展环境"]
    # an enumeration item inside a numbered article is no unit of its own
    assert [label for *_, label in _segments("第五条 本市：\n（一）建设；\n（二）开放。", numbered=True)] == [
        "第五条"
    ]
    assert headings("第一章 总则 > （七）匿名化，是指个人数据经过处理 > 第五条") == "第一章 总则"


@pytest.mark.parametrize("name", ["人工智能伦理", "安全与伦理治理", "人才", "ethics"])
def test_an_article_is_listed_once_with_its_number(lib: Retriever, name: str) -> None:
    measures = find_measures(lib, "深圳市", name, limit=3)
    keys = [(m.doc_id, m.article) for m in measures]
    assert len(keys) == len(set(keys)), keys
    assert all(NUMBERED.fullmatch(m.article) for m in measures if m.title == SZ_AI), keys


def test_the_ethics_committee_is_found_for_a_free_text_topic(lib: Retriever) -> None:
    measures = find_measures(lib, "深圳市", "人工智能伦理", limit=3)
    assert any(m.title == SZ_AI and m.article == "第六十五条" for m in measures), [
        (m.title, m.article) for m in measures
    ]


def test_the_lead_sentence_makes_an_article_about_a_topic() -> None:
    t = topic("人才")
    about = "第三十条 本市建立人才引进机制，对引进的人才给予住房保障。"
    listed = "第三十一条 本市支持企业发展，为企业提供融资、场地、人才、市场推广等服务，优化营商环境。"
    assert lead(about) == "本市建立人才引进机制，对引进的人才给予住房保障"
    assert article_score(t, [about]) > article_score(t, [listed])


def test_a_text_no_longer_in_force_ranks_after_a_current_one() -> None:
    t = topic("数据要素")
    text = ["第十条 本市培育数据要素市场，推动公共数据开放共享。"]
    assert article_score(t, text, status="expired") < article_score(t, text, status="current")
    assert article_score(t, text, status="superseded") < article_score(t, text)


def test_a_chapter_about_the_topic_counts() -> None:
    t = topic("安全与伦理治理")
    text = ["第八十条 本市建立健全数据分类分级保护制度。"]
    in_chapter = article_score(t, text, headings="第八章 数据安全")
    assert in_chapter > article_score(t, text, headings="第三章 公共数据") == article_score(t, text)
    assert in_chapter - article_score(t, text) <= HEADING_CAP


def test_a_topic_named_once_in_passing_is_no_measure() -> None:
    t = topic("安全与伦理治理")
    passing = [
        "第六十四条 支持示范区建立创新容错机制。\n\n在项目管理等方面建立区别于其他领域的评价监管机制。"
    ]
    about = ["第六十一条 本市建立健全监管机制，防范安全风险。"]
    assert in_passing(t, passing)
    assert not in_passing(t, about)


def test_a_cell_shows_more_clauses_only_when_the_region_has_them(lib: Retriever) -> None:
    for name in ("数据要素", "人才", "安全与伦理治理"):
        three = find_measures(lib, "深圳市", name, limit=3)
        more = find_measures(lib, "深圳市", name, limit=3, extra=2)
        assert {(m.doc_id, m.article) for m in three} <= {(m.doc_id, m.article) for m in more}
        assert len(three) <= len(more) <= 5
        keys = [(m.doc_id, m.article) for m in more]
        assert len(keys) == len(set(keys))
        assert len({m.quote for m in more}) == len(more)


def test_a_purpose_or_scope_clause_is_no_measure_of_a_topic() -> None:
    t = topic("安全与伦理治理")
    purpose = ["第一条 为了规范算法推荐活动，维护国家安全，保护个人信息，根据有关法律，制定本规定。"]
    measure = ["第七条 服务提供者应当落实算法安全主体责任，建立健全数据安全和个人信息保护制度。"]
    assert article_score(t, purpose) < article_score(t, measure)
    assert article_score(t, purpose) < article_score(t, [purpose[0].replace("制定本规定", "开展工作")])


def test_an_items_title_is_quoted_with_the_sentence_after_it() -> None:
    t = topic("应用场景")
    text = "（四）实施试点示范。统筹推动数字经济试点示范，完善创新资源高效配置机制。鼓励各地区探索。"
    start, end = _best_sentence(t, text)
    assert text[start:end] == "（四）实施试点示范。统筹推动数字经济试点示范，完善创新资源高效配置机制。"


@pytest.mark.integration
def test_a_word_in_most_of_the_corpus_does_not_admit_an_article_by_search(lib: Retriever) -> None:
    # 数据 is no everyday word in jieba's dictionary, but it is in most passages of this corpus: an article
    # that only holds it says nothing about 大数据杀熟; 税收 is rare in both and still admits one
    words = _specific_words(("数据", "税收"), lib.snapshot)
    assert words == ["税收"]
