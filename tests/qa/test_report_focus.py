"""A question about the report is composed from the report's passages (报告认为…), not from a national
text on the same matter; 报告 as a verb, or in a question naming another text, is no such question."""

from __future__ import annotations

import pytest

from advisor.qa.report_focus import REPORT_LEVEL, names_the_report, report_first
from advisor.service import Advisor

pytestmark = pytest.mark.integration


def test_the_report_as_a_document_and_not_as_a_verb(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    assert names_the_report("这份报告对地方政府设立产业基金有什么建议？", snap)
    assert names_the_report("报告认为地方政府应当先做什么？", snap)
    assert not names_the_report("发现违法内容后，提供者要向哪个部门报告？", snap)
    assert not names_the_report("生成式人工智能服务管理暂行办法要求提供者报告什么？报告里写哪些内容？", snap)


def test_the_reports_passages_alone_answer_a_question_about_it(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    report = [c.chunk_id for c in snap.chunks.values() if snap.docs[c.doc_id].level == REPORT_LEVEL][:2]
    other = next(c.chunk_id for c in snap.chunks.values() if snap.docs[c.doc_id].level != REPORT_LEVEL)
    hits = [snap.hit(other), *(snap.hit(c) for c in report)]
    asked = "这份报告对地方政府设立产业基金有什么建议？"
    assert [h.chunk_id for h in report_first(asked, hits, snap)] == report
    compared = "这份报告和国家的意见相比，对产业基金的说法有什么不同？"
    assert [h.chunk_id for h in report_first(compared, hits, snap)] == [*report, other]
    assert report_first("提供者要向哪个部门报告？", hits, snap) == hits
