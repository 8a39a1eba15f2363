"""Retrieval quality on the shipped corpus with the real embedder, and the retrieval API's contract."""

from __future__ import annotations

import json
import re

import pytest
from corpus_fixture import FILES

from advisor.retrieval.hybrid import FilterError, fuse
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT
from advisor.text import normalise as prepare_query

# The dev-split cases about the documents of the fixed test corpus (tests/corpus_fixture.py); the test
# split is for reporting only, and the documents added later are covered by `advisor eval`.
_STEMS = {p.stem for p in FILES}
CASES = [
    case
    for case in (
        json.loads(line)
        for line in (PROJECT_ROOT / "evals/datasets/retrieval.jsonl").read_text().splitlines()
        if line.strip()
    )
    if case["doc"] in _STEMS and case.get("split", "dev") == "dev"
][::4]  # every fourth, from every batch: the whole set is what `advisor eval` scores, in CI too


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _rank(adv: Advisor, case: dict, mode: str = "hybrid", k: int = 5) -> int | None:
    hits = adv.retrieve(case["question"], k=k, mode=mode)  # type: ignore[arg-type]
    for i, h in enumerate(hits, start=1):
        if any(_squash(e) in _squash(h.text) for e in case["evidence"]):
            return i
    return None


@pytest.mark.integration
def test_hybrid_retrieval_quality(corpus_advisor: Advisor) -> None:
    ranks = [_rank(corpus_advisor, c) for c in CASES]
    hit5 = sum(r is not None for r in ranks) / len(ranks)
    mrr = sum(1 / r for r in ranks if r) / len(ranks)
    misses = [c["question"] for c, r in zip(CASES, ranks, strict=True) if r is None]
    print(f"hybrid hit@5 {hit5:.3f} MRR {mrr:.3f} over {len(CASES)} dev cases")
    assert hit5 >= 0.95, (hit5, misses)
    assert mrr >= 0.80, mrr


@pytest.mark.integration
def test_hits_carry_metadata_and_sections(corpus_advisor: Advisor) -> None:
    hits = corpus_advisor.retrieve("深度合成服务提供者应当履行哪些义务", k=3)
    assert len(hits) == 3
    top = hits[0]
    assert top.title == "互联网信息服务深度合成管理规定"
    assert "第" in top.section and "条" in top.section
    assert top.meta["issuer"] and top.meta["level"] == "national"
    doc_text = corpus_advisor.snapshot.chunks[top.chunk_id].text
    assert top.text == doc_text
    assert hits[0].score >= hits[1].score >= hits[2].score


@pytest.mark.integration
def test_filters_restrict_results(corpus_advisor: Advisor) -> None:
    hits = corpus_advisor.retrieve("人工智能产业发展", k=5, filters={"region": "深圳市"})
    assert hits and all(h.meta["region"] == "深圳市" for h in hits)
    hits = corpus_advisor.retrieve("数据要素", k=5, filters={"level": ["provincial", "city"]})
    assert hits and all(h.meta["level"] in ("provincial", "city") for h in hits)
    with pytest.raises(FilterError):
        corpus_advisor.retrieve("数据", filters={"colour": "red"})


@pytest.mark.integration
def test_no_near_duplicates_in_results(corpus_advisor: Advisor) -> None:
    hits = corpus_advisor.retrieve("目录 抓住新时代的五大历史机遇期绘蓝图", k=8)
    texts = [h.text for h in hits]
    assert len({t.strip() for t in texts}) == len(texts)
    assert sum(t.lstrip().startswith("目录") for t in texts) <= 1


@pytest.mark.integration
def test_traditional_chinese_and_noise_queries(corpus_advisor: Advisor) -> None:
    simplified = corpus_advisor.retrieve("资本介入环节地方政府应该怎么做", k=3)
    traditional = corpus_advisor.retrieve("資本介入環節地方政府應該怎麼做", k=3)
    assert simplified[0].chunk_id == traditional[0].chunk_id
    assert corpus_advisor.retrieve("\x00\x07  ", k=3) == []


def test_prepare_query_normalises() -> None:
    assert prepare_query("  產業\x00基金  ") == "产业 基金"
    assert len(prepare_query("字" * 5000, max_chars=100)) == 100


def test_fuse_rewards_agreement() -> None:
    fused = fuse([[("a", 0.9), ("b", 0.8)], [("b", 5.0), ("c", 3.0)]], [1.0, 1.0])
    assert fused[0][0] == "b"
    assert {cid for cid, _ in fused} == {"a", "b", "c"}


def test_a_keyword_score_tied_with_the_first_leads_the_fused_list() -> None:
    from advisor.retrieval.hybrid import _leaders_first

    dense = [(c, 0.9 - i / 100) for i, c in enumerate("abcdefgh")]
    keyword = [("x", 26.1), ("y", 26.0), ("z", 20.0)]
    fused = _leaders_first(fuse([dense, keyword], [1.0, 1.0]), [dense, keyword])
    top = [cid for cid, _ in fused[:3]]
    assert set(top) == {"a", "x", "y"}  # y is a BM25 tie with x: a first place too
    assert "z" not in top  # a clearly lower keyword score is left to fusion


@pytest.mark.integration
def test_a_quoted_term_lifts_its_keyword_chunk(corpus_advisor: Advisor) -> None:
    """A chunk the keyword search ranks among its first few and that holds the term the question quotes
    follows the leader, wherever the fusion put it; without a quoted term the order stays."""
    from advisor.retrieval.hybrid import _quoted_first

    snap = corpus_advisor.snapshot
    holder = next(cid for cid, rec in snap.chunks.items() if "政府方" in rec.text)
    others = [cid for cid, rec in snap.chunks.items() if "政府方" not in rec.text][:8]
    fused = [(cid, 1.0 / (i + 1)) for i, cid in enumerate([*others, holder])]
    keyword = [(others[3], 9.0), (others[5], 8.0), (holder, 7.0)]
    lifted = _quoted_first("报告把“政府方”界定为哪些机构？", fused, keyword, snap)
    assert [cid for cid, _ in lifted][:2] == [others[0], holder]
    assert sorted(lifted) == sorted(fused)  # nothing lost or added
    assert _quoted_first("报告把政府方界定为哪些机构？", fused, keyword, snap) == fused


@pytest.mark.integration
def test_an_article_the_question_names_is_retrieved(corpus_advisor: Advisor) -> None:
    """The chunk where the named article begins follows the first hit, though its words share little
    with the question (dense and keyword searches rank the document's opening articles first)."""
    question = "北京市数字经济促进条例第十条规定了什么？"
    hits = corpus_advisor.retrieve(question, k=5)
    beijing = hits[0].doc_id
    assert corpus_advisor.snapshot.docs[beijing].title == "北京市数字经济促进条例"
    assert any(h.doc_id == beijing and re.match(r"\s*第十条\s", h.text) for h in hits[:2])
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)  # a lifted chunk shows the score of the place it took
