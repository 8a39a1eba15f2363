"""What the upload form asks for: 发布机构, 日期 and 层级 of an uploaded document, with defaults guessed
from its text, and the staged copy that carries the values the user confirmed.

Guesses come from the document itself: its front matter or file properties first, then the usual shape
of a Chinese policy text (a title "XX人民政府关于…", a signature line with the issuing body, the issue
date "2024年3月5日" near the end). The user sees and corrects them before anything is indexed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from advisor.ingest.loaders import load_document
from advisor.render.common import LEVEL_NAMES

LEVEL_CHOICES = [(name, key) for key, name in LEVEL_NAMES.items()]

_DATE = re.compile(r"((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?")
_ORG = r"(?:人民政府|办公厅|办公室|委员会|管委会|局|厅|部|院|中心|政府|智库|研究所|研究院)"
_TITLE_ISSUER = re.compile(rf"^(.{{2,30}}?{_ORG})(?:关于|印发|发布)")
_SIGNATURE = re.compile(rf"^[\u4e00-\u9fff（）()、\s]{{2,30}}{_ORG}$")
_LEVEL_RULES = [
    (
        "national",
        re.compile(r"^(国务院|国家|中共中央|全国|中华人民共和国)|部$|^(工业和信息化部|科学技术部|教育部)"),
    ),
    (
        "provincial",
        re.compile(r"(省|自治区)(人民政府|委员会|办公厅|[^市县]{0,8}厅)|^(北京|上海|天津|重庆)市人民政府$"),
    ),
    ("county", re.compile(r"(县|区|旗)(人民政府|委员会|办公室|[^市]{0,8}局)")),
    ("city", re.compile(r"市")),
    ("think-tank", re.compile(r"智库|研究院|研究所|研究中心|大学|学院")),
]


class UploadMeta(BaseModel):
    """The facts the form shows for one file: guessed, then as the user confirmed them."""

    model_config = ConfigDict(extra="forbid")

    title: str = ""
    issuer: str = ""
    date: str = ""
    level: str = "user"


def _date(text: str) -> str:
    found = list(_DATE.finditer(text))
    if not found:
        return ""
    tail = [m for m in found if m.start() > len(text) * 0.7]  # the signature date closes the text
    m = (tail or found)[-1 if tail else 0]
    year, month, day = m.groups()
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        return ""
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _issuer(title: str, text: str) -> str:
    m = _TITLE_ISSUER.match(title.strip())
    if m:
        return m.group(1)
    lines = [ln.strip().strip("#").strip() for ln in text.splitlines() if ln.strip()]
    for line in reversed(lines[-8:]):  # the signature block
        if _SIGNATURE.match(line):
            return re.sub(r"\s+", "", line)
    for line in lines[:6]:  # or a line under the title
        m = _TITLE_ISSUER.match(line)
        if m:
            return m.group(1)
        if _SIGNATURE.match(line):
            return re.sub(r"\s+", "", line)
    return ""


def guess_level(issuer: str, title: str = "") -> str:
    """The document's level from its issuer (or title): national … county, think-tank, else user."""
    for text in (issuer, title):
        for level, rule in _LEVEL_RULES:
            if text and rule.search(text):
                return level
    return "user"


def guess_meta(path: Path, max_bytes: int) -> UploadMeta:
    """Defaults for the form; raises the loader's error (with its reason) when the file is unusable."""
    doc = load_document(path, max_bytes=max_bytes)
    meta = doc.meta
    issuer = meta.issuer or _issuer(meta.title, doc.text)
    level = meta.level if meta.level not in ("", "unknown") else guess_level(issuer, meta.title)
    return UploadMeta(title=meta.title, issuer=issuer, date=meta.date or _date(doc.text), level=level)


def clean_date(value: str) -> str:
    """A date as typed (2024, 2024-03, 2024-03-05, 2024年3月5日) in the index's form; ValueError otherwise."""
    text = str(value or "").strip()
    if not text:
        return ""
    m = re.fullmatch(
        r"((?:19|20)\d{2})(?:\s*[年.\-/]\s*(\d{1,2})(?:\s*[月.\-/]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?", text
    )
    if m is None:
        raise ValueError(f"日期“{text}”无法识别：请写成 2024-03-05、2024-03 或 2024年3月5日")
    year, month, day = m.groups()
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        raise ValueError(f"日期“{text}”不是有效日期")
    return "-".join([year, *(f"{int(p):02d}" for p in (month, day) if p)])


def stage_with_meta(source: Path, dest_dir: Path, stem: str, meta: UploadMeta, max_bytes: int) -> Path:
    """The document as a Markdown file whose front matter carries the confirmed facts (the text is the
    one the loader extracts from the original, so its content hash and passages are the same)."""
    doc = load_document(source, max_bytes=max_bytes)
    front = {
        "title": meta.title.strip() or doc.meta.title,
        "issuer": meta.issuer.strip(),
        "date": meta.date,
        "level": meta.level or "user",
        "region": doc.meta.region,
        "kind": doc.meta.kind,
        "doc_number": doc.meta.doc_number,
        "source": doc.meta.source or "上传",
    }
    head = yaml.safe_dump({k: v for k, v in front.items() if v}, allow_unicode=True, sort_keys=False)
    dest = dest_dir / f"{stem}.md"
    dest.write_text(f"---\n{head}---\n{doc.text}", encoding="utf-8")
    return dest
