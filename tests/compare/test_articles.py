"""Articles as the unit of a comparison, over the tests' fixed corpus (real index): a long article that
spans several chunks is one unit, listed at most once; an article is scored by what its lead sentence
says, not by how long it is. The clauses named here were read from 深圳经济特区人工智能产业促进条例."""

from __future__ import annotations

import re

import pytest

from advisor.compare import find_measures
from advisor.compare.articles import region_articles
from advisor.compare.cache import caching
from advisor.compare.measures import article_score, lead
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
    # 第六十五条 lists the ethics committee's duties; its items (（三）分析研判…) fall in a later chunk
    # whose breadcrumb names the item, not the article
    items = [
        c
        for c in snap.chunks.values()
        if "分析研判数据和算法" in c.text and snap.docs[c.doc_id].title == SZ_AI
    ]
    assert items and "第六十五条" not in items[0].section + items[0].text[:20]
    owner = [a for a in region_articles(snap, "深圳市") if items[0].chunk_id in a.chunk_ids]
    assert [a.article for a in owner] == ["第六十五条"]
    assert len(owner[0].chunk_ids) >= 2


def test_every_chunk_of_a_region_is_in_exactly_one_article(lib: Retriever) -> None:
    snap = lib.snapshot
    arts = region_articles(snap, "深圳市")
    ids = [c for a in arts for c in a.chunk_ids]
    own = [cid for cid, c in snap.chunks.items() if snap.docs[c.doc_id].region == "深圳市"]
    assert sorted(ids) == sorted(own)
    assert all(snap.docs[a.doc_id].region == "深圳市" for a in arts)


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
