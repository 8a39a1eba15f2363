"""Loaders: every format, metadata, encodings, and every kind of bad input."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfWriter

from advisor.ingest.loaders import LoadError, load_document
from advisor.settings import PROJECT_ROOT

REPORT = PROJECT_ROOT / "corpus/report/jiazi-2023-local-gov-ai-industry-strategy.txt"
POLICY = PROJECT_ROOT / "corpus/policies/08-shenzhen-sez-ai-industry-promotion-regulations-2022.md"


def _pdf(path: Path, text: str | None = "第一条 测试", encrypt: str | None = None) -> Path:
    """A real PDF; with text it embeds a CJK-capable standard font via a content stream."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    if text is not None:
        from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 20 200 Td ({text}) Tj ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if encrypt:
        writer.encrypt(encrypt)
    with path.open("wb") as f:
        writer.write(f)
    return path


def test_markdown_front_matter() -> None:
    doc = load_document(POLICY, root=PROJECT_ROOT / "corpus")
    m = doc.meta
    assert m.title == "深圳经济特区人工智能产业促进条例"
    assert m.issuer.startswith("深圳市人民代表大会")
    assert (m.date, m.level, m.region, m.kind) == ("2022-08-30", "city", "深圳市", "条例")
    assert m.path == "policies/08-shenzhen-sez-ai-industry-promotion-regulations-2022.md"
    assert not doc.text.startswith("---") and "第一条" in doc.text
    assert len(m.doc_id) == 16


def test_txt_with_sidecar_meta() -> None:
    doc = load_document(REPORT)
    assert doc.meta.issuer.startswith("甲子光年智库")
    assert doc.meta.level == "think-tank"
    assert doc.meta.date == "2023-08"
    assert "3.5 构建区域特色AI产业培育方法论" in doc.text


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_txt_encodings(tmp_path: Path, encoding: str) -> None:
    text = "地方政府应设立人工智能产业基金，支持智算中心建设。\n第二段：鼓励应用场景开放。"
    path = tmp_path / "note.txt"
    path.write_bytes(text.encode(encoding))
    assert load_document(path).text.strip() == text


def test_docx_headings_tables_and_properties(tmp_path: Path) -> None:
    d = docx.Document()
    d.core_properties.title = "某市人工智能行动方案"
    d.core_properties.author = "某市发展和改革委员会"
    d.add_heading("第一章 总体要求", level=1)
    d.add_paragraph("到2025年，建成若干人工智能应用示范场景。")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "指标", "目标"
    table.cell(1, 0).text, table.cell(1, 1).text = "智算规模", "待定"
    path = tmp_path / "plan.docx"
    d.save(str(path))
    doc = load_document(path)
    assert doc.meta.title == "某市人工智能行动方案" and doc.meta.issuer == "某市发展和改革委员会"
    assert "## 第一章 总体要求" in doc.text
    assert "智算规模 | 待定" in doc.text


def test_pdf_text(tmp_path: Path) -> None:
    doc = load_document(_pdf(tmp_path / "a.pdf", "Article 1 AI industry fund"))
    assert "AI industry fund" in doc.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "文件为空"),
        ("binary.md", b"\x00\x01\x02\xff" * 100, "二进制"),
        ("fake.pdf", "这不是PDF".encode(), "不是 PDF"),
        ("fake.docx", b"just text, not a zip", "不是 Word"),
        ("old.docx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".doc"),
        ("x.exe", b"MZ", "不支持的文件类型"),
        ("noext", b"hello", "不支持的文件类型"),
        ("zip.md", b"PK\x03\x04" + b"\x00" * 50, "压缩包"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage", "PDF"),
        ("bad-front.md", "---\ntitle: [unclosed\n---\n正文".encode(), "YAML"),
    ],
)
def test_bad_inputs_give_reasons(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError, match=reason):
        load_document(path)


def test_encrypted_pdf(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="加密"):
        load_document(_pdf(tmp_path / "secret.pdf", "secret", encrypt="pw"))


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="OCR"):
        load_document(_pdf(tmp_path / "scan.pdf", None))


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("人工智能。" * 3000, encoding="utf-8")
    with pytest.raises(LoadError, match="文件过大"):
        load_document(path, max_bytes=10_000)


def test_zip_bomb_docx(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document>" + " " * 300_000_000 + "</w:document>")
    path = tmp_path / "bomb.docx"
    path.write_bytes(buf.getvalue())
    assert path.stat().st_size < 1_000_000
    with pytest.raises(LoadError, match="压缩炸弹"):
        load_document(path)


def test_doc_id_is_content_hash(tmp_path: Path) -> None:
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("# 标题\n\n同样的内容。", encoding="utf-8")
    b.write_text("# 标题\n\n同样的内容。", encoding="utf-8")
    assert load_document(a).meta.doc_id == load_document(b).meta.doc_id
    b.write_text("# 标题\n\n不同的内容。", encoding="utf-8")
    assert load_document(a).meta.doc_id != load_document(b).meta.doc_id
