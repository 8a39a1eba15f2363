"""Questions across documents or regions: each named one answers for itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from advisor.qa.across import _parts, _without_names, named_documents, named_regions
from advisor.service import Advisor


def _doc(adv: Advisor, words: str) -> str:
    return next(d for d, m in adv.snapshot.docs.items() if words in m.title)


@pytest.mark.integration
def test_shortened_titles_name_their_documents(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    q = "深度合成管理规定与算法推荐管理规定对服务提供者的备案分别有什么要求？"
    assert named_documents(q, snap) == [_doc(corpus_advisor, "深度合成"), _doc(corpus_advisor, "算法推荐")]
    assert (
        named_documents("深度合成管理规定对备案有什么要求？", snap) == []
    )  # one document: nothing to compare
    assert named_regions("北京和浙江的数字经济条例对数据要素各有什么规定？", snap) == ["北京市", "浙江省"]
    # … and names abbreviated past sharing most character pairs (数经 for 数字经济), one title each
    beijing, zhejiang = _doc(corpus_advisor, "北京市数字经济"), _doc(corpus_advisor, "浙江省数字经济")
    assert named_documents("北京数经条例和浙江数经条例对数据要素各有什么规定？", snap) == [beijing, zhejiang]


@pytest.mark.integration
def test_a_name_after_a_join_or_a_possessive_still_names_its_document(corpus_advisor: Advisor) -> None:
    """The phrase before a document word may run back past 的 or 和 (…的备案要求和深度合成规定): its last
    part names the document."""
    snap = corpus_advisor.snapshot
    q = "生成式人工智能暂行办法的备案要求和深度合成规定分别是怎么写的？"
    assert named_documents(q, snap) == [_doc(corpus_advisor, "生成式"), _doc(corpus_advisor, "深度合成")]


@pytest.mark.integration
def test_one_document_by_name_and_another_region_by_place_are_compared(corpus_advisor: Advisor) -> None:
    """A national text named by its title and a region named by its place (生成式AI办法和北京的规定): each
    side is a part, the region's side all its texts; a place in a question with no second side (同年北京…
    是多少) compares nothing."""
    snap = corpus_advisor.snapshot
    q = "生成式人工智能服务管理暂行办法和北京在数据安全方面的要求有什么不同？"
    beijing = sorted(d for d, m in snap.docs.items() if m.region == "北京市")
    assert [sorted(p) for p in _parts(q, snap)] == [beijing, [_doc(corpus_advisor, "生成式")]]
    assert _parts("生成式人工智能服务管理暂行办法提到了数据安全，同年北京的规定是什么？", snap) == []


@pytest.mark.integration
def test_a_phrase_naming_the_compared_texts_together_picks_no_sentence(corpus_advisor: Advisor) -> None:
    """北京和浙江两部数字经济促进条例 names both texts at once: its words would choose each text's scope
    clause (…数字经济促进相关活动适用本条例), so they are left out when sentences are ranked."""
    snap = corpus_advisor.snapshot
    q = "北京和浙江两部数字经济促进条例对“数字经济”的定义有什么差别？"
    both = [d for group in _parts(q, snap) for d in group]
    assert _without_names(q, snap, both) == "，对“数字经济”的定义有什么差别？"
    # … a phrase about the matter itself stays (对数据交易的规定 shares too little with the titles)
    q = "北京和浙江的数字经济条例对数据交易的规定有什么不同？"
    assert "数据交易的规定" in _without_names(q, snap, [d for group in _parts(q, snap) for d in group])


@pytest.mark.integration
def test_each_compared_document_is_cited(corpus_advisor: Advisor) -> None:
    q = "深度合成管理规定与算法推荐管理规定对服务提供者的备案分别有什么要求？"
    answer = corpus_advisor.ask(q)
    cited = {c.doc_id for c in answer.citations}
    assert {_doc(corpus_advisor, "深度合成"), _doc(corpus_advisor, "算法推荐")} <= cited
    for c in answer.citations:  # verbatim from the cited chunk (independent of the production matcher)
        assert "".join(c.quote.split()) in "".join(corpus_advisor.snapshot.chunks[c.chunk_id].text.split())


@pytest.mark.integration
def test_each_compared_document_gets_a_passage(corpus_advisor: Advisor) -> None:
    """The search put only one of the two named documents in its top passages: the other gets its best
    keyword passage, in place of the crowded document's last one (the count stays)."""
    from advisor.qa.across import with_each_part

    snap = corpus_advisor.snapshot
    deep, algo = _doc(corpus_advisor, "深度合成"), _doc(corpus_advisor, "算法推荐")
    q = "深度合成管理规定与算法推荐管理规定对服务提供者的备案分别有什么要求？"
    only_deep = corpus_advisor.retrieve(q, k=6, filters={"doc_id": deep})
    assert {h.doc_id for h in only_deep} == {deep}
    mixed = with_each_part(q, only_deep, snap)
    assert len(mixed) == len(only_deep)
    assert {h.doc_id for h in mixed} == {deep, algo}
    assert mixed[0] == only_deep[0]  # the search's best passage stays first
    assert with_each_part("深度合成管理规定对备案有什么要求？", only_deep, snap) == only_deep


_TIE_SCRIPT = """
import sys
from advisor.qa.across import with_each_part
from advisor.service import Advisor
from advisor.settings import Settings
adv = Advisor(settings=Settings(data_dir=sys.argv[1], corpus_dir=sys.argv[2], llm_provider="extractive"))
snap = adv.snapshot
doc = {words: next(d for d, m in snap.docs.items() if words in m.title) for words in ("深度合成", "北京", "浙江")}
q = "深度合成管理规定与算法推荐管理规定对服务提供者的备案分别有什么要求？"
deep = adv.retrieve(q, k=4, filters={"doc_id": doc["深度合成"]})[:2]
bj = adv.retrieve(q, k=4, filters={"doc_id": doc["北京"]})[:2]
zj = adv.retrieve(q, k=4, filters={"doc_id": doc["浙江"]})[:2]
print([h.chunk_id for h in with_each_part(q, [deep[0], bj[0], zj[0], deep[1], bj[1], zj[1]], snap)])
"""


@pytest.mark.integration
def test_a_tie_between_crowded_documents_goes_the_same_way_in_every_process(corpus_data_dir: Path) -> None:
    """Three documents hold two passages each; the one the question names but the search left out takes
    the place of one of them. Which one may not depend on the process's hash seed."""
    import os
    import subprocess
    import sys

    from tests.conftest import CORPUS

    runs = set()
    for seed in ("1", "2", "3", "4"):
        out = subprocess.run(
            [sys.executable, "-c", _TIE_SCRIPT, str(corpus_data_dir), str(CORPUS)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        runs.add(out.stdout.strip().splitlines()[-1])
    assert len(runs) == 1, runs


@pytest.mark.integration
def test_a_lead_in_and_its_items_do_not_crowd_out_the_other_document(corpus_advisor: Advisor) -> None:
    # the first document's answer is a lead-in ("提供以下深度合成服务…：") whose items fill the points;
    # the second document the question names still answers for itself
    q = (
        "深度合成管理规定要求对哪些服务在合理位置进行显著标识？"
        "《人工智能生成合成内容标识办法》对隐式标识的位置和要素又有什么规定？"
    )
    answer = corpus_advisor.ask(q)
    assert answer.grounded
    cited = {c.title for c in answer.citations}
    assert cited >= {"互联网信息服务深度合成管理规定", "人工智能生成合成内容标识办法"}, cited
    assert "（一）" in answer.text  # … and the lead-in still has its items


_RULES = """---
title: "{name}"
region: "{region}"
level: "city"
---
# {name}

## 第一章 总则

第一条 为了规范公共数据管理，制定本条例。

第二条 本市加强数据安全保护。

## 第二章 公共数据

第三条 公共数据按照开放属性分为无条件开放、有条件开放和{closed}。{closed}的公共数据不得开放；涉及个人隐私的，依法处理。

第四条 公共数据管理机构应当定期发布开放目录。
"""


@pytest.mark.integration
def test_each_compared_document_is_quoted_with_the_rest_of_its_article(
    corpus_copy: Callable[..., Advisor], tmp_path: Path
) -> None:
    # a rule and what follows it in the article are sentences apart: each compared document's best
    # sentence comes with the rest of its article (here: what becomes of the closed category)
    adv = corpus_copy()
    for name, region, closed in (
        ("苏州市公共数据条例", "苏州市", "非开放"),
        ("无锡市公共数据条例", "无锡市", "不予开放"),
    ):
        doc = tmp_path / f"{name}.md"
        doc.write_text(_RULES.format(name=name, region=region, closed=closed), encoding="utf-8")
        assert adv.ingest([doc]).added
    answer = adv.ask("苏州和无锡对公共数据的开放分别怎么分类？")
    quoted = "".join(c.quote for c in answer.citations)
    assert "非开放的公共数据不得开放" in quoted and "不予开放的公共数据不得开放" in quoted, answer.text


@pytest.mark.integration
def test_within_each_document_the_compared_names_pick_no_sentence(corpus_advisor: Advisor) -> None:
    """标识办法 cites 深度合成管理规定 by name in its first articles; the question names that regulation
    too, which must not make those citations its best sentences on removing labels."""
    q = "深度合成管理规定和标识办法对删除、篡改标识分别有什么禁止性规定？"
    answer = corpus_advisor.ask(q)
    quotes = [c.quote for c in answer.citations if "标识办法" in c.title]
    assert quotes and "删除、篡改、伪造、隐匿" in quotes[0], quotes
    # its first articles only name the other regulation (根据…《互联网信息服务深度合成管理规定》…)
    assert not [x for x in quotes if x.startswith(("第一条", "第二条"))], quotes


@pytest.mark.integration
def test_english_questions_name_the_documents_and_places_they_compare(corpus_advisor: Advisor) -> None:
    """An English question names documents through the glossary (the deep synthesis provisions) and places
    by their English names, in the order it gives them; one document named compares nothing."""
    snap = corpus_advisor.snapshot
    q = "How do the deep synthesis provisions and the algorithm recommendation provisions differ on filing?"
    assert _parts(q, snap) == [[_doc(corpus_advisor, "深度合成")], [_doc(corpus_advisor, "算法推荐")]]
    assert _parts("What do the deep synthesis provisions say about filing?", snap) == []
    assert named_regions("Do Zhejiang and Beijing both regulate platform disputes?", snap) == [
        "浙江省",
        "北京市",
    ]
    # two texts named, one the corpus lacks (on robots): no comparison of the two places' texts instead
    lacking = (
        "How does the Shenzhen AI industry regulation compare with the Zhejiang robot industry regulations?"
    )
    assert _parts(lacking, snap) == []
