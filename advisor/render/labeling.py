"""AI-generated content labels (《人工智能生成合成内容标识办法》, 国信办通字〔2025〕2号).

- Explicit labels (第四条): one wording each for answers and documents, kept in ``prompts/ai_label.md``
  and exposed here as :data:`ANSWER_LABEL` and :data:`DOCUMENT_LABEL`; exports always carry them.
- Implicit labels (第五条, 《深度合成管理规定》第十六条): :func:`provenance` builds the metadata record
  (AI-generated attribute, provider name, content number = :func:`content_id`, time, sources) that the
  exporters embed in each file's metadata (YAML front matter, a ``provenance`` object, DOCX properties).
- Checking (第六条 ``核验文件元数据中是否含有隐式标识``): :func:`verify_file` reads those labels back and
  recomputes the content number to tell whether a file came from advisor and whether it was edited.

How the content number is computed, per format (always ``sha256`` of :func:`normalise_content`):

- Markdown: everything after the YAML front matter (the explicit label line included).
- JSON: the object without its ``provenance`` key, dumped canonically (sorted keys, no spaces).
- DOCX: the visible body text — the text of every non-empty body paragraph (table cells included) in
  document order, joined by ``\\n``; headers, footers, fields in them and document properties are
  excluded, so re-saving without edits keeps the number while any edit to the text changes it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
import unicodedata
import zipfile
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from advisor.resources import PROMPTS_DIR
from advisor.types import Answer, Plan

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

PRODUCT = "advisor 区域AI产业顾问"  # implicit labels (metadata) keep the package name: verify reads it
PRODUCT_NAME = "区域AI产业顾问"  # what a reader sees: title pages, page footers
LABEL_FILE = PROMPTS_DIR / "ai_label.md"

CUSTOM_PROPS_PARTNAME = "/docProps/custom.xml"
CUSTOM_PROPS_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_PROPS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CP_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def _version() -> str:
    try:
        return importlib.metadata.version("advisor")
    except importlib.metadata.PackageNotFoundError:
        return "0.1.0"


VERSION = _version()


@lru_cache(maxsize=1)
def load_labels() -> dict[str, str]:
    """The label wordings from ``prompts/ai_label.md`` (YAML front matter keys ``answer``, ``document``)."""
    try:
        text = LABEL_FILE.read_text(encoding="utf-8")
    except OSError as exc:
        raise RuntimeError(f"找不到显式标识文件 {LABEL_FILE}：请确认 prompts/ai_label.md 存在。") from exc
    m = _FRONT_MATTER.match(text)
    data = yaml.safe_load(m.group(1) if m else text)
    if not isinstance(data, dict):
        raise RuntimeError(f"{LABEL_FILE} 格式错误：应为含 answer 与 document 两个键的 YAML。")
    labels = {}
    for key in ("answer", "document"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            raise RuntimeError(f"{LABEL_FILE} 缺少非空的 `{key}` 标识措辞。")
        labels[key] = value.strip()
    return labels


ANSWER_LABEL: str = load_labels()["answer"]
DOCUMENT_LABEL: str = load_labels()["document"]


# ---------------------------------------------------------------- content number


def strip_front_matter(text: str) -> str:
    """Text without a leading YAML front matter block (the implicit-label carrier in Markdown)."""
    m = _FRONT_MATTER.match(text)
    return text[m.end() :] if m else text.lstrip("\ufeff")


def normalise_content(text: str) -> str:
    """Canonical form hashed by :func:`content_id`: no front matter, NFC, ``\\n`` line endings,
    no trailing whitespace on any line, no leading/trailing blank lines."""
    body = strip_front_matter(text)
    body = unicodedata.normalize("NFC", body).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in body.split("\n")).strip("\n")


def content_id(text: str) -> str:
    """Content number (内容编号): sha256 hex of :func:`normalise_content`."""
    return hashlib.sha256(normalise_content(text).encode("utf-8")).hexdigest()


def canonical_json(payload: dict[str, Any]) -> str:
    """The JSON text hashed for a JSON export: all keys but ``provenance``, sorted, compact."""
    body = {k: v for k, v in payload.items() if k != "provenance"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def docx_visible_text(document: DocxDocument) -> str:
    """Visible body text of a DOCX: non-empty paragraph texts (tables included) joined by newlines.

    Headers and footers live in other parts and are not included, nor are document properties.
    """
    from docx.oxml.ns import qn

    texts = []
    for p in document.element.body.iter(qn("w:p")):
        t = p.text
        if t and t.strip():
            texts.append(t)
    return "\n".join(texts)


# ---------------------------------------------------------------- implicit label


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _generated_at(obj: Plan | Answer) -> str:
    created = getattr(obj, "created", "") or ""
    if created:
        try:
            dt = datetime.fromisoformat(created)
        except ValueError:
            return _now()
        if dt.tzinfo is None:
            dt = dt.astimezone()  # naive times are local times
        return dt.isoformat(timespec="seconds")
    return _now()


def provenance(plan_or_answer: Plan | Answer, content: str) -> dict[str, Any]:
    """The implicit label (第五条): AI-generated attribute, provider, content number and context."""
    is_plan = isinstance(plan_or_answer, Plan)
    return {
        "ai_generated": True,
        "label": DOCUMENT_LABEL if is_plan else ANSWER_LABEL,
        "product": PRODUCT,
        "version": VERSION,
        "kind": "plan" if is_plan else "answer",
        "provider": plan_or_answer.provider,
        "model": plan_or_answer.model,
        "content_id": content_id(content),
        "generated_at": _generated_at(plan_or_answer),
        "corpus_docs": sorted({c.doc_id for c in plan_or_answer.citations if c.doc_id}),
    }


def front_matter(prov: dict[str, Any]) -> str:
    """A YAML front matter block carrying ``prov``."""
    dumped = yaml.safe_dump(prov, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{dumped}---\n"


def label_answer_markdown(md: str) -> str:
    """``md`` with the explicit answer label appended as a blockquote line, unless already present."""
    if ANSWER_LABEL in md:
        return md
    return f"{md.rstrip()}\n\n> {ANSWER_LABEL}\n"


# ---------------------------------------------------------------- DOCX custom properties


def _custom_part(document: DocxDocument) -> Any | None:
    for rel in document.part.package.rels.values():
        if rel.reltype == CUSTOM_PROPS_RT and not rel.is_external:
            return rel.target_part
    return None


def write_docx_custom_properties(document: DocxDocument, props: dict[str, Any]) -> None:
    """Store ``props`` in ``docProps/custom.xml`` (Word: 文件 > 属性 > 自定义), replacing any there.

    Booleans become ``vt:bool``, lists are joined with ``;``, everything else is a string.
    """
    from xml.sax.saxutils import escape, quoteattr

    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    items = []
    for pid, (name, value) in enumerate(props.items(), start=2):
        if isinstance(value, bool):
            typed = f"<vt:bool>{'true' if value else 'false'}</vt:bool>"
        else:
            text = ";".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
            typed = f"<vt:lpwstr>{escape(text)}</vt:lpwstr>"
        items.append(f'<property fmtid="{_CP_FMTID}" pid="{pid}" name={quoteattr(name)}>{typed}</property>')
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<Properties xmlns="{_CP_NS}" xmlns:vt="{_VT_NS}">' + "".join(items) + "</Properties>"
    ).encode("utf-8")
    package = document.part.package
    existing = _custom_part(document)
    if existing is not None:
        existing._blob = xml
        return
    part = Part(PackURI(CUSTOM_PROPS_PARTNAME), CUSTOM_PROPS_CT, xml, package)
    package.relate_to(part, CUSTOM_PROPS_RT)


def read_docx_custom_properties(document: DocxDocument) -> dict[str, Any]:
    """``docProps/custom.xml`` as a dict (``corpus_docs`` split back into a list); {} when absent."""
    from lxml import etree

    part = _custom_part(document)
    if part is None:
        return {}
    root = etree.fromstring(part.blob)
    out: dict[str, Any] = {}
    for prop in root.findall(f"{{{_CP_NS}}}property"):
        name = prop.get("name")
        if not name or len(prop) == 0:
            continue
        child = prop[0]
        text = child.text or ""
        if etree.QName(child).localname == "bool":
            out[name] = text.strip().lower() in ("true", "1")
        elif name == "corpus_docs":
            out[name] = [d for d in text.split(";") if d]
        else:
            out[name] = text
    return out


# ---------------------------------------------------------------- verification

Format = Literal["docx", "md", "json", "unknown"]


class VerifyReport(BaseModel):
    """What :func:`verify_file` found about a file's AI-generation labels."""

    model_config = ConfigDict(extra="forbid")

    path: str
    format: Format = Field(description="docx, md, json; unknown for unsupported types.")
    produced_by_advisor: bool = Field(default=False, description="Implicit label of advisor found.")
    intact: bool | None = Field(
        default=None, description="Recomputed content number equals the recorded one; None if unknown."
    )
    explicit_label: bool = Field(default=False, description="The visible AI-generated notice is present.")
    metadata: dict[str, Any] = Field(default_factory=dict, description="The implicit label as read.")
    message: str = Field(default="", description="Conclusion in Chinese, for people.")


def _known_labels(meta: dict[str, Any]) -> list[str]:
    labels = [DOCUMENT_LABEL, ANSWER_LABEL]
    recorded = meta.get("label")
    if isinstance(recorded, str) and recorded.strip():
        labels.append(recorded.strip())
    return labels


def _is_advisor(meta: dict[str, Any]) -> bool:
    return meta.get("ai_generated") is True and str(meta.get("product", "")).startswith("advisor")


def _conclude(
    report: VerifyReport, recorded: str | None, actual: str | None, notes: list[str] | None = None
) -> VerifyReport:
    meta = report.metadata
    parts: list[str] = []
    if not _is_advisor(meta):
        report.produced_by_advisor = False
        report.intact = None
        if report.explicit_label:
            parts.append(
                "正文中有AI生成提示（显式标识），但文件元数据中没有 advisor 的隐式标识："
                "元数据可能已被删除，或内容是复制粘贴而来，无法核验是否被修改。"
            )
        else:
            parts.append(
                "未发现 advisor 的生成标识（文件元数据中没有隐式标识，正文中也没有AI生成提示）："
                "该文件不是本系统导出的，或标识已被删除。"
            )
    else:
        report.produced_by_advisor = True
        when = meta.get("generated_at", "")
        cid = str(recorded or "")
        parts.append(
            f"该文件由 {meta.get('product', PRODUCT)} {meta.get('version', '')}".rstrip()
            + f" 生成（生成时间 {when or '未记录'}，内容编号 {cid[:12] or '未记录'}）。"
        )
        if not recorded or actual is None:
            report.intact = None
            parts.append("元数据中缺少内容编号，无法核验内容是否被修改。")
        elif recorded == actual:
            report.intact = True
            parts.append("内容自生成后未被修改。")
        else:
            report.intact = False
            parts.append("内容在生成后被修改过（重新计算的内容编号与记录不一致），请以原始导出文件为准。")
        if not report.explicit_label:
            parts.append("正文中找不到AI生成提示（显式标识），可能已被删除。")
    parts.extend(notes or [])
    report.message = "".join(parts)
    return report


def _verify_md(report: VerifyReport, path: Path) -> VerifyReport:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        report.message = f"无法读取 {path.name}：不是 UTF-8 编码的文本文件。"
        return report
    notes = []
    m = _FRONT_MATTER.match(text)
    meta: Any = {}
    if m:
        try:
            meta = yaml.safe_load(m.group(1))
        except yaml.YAMLError:
            notes.append("（文件开头的元数据块无法解析。）")
    report.metadata = meta if isinstance(meta, dict) else {}
    body = strip_front_matter(text)
    report.explicit_label = any(lbl in body for lbl in _known_labels(report.metadata))
    recorded = report.metadata.get("content_id")
    return _conclude(report, str(recorded) if recorded else None, content_id(body), notes)


def _verify_json(report: VerifyReport, path: Path) -> VerifyReport:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.message = f"无法读取 {path.name}：不是有效的 JSON 文件（{exc.__class__.__name__}）。"
        return report
    if not isinstance(data, dict):
        report.metadata = {}
        return _conclude(report, None, None, ["（JSON 顶层不是对象。）"])
    prov = data.get("provenance")
    report.metadata = prov if isinstance(prov, dict) else {}
    labels = _known_labels(report.metadata)
    report.explicit_label = data.get("ai_label") in labels
    recorded = report.metadata.get("content_id")
    return _conclude(report, str(recorded) if recorded else None, content_id(canonical_json(data)))


def _verify_docx(report: VerifyReport, path: Path) -> VerifyReport:
    import docx

    if not zipfile.is_zipfile(path):
        report.message = (
            f"无法读取 {path.name}：不是有效的 DOCX 文件（Word 文档应为 ZIP 压缩包），"
            "可能已损坏或扩展名有误。"
        )
        return report
    try:
        document = docx.Document(str(path))
        custom = read_docx_custom_properties(document)
    except Exception as exc:  # python-docx raises several types for foreign or broken packages
        report.message = f"无法读取 {path.name}：不是有效的 Word 文档（{exc.__class__.__name__}: {exc}）。"
        return report
    cp = document.core_properties
    core = {
        "title": cp.title,
        "subject": cp.subject,
        "author": cp.author,
        "comments": cp.comments,
        "keywords": cp.keywords,
        "category": cp.category,
        "identifier": cp.identifier,
        "content_status": cp.content_status,
        "created": cp.created.isoformat() if cp.created else "",
    }
    meta: dict[str, Any] = dict(custom)
    if not custom and cp.author == PRODUCT and "AI生成" in (cp.keywords or ""):
        # custom properties dropped by an editor: fall back to the core properties
        meta.update(
            {
                "ai_generated": True,
                "product": PRODUCT,
                "content_id": cp.identifier or "",
                "generated_at": core["created"],
            }
        )
    meta["core_properties"] = core
    report.metadata = meta
    body = docx_visible_text(document)
    labels = _known_labels(meta)
    in_body = any(lbl in body for lbl in labels)
    in_headers = bool(document.sections)
    even_pages = document.settings.odd_and_even_pages_header_footer
    for section in document.sections:
        # every page type in use must show the label in its header or footer
        kinds = [(section.header, section.footer)]
        if section.different_first_page_header_footer:
            kinds.append((section.first_page_header, section.first_page_footer))
        if even_pages:
            kinds.append((section.even_page_header, section.even_page_footer))
        for header, footer in kinds:
            hf = "\n".join(p.text for part in (header, footer) for p in part.paragraphs)
            if not any(lbl in hf for lbl in labels):
                in_headers = False
    report.explicit_label = in_body or in_headers
    notes = []
    if report.explicit_label and not in_headers:
        notes.append("（页眉页脚中未找到AI生成提示。）")
    recorded = meta.get("content_id")
    return _conclude(report, str(recorded) if recorded else None, content_id(body), notes)


def verify_file(path: str | Path) -> VerifyReport:
    """Check a file exported by advisor: its implicit label, explicit label and integrity.

    Never raises for bad input; the outcome is in the report's ``message`` (Chinese).
    """
    p = Path(path)
    ext = p.suffix.lower()
    fmt: Format = {".docx": "docx", ".md": "md", ".markdown": "md", ".json": "json"}.get(ext, "unknown")  # type: ignore[assignment]
    report = VerifyReport(path=str(p), format=fmt)
    if fmt == "unknown":
        report.message = f"不支持的文件类型“{ext or '无扩展名'}”：仅能核验 .docx、.md、.json 文件。"
        return report
    if not p.is_file():
        report.message = f"文件不存在或不是普通文件：{p}"
        return report
    try:
        if fmt == "md":
            return _verify_md(report, p)
        if fmt == "json":
            return _verify_json(report, p)
        return _verify_docx(report, p)
    except OSError as exc:
        report.message = f"无法读取 {p.name}：{exc.strerror or exc}。"
        return report
