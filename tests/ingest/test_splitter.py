"""Splitter properties on every shipped document: coverage, size bounds, headings, offsets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from advisor.ingest.loaders import load_document
from advisor.ingest.pipeline import corpus_files
from advisor.ingest.splitter import section_at, sections, split_document
from advisor.settings import PROJECT_ROOT
from advisor.text import count_tokens
from advisor.types import Document, DocumentMeta

CORPUS = PROJECT_ROOT / "corpus"
FILES = corpus_files(CORPUS)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:30])
@pytest.mark.parametrize("target", [120, 320])
def test_chunks_cover_the_document_within_bounds(path: Path, target: int) -> None:
    doc = load_document(path, root=CORPUS)
    chunks = split_document(doc, target_tokens=target, overlap_tokens=20)
    covered = bytearray(len(doc.text))
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text  # exact spans: quotes can be checked later
        assert c.doc_id == doc.meta.doc_id
        assert count_tokens(c.text) <= target * 1.1 + 10
        covered[c.start : c.end] = b"\x01" * (c.end - c.start)
    lost = [i for i, ch in enumerate(doc.text) if not covered[i] and not ch.isspace()]
    assert not lost, doc.text[lost[0] - 10 : lost[0] + 10]
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    small = [c for c in chunks if c.n_tokens < 20]
    assert len(small) <= 1  # tiny fragments merge with neighbours


def test_report_slide_headers_become_sections() -> None:
    doc = load_document(CORPUS / "report/jiazi-2023-local-gov-ai-industry-strategy.txt")
    chunks = split_document(doc)
    sections_seen = {c.section for c in chunks}
    assert "3.5 构建区域特色AI产业培育方法论：细化具体落实措施" in sections_seen
    capital = next(c for c in chunks if "资本介入：地方政府" in c.text)
    assert capital.section.startswith("3.5")
    table = next(c for c in chunks if "中型专精特新企业评估关键要素" in c.text)
    assert "商业模式\n20%" in table.text  # label/value lines stay with their table


def test_article_breadcrumbs() -> None:
    doc = load_document(CORPUS / "policies/08-shenzhen-sez-ai-industry-promotion-regulations-2022.md")
    chunks = split_document(doc)
    fifth = next(c for c in chunks if c.text.startswith("第五条"))
    assert fifth.section == "第一章 总则 > 第五条"
    assert all(not c.section.startswith(doc.meta.title) for c in chunks)
    assert fifth.embed_text(doc.meta.title).startswith(f"{doc.meta.title} > 第一章 总则 > 第五条\n")


def test_plain_text_heading_patterns() -> None:
    text = "第一章 总则\n第一条 为了促进发展，制定本办法。\n第二条 本办法适用于全市。\n第二章 措施\n一、加强算力\n（一）建设智算中心。\n"
    doc = Document(text=text, meta=DocumentMeta(doc_id="x", title="某办法"))
    paths = [s.path for s in sections(text)]
    assert ["第一章 总则", "第一条"] in paths
    assert ["第二章 措施", "一、加强算力", "（一）建设智算中心"] in paths
    assert split_document(doc)[0].text.startswith("第一章")


def test_items_of_an_article_stay_in_the_article() -> None:
    """A regulation's "（一）…；" items belong to the article that introduces them; in a text without
    articles the same markers are headings."""
    text = (
        "第四条 服务提供者应当按照下列要求添加标识：\n（一）在文本的起始位置添加提示；\n"
        "（二）在音频的起始位置添加语音提示；\n服务提供者提供下载功能时，应当确保文件含有标识。\n"
        "第五条 其他。\n"
    )
    paths = [s.path for s in sections(text)]
    assert paths == [["第四条"], ["第五条"]]
    doc = load_document(CORPUS / "policies/06-ai-generated-content-labeling-measures-2025.md")
    audio = next(c for c in split_document(doc) if "音频的起始" in c.text)
    assert audio.section.endswith("第四条"), audio.section


def test_long_sentence_without_punctuation_is_split() -> None:
    text = "人工智能产业" * 400
    doc = Document(text=text, meta=DocumentMeta(doc_id="y", title="长句"))
    chunks = split_document(doc, target_tokens=100, overlap_tokens=10)
    assert len(chunks) > 3
    assert all(count_tokens(c.text) <= 120 for c in chunks)


_ARTICLE_LINE = re.compile(r"(?m)^第[一二三四五六七八九十百零]+条(?=\s)")


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix == ".md"], ids=lambda p: p.name[:30])
def test_a_point_inside_a_chunk_has_the_breadcrumb_of_its_own_article(path: Path) -> None:
    """A chunk labelled by its first article may run on into the next article or chapter: a sentence
    there is labelled as the whole document's sections place it, not as the chunk's first article."""
    doc = load_document(path, root=CORPUS)
    whole = sections(doc.text, doc.meta.title)
    checked = 0
    for c in split_document(doc):
        for m in _ARTICLE_LINE.finditer(c.text):  # … and the article a chunk opens with is its own
            at = c.start + m.start()
            expected = next(s.path for s in whole if s.start <= at < s.end)
            assert section_at(c.section, c.text, m.start()).split(" > ")[-1] == expected[-1] == m.group()
            checked += m.start() > 0
    if "条例" in doc.meta.title:
        assert checked  # every regulation has a chunk running on into a second article


def test_a_chapter_heading_merged_after_articles_labels_none_of_them() -> None:
    """深圳市数据交易管理暂行办法: 第六条 to 第八条 are merged with the heading of 第三章 that follows them;
    the chunk is labelled by its articles, and its first sentence is 第六条's."""
    doc = load_document(CORPUS / "policies/24-shenzhen-data-trading-interim-measures-2023.md", root=CORPUS)
    chunk = next(c for c in split_document(doc) if c.text.startswith("第六条"))
    assert chunk.section.split(" > ")[-1] == "第六条～第八条"
    assert section_at(chunk.section, chunk.text, chunk.text.find("数据卖方应当")).endswith("> 第六条")
