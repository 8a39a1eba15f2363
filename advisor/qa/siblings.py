"""The sections of one family a list question asks about: "2.1 紧贴五大高质量发展之道谋布局：中国特色",
"2.2 …：走出国门" … (a shared title before a colon), or the marked sections under one heading
("二、…" > "（一）…", "（二）…"), each quoted by its own heading line."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.qa.enumeration import _HEADING_MARKS, _MARKED, _PARAGRAPH, _SPLIT_LEAF, MAX_ITEMS
from advisor.types import Hit

_ONE_SECTION = re.compile(r"\d+\.\d+\s*(?:节|小节)|§\s*\d+\.\d+|\bsection\s+\d+\.\d+", re.I)


def _names_family(family: str, question: str) -> bool:
    """Whether the question quotes the family's title: a run of at least four of its characters, and
    at least a third of it ("五大高质量发展之道" of "紧贴五大高质量发展之道谋布局")."""
    from difflib import SequenceMatcher

    a, b = family.lower(), question.lower()
    m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return m.size >= max(4, len(a) / 3)


def sibling_sections(
    question: str, hits: list[Hit], snapshot: Snapshot | None, top: int = 6
) -> tuple[Hit, str, list[tuple[Hit, str]]] | None:
    """For a list question about a family of sections ("2.1 紧贴五大高质量发展之道谋布局：中国特色",
    "2.2 …：走出国门" …), every section of that family in document order, each quoted by its own heading
    line: the family's shared title must be what the question asks about, and at least two of its
    sections must be among the top hits. Returns (first section's hit, its heading, the others). A
    question naming one section (3.5节, section 3.5) asks what that section lists, not its family."""
    if snapshot is None or _ONE_SECTION.search(question):
        return None
    families: dict[tuple[str, str], int] = {}
    for hit in hits[:top]:
        m = _SPLIT_LEAF.match(hit.section.split(" > ")[-1].strip()) if hit.section else None
        if m:
            key = (hit.doc_id, _HEADING_MARKS.sub("", m.group(1)).strip())
            families[key] = families.get(key, 0) + 1
    for (doc_id, family), count in sorted(families.items(), key=lambda kv: -kv[1]):
        if count < 2 or not _names_family(family, question):
            continue
        found: list[tuple[Hit, str]] = []
        seen: set[str] = set()
        for rec in snapshot.chunks_of(doc_id):
            leaf = rec.section.split(" > ")[-1].strip()
            m = _SPLIT_LEAF.match(leaf)
            if not m or leaf in seen or _HEADING_MARKS.sub("", m.group(1)).strip() != family:
                continue
            line = next((p.strip() for p in _PARAGRAPH.findall(rec.text) if leaf in p), "")
            if line:
                seen.add(leaf)
                found.append((snapshot.hit(rec.chunk_id), line.lstrip("#").strip()))
        if len(found) >= 2:
            (first, heading), rest = found[0], found[1:]
            return first, heading, rest[:MAX_ITEMS]
    return _marked_children(question, hits, snapshot, top)


def _marked_children(
    question: str, hits: list[Hit], snapshot: Snapshot, top: int
) -> tuple[Hit, str, list[tuple[Hit, str]]] | None:
    """The marked sections under one heading ("三、建设思路" > "（一）…", "（二）…") when two are top hits
    and the question names that heading (not the document's title, which names every section)."""
    parents: dict[tuple[str, str], set[str]] = {}
    for hit in hits[:top]:
        parent, _, leaf = (hit.section or "").rpartition(" > ")
        if parent and _MARKED.match(leaf):
            parents.setdefault((hit.doc_id, parent), set()).add(leaf)
    for (doc_id, parent), leaves in parents.items():
        name = _HEADING_MARKS.sub("", parent.rpartition(" > ")[2]).strip()
        title = snapshot.docs[doc_id].title
        if len(leaves) < 2 or name in title or title in name or not _names_family(name, question):
            continue
        children = list(
            dict.fromkeys(
                rec.section
                for rec in snapshot.chunks_of(doc_id)
                if rec.section.rpartition(" > ")[0] == parent
            )
        )
        found = []
        for section in children:
            rec = next(r for r in snapshot.chunks_of(doc_id) if r.section == section)
            leaf = section.rpartition(" > ")[2]
            line = next((p.strip() for p in _PARAGRAPH.findall(rec.text) if leaf in p), leaf)
            found.append((snapshot.hit(rec.chunk_id), line.lstrip("#").strip()))
        if len(found) >= 2:
            (first, heading), rest = found[0], found[1:]
            return first, heading, rest[:MAX_ITEMS]
    return None
