"""The articles beside a cell's clauses. A text sets out one subject in consecutive articles, the second often
without the topic's words (上海's 第六十八条 on the 国际数据港 in 临港新片区, beside 第六十九条 on cross-border data
there): an article next to a clause the cell shows, in the same chapter, sharing a word few of its
document's articles use, and whose meaning stands out for the topic among the region's articles, belongs
in the cell too (session 41: dev clause recall 0.836 → 0.847, 0.2 more measures a cell)."""

from __future__ import annotations

from collections import Counter
from weakref import WeakKeyDictionary

from advisor.compare.aboutness import body_of
from advisor.compare.articles import Article
from advisor.index.keyword import tokenize
from advisor.index.snapshot import Snapshot
from advisor.text import ARTICLE_NUMBER

SAME_SUBJECT_ARTICLES = 3  # a shared word at most this many of the document's articles use is its subject
# per index generation and document: each article's words, and how many of the document's articles use each
_Key = tuple[str, tuple[str, int, int]]  # an article's number and its first part (unique in its document)
_WORDS: WeakKeyDictionary[Snapshot, dict[str, tuple[dict[_Key, set[str]], Counter[str]]]] = (
    WeakKeyDictionary()
)


def _document_words(
    snap: Snapshot, arts: list[Article], doc_id: str
) -> tuple[dict[_Key, set[str]], Counter[str]]:
    """Each article of the document ``doc_id`` as its words of two characters or more, and the number of
    its articles using each word (computed once per index generation: a comparison asks for it per cell)."""
    docs = _WORDS.setdefault(snap, {})
    if doc_id not in docs:
        words = {
            _key(a): {w for w in tokenize(body_of("\n".join(a.texts(snap)))) if len(w) >= 2}
            for a in arts
            if a.doc_id == doc_id
        }
        docs[doc_id] = (words, Counter(w for ws in words.values() for w in ws))
    return docs[doc_id]


def _key(a: Article) -> _Key:
    return a.article, a.parts[0]


def beside(
    snap: Snapshot,
    arts: list[Article],
    zs: list[tuple[float, str]],
    shown: list[tuple[str, str]],
    z_min: float,
) -> list[tuple[int, str, int, int]]:
    """The region's articles (``arts``, with ``zs`` from :func:`advisor.compare.semantic.article_z`) next
    to a shown ``(doc_id, article)`` on the same subject, whose meaning stands out ``z_min`` for the
    topic, most like it first: each as its index in ``arts`` and its best chunk's part
    ``(chunk_id, start, end)``."""
    at = {(a.doc_id, a.article): i for i, a in enumerate(arts)}

    def same_subject(i: int, j: int) -> bool:
        words, uses = _document_words(snap, arts, arts[i].doc_id)
        shared = words[_key(arts[i])] & words[_key(arts[j])]
        return any(uses[w] <= SAME_SUBJECT_ARTICLES for w in shared)

    taken = set(shown)
    found: dict[int, float] = {}
    for key in shown:
        i = at.get(key)
        if i is None or not ARTICLE_NUMBER.fullmatch(key[1] or ""):
            continue
        for j in (i - 1, i + 1):
            if (
                0 <= j < len(arts)
                and arts[j].doc_id == arts[i].doc_id
                and arts[j].headings == arts[i].headings
                and (arts[j].doc_id, arts[j].article) not in taken
                and ARTICLE_NUMBER.fullmatch(arts[j].article)
                and zs[j][1]
                and zs[j][0] >= z_min
                and same_subject(i, j)
            ):
                found[j] = zs[j][0]
    out = []
    for j in sorted(found, key=lambda j: -found[j]):
        cid = zs[j][1]
        _, start, end = next(p for p in arts[j].parts if p[0] == cid)
        out.append((j, cid, start, end))
    return out
