"""A region's texts as articles: the unit a comparison lists at most once. Chunks are about 130 characters,
so a long article (第六十五条 with its items) spans several chunks whose section breadcrumb no longer
names the article; each such chunk inherits the article of the chunk before it in the same document.
A text without article numbers is read chunk by chunk (each labelled with its heading)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

from advisor.index.snapshot import Snapshot

_ARTICLE = re.compile(r"第[一二三四五六七八九十百零〇]+条")


def article_of(section: str, text: str = "") -> str:
    """第十二条 from the section breadcrumb or the start of the text, else the last heading."""
    for source in (section, text[:20]):
        found = _ARTICLE.findall(source)
        if found:
            return found[-1]
    return section.split(" > ")[-1].strip() if section else ""


@dataclass
class Article:
    """One article (or, in a text without article numbers, one section) of one document."""

    doc_id: str
    article: str
    chunk_ids: list[str] = field(default_factory=list)


_CACHE: WeakKeyDictionary[Snapshot, dict[str, list[Article]]] = WeakKeyDictionary()


def _chapter(section: str) -> str:
    return section.split(" > ")[0] if section else ""


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
        current: Article | None = None
        chapter = ""
        for _, cid in sorted(items):
            rec = snap.chunks[cid]
            own = _ARTICLE.findall(rec.section) or _ARTICLE.findall(rec.text[:20])
            if (
                current is None
                or _ARTICLE.fullmatch(current.article) is None
                or (own and own[-1] != current.article)
                or _chapter(rec.section) != chapter
            ):
                # a numbered article starts a unit; in a text without article numbers every chunk (a
                # paragraph or two) is a unit of its own, labelled with its heading
                current = Article(
                    doc_id=doc_id, article=own[-1] if own else article_of(rec.section, rec.text)
                )
                out.append(current)
            chapter = _chapter(rec.section)
            current.chunk_ids.append(cid)
    per_region[region] = out
    return out
