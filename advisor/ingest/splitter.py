"""Heading-aware, Chinese-sentence-aware splitting into chunks that are exact spans of their document.

Sections come first (Markdown headings, 第X章/节/条, 一、/（一）, the report's ``N.N 标题：副标题`` slide
headers); inside a section, sentences (。！？；… and line breaks) are packed up to a token target with a
small overlap. Tiny sections merge with their neighbour so that no chunk is a lone heading.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from advisor.text import count_tokens
from advisor.text import sentence_spans as text_sentence_spans
from advisor.types import Chunk, Document

SPLITTER_VERSION = 3  # bump when chunk boundaries or sections change: ingest then re-chunks every text
_CN_NUM = "一二三四五六七八九十百零〇两"
_PATTERNS: list[tuple[re.Pattern[str], int | None]] = [
    (re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$"), None),  # level = number of '#'
    (re.compile(rf"^第[{_CN_NUM}\d]+编\s*\S*"), 1),
    (re.compile(rf"^第[{_CN_NUM}\d]+章\s*\S*"), 2),
    (re.compile(rf"^第[{_CN_NUM}\d]+节\s*\S*"), 3),
    (re.compile(r"^\d{1,2}\.\d{1,2}\s+\S.{0,60}$"), 2),  # slide header: "3.5 构建…：细化具体落实措施"
    (re.compile(r"^目\s*录$"), 2),  # the deck's repeated table of contents
    (re.compile(rf"^[{_CN_NUM}]+、\S.{{0,40}}$"), 4),
    (re.compile(rf"^（[{_CN_NUM}]+）\S.{{0,40}}$"), 5),
]
_ARTICLE = re.compile(rf"^(第[{_CN_NUM}\d]+条)(?:\s|$)")
_ARTICLE_LEVEL = 7
_ITEM_LEVELS = (4, 5)  # 一、 / （一）: headings of a plan or opinion, items of a regulation's article


@dataclass
class _Section:
    start: int
    end: int
    path: list[str]


def _heading(line: str) -> tuple[int, str] | None:
    """(level, label) when the line is a heading; article lines keep their text as content."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        m = _ARTICLE.match(stripped)
        return (_ARTICLE_LEVEL, m.group(1)) if m else None
    for pattern, level in _PATTERNS:
        m = pattern.match(stripped)
        if m:
            if level is None:
                return len(m.group(1)), m.group(2).strip()
            return level, stripped.rstrip("。")
    m = _ARTICLE.match(stripped)
    return (_ARTICLE_LEVEL, m.group(1)) if m else None


def sections(text: str, title: str = "") -> list[_Section]:
    """Cut the text at headings; each section knows its breadcrumb (the document title left out)."""
    stack: list[tuple[int, str]] = []
    out: list[_Section] = []
    start = 0
    path: list[str] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        found = _heading(line)
        if found and found[0] in _ITEM_LEVELS and stack and stack[-1][0] == _ARTICLE_LEVEL:
            found = None  # "（一）…；" inside an article is one of its items, not a section of its own
        if found:
            level, label = found
            if pos > start:
                out.append(_Section(start, pos, path))
            start = pos
            while stack and stack[-1][0] >= level:
                stack.pop()
            if not (level == 1 and label == title):
                stack.append((level, label))
            path = [lbl for _, lbl in stack]
        pos += len(line)
    if pos > start:
        out.append(_Section(start, pos, path))
    return out


_RANGE = re.compile(rf"^第[{_CN_NUM}\d]+条～第[{_CN_NUM}\d]+条$")


def section_at(section: str, text: str, offset: int) -> str:
    """The breadcrumb of the point ``offset`` of a chunk whose own breadcrumb is ``section``: a chunk
    labelled by the article it opens with may go on into the next article or chapter (…第十六条 ……
    ## 第五章 … 第十七条 …), and a sentence there belongs to that one. ``section`` itself for the chunk's
    first line or an offset not found (-1)."""
    parts = [p.strip() for p in section.split(" > ")] if section else []
    stack: list[tuple[int, str]] = []
    for i, part in enumerate(parts):
        found = _heading(part)
        level = _ARTICLE_LEVEL if _RANGE.match(part) else found[0] if found else i + 1
        stack.append((level, part))
    changed = False
    pos = 0
    for line in text.splitlines(keepends=True):
        if pos > offset:
            break
        found = _heading(line)
        # the first line is the chunk's own section, unless it opens the first of a range of articles
        # (第六条 of a chunk labelled 第六条～第八条)
        if pos == 0 and not (found and found[0] == _ARTICLE_LEVEL and stack and _RANGE.match(stack[-1][1])):
            found = None
        if found and found[0] in _ITEM_LEVELS and stack and stack[-1][0] == _ARTICLE_LEVEL:
            found = None  # an article's item
        if found:
            level, label = found
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, label))
            changed = True
        pos += len(line)
    return " > ".join(label for _, label in stack) if changed else section


def _is_table_line(line: str) -> bool:
    """Short label/value lines of an exported slide table (e.g. '商业模式' / '20%')."""
    line = line.strip()
    return 0 < len(line) <= 12 and not re.search(r"[。！？；!?;，,]$", line)


def _is_caption(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 30 and not re.search(r"[。！？；!?;，,：:]$", line)


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans; a table's caption and its short label/value lines stay together as one unit."""
    spans = text_sentence_spans(text, start, end) or [(start, end)]
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and _is_table_line(text[s:e]):
            prev_lines = text[merged[-1][0] : merged[-1][1]].strip().splitlines()
            if prev_lines and (
                _is_table_line(prev_lines[-1]) or (len(prev_lines) == 1 and _is_caption(prev_lines[0]))
            ):
                merged[-1] = (merged[-1][0], e)
                continue
        merged.append((s, e))
    return merged


def sentence_units(text: str) -> list[str]:
    """A chunk's sentences as the answerer ranks them: the stripped units of :func:`sentence_spans`."""
    return [u for u in (text[s:e].strip() for s, e in sentence_spans(text, 0, len(text))) if u]


def _hard_split(text: str, s: int, e: int, target: int) -> list[tuple[int, int]]:
    """Split an over-long sentence at commas, then at a fixed width, so no unit exceeds the target."""
    if count_tokens(text[s:e]) <= target:
        return [(s, e)]
    parts: list[tuple[int, int]] = []
    cur = s
    for m in re.finditer(r"[，、,：:]", text[s:e]):
        cut = s + m.end()
        if count_tokens(text[cur:cut]) >= target * 0.6:
            parts.append((cur, cut))
            cur = cut
    parts.append((cur, e))
    out: list[tuple[int, int]] = []
    for ps, pe in parts:
        width = max(16, target // 2)
        while pe - ps > width and count_tokens(text[ps:pe]) > target:
            out.append((ps, ps + width))
            ps += width
        out.append((ps, pe))
    return out


def _heading_only(text: str, sec: _Section) -> bool:
    """A section that is only a chapter's or part's heading line (## 第三章 …), before its first article."""
    body = text[sec.start : sec.end].strip()
    found = _heading(body) if "\n" not in body else None
    return found is not None and found[0] != _ARTICLE_LEVEL


def _label(group: list[tuple[_Section, int]], text: str) -> str:
    """Breadcrumb for merged sections: sibling articles become a range (第五条～第七条), else the
    breadcrumb of the largest section. A heading line merged at either end (## 第三章 … after 第八条)
    labels none of its articles: the chunk is labelled by those."""
    if any(sec.path and _ARTICLE.match(sec.path[-1] + " ") for sec, _ in group):
        group = [item for item in group if not _heading_only(text, item[0])]
    paths = [sec.path for sec, _ in group]
    if len(paths) > 1 and all(p and _ARTICLE.match(p[-1] + " ") for p in paths):
        parents = {tuple(p[:-1]) for p in paths}
        if len(parents) == 1:
            return " > ".join([*paths[0][:-1], f"{paths[0][-1]}～{paths[-1][-1]}"])
    return " > ".join(max(group, key=lambda item: (len(item[0].path) > 0, item[1]))[0].path)


def _make_chunk(doc: Document, start: int, end: int, section: str) -> Chunk:
    text = doc.text[start:end]
    head = " > ".join(p for p in (doc.meta.title, section) if p)
    digest = hashlib.sha256(f"{doc.meta.doc_id}:{start}:{end}:{section}".encode()).hexdigest()[:20]
    n_tokens = count_tokens(f"{head}\n{text}")
    return Chunk(
        chunk_id=digest,
        doc_id=doc.meta.doc_id,
        section=section,
        text=text,
        start=start,
        end=end,
        n_tokens=n_tokens,
    )


def split_document(doc: Document, target_tokens: int = 320, overlap_tokens: int = 40) -> list[Chunk]:
    """Chunks covering every non-blank character of ``doc.text``; no chunk exceeds ~target tokens."""
    text = doc.text
    min_tokens = max(24, target_tokens // 6)
    secs = [s for s in sections(text, doc.meta.title) if text[s.start : s.end].strip()]
    # Merge tiny sections into the following one (or the previous, at the end) when they fit.
    groups: list[list[tuple[_Section, int]]] = []
    sizes: list[int] = []
    for sec in secs:
        size = count_tokens(text[sec.start : sec.end])
        if groups and (sizes[-1] < min_tokens or size < min_tokens) and sizes[-1] + size <= target_tokens:
            groups[-1].append((sec, size))
            sizes[-1] += size
        else:
            groups.append([(sec, size)])
            sizes.append(size)
    chunks: list[Chunk] = []
    for group, size in zip(groups, sizes, strict=True):
        label = _label(group, text)
        g_start, g_end = group[0][0].start, group[-1][0].end
        while g_start < g_end and text[g_start].isspace():
            g_start += 1
        while g_end > g_start and text[g_end - 1].isspace():
            g_end -= 1
        if size <= target_tokens:
            chunks.append(_make_chunk(doc, g_start, g_end, label))
            continue
        for sec, _ in group:
            units: list[tuple[int, int, int]] = []
            for s, e in sentence_spans(text, sec.start, sec.end):
                for hs, he in _hard_split(text, s, e, target_tokens):
                    units.append((hs, he, count_tokens(text[hs:he])))
            sec_label = " > ".join(sec.path) if len(group) > 1 else label
            chunks.extend(_pack(doc, units, sec_label, target_tokens, overlap_tokens))
    return chunks


def _pack(
    doc: Document, units: list[tuple[int, int, int]], label: str, target: int, overlap: int
) -> list[Chunk]:
    out: list[Chunk] = []
    i = 0
    while i < len(units):
        j, total = i, 0
        while j < len(units) and (j == i or total + units[j][2] <= target):
            total += units[j][2]
            j += 1
        out.append(_make_chunk(doc, units[i][0], units[j - 1][1], label))
        if j >= len(units):
            break
        # Step back over trailing units worth at most `overlap` tokens, but always advance.
        back, k = 0, j
        while k - 1 > i and back + units[k - 1][2] <= overlap:
            k -= 1
            back += units[k][2]
        i = k
    return out
