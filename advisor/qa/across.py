"""Questions across documents ("A条例和B办法分别……", "上海和深圳对……有什么不同"): each named document
or region answers for itself, so one document's best sentence cannot crowd out the other's.

Documents are recognised by their titles, loosely (people shorten them: 生成式AI暂行办法 for
生成式人工智能服务管理暂行办法): a phrase of the question ending in a document word names the title
that holds most of its character pairs. Regions are recognised by their names in the documents'
``region`` field (上海 → 上海市).
"""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.qa.article_rest import rest_of_article
from advisor.qa.sentences import Composed, rank_sentences, short_title, unfit
from advisor.qa.spans import whole_sentence
from advisor.qa.title_page import document_facts
from advisor.retrieval.asks import about_document
from advisor.retrieval.doc_names import stands_for
from advisor.retrieval.glossary import expand_query, mostly_english, translate_terms
from advisor.retrieval.meaning import Meaning
from advisor.retrieval.places_named import romanized_places
from advisor.types import Hit

_DOC_WORD = r"(?:条例|办法|规定|意见|规划|方案|指南|报告|措施|决定)"
_PHRASE = re.compile(rf"[^\s，,。？?；;、“”《》]{{2,40}}?{_DOC_WORD}")
_JOINED = re.compile(r"[和与及跟同、]|以及|对比|相比|比较|分别|各自|不同|异同|共同|都")
_SPELLED = {"ai": "人工智能", "AI": "人工智能"}
_AFTER_JOIN = re.compile(r"[和与及跟同的]")
# … and what joins a text to another region's (not 同年, 都: no second side)
_COMPARED = re.compile(r"[和与及跟]|以及|对比|相比|比较|分别|各自|不同|异同")
PER_DOCUMENT = 2
NAMED_SHARE = 0.6  # of a phrase's character pairs in a title: the phrase names that document


def _pairs(text: str) -> set[str]:
    t = re.sub(r"[\s《》“”（）()]", "", text)
    for short, full in _SPELLED.items():
        t = t.replace(short, full)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def named_documents(question: str, snapshot: Snapshot, least: int = 2) -> list[str]:
    """The doc ids the question names, in the order it names them (none unless it joins ``least`` or
    more)."""
    if not _JOINED.search(question):
        return []
    found: list[str] = []
    for m in _PHRASE.finditer(question):
        # the phrase may run back past a join or a 的 (…的备案要求和深度合成规定): then its last part names
        phrase = m.group(0)
        doc_id = _document_named(phrase, snapshot) or _document_named(_AFTER_JOIN.split(phrase)[-1], snapshot)
        if doc_id and doc_id not in found:
            found.append(doc_id)
    return found if len(found) >= least else []


# English: a document word ends a document's name (a city's regulation on AI industry promotion), a join or a
# clause mark begins it
_EN_DOC_WORD = re.compile(
    r"\b(?:regulations?|measures|rules|provisions|plan|guide(?:lines?)?|opinions?|report)\b", re.I
)
_EN_JOIN = re.compile(r"\b(?:and|versus|vs|compared (?:with|to)|while|whereas)\b|[,;:?]", re.I)
_EN_COMPARED = re.compile(r"\b(?:and|versus|vs|compared?|differ\w*|both|each|whereas)\b", re.I)


def _english_documents(question: str, snapshot: Snapshot) -> list[str]:
    """The doc ids an English question names, in order: each stretch ending in a document word, read
    through the glossary (its Chinese terms in phrase order), names the title it would in Chinese."""
    if not mostly_english(question) or not _EN_COMPARED.search(question):
        return []
    found: list[str] = []
    start = 0  # a name runs back to a join, a clause mark or the document word before it, no further
    for m in _EN_DOC_WORD.finditer(question):
        stretch = _EN_JOIN.split(question[start : m.end()])[-1]
        start = m.end()
        terms = translate_terms(stretch)
        titled = [d for d, meta in snapshot.docs.items() if meta.title in terms]
        doc_id = titled[0] if len(titled) == 1 else _document_named("".join(terms), snapshot)
        if doc_id and doc_id not in found:
            found.append(doc_id)
    return found if len(found) >= 2 else []


def _document_named(phrase: str, snapshot: Snapshot) -> str:
    """The doc id a phrase ending in a document word names: the title holding most of its character pairs,
    or the one title it is a short name of, keeping its characters in order (北京数经条例: Beijing's digital-economy regulation)."""
    pairs = _pairs(phrase)
    if len(pairs) < 3:
        return ""
    scored = sorted(
        ((len(pairs & _pairs(d.title)) / len(pairs), doc_id) for doc_id, d in snapshot.docs.items()),
        reverse=True,
    )
    best, doc_id = scored[0] if scored else (0.0, "")
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best >= NAMED_SHARE and best > runner_up:
        return doc_id
    short = [d for d, meta in snapshot.docs.items() if stands_for(phrase, meta.title)]
    return short[0] if len(short) == 1 else ""


def _without_names(question: str, snapshot: Snapshot, compared: list[str] | None = None) -> str:
    """The question less the phrases naming documents: within a document, its own name (or the other's,
    which it may cite: 根据《…深度合成管理规定》) says nothing about which of its sentences answers. A
    phrase naming the ``compared`` documents together (北京和浙江两部数字经济促进条例) goes too: its words
    would pick each text's scope clause (本市…数字经济促进相关活动适用本条例)."""
    titles = set().union(*(_pairs(snapshot.docs[d].title) for d in compared or []))
    for m in _PHRASE.finditer(question):
        pairs = _pairs(m.group(0))
        together = len(pairs) >= 3 and len(pairs & titles) / len(pairs) >= NAMED_SHARE
        if together or _document_named(m.group(0), snapshot):
            question = question.replace(m.group(0), "，")
    return question


def named_regions(question: str, snapshot: Snapshot, least: int = 2) -> list[str]:
    """The document regions the question names (上海 → 上海市), in order; none unless ``least`` or more."""
    english = mostly_english(question)
    if not (_EN_COMPARED if english else _JOINED).search(question):
        return []
    if english:  # Shanghai and Shenzhen: their Chinese names, in the order the question gives them
        question = "".join(romanized_places(question))
    regions = {d.region for d in snapshot.docs.values() if d.region and d.region != "全国"}
    hits: list[tuple[int, str]] = []
    for region in regions:
        short = re.sub(r"(?:特别行政区|自治区|省|市)$", "", region)
        at = question.find(short) if len(short) >= 2 else -1
        if at >= 0:
            hits.append((at, region))
    ordered = [r for _, r in sorted(hits)]
    return ordered if len(ordered) >= least else []


def _parts(question: str, snapshot: Snapshot) -> list[list[str]]:
    """The doc ids of each document (or region) the question compares; empty when it compares none."""
    docs = named_documents(question, snapshot) or _english_documents(question, snapshot)
    if docs:
        return [[d] for d in docs]
    if mostly_english(question) and len(_EN_DOC_WORD.findall(question)) >= 2:
        return []  # two texts named, not both known: one may be a text the corpus lacks, not a region's
    regions = named_regions(question, snapshot)
    if regions:
        return [[d for d, meta in snapshot.docs.items() if meta.region == r] for r in regions]
    # … or one document by its name and another region by its place (上海条例的…和郑洛新条例的…: 上海's
    # short name fits two of its texts, 郑洛新's one)
    one = named_documents(question, snapshot, least=1)
    others = [
        r
        for r in named_regions(question, snapshot, least=1)
        if all(snapshot.docs[d].region != r for d in one)
    ]
    if len(one) == 1 and len(others) == 1 and _COMPARED.search(question):
        return [[d for d, meta in snapshot.docs.items() if meta.region == others[0]], one]
    return []


def with_each_part(question: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
    """``hits`` where each document (or region) the question compares has a passage: a part the search
    left out gets its best keyword passage in place of the last hit of the part holding most, so the
    answerability check and the answer see both sides (北京、浙江两部条例……两边各……)."""
    parts = [p for p in _parts(question, snapshot) if p]
    missing = [p for p in parts if not any(h.doc_id in p for h in hits)]
    if not missing or not hits:
        return hits
    query = expand_query(question)
    out = list(hits)
    for doc_ids in missing:
        found = sorted(
            (kv for d in doc_ids for kv in snapshot.keyword.search(query, 1, {"doc_id": d})),
            key=lambda kv: -kv[1],
        )
        if not found:
            continue
        # in rank order, so a tie goes the same way in every process (a set's order follows the hash seed)
        counts = {d: sum(1 for h in out if h.doc_id == d) for d in dict.fromkeys(h.doc_id for h in out)}
        crowded = max(counts, key=lambda d: counts[d])
        drop = max(i for i, h in enumerate(out) if h.doc_id == crowded)
        out.pop(drop)
        out.insert(min(1, len(out)), snapshot.hit(found[0][0]))
    return out


def per_part_sentences(
    question: str, hits: list[Hit], snapshot: Snapshot, meaning: Meaning | None = None
) -> list[list[tuple[Hit, str]]]:
    """For each document (or region) the question compares, its best sentences for the question, best
    first: from its retrieved ``hits``, else from a keyword search within it. Empty when the question
    compares nothing."""
    groups = _parts(question, snapshot)
    out: list[list[tuple[Hit, str]]] = []
    asked = _without_names(question, snapshot, [d for group in groups for d in group])
    query = expand_query(asked)
    for doc_ids in groups:
        found: list[tuple[str, float]] = []
        for doc_id in doc_ids:
            found += snapshot.keyword.search(query, 4, {"doc_id": doc_id})
        found.sort(key=lambda kv: -kv[1])
        own = [h for h in hits if h.doc_id in doc_ids]
        more = [snapshot.hit(cid) for cid, _ in found if all(h.chunk_id != cid for h in own)]
        ranked = rank_sentences(asked, (own + more)[:4], snapshot.keyword, meaning)
        # a heading or title line names the document, it answers nothing (# 某市数据条例 ## 第一章 总则)
        ranked = [r for r in ranked if not unfit(r[2], r[1])]
        out.append([(hit, sent) for _, hit, sent in ranked[:PER_DOCUMENT]])
    return [part for part in out if part] if sum(1 for p in out if p) >= 2 else []


ACROSS_POINTS = 7  # quotes of a question across documents, head included: two or three a side (dev fact
# recall of the 508 questions naming two documents: 5 quotes 0.877, 6 0.890, 7 0.895, 9 0.899)


def compose_across(
    question: str, hits: list[Hit], snapshot: Snapshot, meaning: Meaning | None
) -> Composed | None:
    """A question comparing documents or regions: each one's own best sentences, interleaved (facts
    about documents from each one's title page). None when the question compares nothing."""
    parts = per_part_sentences(question, hits, snapshot, meaning)
    if parts and about_document(question):
        facts = [document_facts(question, [part[0][0]], snapshot) for part in parts]
        parts = [[f.head, *((h, s) for h, s, _ in f.points[:1])] for f in facts if f and f.head] or parts
    if not parts:
        return None
    # each document's best sentence with the rest of its article, as the head of any answer has
    # (深圳 开放 有条件开放 … 非开放: a classification is sentences apart)
    taken = [s for p in parts for _, s in p]
    parts = [
        _whole_once([p[0], *((p[0][0], m) for m in rest_of_article(p[0][0], p[0][1], taken)), *p[1:]])
        for p in parts
    ]
    order = [
        pair
        for rank in range(max(len(p) for p in parts))
        for p in parts
        if rank < len(p)
        for pair in [p[rank]]
    ]
    out = Composed(head=order[0])
    out.points = [(hit, sent, short_title(hit.title)) for hit, sent in order[1:ACROSS_POINTS]]
    return out


def _whole_once(pairs: list[tuple[Hit, str]]) -> list[tuple[Hit, str]]:
    """Each (hit, sentence) as its whole sentence (a clause cut at ； with the rest of it), once: a piece
    of another is left out."""
    out: list[tuple[Hit, str]] = []
    for hit, sent in pairs:
        whole = whole_sentence(hit, sent)
        if all(whole not in s for _, s in out):
            out = [(h, s) for h, s in out if s not in whole] + [(hit, whole)]
    return out
