"""Measures of one region on one topic. Only documents whose front matter ``region`` is that region are
read (a city column never takes its province's text, a national text fills only 全国). The unit is the
article (:mod:`advisor.compare.articles`): each article that names a core term of the topic is scored on
how much it is *about* the topic — its terms (a long article's count capped, an enumeration item counting
half), its lead sentence's terms again, liability clauses and texts no longer in force lower — plus its
rank in the region-filtered hybrid search. An article naming the topic only once, in passing, only fills
a cell that has fewer than ``limit`` clauses about it (or, with MIN_PASSING such articles and no other, makes
one). A free-text phrase also counts where its words stand in one sentence (内容…标识) or where the texts
say it in their own words (个人数据 for 个人信息); the headings above an article may complete it. A
liability chapter's articles are liability clauses; a chapter joining 监督检查 to 法律责任 is not one. The
best articles, at most one measure each, become a short action phrase plus a verbatim quote (the best
sentence; in a text without article numbers, with the next or previous one when the measure goes on
there) verified against its chunk; nothing scoring means an empty cell."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import jieba

from advisor.compare.articles import Article, article_of, region_articles
from advisor.compare.cache import caching
from advisor.compare.choose import ARTICLE_NUMBER, ITEM_NUMBER, PASSING, diverse
from advisor.compare.semantic import Z_ADMIT, article_z, closest_sentence, standouts
from advisor.compare.topics import Topic
from advisor.compare.topics import topic as to_topic
from advisor.index.snapshot import Snapshot
from advisor.render.compare_types import NATIONAL, Measure
from advisor.retrieval.hybrid import Retriever
from advisor.text import sentence_spans
from advisor.types import Hit, document_status, validity_note

CANDIDATES = 14  # retrieved per cell: their rank adds to the topic score
# an article the region-filtered search ranks this high may name the topic by a supporting word only, in a
# region whose texts name it elsewhere (session 17, dev clause recall 0.802 → 0.811 at five measures a cell)
SEARCH_ADMIT = 8
SEARCH_WORD_FREQUENCY = 10000  # … a word rarer than this in jieba's dictionary (税收 or 资金, not 保护)
SEARCH_Z = 1.5  # … in an article whose meaning stands out (z) for the topic among the region's articles
RANK_BONUS = 3.0  # rank 1 of the region-filtered search adds 3 (about one core term and a half)
# each standard deviation above one that an article's meaning stands out for the topic among the
# region's articles (:func:`advisor.compare.semantic.article_z`) adds 2, as a core term does
DENSE_WEIGHT = 2.0
# a cell with fewer than ``limit`` clauses naming the topic is filled with articles whose meaning stands
# out this far (in standard deviations) — less than what makes a cell on its own (Z_ADMIT)
FILL_Z = 2.5
SHORTLIST = 9  # articles quoted per cell beyond ``limit`` (plus each document's best)
MIN_SCORE = 2.0  # one core term, or two supporting ones
MAX_QUOTE = 160
MAX_ACTION = 40
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
_JOINERS = ("并且", "并", "且", "同时", "以及", "和", "及", "或者")  # not the start of an action phrase
NOT_POLICY = ("think-tank",)  # the report is no region's policy: never a cell
MIN_SENTENCE = 12  # a shorter sentence (an item's title) is quoted with the one after it
_HEADING_ONLY = re.compile(r"^\s*(#+.*|第[一二三四五六七八九十百零〇]+[章节].*)\s*$")


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


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not _HEADING_ONLY.match(line))


def _best_sentence(t: Topic, text: str, *, widen: bool = True) -> tuple[int, int]:
    spans = [
        (s, e) for s, e in sentence_spans(text) if text[s:e].strip() and not _HEADING_ONLY.match(text[s:e])
    ]
    # an item's title alone (（四）实施试点示范。) says what follows, not the measure: quote it with its
    # next sentence
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and len(ITEM_NUMBER.sub("", text[merged[-1][0] : merged[-1][1]]).strip()) < MIN_SENTENCE:
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    spans = merged
    if not spans:
        return 0, len(text)
    best = max(range(len(spans)), key=lambda i: (topic_score(t, text[spans[i][0] : spans[i][1]]), -i))
    start, end = spans[best]
    # in a text without article numbers (a plan's long item), a measure that goes on in the next
    # sentence (or began in the one before) on the same topic is quoted with it while the quote stays
    # short: no article number tells the reader where the rest of it is
    for i in (best + 1, best - 1) if widen else ():
        if 0 <= i < len(spans) and has_core(t, text[spans[i][0] : spans[i][1]]):
            s, e = min(start, spans[i][0]), max(end, spans[i][1])
            if len(text[s:e].strip()) <= MAX_QUOTE:
                return s, e
    return start, end


def _trim(t: Topic, text: str, start: int, end: int) -> tuple[int, int]:
    """Cut a long sentence to its clauses around the best one (still a verbatim span)."""
    while end - start > MAX_QUOTE:
        sub = text[start:end]
        cuts = [m.end() for m in re.finditer(r"[，；：,;]", sub)]
        if not cuts:
            return start, start + MAX_QUOTE
        head, tail = sub[: cuts[len(cuts) // 2]], sub[cuts[len(cuts) // 2] :]
        if topic_score(t, tail) > topic_score(t, head):
            start += cuts[len(cuts) // 2]
        else:
            end = start + cuts[len(cuts) // 2]
    return start, end


def action_phrase(t: Topic, quote: str) -> str:
    """The clause of the quote that says most about the topic, without article number or end mark."""
    text = re.sub(r"[*_`#>]+", "", ARTICLE_NUMBER.sub("", quote, count=1)).strip()  # no Markdown marks
    clauses = [c.strip() for c in re.split(r"[，；。：！？,;\n]", text) if len(c.strip()) >= 4]
    if not clauses:
        return text[:MAX_ACTION]
    best = max(clauses, key=lambda c: (topic_score(t, c), -clauses.index(c)))
    joiner = next((j for j in _JOINERS if best.startswith(j) and len(best) > len(j) + 6), "")
    best = best[len(joiner) :]
    return best if len(best) <= MAX_ACTION else best[: MAX_ACTION - 1] + "…"


def measure_from_hit(
    hit: Hit, region: str, t: Topic, today: str = "", *, article: str = "", score: float | None = None
) -> Measure | None:
    """A measure from one chunk, or None when the chunk is not about the topic. ``article`` and
    ``score`` come from the whole article when the caller scored it (a chunk may be its continuation)."""
    if hit.meta.get("level") in NOT_POLICY:
        return None
    body = _body(hit.text)
    if score is None:
        score = topic_score(t, body) - (PENALTY if liability(hit.section, body) else 0.0)
        if score < MIN_SCORE or not has_core(t, body):
            return None
    if len(body.strip()) < 15:
        return None
    numbered = bool(ARTICLE_NUMBER.fullmatch(article or article_of(hit.section, hit.text)))
    start, end = _trim(t, hit.text, *_best_sentence(t, hit.text, widen=not numbered))
    quote = hit.text[start:end].strip()
    if not quote or quote not in hit.text or topic_score(t, quote) < MIN_SCORE / 2:
        return None
    return _measure(hit, region, t, today, quote=quote, article=article, score=score)


def _measure(
    hit: Hit, region: str, t: Topic, today: str, *, quote: str, article: str, score: float
) -> Measure:
    meta = hit.meta
    status_raw, valid_until = str(meta.get("status") or ""), str(meta.get("valid_until") or "")
    today = today or date.today().isoformat()
    return Measure(
        region=region,
        topic=t.name,
        action=action_phrase(t, quote),
        quote=quote,
        doc_id=hit.doc_id,
        title=hit.title,
        section=hit.section,
        article=article or article_of(hit.section, hit.text),
        date=str(meta.get("date") or ""),
        issuer=str(meta.get("issuer") or ""),
        level=str(meta.get("level") or ""),
        status=document_status(status_raw, valid_until, today),
        valid_until=valid_until,
        validity=validity_note(status_raw, valid_until, today),
        chunk_id=hit.chunk_id,
        score=round(score, 2),
    )


def verified(retriever: Retriever, measures: list[Measure], region: str) -> list[Measure]:
    """Only measures whose quote is verbatim in their chunk and whose document is the region's own."""
    snap = retriever.snapshot
    out = []
    for m in measures:
        rec = snap.chunks.get(m.chunk_id)
        doc = snap.docs.get(m.doc_id)
        if rec and doc and doc.region == region and m.quote in rec.text:
            out.append(m)
    return out


def region_names(retriever: Retriever) -> list[str]:
    """Regions the corpus has documents for (front matter ``region``), national first."""
    regions = sorted({d.region for d in retriever.snapshot.docs.values() if d.region})
    return sorted(regions, key=lambda r: (r != NATIONAL, r))


def find_measures(
    retriever: Retriever,
    region: str,
    topic: str | Topic,
    *,
    limit: int = 3,
    extra: int = 0,
    by_meaning: bool = True,
) -> list[Measure]:
    """Up to ``limit`` measures of ``region`` (a resolved name as in front matter: 河南省, 深圳市, 全国)
    on ``topic`` (a default topic name or free text), best first, each verified verbatim and from a
    document of that region only; empty when the region's texts say nothing on it (never a guess).
    Up to ``extra`` more when the region has that many more articles nearly as much about the topic
    (MORE_SHARE of the best one's score): a long data regulation's cell is not cut at three clauses."""
    t = topic if isinstance(topic, Topic) else to_topic(topic)
    if not region or limit <= 0:
        return []
    # Every article of the region's own documents is scored on the topic's terms (a region has at most a
    # few hundred chunks), its lead sentence (what the article is about) counting again; the
    # region-filtered hybrid search adds a bonus for what it ranks high, and so does how far the
    # article's meaning stands out for the topic among the region's articles, so an article that says
    # the thing in other words still counts.
    hits = retriever.retrieve(f"{t.name} {t.description}", k=CANDIDATES, filters={"region": region})
    rank_of = {h.chunk_id: i for i, h in enumerate(hits)}
    snap = retriever.snapshot
    today = date.today().isoformat()
    ranked: list[tuple[float, int, Article, float]] = []
    zs = article_z(retriever, region, t.name) if by_meaning else []
    arts = region_articles(snap, region)
    scores = [_article_score(snap, art, t, today) for art in arts]
    ranks = [min(rank_of.get(c, len(hits) + CANDIDATES) for c in art.chunk_ids) for art in arts]
    if any(s is not None and s > PASSING for s in scores):  # the region's texts name the topic: then an
        for i, art in enumerate(arts):  # article the search ranks high may say it in other words
            if scores[i] is None and ranks[i] < SEARCH_ADMIT and zs and zs[i][0] >= SEARCH_Z:
                scores[i] = _article_score(snap, art, t, today, searched=True)
    for i, (art, score, rank) in enumerate(zip(arts, scores, ranks, strict=True)):
        if score is not None:
            bonus = RANK_BONUS * 3.0 / (rank + 3) if score > PASSING else 0.0
            if zs and score > PASSING:  # how far its meaning stands out among the region's articles
                bonus += DENSE_WEIGHT * max(0.0, zs[i][0] - 1.0)
            ranked.append((score + bonus, rank, art, score))
    ranked.sort(key=lambda x: (-x[0], x[1]))
    # quotes only for the best articles and each document's and facet's best one (what diverse can
    # choose)
    found: list[tuple[float, Measure, frozenset[int]]] = []
    docs: set[str] = set()
    facets: set[int] = set()
    for total, _, art, score in ranked:
        covers = facets_of(t, art.texts(snap), art.headings)
        if len(found) >= SHORTLIST + limit + extra and art.doc_id in docs and covers <= facets:
            continue
        m = _article_measure(snap, art, region, t, today, score)
        if m is not None:
            found.append((total, m, covers))
            docs.add(art.doc_id)
            facets |= covers
    ok = {id(m) for m in verified(retriever, [m for _, m, _ in found], region)}
    chosen = diverse([f for f in found if id(f[1]) in ok], limit, extra, len(t.facets))
    if not by_meaning:
        return chosen
    # no article names the topic: the region has it only if one stands out by far (Z_ADMIT) …
    if not chosen and not verified(retriever, said_otherwise(retriever, region, t, zs, 1, today), region):
        return []
    if len(chosen) < limit:  # … and then, like any cell short of clauses, it takes those nearest its meaning
        more = said_otherwise(retriever, region, t, zs, limit, today, z_min=FILL_Z)
        taken = {(m.doc_id, m.article) for m in chosen}
        fresh = [m for m in verified(retriever, more, region) if (m.doc_id, m.article) not in taken]
        chosen += fresh[: limit - len(chosen)]
    return chosen


def said_otherwise(
    retriever: Retriever,
    region: str,
    t: Topic,
    zs: list[tuple[float, str]],
    limit: int,
    today: str,
    z_min: float = Z_ADMIT,
) -> list[Measure]:
    """The region's articles whose meaning stands out ``z_min`` for the topic (``zs`` from
    :func:`~advisor.compare.semantic.article_z`), each quoted by its sentence most like the topic: a cell
    no article names the topic in, or one short of clauses. They score PASSING — no term of the topic is
    in them — so they are never a peer region's measure."""
    snap = retriever.snapshot
    out: list[Measure] = []
    for found in standouts(region_articles(snap, region), zs, limit, z_min):
        hit = snap.hit(found.chunk_id)
        start, end = _trim(
            t, hit.text, *closest_sentence(retriever, t.name, hit.text, found.start, found.end)
        )
        quote = hit.text[start:end].strip()
        if len(quote) >= 15 and hit.meta.get("level") not in NOT_POLICY:
            out.append(
                _measure(hit, region, t, today, quote=quote, article=found.article.article, score=PASSING)
            )
    return out


def facets_of(t: Topic, texts: list[str], headings: str = "") -> frozenset[int]:
    """The parts of the topic (:attr:`Topic.facets`) an article is about: named in its lead sentence or
    chapter title, or at least twice in its text."""
    body = _body("\n".join(texts))
    about = lead(texts[0]) + " " + headings
    return frozenset(
        i
        for i, terms in enumerate(t.facets)
        if any(w in about for w in terms) or sum(body.count(w) for w in terms) >= 2
    )


def lead(text: str) -> str:
    """An article's first sentence without its number: its main predicate (本市建立…机制). A topic term
    there makes the article about the topic; the same term in a list further down does less."""
    body = ARTICLE_NUMBER.sub("", _body(text), count=1).strip()
    cut = re.search(r"[。；：\n]", body)
    return body[: cut.start()] if cut else body


def article_score(
    t: Topic, texts: list[str], section: str = "", status: str = "", *, headings: str = ""
) -> float:
    """The whole article's topic score plus its lead sentence's (LEAD_WEIGHT) and a share of its chapter
    title's (an article in 第八章 数据安全 is about security even where its own words are few; capped at
    HEADING_CAP), less PENALTY for a liability clause and EXPIRED_PENALTY for a text no longer in force
    (shown, but after current ones)."""
    body = _body("\n".join(texts))
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


def _article_score(
    snap: Snapshot, art: Article, t: Topic, today: str, *, searched: bool = False
) -> float | None:
    """The article's topic score (see :func:`article_score`), or None when it names no core term or
    scores below MIN_SCORE. ``searched``: the region-filtered search ranks it high, so one of the topic's
    supporting words is enough (免征相关税收 for tax incentives, whose texts never say 税收优惠)."""
    texts = art.texts(snap)
    if not has_core(t, "\n".join(texts), art.headings) and not (
        searched and any(w in "\n".join(texts) for w in _specific(t.related))
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
    if not heading and _passing(t, texts):
        return PASSING  # only fills a cell that has fewer than ``limit`` clauses about the topic
    return score + heading


def _specific(words: tuple[str, ...]) -> list[str]:
    """The topic's supporting words that are not everyday ones (税收, not 保护 or 数据): jieba's dictionary
    counts them fewer than SEARCH_WORD_FREQUENCY times."""
    jieba.initialize()
    return [w for w in words if jieba.dt.FREQ.get(w, 0) < SEARCH_WORD_FREQUENCY]


def _passing(t: Topic, texts: list[str]) -> bool:
    """A topic named once, in passing: one core term, once, after a lead sentence about something else
    (支持…建立创新容错机制 … 评价监管机制 is no measure of governance)."""
    body = _body("\n".join(texts))
    return topic_score(t, lead(texts[0])) == 0 and mentions(t, body) == 1


def mentions(t: Topic, text: str) -> int:
    """How often a text names the topic: its core terms, and a free-text phrase's words together in one
    sentence where the phrase itself is not there."""
    n = sum(text.count(w) for w in t.core)
    for g in t.together:
        if all(w in text for w in g) and not any(c in text and all(w in c for w in g) for c in t.core):
            n += sum(1 for s in _SENTENCE_END.split(text) if all(w in s for w in g))
    return n


def _article_measure(
    snap: Snapshot, art: Article, region: str, t: Topic, today: str, score: float
) -> Measure | None:
    """The article's measure: its score from the whole article, its quote from the chunk whose best
    sentence says most about the topic (the lead chunk on a tie)."""
    best: Measure | None = None
    best_quote = -1.0
    for cid, start, end in art.parts:
        hit = snap.hit(cid)
        if (start, end) != (0, len(hit.text)):  # the share of the chunk that is this article
            hit = hit.model_copy(update={"text": hit.text[start:end]})
        m = measure_from_hit(hit, region, t, today, article=art.article, score=round(score, 2))
        if m is not None and topic_score(t, m.quote) > best_quote:
            best, best_quote = m, topic_score(t, m.quote)
    return best


def peer_measures(
    retriever: Retriever, topic: str | Topic, *, exclude_regions: Sequence[str], limit: int = 3
) -> list[Measure]:
    """The strongest measures on ``topic`` of other regions (one per region, national texts excluded:
    a peer is a province or city), for 对标借鉴; each labelled with its region."""
    t = topic if isinstance(topic, Topic) else to_topic(topic)
    retriever = caching(retriever)  # one topic query for every region
    skip = {*exclude_regions, NATIONAL}
    best: list[Measure] = []
    for region in region_names(retriever):
        if region in skip:
            continue
        found = find_measures(retriever, region, t, limit=1, by_meaning=False)  # a peer's names the topic
        if found and found[0].score > PASSING:  # a clause naming the topic in passing is no peer's measure
            best.append(found[0])
    best.sort(key=lambda m: (-m.score, m.region))
    return best[:limit]
