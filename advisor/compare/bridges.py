"""A topic a region's texts name in other words. 容错免责: 浙江 never says 容错 or 免责, but its article on
mistakes made while reforming (出现失误…勤勉尽责、未牟取私利的…不作负面评价) shares a rare phrase with the
clauses other texts name the topic in (建立创新容错机制。对…勤勉尽责、未谋取私利的，可以免除责任). Those
clauses are the exemplars; the region's article that shares their rare words, and is close to one of them
in meaning, says the same thing. For a cell that would otherwise be empty or is short of clauses."""

from __future__ import annotations

import re

from advisor.compare.aboutness import body_of
from advisor.compare.articles import Article, region_articles
from advisor.compare.semantic import article_z
from advisor.compare.topics import Topic
from advisor.index.keyword import word_bounds
from advisor.index.snapshot import Snapshot
from advisor.retrieval.hybrid import Retriever
from advisor.retrieval.places_named import places_in
from advisor.text import sentence_spans

_CLAUSE = re.compile(r"[，,。；;：:！？]")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_ITEM = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.、])")
_NUMBERED = re.compile(r"^第|[一二三四五六七八九十百零〇]{2}")  # 第六十四条: an article's number
EXEMPLARS = 6  # paragraphs of other documents that name the topic …
PER_DOCUMENT = 2  # … at most this many of one document
TOPIC_WORD_SHARE = 0.25  # a topic's word this rare (share of documents) finds exemplars alone (容错)
BRIDGE_SHARE = 0.2  # a word of an exemplar this rare may bridge (勤勉尽责: 4 of 25 documents)
BRIDGE_CHARS = 4  # … of this many characters (two-character words are too often common in other senses)
REACH = 50  # characters from the topic's word in the exemplar a bridging phrase may stand
REGION_ARTICLES = 2  # … and the region writes it in at most this many articles
EXEMPLAR_Z = 1.0  # its meaning stands out for the exemplar it shares phrases with …
TOPIC_Z = 1.5  # … and for the topic's name …
BRIDGE_Z = 3.0  # … by this much together (dev cells: the bridged articles stand at 3.2–5.2)


def _topic_words(snap: Snapshot, t: Topic, share: float) -> list[str]:
    """The words that name the topic: its core terms, and the rare words of its phrases (容错, 免责)."""
    keyword = snap.keyword
    share = max(share, 1 / max(1, len(keyword.documents())))  # one document's word, in a small corpus
    rare = [w for g in t.together for w in g if len(w) >= 2 and keyword.document_share(w) <= share]
    return list(dict.fromkeys([*t.core, *rare]))


def exemplars(snap: Snapshot, t: Topic, region: str) -> list[tuple[str, str]]:
    """(document id, paragraph) of up to EXEMPLARS paragraphs of other documents (PER_DOCUMENT of each)
    naming the most of the topic's words: a paragraph, for the sentence naming the topic often only
    announces it (建立创新容错机制。) and the next one says what it is."""
    words = _topic_words(snap, t, TOPIC_WORD_SHARE)
    found: list[tuple[int, str, str]] = []
    for rec in snap.chunks.values():
        doc = snap.docs.get(rec.doc_id)
        if doc is None or doc.region == region:
            continue
        for para in rec.text.split("\n"):
            n = sum(1 for w in words if w in para)
            if n:
                found.append((n, rec.doc_id, _window(para.strip(), words)))
    out: list[tuple[str, str]] = []
    for _, doc_id, para in sorted(found, key=lambda f: (-f[0], f[1], f[2])):
        if sum(1 for d, _ in out if d == doc_id) < PER_DOCUMENT and (doc_id, para) not in out:
            out.append((doc_id, para))
    return out[:EXEMPLARS]


def _phrases(text: str) -> set[str]:
    """Runs of BRIDGE_CHARS Chinese characters of ``text`` that start and end at word boundaries
    (勤勉尽责, not 业智能化 of 服务业智能化)."""
    bounds = word_bounds(text)
    return {
        text[k : k + BRIDGE_CHARS]
        for k in bounds
        if k + BRIDGE_CHARS in bounds and _CJK.fullmatch(text[k : k + BRIDGE_CHARS])
    }


def _window(paragraph: str, words: list[str]) -> str:
    """The sentence of ``paragraph`` naming the topic and the one after it: the first often only
    announces the thing (建立创新容错机制。), the next says what it is."""
    spans = sentence_spans(paragraph)
    at = next((i for i, (s, e) in enumerate(spans) if any(w in paragraph[s:e] for w in words)), 0)
    return "".join(paragraph[s:e] for s, e in spans[at : at + 2])


def bridge_candidates(snap: Snapshot, t: Topic, doc_id: str, paragraph: str) -> set[str]:
    """The phrases (runs of BRIDGE_CHARS characters) near the topic's word in an exemplar (within REACH
    characters) that few documents use (勤勉尽责, 谋取私利), other than the topic's own words, the exemplar
    document's title and place names (县级以上人民政府 is everywhere). Computed once per exemplar."""
    keyword = snap.keyword
    rare = max(BRIDGE_SHARE, 2 / max(1, len(keyword.documents())))  # the exemplar's and one other, at least
    title = snap.docs[doc_id].title
    places = {n for names in places_in(paragraph).values() for n in names}
    named = [
        m.start()
        for w in _topic_words(snap, t, TOPIC_WORD_SHARE)
        for m in re.finditer(re.escape(w), paragraph)
    ]
    named_by = [*t.core, *(w for g in t.together for w in g)]  # 交易机构 only repeats 数据交易's word
    # … and a phrase listed beside the topic's word (科技伦理审查、违规行为查处、风险监测预警) is another item
    listed = {
        g
        for clause in _CLAUSE.split(paragraph)
        if "、" in clause and any(w in clause for w in named_by)
        for g in _phrases(clause)
    }
    return {
        g
        for g in _phrases(paragraph)
        if any(abs(paragraph.find(g) - at) <= REACH for at in named)
        and g not in title
        and g not in listed
        and not _NUMBERED.search(g)
        and not any(w in g or g in w for w in named_by)
        and not any(p in g or g in p for p in places)
        and keyword.document_share(g) <= rare
    }


def bridge_words(snap: Snapshot, t: Topic, doc_id: str, paragraph: str, text: str) -> set[str]:
    """The bridge candidates of an exemplar paragraph that ``text`` shares."""
    return {g for g in bridge_candidates(snap, t, doc_id, paragraph) if g in text}


def bridged_articles(
    retriever: Retriever, region: str, t: Topic, limit: int, topic_z: list[tuple[float, str]]
) -> list[tuple[Article, str, int, int]]:
    """Up to ``limit`` of the region's articles that say what the exemplars say in their own words:
    (article, chunk id, sentence start, sentence end), the sentence holding the shared words. Its meaning
    must stand out for the exemplar and the topic together (``topic_z``: z-scores for the topic's name,
    from :func:`~advisor.compare.semantic.article_z`), best first."""
    snap = retriever.snapshot
    arts = region_articles(snap, region)
    found: list[tuple[float, Article, str, int, int]] = []
    seen: set[int] = set()
    texts = [body_of("\n".join(art.texts(snap))) for art in arts]
    for doc_id, paragraph in exemplars(snap, t, region):
        # a phrase the region writes in many articles (本市推进) says nothing of any one of them
        candidates = bridge_candidates(snap, t, doc_id, paragraph)
        candidates = {g for g in candidates if sum(g in text for text in texts) <= REGION_ARTICLES}
        zs: list[tuple[float, str]] | None = None
        for i, art in enumerate(arts):
            if i in seen:
                continue
            shared = {g for g in candidates if g in texts[i]}
            if not shared:
                continue
            zs = zs if zs is not None else article_z(retriever, region, paragraph)
            if not zs or not topic_z or zs[i][0] < EXEMPLAR_Z or topic_z[i][0] < TOPIC_Z:
                continue
            standing = zs[i][0] + topic_z[i][0]
            if standing < BRIDGE_Z:
                continue
            for chunk_id, start, end in art.parts:
                body = snap.chunks[chunk_id].text
                span = next(
                    (
                        (s, e)
                        for s, e in sentence_spans(body, start, end)
                        if any(w in body[s:e] for w in shared)
                    ),
                    None,
                )
                if span is not None:
                    # an item (（四）勤勉尽责…) is quoted by its article's lead-in, which says what it is for
                    if _ITEM.match(body[span[0] : span[1]]):
                        chunk_id, first, last = art.parts[0]
                        body = snap.chunks[chunk_id].text
                        span = sentence_spans(body, first, last)[0]
                    seen.add(i)
                    found.append((standing, art, chunk_id, *span))
                    break
    found.sort(key=lambda f: -f[0])
    return [(art, cid, s, e) for _, art, cid, s, e in found[:limit]]
