"""A question naming one region is answered from that region's texts before other regions' texts."""

from __future__ import annotations

from advisor.index.snapshot import Snapshot
from advisor.retrieval.region_focus import named_region_docs
from advisor.service import Advisor

NATIONAL = "全国"


def test_the_one_place_named_and_its_province_are_the_regions_asked(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    assert named_region_docs("深圳那部条例对数据有什么规定？", snap) == {"深圳市"}
    assert named_region_docs("What does Shenzhen require of AI companies?", snap) == {"深圳市"}
    # a city the corpus has no text of is governed by its province's texts
    assert named_region_docs("杭州的企业要守哪些数据规定？", snap) == {"浙江省"}
    # two places compared, or none the corpus has texts of: no focus
    assert named_region_docs("北京和浙江的数字经济条例有何不同？", snap) is None
    assert named_region_docs("合肥市对算力有什么补贴？", snap) is None
    assert named_region_docs("生成式人工智能服务要备案吗？", snap) is None
    # a place opening a company's or an exchange's name is where it sits, not the region asked about
    assert named_region_docs("北京某某科技服务有限公司有哪些业务？", snap) is None
    assert named_region_docs("深圳证券交易所对上市有什么要求？", snap) is None


def test_other_regions_texts_come_after_the_named_regions(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    lib = corpus_advisor.retriever()
    question = "深圳收集、存储、使用、加工数据资源要遵循什么原则？"
    unfocused = lib.retrieve(question, k=8)
    # unfocused, another region's text ranks ahead: the focus has something to do
    assert snap.docs[unfocused[0].doc_id].region not in ("深圳市", NATIONAL)
    hits = lib.retrieve(question, k=8, region_focus=True)
    regions = [snap.docs[h.doc_id].region for h in hits]
    assert "深圳市" in regions
    first_other = next((i for i, r in enumerate(regions) if r not in ("深圳市", NATIONAL)), len(regions))
    assert all(r in ("深圳市", NATIONAL) for r in regions[:first_other])
    assert all(r not in ("深圳市", NATIONAL) for r in regions[first_other:])


def test_a_regional_text_named_by_a_word_only_its_title_has_names_its_region(corpus_advisor: Advisor) -> None:
    """No place is named, but a word only one title has is (经济特区 in the fixed corpus, where 深圳's AI
    regulation is the only special-zone text; 郑洛新 in the shipped one): the question is about that
    text, so about its region."""
    snap = corpus_advisor.snapshot
    assert named_region_docs("经济特区那部条例对伦理委员会怎么规定？", snap) == {"深圳市"}
    assert named_region_docs("What does the special economic zone regulation say about ethics?", snap) == {
        "深圳市"
    }
    # a word several titles share (数字经济: 北京, 浙江 and the national plan) names none of them, and a
    # word of a national title only (深度合成) names no region
    assert named_region_docs("数字经济促进条例对数据有什么规定？", snap) is None
    assert named_region_docs("深度合成管理规定对标识有什么要求？", snap) is None


def test_a_short_name_that_stands_for_the_named_places_text_too_keeps_the_focus() -> None:
    """数据条例 is a short name of 上海's and 深圳's data regulations: with 深圳 named, it names 深圳's own
    text, and the question is no comparison with 上海 (a text only of another region still makes one)."""
    from types import SimpleNamespace
    from typing import cast

    docs = {
        "sh": SimpleNamespace(region="上海市", title="上海市数据条例"),
        "sz": SimpleNamespace(region="深圳市", title="深圳经济特区数据条例"),
        "nat": SimpleNamespace(region=NATIONAL, title="生成式人工智能服务管理暂行办法"),
        "hn": SimpleNamespace(region="河南省", title="郑洛新国家自主创新示范区条例"),
        "bj": SimpleNamespace(region="北京市", title="北京国际科技创新中心建设条例"),
    }
    snap = cast(Snapshot, SimpleNamespace(docs=docs))
    assert named_region_docs("要是深圳某个公共服务机构违反了数据条例，会被怎么处理？", snap) == {"深圳市"}
    assert named_region_docs("深圳的企业要不要遵守上海市数据条例？", snap) is None
    # … and a text of another region only, by its own short name, still makes a comparison
    assert (
        named_region_docs("郑洛新示范区条例和北京国际科创中心条例，对减少重复检查分别怎么规定？", snap)
        is None
    )
