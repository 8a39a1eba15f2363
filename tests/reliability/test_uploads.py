"""Hostile documents through the UI handlers (advisor/handlers.py) and through `advisor ingest`: wrong
magic bytes, size limit, zip bomb, malformed and encrypted PDFs, path-traversal names, duplicates, GBK
text and a parser crash. Every rejection carries a clear reason and leaves the index (generation chunk
ids, keyword ids and Chroma ids) exactly as it was."""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from pypdf import PdfWriter

from advisor.ingest import pipeline
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.web.app import launch_options
from advisor.web.library import _ICONS, UploadResult, ingest_upload, upload_documents
from reliability import (
    CORPUS,
    advisor_cmd,
    clean_env,
    copy_index,
    index_state,
    index_state_fresh,
    make_advisor,
)

pytestmark = pytest.mark.integration

GBK_TEXT = (
    "星河市人工智能算力券管理办法\n\n"
    "第一条 为降低中小企业使用智能算力的成本，星河市设立人工智能算力券。\n\n"
    "第二条 星河市每家企业每年可申领不超过五十万元的算力券，用于模型训练与推理服务。\n"
)


# ------------------------------------------------------------------------------ hostile files


def docx_bytes(text: str = "第一条 星河市支持人工智能企业发展。") -> bytes:
    d = docx.Document()
    d.add_heading("星河市人工智能产业扶持办法", level=1)
    d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes], add: dict[str, bytes] | None = None) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            zf.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in (add or {}).items():
            zf.writestr(name, content)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A real .docx carrying 40 MB of zeros that compress to a few dozen KB."""
    return _rezip(docx_bytes(), {}, {"word/media/image1.bin": b"\0" * 40_000_000})


def invalid_xml_docx() -> bytes:
    """A .docx whose word/document.xml is not well-formed XML (crashes the XML parser)."""
    return _rezip(docx_bytes(), {"word/document.xml": b"<w:document><w:body><w:p><w:t>\xe7\xa0\xb4"})


def pdf_bytes(text: str | None = "Article 1", encrypt: str | None = None) -> bytes:
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=300)
    if text is not None:
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
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def malformed_pdf() -> bytes:
    rng = random.Random(8)
    return b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\n" + rng.randbytes(3000) + b"\n%%EOF"


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8

# (file name, content, the reason the user is shown)
REJECTED: list[tuple[str, Callable[[], bytes], str]] = [
    ("报告.pdf", lambda: "这不是PDF，只是文字".encode(), "不是 PDF"),
    ("方案.docx", lambda: "纯文本冒充Word".encode(), "不是 Word 文档"),
    ("旧版.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, r"旧版 \.doc"),
    ("说明.md", lambda: pdf_bytes(), "内容是 PDF 或压缩包"),
    ("说明2.txt", lambda: docx_bytes(), "内容是 PDF 或压缩包"),
    ("图片.txt", lambda: PNG, "二进制|不是可读文本"),
    ("网页.html", lambda: b"<html><script>alert(1)</script></html>", "不支持的文件类型"),
    ("炸弹.docx", zip_bomb_docx, "压缩炸弹"),
    ("损坏.docx", invalid_xml_docx, "Word 文档无法解析"),
    ("损坏.pdf", malformed_pdf, "PDF 文件损坏|没有可提取的文字"),
    ("截断.pdf", lambda: pdf_bytes()[:400], "PDF 文件损坏|没有可提取的文字"),
    ("加密.pdf", lambda: pdf_bytes("secret", encrypt="pw"), "PDF 已加密"),
    ("空.md", lambda: b"", "文件为空"),
]


@pytest.fixture
def adv(corpus_data_dir: Path, tmp_path: Path) -> Advisor:
    return make_advisor(copy_index(corpus_data_dir, tmp_path / "data"))


def _upload(adv: Advisor, tmp_path: Path, name: str, content: bytes) -> UploadResult:
    """One file through the UI's upload handler, as Gradio hands it over (temp path + original name)."""
    src = tmp_path / "gradio-tmp" / f"{len(list(tmp_path.glob('gradio-tmp/*')))}.bin"
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(content)
    updates = list(upload_documents(adv, [{"path": str(src), "orig_name": name}]))
    summary = updates[-1][0]
    assert "处理完成" in summary and "Traceback" not in summary
    return _last_result(summary, name)


def _last_result(summary: str, name: str) -> UploadResult:
    for line in summary.splitlines():
        if line.startswith("- ") and "**：" in line:
            icon = line[2]
            status = {v: k for k, v in _ICONS.items()}.get(icon, "?")
            shown, _, message = line[2:].partition("**：")
            return UploadResult(name=shown.split("**", 1)[-1], status=status, message=message)
    raise AssertionError(f"no result line for {name}: {summary}")


def _staged(adv: Advisor) -> list[Path]:
    root = adv.settings.data_dir / "uploads"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# ------------------------------------------------------------------------------ through the UI handlers


REJECTED_IDS = [
    "fake-pdf",
    "fake-docx",
    "old-doc",
    "md-is-pdf",
    "txt-is-docx",
    "png-as-txt",
    "html",
    "zip-bomb",
    "invalid-xml-docx",
    "malformed-pdf",
    "truncated-pdf",
    "encrypted-pdf",
    "empty",
]


@pytest.mark.parametrize(("name", "content", "reason"), REJECTED, ids=REJECTED_IDS)
def test_ui_rejects_bad_file_with_reason_and_index_unchanged(
    adv: Advisor, tmp_path: Path, name: str, content: Callable[[], bytes], reason: str
) -> None:
    before = index_state(adv)
    result = _upload(adv, tmp_path, name, content())
    assert result["status"] in ("skipped", "error"), result
    assert re.search(reason, result["message"]), result
    assert index_state(adv) == before
    assert _staged(adv) == []  # the rejected copy is not kept


def test_ui_size_limit_is_configurable_and_enforced(corpus_data_dir: Path, tmp_path: Path) -> None:
    adv = make_advisor(copy_index(corpus_data_dir, tmp_path / "data"), max_upload_mb=0.05)
    before = index_state(adv)
    result = ingest_upload(adv, _write(tmp_path / "big.md", ("人工智能产业。" * 4000).encode()), "大文件.md")
    assert result["status"] == "error" and "文件过大" in result["message"] and "上限" in result["message"]
    assert index_state(adv) == before and _staged(adv) == []


def test_default_upload_limit_is_20_mb(adv: Advisor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVISOR_MAX_UPLOAD_MB", raising=False)
    assert Settings().max_upload_mb == 20
    monkeypatch.setenv("ADVISOR_MAX_UPLOAD_MB", "3")
    assert Settings().max_upload_mb == 3
    assert launch_options(adv)["max_file_size"] == 20 * 1024 * 1024  # Gradio refuses bigger uploads too
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.truncate(20 * 1024 * 1024 + 1)
    before = index_state(adv)
    result = ingest_upload(adv, big, "大文件.txt")
    assert result["status"] == "error" and "上限 20 MB" in result["message"]
    assert index_state(adv) == before


TRAVERSAL = [
    "../../x.md",
    "..\\..\\x.md",
    "/etc/x.md",
    "/tmp/absolute-upload.md",
    "ok\x00.md",
    "x.md\x00.pdf",
    "．．／．．／x.md",  # full-width dots and slash (NFKC folds them to ../)
    "..",
    "",
]


@pytest.mark.parametrize("name", TRAVERSAL, ids=[repr(n) for n in TRAVERSAL])
def test_ui_refuses_path_names(adv: Advisor, tmp_path: Path, name: str) -> None:
    before = index_state(adv)
    src = _write(tmp_path / "in.md", GBK_TEXT.encode("utf-8"))
    result = ingest_upload(adv, src, name)
    assert result["status"] == "error" and ("文件名" in result["message"] or "类型" in result["message"])
    assert "/" not in result["name"] or result["name"] == "（无名文件）"
    assert index_state(adv) == before and _staged(adv) == []
    assert not Path("/etc/x.md").exists() and not Path("/tmp/absolute-upload.md").exists()
    assert not (tmp_path.parent / "x.md").exists() and not (adv.settings.data_dir.parent / "x.md").exists()


@pytest.mark.parametrize("name", ["长" * 300 + ".md", "a" * 250 + ".MD", "%2e%2e%2fpasswd.md", "CON .md"])
def test_ui_odd_but_harmless_names_are_confined_to_the_uploads_folder(
    adv: Advisor, tmp_path: Path, name: str
) -> None:
    text = GBK_TEXT.replace("星河市", f"星河市{len(name)}号")
    result = ingest_upload(adv, _write(tmp_path / "in.md", text.encode("utf-8")), name)
    assert result["status"] == "added", result
    (staged,) = _staged(adv)
    uploads = (adv.settings.data_dir / "uploads").resolve()
    assert staged.resolve().parent.parent == uploads  # data/uploads/<random>/<safe name>
    assert len(staged.name.encode()) < 255 and "/" not in staged.name and "%" not in staged.name
    assert index_state(adv).agrees()


def test_ui_duplicates_are_deduplicated(adv: Advisor, tmp_path: Path) -> None:
    before = index_state(adv)
    body = GBK_TEXT.encode("utf-8")
    a, b = _write(tmp_path / "a.bin", body), _write(tmp_path / "b.bin", body)
    files = [{"path": str(a), "orig_name": "办法.md"}, {"path": str(b), "orig_name": "办法（副本）.md"}]
    summary = list(upload_documents(adv, files))[-1][0]
    assert "新入库 1 个" in summary and "内容相同，已去重" in summary
    again = ingest_upload(adv, _write(tmp_path / "c.bin", body), "办法.md")
    assert again["status"] == "skipped" and "内容相同" in again["message"]
    after = index_state(adv)
    assert len(after.docs - before.docs) == 1 and after.agrees()
    assert len(_staged(adv)) == 1
    # the corpus itself re-uploaded is a duplicate too
    policy = next((CORPUS / "policies").glob("08-*.md"))
    shipped = ingest_upload(adv, policy, policy.name)
    assert shipped["status"] == "skipped" and "内容相同" in shipped["message"]
    assert index_state(adv) == after


def test_ui_gbk_text_is_decoded_and_found(adv: Advisor, tmp_path: Path) -> None:
    result = ingest_upload(adv, _write(tmp_path / "g.bin", GBK_TEXT.encode("gbk")), "算力券.txt")
    assert result["status"] == "added", result
    hits = adv.retrieve("星河市 算力券 每家企业每年 申领", k=3)
    assert hits and "五十万元的算力券" in hits[0].text
    assert "\ufffd" not in hits[0].text


def test_ui_a_crashing_parser_is_contained(
    adv: Advisor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RecursionError("maximum recursion depth exceeded in the parser")

    monkeypatch.setattr(pipeline, "load_document", explode)
    before = index_state(adv)
    result = ingest_upload(adv, _write(tmp_path / "x.bin", GBK_TEXT.encode()), "办法.md")
    assert result["status"] == "skipped" and "解析失败（RecursionError）" in result["message"]
    assert "maximum recursion" not in result["message"]
    assert index_state(adv) == before and _staged(adv) == []


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------------------ through `advisor ingest`


def _cli_ingest(data: Path, *paths: Path, **env: str) -> dict[str, Any]:
    done = subprocess.run(
        advisor_cmd("ingest", *map(str, paths), "--json"),
        env=clean_env(ADVISOR_DATA_DIR=str(data), ADVISOR_CORPUS_DIR=str(CORPUS), **env),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return dict(json.loads(done.stdout))


def test_cli_ingest_rejects_every_bad_file_with_reason_and_index_unchanged(
    corpus_data_dir: Path, tmp_path: Path
) -> None:
    data = copy_index(corpus_data_dir, tmp_path / "data")
    folder = tmp_path / "incoming"
    for name, content, _ in REJECTED:
        if not name.endswith(".html"):
            _write(folder / name, content())
    _write(folder / "超限.md", ("人工智能产业。" * 8000).encode())  # ~168 KB > 0.1 MB
    before = index_state_fresh(data)
    report = _cli_ingest(
        data, folder, tmp_path / "missing" / ".." / ".." / "x.md", ADVISOR_MAX_UPLOAD_MB="0.1"
    )
    assert report["added"] == [] and report["updated"] == []
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    for name, _, reason in REJECTED:
        if not name.endswith(".html"):
            assert re.search(reason, reasons[name]), (name, reasons.get(name))
    assert "文件过大" in reasons["超限.md"] and "ADVISOR_MAX_UPLOAD_MB" in reasons["超限.md"]
    assert reasons["x.md"] == "文件或目录不存在"
    assert index_state_fresh(data) == before


def test_cli_ingest_gbk_and_duplicates(corpus_data_dir: Path, tmp_path: Path) -> None:
    data = copy_index(corpus_data_dir, tmp_path / "data")
    folder = tmp_path / "incoming"
    _write(folder / "算力券.txt", GBK_TEXT.encode("gbk"))
    _write(folder / "算力券-副本.txt", GBK_TEXT.encode("gbk"))
    before = index_state_fresh(data)
    report = _cli_ingest(data, folder)
    assert len(report["added"]) == 1
    (dup,) = report["skipped"]
    assert "内容相同，已去重" in dup["reason"]
    again = _cli_ingest(data, folder)  # idempotent: nothing new the second time
    assert again["added"] == [] and len(again["unchanged"]) == 1
    after = index_state_fresh(data)
    assert len(after.docs - before.docs) == 1 and after.agrees()
    adv = make_advisor(data)
    assert "五十万元的算力券" in adv.retrieve("星河市 算力券 申领", k=1)[0].text
