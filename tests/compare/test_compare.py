"""The whole comparison and its exports over a real index: cells, empty cells, cited summaries,
validity of expired texts, and the Markdown / CSV / JSON / DOCX files a user downloads."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT

from advisor.compare import EMPTY_CELL, Comparison, compare
from advisor.render.compare_docx import comparison_to_docx, write_comparison
from advisor.render.compare_table import (
    CSV_HEADER,
    comparison_to_csv,
    comparison_to_json,
    comparison_to_markdown,
)
from advisor.render.labeling import DOCUMENT_LABEL
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings

SHENZHEN_TRADING = PROJECT_ROOT / "corpus" / "policies" / "24-shenzhen-data-trading-interim-measures-2023.md"


@pytest.fixture(scope="module")
def comp(corpus_advisor: Advisor) -> Comparison:
    return compare(
        corpus_advisor.retriever(), ["深圳", "北京", "广东", "全国"], ["人才", "应用场景", "数据要素"]
    )


def test_cells_cover_every_region_and_topic(comp: Comparison, corpus_advisor: Advisor) -> None:
    assert comp.regions == ["深圳市", "北京市", "广东省", "全国"]
    assert comp.topics == ["人才", "应用场景", "数据要素"]
    assert len(comp.cells) == 12
    snap = corpus_advisor.snapshot
    for cell in comp.cells:
        for m in cell.measures:
            assert snap.docs[m.doc_id].region == cell.region  # no quote from another region's text
            assert m.quote in snap.chunks[m.chunk_id].text
    assert all(not comp.cell("广东省", t).measures for t in comp.topics)  # only city texts for Guangdong
    assert comp.cell("深圳市", "应用场景").measures
    assert any("广东省" in n for n in comp.notes)  # the user is told the corpus lacks that region


def test_citations_and_summary_points_are_consistent(comp: Comparison) -> None:
    numbers = {c.n for c in comp.citations}
    assert numbers == set(range(1, len(comp.citations) + 1))
    by_n = {c.n: c for c in comp.citations}
    for cell in comp.cells:
        for m in cell.measures:
            assert by_n[m.n].quote == m.quote and by_n[m.n].chunk_id == m.chunk_id
    assert comp.topic_summary and comp.region_summary
    for point in comp.summary:
        if point.citations:
            assert set(point.citations) <= numbers
        else:
            assert "未检索到" in point.text  # a point without a citation only says nothing was found
    # 广东省 lacks every topic here, so each topic's point names the regions that have clauses
    assert all("广东省" in p.text for p in comp.topic_summary)


def test_markdown_shows_the_table_the_empty_cells_and_the_label(comp: Comparison) -> None:
    md = comparison_to_markdown(comp)
    assert md.startswith("---\n") and "kind: comparison" in md
    assert DOCUMENT_LABEL in md
    assert "| 主题 | 深圳市 | 北京市 | 广东省 | 全国 |" in md
    assert EMPTY_CELL in md
    for c in comp.citations:
        assert f"[{c.n}]" in md


def test_csv_has_one_row_per_measure(comp: Comparison) -> None:
    text = comparison_to_csv(comp).lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert DOCUMENT_LABEL in rows[0][0]
    assert tuple(rows[1]) == CSV_HEADER
    body = [dict(zip(CSV_HEADER, r, strict=True)) for r in rows[2:]]
    measures = [m for c in comp.cells for m in c.measures]
    assert len([r for r in body if r["原文"]]) == len(measures)
    assert {r["原文"] for r in body if r["原文"]} == {m.quote for m in measures}
    empty = [r for r in body if not r["原文"]]
    assert {(r["地区"], r["主题"]) for r in empty} == {
        (c.region, c.topic) for c in comp.cells if not c.measures
    }
    assert all(r["措施"] == EMPTY_CELL for r in empty)


def test_json_round_trips(comp: Comparison) -> None:
    data = json.loads(comparison_to_json(comp))
    assert data["ai_label"] == DOCUMENT_LABEL and data["provenance"]["kind"] == "comparison"
    again = Comparison.model_validate({k: v for k, v in data.items() if k not in ("ai_label", "provenance")})
    assert again == comp


def test_docx_is_a_landscape_table_with_the_labels(comp: Comparison, tmp_path: Path) -> None:
    path = comparison_to_docx(comp, tmp_path / "out" / "对标.docx")
    document = docx.Document(path)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert DOCUMENT_LABEL in section.header.paragraphs[0].text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["主题", *comp.regions]
    assert [r.cells[0].text for r in table.rows[1:]] == comp.topics
    guangdong = table.rows[1].cells[comp.regions.index("广东省") + 1].text
    assert guangdong == EMPTY_CELL


def test_write_comparison_checks_the_format(comp: Comparison, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="-o"):
        write_comparison(comp, "docx", None)
    with pytest.raises(ValueError, match="不支持"):
        write_comparison(comp, "xlsx", None)
    write_comparison(comp, "csv", tmp_path / "a.csv")
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").count("\n") > 3


def test_an_expired_text_is_never_shown_as_current(corpus_copy: Callable[..., Advisor]) -> None:
    adv = corpus_copy()
    report = adv.ingest([SHENZHEN_TRADING])
    assert report.added
    comp = compare(adv.retriever(), ["深圳"], ["数据交易"])
    measures = comp.cell("深圳市", "数据交易").measures
    expired = [m for m in measures if m.title == "深圳市数据交易管理暂行办法"]
    assert expired, [m.title for m in measures]
    for m in expired:
        assert m.status == "expired" and m.validity == "已失效（有效期至2026-02-28）"
    md = comparison_to_markdown(comp)
    assert "已失效（有效期至2026-02-28）" in md
    assert any("不是现行政策" in n for n in comp.notes)
    cites = [c for c in comp.citations if c.title == "深圳市数据交易管理暂行办法"]
    assert cites and all(c.status == "expired" and c.valid_until == "2026-02-28" for c in cites)


def test_reingest_picks_up_changed_front_matter(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SHENZHEN_TRADING.read_text(encoding="utf-8")
    current = text.replace('status: "expired"\n', "").replace('valid_until: "2026-02-28"\n', "")
    assert current != text
    target = corpus / SHENZHEN_TRADING.name
    target.write_text(current, encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, llm_provider="extractive")
    first = Advisor(settings=settings)
    first.ingest()
    assert [d.status for d in first.snapshot.docs.values()] == [""]
    target.write_text(text, encoding="utf-8")  # the text is the same; only the front matter changed
    again = Advisor(settings=settings)
    report = again.ingest()
    assert report.chunks_embedded == 0
    (doc,) = again.snapshot.docs.values()
    assert (doc.status, doc.valid_until) == ("expired", "2026-02-28")
    hit = again.retrieve("数据交易", k=1)[0]
    assert hit.meta["status"] == "expired" and hit.meta["valid_until"] == "2026-02-28"
    shutil.rmtree(tmp_path / "data", ignore_errors=True)
