"""A region's texts as articles: the unit a comparison lists at most once. Chunks are about 130 characters,
so a long article (第六十五条 with its items) spans several chunks whose section breadcrumb no longer
names the article; each such chunk inherits the article of the chunk before it in the same document.
A chunk may also hold the end of one article and the start of the next (第六十六条 … 第六十七条 …):
each article starting at a line of its own is a unit from there on, so a clause is never cited under
the number of the article before it. A text without article numbers is read chunk by chunk (each
labelled with its heading). Each article keeps the headings above it (第四章 数据要素市场 > 第二节 …),
which say what the whole chapter is about."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from advisor.index.snapshot import Snapshot

_NUMERAL = "[一二三四五六七八九十百零〇]+"
_ARTICLE = re.compile(f"第{_NUMERAL}条")
# an article's own start: its number at the start of a line (a cross-reference 依照第二十条 never is)
_ARTICLE_START = re.compile(rf"(?m)^[ \t]*(?:#+[ \t]*)?(?:\*\*)?(第{_NUMERAL}条)")
_HEADING_LINE = re.compile(rf"^\s*(#+.*|第{_NUMERAL}[章节].*)?\s*$")
_CHAPTER_LINE = re.compile(rf"(?m)^[ \t]*#*[ \t]*(第{_NUMERAL}章.*)$")
_ITEM_START = re.compile(r"(?m)^[ \t]*(?:\*\*)?([（(][一二三四五六七八九十]+[）)])")
MAX_ITEM_TITLE = 16
_ITEM = re.compile(r"^\s*[（(][一二三四五六七八九十\d]+[）)]")


def article_of(section: str, text: str = "") -> str:
    """第十二条 from the section breadcrumb or the start of the text, else the last heading."""
    for source in (section, text[:20]):
        found = _ARTICLE.findall(source)
        if found:
            return found[-1]
    return section.split(" > ")[-1].strip() if section else ""


@dataclass
class Article:
    """One article (or, in a text without article numbers, one section) of one document: the parts of
    chunks it spans, each ``(chunk_id, start, end)`` of the chunk's text."""

    doc_id: str
    article: str
    chunk_ids: list[str] = field(default_factory=list)
    parts: list[tuple[str, int, int]] = field(default_factory=list)
    headings: str = ""  # the chapter and section titles above the article

    def add(self, chunk_id: str, start: int, end: int) -> None:
        if chunk_id not in self.chunk_ids:
            self.chunk_ids.append(chunk_id)
        self.parts.append((chunk_id, start, end))

    def texts(self, snap: Snapshot) -> list[str]:
        """The article's text, part by part (a whole chunk, or the share of it that is this article)."""
        return [snap.chunks[cid].text[start:end] for cid, start, end in self.parts]


_CACHE: WeakKeyDictionary[Snapshot, dict[str, list[Article]]] = WeakKeyDictionary()


def _chapter(section: str) -> str:
    return section.split(" > ")[0] if section else ""


def headings(section: str) -> str:
    """The titles in a breadcrumb (第三章 公共数据 > 第三节 公共数据开放), without article numbers or
    enumeration items (（七）匿名化，是指…), which are no heading of the whole article."""
    parts = [p.strip() for p in section.split(" > ") if p.strip()]
    return " > ".join(p for p in parts if not _ARTICLE.search(p) and not _ITEM.match(p))


def _section_articles(section: str) -> list[str]:
    """The article numbers a breadcrumb names as its own parts (第十六条, 第十四条～第十五条), not those an
    item under it cites (（一）未按照本条例第十六条第二款规定…)."""
    parts = [p.strip() for p in section.split(" > ")]
    return [a for p in parts if _ARTICLE.match(p) for a in _ARTICLE.findall(p)]


def _above(text: str, start: int) -> int:
    """Where the article starting at ``start`` begins with the heading lines just above it (## 第九章
    法律责任 opens the article after it, not closes the one before)."""
    lines = text[:start].splitlines(keepends=True)
    while lines and _HEADING_LINE.match(lines[-1]):
        start -= len(lines.pop())
    return start


def _item_label(text: str) -> str:
    """（九）强化智能算力统筹 — the item's number and its title sentence when it has a short one."""
    m = _ITEM_START.match(text)
    if m is None:
        return ""
    title = re.split(r"[。；：\n]", text[m.end(1) :], maxsplit=1)[0].strip()
    return m.group(1) + (title if 0 < len(title) <= MAX_ITEM_TITLE else "")


def _segments(text: str, numbered: bool) -> list[tuple[int, int, str]]:
    """The chunk split where a unit starts on a line of its own — an article (第六十七条), or in a text
    without article numbers an item (（九）强化智能算力统筹。) — as (start, end, label or "" for a
    continuation of the unit before). Heading lines before a unit go with it."""
    found = _ARTICLE_START.finditer(text) if numbered else _ITEM_START.finditer(text)
    starts = [(_above(text, m.start()), m.group(1)) for m in found]
    if not numbered:
        starts = [
            (at, _item_label(text[m.start(1) :]))
            for (at, _), m in zip(starts, _ITEM_START.finditer(text), strict=True)
        ]
    if not starts:
        return [(0, len(text), "")]
    out: list[tuple[int, int, str]] = []
    first = starts[0][0]
    if first > 0 and not all(_HEADING_LINE.match(line) for line in text[:first].splitlines()):
        out.append((0, first, ""))
    else:
        starts[0] = (0, starts[0][1])
    ends = [s for s, _ in starts[1:]] + [len(text)]
    out += [(s, e, label) for (s, label), e in zip(starts, ends, strict=True)]
    return out


def region_articles(snap: Snapshot, region: str) -> list[Article]:
    """The articles of ``region``'s own documents (front matter ``region``), in document order."""
    per_region = _CACHE.setdefault(snap, {})
    if region in per_region:
        return per_region[region]
    by_doc: dict[str, list[tuple[int, str]]] = {}
    for cid, rec in snap.chunks.items():
        doc = snap.docs.get(rec.doc_id)
        if doc is not None and doc.region == region:
            by_doc.setdefault(rec.doc_id, []).append((rec.start, cid))
    out: list[Article] = []
    for doc_id, items in by_doc.items():
        numbered = any(_ARTICLE_START.search(snap.chunks[cid].text) for _, cid in items)
        current: Article | None = None
        item = False  # the current unit is an item of a text without article numbers
        chapter = ""
        for _, cid in sorted(items):
            rec = snap.chunks[cid]
            segments = _segments(rec.text, numbered)
            # the breadcrumb names the article the chunk is in — but when an article starts inside the
            # chunk, it names that one, and the text before it still continues the article before
            in_section = [] if any(label for _, _, label in segments) else _section_articles(rec.section)
            for start, end, label in segments:
                own = [label] if label else in_section
                repeated = current is not None and label == current.article and start == 0  # chunk overlap
                # a new chapter in the breadcrumb starts a unit only where the chunk opens it (a chunk
                # continuing a long article may carry the chapter of the heading after it, or before)
                new_chapter = _chapter(rec.section) != chapter and (
                    not numbered or bool(_CHAPTER_LINE.search(rec.text[start:end]))
                )
                if (
                    (label and not repeated)
                    or current is None
                    or (_ARTICLE.fullmatch(current.article) is None and not item)
                    or (own and own[-1] != current.article)
                    or new_chapter
                ):
                    # a numbered article or item starts a unit that runs until the next one; in a text
                    # without either every chunk (a paragraph or two) is a unit of its own, labelled
                    # with its heading
                    opened = _CHAPTER_LINE.findall(rec.text[start:end])  # a chapter starting here
                    item = bool(label) and not numbered
                    current = Article(
                        doc_id=doc_id,
                        article=own[-1] if own else article_of(rec.section, rec.text),
                        headings=opened[-1].strip() if opened else headings(rec.section),
                    )
                    out.append(current)
                current.add(cid, start, end)
            chapter = _chapter(rec.section)
    per_region[region] = out
    return out
