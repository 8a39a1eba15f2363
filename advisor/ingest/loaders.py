"""Read md/txt/pdf/docx files into ``Document``s, checking content against the extension first.

Every failure is a ``LoadError`` whose message tells the user (in Chinese) what is wrong and what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import yaml

from advisor.types import Document, DocumentMeta

SUPPORTED = (".md", ".markdown", ".txt", ".pdf", ".docx")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
_DOCX_MAX_UNZIPPED = 200 * 1024 * 1024
_DOCX_MAX_RATIO = 150

_LEVELS = {
    "national": "national",
    "国家": "national",
    "国家级": "national",
    "provincial": "provincial",
    "省级": "provincial",
    "city": "city",
    "市级": "city",
    "county": "county",
    "县级": "county",
    "智库报告": "think-tank",
    "think-tank": "think-tank",
    "report": "think-tank",
    "user": "user",
}
_META_KEYS = (
    *("title", "issuer", "doc_number", "date", "level", "region", "kind", "source"),
    *("status", "valid_until"),  # validity: expired or superseded texts are never shown as current policy
)


class LoadError(ValueError):
    """A file that cannot be ingested; ``str(err)`` is the reason shown to the user."""


def doc_id_for(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def normalize_text(text: str) -> str:
    """Unify line endings and strip control characters that break parsers and displays."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\ufeff", "").replace("\u00a0", " ")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def decode_text(data: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM), then GB18030 (covers GBK/GB2312), then a detected charset."""
    if b"\x00" in data[:8192]:
        raise LoadError(f"{name} 看起来是二进制文件，不是文本（含空字节）；请确认文件类型或另存为 UTF-8 文本")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise LoadError(f"{name} 的文字编码无法识别；请另存为 UTF-8 后重新上传")
    return str(best)


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    odd = sum(1 for ch in text[:4000] if unicodedata.category(ch) in ("Co", "Cn", "Cs") or ch == "\ufffd")
    return odd / min(len(text), 4000) > 0.05


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body). The body keeps its exact characters; invalid YAML is an error."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    raw = text[4:end]
    close = text.find("\n", end + 4)
    body = text[close + 1 :] if close >= 0 else ""
    try:
        meta = yaml.safe_load(raw) or {}
    except yaml.YAMLError as exc:
        raise LoadError(f"YAML 文件头格式错误：{str(exc).splitlines()[0]}；请检查 --- 之间的内容") from exc
    if not isinstance(meta, dict):
        raise LoadError("YAML 文件头不是“键: 值”形式；请检查 --- 之间的内容")
    return meta, body


def _clean_meta(raw: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key in _META_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, dt.date | dt.datetime):
            value = value.isoformat()
        out[key] = str(value).strip()
    if raw.get("author") and not out.get("issuer"):
        out["issuer"] = str(raw["author"]).strip()
    level = out.get("level", "")
    out["level"] = _LEVELS.get(level, level or "unknown")
    return out


def _first_heading(text: str) -> str:
    for line in text.splitlines():
        m = re.match(r"#{1,3}\s+(.+)", line.strip())
        if m:
            return m.group(1).strip()
    return ""


def _read_checked(path: Path, max_bytes: int) -> bytes:
    if not path.is_file():
        raise LoadError(f"找不到文件 {path.name}")
    size = path.stat().st_size
    if size == 0:
        raise LoadError("文件为空")
    if size > max_bytes:
        raise LoadError(
            f"文件过大（{size / 1048576:.1f} MB，上限 {max_bytes / 1048576:.0f} MB）；"
            "请拆分文件，或调高 ADVISOR_MAX_UPLOAD_MB"
        )
    data = path.read_bytes()
    ext = path.suffix.lower()
    if ext == ".pdf" and not data.startswith(b"%PDF"):
        raise LoadError("扩展名是 .pdf，但内容不是 PDF；请确认文件类型")
    if ext == ".docx" and not data.startswith(b"PK\x03\x04"):
        hint = (
            "（这可能是旧版 .doc 文件，请用 Word 另存为 .docx）"
            if data.startswith(b"\xd0\xcf\x11\xe0")
            else ""
        )
        raise LoadError(f"扩展名是 .docx，但内容不是 Word 文档（不是 zip 格式）{hint}")
    if ext in (".md", ".markdown", ".txt") and (data.startswith(b"%PDF") or data.startswith(b"PK\x03\x04")):
        raise LoadError(f"扩展名是 {ext}，但内容是 PDF 或压缩包；请用正确的扩展名")
    return data


def _load_pdf(data: bytes, name: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:
                ok = False
            if not ok:
                raise LoadError("PDF 已加密（需要密码）；请先解除密码保护再上传")
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise LoadError(f"PDF 文件损坏或无法解析（{type(exc).__name__}）；请重新导出 PDF") from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise LoadError("PDF 中没有可提取的文字（可能是扫描件）；请先做文字识别（OCR）再上传")
    return text


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise LoadError("Word 文档已损坏（zip 结构无效）；请用 Word 重新保存") from exc
    total = sum(info.file_size for info in zf.infolist())
    if total > _DOCX_MAX_UNZIPPED or total > _DOCX_MAX_RATIO * max(len(data), 1):
        raise LoadError("Word 文档解压后异常巨大（疑似压缩炸弹），已拒绝")
    if "word/document.xml" not in zf.namelist():
        raise LoadError("不是有效的 Word 文档（缺少 word/document.xml）")
    return zf


def _load_docx(data: bytes) -> tuple[str, dict[str, str]]:
    import docx

    _check_zip(data)
    try:
        d = docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise LoadError(f"Word 文档无法解析（{type(exc).__name__}）；请用 Word 重新保存为 .docx") from exc
    lines: list[str] = []
    for block in d.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            from docx.text.paragraph import Paragraph

            para = Paragraph(block, d)
            text = para.text.strip()
            if not text:
                continue
            style = (para.style.name if para.style is not None else "") or ""
            m = re.match(r"(?:Heading|标题)\s*(\d)", style)
            if style == "Title":
                lines.append(f"# {text}")
            elif m:
                lines.append("#" * min(int(m.group(1)) + 1, 6) + " " + text)
            else:
                lines.append(text)
        elif tag == "tbl":
            from docx.table import Table

            for row in Table(block, d).rows:
                cells = [c.text.strip() for c in row.cells]
                if any(cells):
                    lines.append(" | ".join(cells))
    props = d.core_properties
    meta = {"title": props.title or "", "issuer": props.author or ""}
    return "\n\n".join(lines), {k: v for k, v in meta.items() if v}


def _sidecar(path: Path) -> dict[str, Any]:
    for candidate in (path.with_suffix(".meta.yaml"), path.with_suffix(".meta.yml")):
        if candidate.is_file():
            try:
                meta = yaml.safe_load(candidate.read_text(encoding="utf-8")) or {}
            except (yaml.YAMLError, UnicodeDecodeError) as exc:
                raise LoadError(f"元数据文件 {candidate.name} 格式错误；请检查 YAML") from exc
            return meta if isinstance(meta, dict) else {}
    return {}


def load_document(path: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Load one file; raise ``LoadError`` with a user-facing reason when it cannot be used."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in SUPPORTED:
        raise LoadError(f"不支持的文件类型 {ext or '（无扩展名）'}；支持 md、txt、pdf、docx")
    data = _read_checked(path, max_bytes)
    meta: dict[str, Any] = {}
    if ext in (".md", ".markdown"):
        text = decode_text(data, path.name)
        meta, text = split_front_matter(normalize_text(text))
    elif ext == ".txt":
        text = decode_text(data, path.name)
        meta = _sidecar(path)
    elif ext == ".pdf":
        text = _load_pdf(data, path.name)
    else:
        text, meta = _load_docx(data)
    text = normalize_text(text)
    if ext in (".md", ".markdown", ".txt") and _looks_binary(text):
        raise LoadError(f"{path.name} 的内容不是可读文本（乱码或二进制）；请确认文件类型与编码")
    if not text.strip():
        raise LoadError("文件没有正文内容")
    clean = _clean_meta(meta)
    title = clean.pop("title", "") or _first_heading(text) or path.stem
    try:
        rel = str(path.resolve().relative_to(root.resolve())) if root else str(path.resolve())
    except ValueError:
        rel = str(path.resolve())
    return Document(
        text=text,
        meta=DocumentMeta(doc_id=doc_id_for(text), title=title, path=rel, **clean),
    )
