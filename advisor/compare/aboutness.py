"""How much an article is *about* a topic (:mod:`advisor.compare.measures` ranks a region's articles by
it): its topic terms (a long article's count capped, an enumeration item counting half), its lead
sentence's terms again, a share of its chapter titles', less for a liability clause or a text no longer in
force; an article naming the topic once, in passing, scores PASSING. Boilerplate (purpose, scope,
commencement, a transmittal notice) is never a measure."""

from __future__ import annotations

import re

import jieba

from advisor.compare.articles import Article
from advisor.compare.choose import PASSING
from advisor.compare.topics import Topic
from advisor.index.snapshot import Snapshot
from advisor.text import ARTICLE_NUMBER
from advisor.types import document_status

# a supporting word admits an article the search ranks high (``measures.SEARCH_ADMIT``) only when it is
# rarer than this in jieba's dictionary (税收 or 资金, not 保护)
SEARCH_WORD_FREQUENCY = 10000
SEARCH_WORD_IDF = 2.0
MIN_SCORE = 2.0  # one core term, or two supporting ones
# liability clauses (追回资金, 依法追究) mention a topic's words but are no measure of it
_PENALTY = re.compile(r"法律责任|违反本(条例|办法|规定)|依法追究|追回|没收|罚款")
# … and so is every article of a chapter that is the liability chapter (第九章 法律责任), not of one that
# joins it to something else (第四章 监督检查和法律责任 holds 安全评估 and 备案 duties too)
_LIABILITY_HEADING = re.compile(r"^\s*#*\s*(第[一二三四五六七八九十百零〇]+[章节])?\s*法律责任\s*$")
_SENTENCE_END = re.compile(r"[。；！？\n]")
# a text's purpose, scope and commencement clauses (为了…制定本条例; 在本市行政区域内…适用本条例) and the
# notice that transmits it (现印发给你们) name every topic of the text and commit to none: never a measure
_NO_MEASURE = re.compile(r"制定本(条例|办法|规定|细则)|(适用|遵守)本(条例|办法|规定|细则)|起施行")
# … and a definition (本条例所称信息基础设施是指…) weighs less, but may be the text's word on a topic
_BOILERPLATE = re.compile(rf"{_NO_MEASURE.pattern}|本(条例|办法|规定|细则)所称")
_TRANSMITTAL = re.compile(r"印发给你们|请认真(遵照|贯彻)?执行")
PENALTY = 4.0
LEAD_WEIGHT = 1.0  # the lead sentence's topic score counts again
BODY_CAP = 5.0  # a long article's many terms count up to this (about two core terms): length is not aboutness
EXPIRED_PENALTY = 2.0  # an expired text's clause comes after a current one of about the same weight
HEADING_WEIGHT = 0.5  # the chapter/section titles above an article: a tie-breaker among its articles
HEADING_CAP = 3.0  # … counted up to one core and one supporting term
HEADING_ONLY = re.compile(r"^\s*(#+.*|第[一二三四五六七八九十百零〇]+[章节].*)\s*$")


def topic_score(t: Topic, text: str) -> float:
    """2 per distinct core term (+0.5 for each repeat, up to two), 1 per distinct supporting term: a
    clause that keeps returning to the topic is more about it than one that names it in passing. A core
    term that only appears as an item of an enumeration (交易代理、人才培训、创业孵化) counts half."""
    total = 0.0
    for w in t.core:
        n = text.count(w)
        if n:
            listed = len(re.findall(f"、{re.escape(w)}|{re.escape(w)}、", text))
            total += (1.0 if listed >= n else 2.0) + 0.5 * min(2, n - 1)
    total += sum(_group_score(t, g, text) for g in t.together)
    return total + sum(1 for w in t.related if w in text)


def _group_score(t: Topic, group: tuple[str, ...], text: str) -> float:
    """A free-text phrase said in other words — all its words in one sentence (对生成合成内容添加显式标识
    for 内容标识) — counts as the phrase, where the phrase itself is not there."""
    if any(c in text and all(w in c for w in group) for c in t.core) or not all(w in text for w in group):
        return 0.0
    n = sum(1 for s in _SENTENCE_END.split(text) if all(w in s for w in group))
    return 2.0 + 0.5 * min(2, n - 1) if n else 0.0


def has_core(t: Topic, text: str, headings: str = "") -> bool:
    """A clause is about the topic only if it names one of its core terms (supporting words such as
    风险 or 投资 alone are about something else as often as not), or all the words of a free-text phrase —
    some of them may be in the headings above it (个人信息 in an article of 第二节 个人信息特别保护)."""
    if any(w in text for w in t.core):
        return True
    about = f"{text}\n{headings}"
    return any(any(w in text for w in g) and all(w in about for w in g) for g in t.together)


def liability(section: str, body: str) -> bool:
    """A liability clause: its own words (违反本条例…, 罚款), or the liability chapter it stands in."""
    if _PENALTY.search(body) or _PENALTY.search(section.replace("法律责任", "")):
        return True
    return any(_LIABILITY_HEADING.match(p) for p in section.split(" > "))


def body_of(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not HEADING_ONLY.match(line))


def lead(text: str) -> str:
    """An article's first sentence without its number: its main predicate (本市建立…机制). A topic term
    there makes the article about the topic; the same term in a list further down does less."""
    body = ARTICLE_NUMBER.sub("", body_of(text), count=1).strip()
    cut = re.search(r"[。；：\n]", body)
    return body[: cut.start()] if cut else body


def article_score(
    t: Topic, texts: list[str], section: str = "", status: str = "", *, headings: str = ""
) -> float:
    """The whole article's topic score plus its lead sentence's (LEAD_WEIGHT) and a share of its chapter
    title's (an article in 第八章 数据安全 is about security even where its own words are few; capped at
    HEADING_CAP), less PENALTY for a liability clause and EXPIRED_PENALTY for a text no longer in force
    (shown, but after current ones)."""
    body = body_of("\n".join(texts))
    score = min(BODY_CAP, topic_score(t, body)) + LEAD_WEIGHT * topic_score(t, lead(texts[0]))
    score += heading_score(t, headings)
    if liability(section, body) or _BOILERPLATE.search(lead(texts[0])):
        score -= PENALTY
    if status in ("expired", "superseded"):
        score -= EXPIRED_PENALTY
    return score


def heading_score(t: Topic, headings: str) -> float:
    """What the chapter and section titles above an article add: HEADING_WEIGHT per point of their topic
    score, up to HEADING_CAP."""
    return HEADING_WEIGHT * min(HEADING_CAP, topic_score(t, headings)) if headings else 0.0


def article_topic_score(
    snap: Snapshot, art: Article, t: Topic, today: str, *, searched: bool = False
) -> float | None:
    """The article's topic score (see :func:`article_score`), or None when it names no core term or
    scores below MIN_SCORE. ``searched``: the region-filtered search ranks it high, so one of the topic's
    supporting words is enough (免征相关税收 for tax incentives, whose texts never say 税收优惠)."""
    texts = art.texts(snap)
    if not has_core(t, "\n".join(texts), art.headings) and not (
        searched and any(w in "\n".join(texts) for w in _specific_words(t.related, snap))
    ):
        return None
    doc = snap.docs[art.doc_id]
    status = document_status(doc.status or "", doc.valid_until or "", today)
    section = (
        f"{art.headings} > {snap.chunks[art.chunk_ids[0]].section}"  # 第九章 法律责任 may open in the chunk
    )
    if _NO_MEASURE.search(lead(texts[0])) or _TRANSMITTAL.search("\n".join(texts)):
        return None
    score = article_score(t, texts, section, status)
    heading = heading_score(t, art.headings)
    if score < MIN_SCORE:
        return None  # a chapter title alone makes no clause about the topic
    if not heading and in_passing(t, texts):
        return PASSING  # only fills a cell that has fewer than ``limit`` clauses about the topic
    return score + heading


def _specific_words(words: tuple[str, ...], snap: Snapshot) -> list[str]:
    """The topic's supporting words that are not everyday ones (税收, not 保护): jieba's dictionary counts
    them fewer than SEARCH_WORD_FREQUENCY times, and they are not the corpus's own everyday words either
    (数据, 创新, 安全: in most of its passages, idf below SEARCH_WORD_IDF)."""
    jieba.initialize()
    return [
        w
        for w in words
        if jieba.dt.FREQ.get(w, 0) < SEARCH_WORD_FREQUENCY and snap.keyword.idf(w) >= SEARCH_WORD_IDF
    ]


def in_passing(t: Topic, texts: list[str]) -> bool:
    """A topic named once, in passing: one core term, once, after a lead sentence about something else
    (支持…建立创新容错机制 … 评价监管机制 is no measure of governance)."""
    body = body_of("\n".join(texts))
    return topic_score(t, lead(texts[0])) == 0 and mentions(t, body) == 1


def mentions(t: Topic, text: str) -> int:
    """How often a text names the topic: its core terms, and a free-text phrase's words together in one
    sentence where the phrase itself is not there."""
    n = sum(text.count(w) for w in t.core)
    for g in t.together:
        if all(w in text for w in g) and not any(c in text and all(w in c for w in g) for c in t.core):
            n += sum(1 for s in _SENTENCE_END.split(text) if all(w in s for w in g))
    return n
