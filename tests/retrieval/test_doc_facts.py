"""A question about a document itself retrieves the line that states the fact (its last article, its
signature block), however little its words share with the question."""

from __future__ import annotations

import pytest

from advisor.retrieval.doc_facts import stating_lines
from advisor.service import Advisor


@pytest.mark.integration
def test_the_article_stating_when_a_regulation_takes_effect_is_retrieved(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    doc = next(d for d in snap.docs.values() if d.title == "深圳经济特区人工智能产业促进条例")
    question = "深圳经济特区人工智能产业促进条例从哪天起生效？"
    lines = stating_lines(question, doc.doc_id, snap)
    assert lines and all("起施行" in line for _, line in lines)
    hits = corpus_advisor.retrieve(question, k=5)
    assert any("起施行" in h.text and h.doc_id == doc.doc_id for h in hits)
    # a question that is not about the document itself is left to retrieval as it is
    assert stating_lines("深圳对人工智能企业有哪些资金支持？", doc.doc_id, snap) == []


@pytest.mark.integration
def test_the_official_name_of_a_document_number_asks_for_it(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    doc = next(d for d in snap.docs.values() if d.title == "国家人工智能产业综合标准化体系建设指南（2024版）")
    lines = stating_lines("标准化体系建设指南那份通知的发文字号是什么？", doc.doc_id, snap)
    assert [line for _, line in lines] == ["工信部联科〔2024〕113号"]
    english = stating_lines("What is the reference number of the standardization guide?", doc.doc_id, snap)
    assert [line for _, line in english] == ["工信部联科〔2024〕113号"]
