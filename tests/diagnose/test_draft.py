"""Drafts are read like uploads, cut into located sentences, and bad drafts get actionable messages."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from advisor.diagnose.draft import DiagnoseError, draft_from_text, load_draft, split_draft

MAX = 20 * 1024 * 1024

ARTICLES = """# 星河市人工智能产业促进办法（征求意见稿）

## 第一章 总则

第一条 为促进本市人工智能产业发展，制定本办法。

第二条 市人民政府建立人工智能产业发展协调机制。
市工业和信息化部门负责具体实施。

## 第二章 算力

第三条 建设城市智算中心，向中小企业发放算力券。
"""

PARAGRAPHS = "星河市人工智能行动方案\n\n一、发展目标。到2027年产业规模明显提升。\n\n二、重点任务。建设智算中心；设立产业基金。\n"


def test_articles_are_located_by_article_and_quotes_are_spans() -> None:
    d = split_draft(ARTICLES, "t")
    by_text = {s.text: s.location for s in d.sentences}
    assert by_text["第二条 市人民政府建立人工智能产业发展协调机制。"] == "第二条"
    assert by_text["市工业和信息化部门负责具体实施。"] == "第二条"  # a continuation line stays in its article
    assert by_text["第三条 建设城市智算中心，向中小企业发放算力券。"] == "第三条"
    for s in d.sentences:
        assert ARTICLES[s.start : s.end] == s.text
        assert not s.text.startswith("#")


def test_paragraphs_are_numbered_by_non_empty_lines() -> None:
    d = split_draft(PARAGRAPHS, "t")
    loc = {s.text: s.location for s in d.sentences}
    assert loc["到2027年产业规模明显提升。"] == "第2段"
    assert loc["设立产业基金。"] == "第3段"
    assert d.paragraphs == 3


def test_docx_draft_goes_through_the_upload_loader(tmp_path: Path) -> None:
    path = tmp_path / "草案.docx"
    document = docx.Document()
    document.add_heading("星河市人工智能行动方案", level=0)
    document.add_paragraph("第一条 建设人工智能公共算力平台。")
    document.add_paragraph("第二条 设立人工智能产业投资基金。")
    document.save(str(path))
    d = load_draft(path, MAX)
    assert d.title == "星河市人工智能行动方案"
    assert [s.location for s in d.sentences if "基金" in s.text] == ["第二条"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("草案.doc", b"\xd0\xcf\x11\xe0" + b"0" * 100, "不支持的草案文件类型"),
        ("草案.docx", b"\xd0\xcf\x11\xe0" + b"0" * 100, "另存为 .docx"),
        ("草案.pdf", b"not a pdf at all", "不是 PDF"),
        ("草案.md", b"", "文件为空"),
        ("草案.txt", "短。".encode(), "过短"),
    ],
)
def test_bad_drafts_say_what_to_do(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(DiagnoseError) as err:
        load_draft(path, MAX)
    assert words in str(err.value)


def test_the_upload_size_limit_applies(tmp_path: Path) -> None:
    path = tmp_path / "草案.md"
    path.write_text("第一条 建设智算中心。" * 200, encoding="utf-8")
    with pytest.raises(DiagnoseError, match="文件过大"):
        load_draft(path, 1000)


def test_pasted_text_is_checked_like_a_file() -> None:
    with pytest.raises(DiagnoseError, match="草案为空"):
        draft_from_text("   \n ")
    d = draft_from_text(PARAGRAPHS)
    assert d.title == "星河市人工智能行动方案"
    assert d.source is None
    assert all(d.text[s.start : s.end] == s.text for s in d.sentences)
