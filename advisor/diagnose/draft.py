"""The user's draft: loaded like an upload, cut into located sentences, never written to the index.

A line that starts with 第N条 opens an article, and its sentences (continuation lines included) are
located as 第N条; other text is located by its paragraph number 第N段, counting non-empty lines.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from advisor.ingest.loaders import SUPPORTED, LoadError, load_document, normalize_text
from advisor.text import sentence_spans

_ARTICLE = re.compile(r"^\s*(第[零〇一二三四五六七八九十百千\d]+条)")
_CHAPTER = re.compile(r"^\s*第[零〇一二三四五六七八九十百\d]+[章节]")
_MD_PREFIX = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|>\s*)")
MIN_DRAFT_CHARS = 20


class DiagnoseError(ValueError):
    """A draft or request that cannot be diagnosed; the message says what to do (Chinese)."""


@dataclass(frozen=True)
class Sentence:
    location: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Draft:
    title: str
    text: str
    sentences: list[Sentence]
    paragraphs: int
    source: Path | None = None


def load_draft(path: str | Path, max_bytes: int) -> Draft:
    """Read a .md/.txt/.docx/.pdf draft through the upload loaders and limits."""
    p = Path(path)
    if p.suffix.lower() not in SUPPORTED:
        raise DiagnoseError(
            f"不支持的草案文件类型 {p.suffix or '（无扩展名）'}：请上传 .docx、.md、.txt 或 .pdf"
        )
    try:
        doc = load_document(p, max_bytes=max_bytes)
    except LoadError as exc:
        raise DiagnoseError(f"草案无法读取：{exc}") from exc
    return split_draft(doc.text, doc.meta.title or p.stem, source=p)


def draft_from_text(text: str, title: str = "", max_bytes: int = 20 * 1024 * 1024) -> Draft:
    """A pasted draft, checked like a .md upload (size, binary content, front matter)."""
    raw = str(text or "")
    if not raw.strip():
        raise DiagnoseError("草案为空：请上传草案文件，或把草案全文粘贴到文本框")
    with tempfile.TemporaryDirectory(prefix="advisor-draft-") as tmp:
        path = Path(tmp) / "草案.md"
        path.write_text(normalize_text(raw), encoding="utf-8")
        draft = load_draft(path, max_bytes)
    name = title.strip() or (draft.title if draft.title != "草案" else _first_line(draft.text))
    return Draft(name, draft.text, draft.sentences, draft.paragraphs, None)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        line = _MD_PREFIX.sub("", line).strip()
        if line:
            return line[:60]
    return "粘贴的草案"


def split_draft(text: str, title: str, source: Path | None = None) -> Draft:
    """Located sentences of ``text``; each is exactly ``text[start:end]``."""
    out: list[Sentence] = []
    para = 0
    article = ""
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        if not line.strip():
            continue
        para += 1
        m = _ARTICLE.match(line)
        if m:
            article = m.group(1)
        elif _CHAPTER.match(line) or line.lstrip().startswith("#"):
            article = ""
        prefix = _MD_PREFIX.match(line)
        if prefix:
            start += prefix.end()
        location = article or f"第{para}段"
        for s, e in sentence_spans(text, start, end):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s >= 4:
                out.append(Sentence(location, s, e, text[s:e]))
    if sum(e.end - e.start for e in out) < MIN_DRAFT_CHARS:
        raise DiagnoseError(f"草案正文过短（不足 {MIN_DRAFT_CHARS} 字）：请提供完整的草案文本")
    return Draft(title, text, out, para, source)


def stage_for_library(draft: Draft, uploads: Path) -> Path:
    """A copy of the draft under ``uploads/<random>/`` for ingesting, when the user chose to add it to
    the library (a pasted draft becomes a Markdown file titled with its title)."""
    import secrets
    import shutil

    folder = uploads.resolve() / secrets.token_hex(6)
    folder.mkdir(parents=True, exist_ok=False)
    if draft.source is not None:
        name = re.sub(r"[^\w\u4e00-\u9fff.（）()-]+", "_", draft.source.name).lstrip(".") or "draft.md"
        dest = folder / name
        shutil.copyfile(draft.source, dest)
        return dest
    dest = folder / "草案.md"
    meta = yaml.safe_dump({"title": draft.title, "level": "user", "kind": "草案"}, allow_unicode=True)
    dest.write_text(f"---\n{meta}---\n{draft.text}", encoding="utf-8")
    return dest
