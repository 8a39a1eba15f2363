"""Validity beyond comparisons: an expired or superseded document is shown as no longer in force in
answer and plan source lists and in the sources the model reads."""

from __future__ import annotations

from advisor.generation.sources import format_sources
from advisor.render.common import doc_facts
from advisor.render.markdown import answer_sources_markdown
from advisor.types import Answer, Citation, Hit, document_status, validity_note


def _citation(status: str = "", valid_until: str = "") -> Citation:
    return Citation(
        n=1,
        chunk_id="c1",
        doc_id="d1",
        title="深圳市数据交易管理暂行办法",
        section="第二章 > 第五条",
        quote="数据交易应当遵守法律法规。",
        issuer="深圳市发展和改革委员会",
        date="2023-02-21",
        level="city",
        status=status,
        valid_until=valid_until,
    )


def test_status_from_front_matter_or_the_date() -> None:
    assert document_status("expired", "2026-02-28", "2025-01-01") == "expired"  # the text says so
    assert document_status("", "2026-02-28", "2026-03-01") == "expired"  # past its last day
    assert document_status("", "2026-02-28", "2026-02-28") == "current"
    assert document_status("superseded") == "superseded"
    assert document_status("") == "current"
    assert validity_note("expired", "2026-02-28") == "已失效（有效期至2026-02-28）"
    assert validity_note("superseded") == "已被替代，不再有效"
    assert validity_note("") == ""


def test_plan_and_answer_sources_say_an_expired_text_is_no_longer_in_force() -> None:
    expired = _citation("expired", "2026-02-28")
    assert "已失效（有效期至2026-02-28）" in doc_facts(expired)
    assert "已失效" not in doc_facts(_citation())
    answer = Answer(question="问", text="答[1]", citations=[expired])
    assert "已失效（有效期至2026-02-28）" in answer_sources_markdown(answer)
    current = Answer(question="问", text="答[1]", citations=[_citation()])
    assert "失效" not in answer_sources_markdown(current)


def test_the_model_reads_that_a_source_expired() -> None:
    hit = Hit(
        chunk_id="c1",
        doc_id="d1",
        title="深圳市数据交易管理暂行办法",
        text="第五条 数据交易应当遵守法律法规。",
        score=1.0,
        meta={
            "issuer": "深圳市发展和改革委员会",
            "date": "2023-02-21",
            "status": "expired",
            "valid_until": "2026-02-28",
        },
    )
    assert "已失效（有效期至2026-02-28）" in format_sources([hit], "数据交易", 200)
    hit.meta["status"] = ""
    hit.meta["valid_until"] = ""
    assert "失效" not in format_sources([hit], "数据交易", 200)
