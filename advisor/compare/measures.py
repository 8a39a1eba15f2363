"""Measures of one region on one topic. Only documents whose front matter ``region`` is that region are
read (a city column never takes its province's text, a national text fills only 全国). The unit is the
article (:mod:`advisor.compare.articles`): each article that names a core term of the topic is scored on
how much it is *about* the topic (:mod:`advisor.compare.aboutness`) — its terms (a long article's count capped, an enumeration item counting
half), its lead sentence's terms again, liability clauses and texts no longer in force lower — plus its
rank in the region-filtered hybrid search. An article naming the topic only once, in passing, only fills
a cell that has fewer than ``limit`` clauses about it (or, with MIN_PASSING such articles and no other, makes
one). A free-text phrase also counts where its words stand in one sentence (内容…标识) or where the texts
say it in their own words (个人数据 for 个人信息); the headings above an article may complete it. A
liability chapter's articles are liability clauses; a chapter joining 监督检查 to 法律责任 is not one. The
best articles, at most one measure each, become a short action phrase plus a verbatim quote (the best
sentence; in a text without article numbers, with the next or previous one when the measure goes on
there) verified against its chunk; nothing scoring means an empty cell. While a cell has room, the articles
beside its clauses in the same chapter whose meaning stands out for the topic follow them (a text sets out
one subject in consecutive articles, the second often without the topic's words)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from advisor.compare.aboutness import (
    HEADING_ONLY,
    MIN_SCORE,
    PENALTY,
    article_topic_score,
    body_of,
    has_core,
    lead,
    liability,
    topic_score,
)
from advisor.compare.articles import Article, article_of, region_articles
from advisor.compare.bridges import bridged_articles
from advisor.compare.cache import caching
from advisor.compare.choose import ITEM_NUMBER, PASSING, diverse
from advisor.compare.neighbours import beside
from advisor.compare.semantic import Z_ADMIT, article_z, closest_sentence, standouts
from advisor.compare.topics import Topic
from advisor.compare.topics import topic as to_topic
from advisor.index.snapshot import Snapshot
from advisor.render.compare_types import NATIONAL, Measure
from advisor.retrieval.figures import VIOLATES, breached_articles
from advisor.retrieval.hybrid import Retriever
from advisor.text import ARTICLE_NUMBER, sentence_spans
from advisor.types import Hit, document_status, validity_note

CANDIDATES = 14  # retrieved per cell: their rank adds to the topic score
# an article the region-filtered search ranks this high may name the topic by a supporting word only, in a
# region whose texts name it elsewhere (session 17, dev clause recall 0.802 → 0.811 at five measures a cell)
SEARCH_ADMIT = 8
SEARCH_Z = 1.5  # … in an article whose meaning stands out (z) for the topic among the region's articles
RANK_BONUS = 3.0  # rank 1 of the region-filtered search adds 3 (about one core term and a half)
# each standard deviation above one that an article's meaning stands out for the topic among the
# region's articles (:func:`advisor.compare.semantic.article_z`) adds 2, as a core term does
DENSE_WEIGHT = 2.0
# a cell with fewer than ``limit`` clauses naming the topic is filled with articles whose meaning stands
# out this far (in standard deviations) — less than what makes a cell on its own (Z_ADMIT)
FILL_Z = 2.5
# an article beside a clause the cell shows, in the same chapter and on the same subject, whose meaning stands
# out this far for the topic (standard deviations among the region's articles) follows it while the cell has
# room (session 41, dev clause recall 0.836 → 0.847, 0.2 more measures a cell; 1.0 gave 0.848 with 0.3 more)
NEIGHBOUR_Z = 1.5
SHORTLIST = 9  # articles quoted per cell beyond ``limit`` (plus each document's best)
MAX_QUOTE = 160
MAX_ACTION = 40
_JOINERS = ("并且", "并", "且", "同时", "以及", "和", "及", "或者")  # not the start of an action phrase
NOT_POLICY = ("think-tank",)  # the report is no region's policy: never a cell
MIN_SENTENCE = 12  # a shorter sentence (an item's title) is quoted with the one after it
_SANCTION_LEAD = 60  # a liability article punishing breaches of articles it names at its start (VIOLATES)
_SANCTION = re.compile(r"罚款|责令|没收|警告|吊销|处分")


def _best_sentence(t: Topic, text: str, *, widen: bool = True) -> tuple[int, int]:
    spans = [
        (s, e) for s, e in sentence_spans(text) if text[s:e].strip() and not HEADING_ONLY.match(text[s:e])
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
    body = body_of(hit.text)
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
    t = topic if isinstance(topic, Topic) else to_topic(topic, retriever.snapshot.keyword)
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
    scores = [article_topic_score(snap, art, t, today) for art in arts]
    ranks = [min(rank_of.get(c, len(hits) + CANDIDATES) for c in art.chunk_ids) for art in arts]
    if any(s is not None and s > PASSING for s in scores):  # the region's texts name the topic: then an
        for i, art in enumerate(arts):  # article the search ranks high may say it in other words
            if scores[i] is None and ranks[i] < SEARCH_ADMIT and zs and zs[i][0] >= SEARCH_Z:
                scores[i] = article_topic_score(snap, art, t, today, searched=True)
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
        # … or says what other texts name the topic in, in its own words (bridges)
        return verified(retriever, said_as_elsewhere(retriever, region, t, zs, limit, today), region)
    if len(chosen) < limit:  # … and then, like any cell short of clauses, it takes those nearest its meaning
        more = said_otherwise(retriever, region, t, zs, limit, today, z_min=FILL_Z)
        taken = {(m.doc_id, m.article) for m in chosen}
        fresh = [m for m in verified(retriever, more, region) if (m.doc_id, m.article) not in taken]
        chosen += fresh[: limit - len(chosen)]
    if len(chosen) < limit:  # … and those saying what other texts name the topic in
        taken = {(m.doc_id, m.article) for m in chosen}
        bridged = verified(retriever, said_as_elsewhere(retriever, region, t, zs, limit, today), region)
        chosen += [m for m in bridged if (m.doc_id, m.article) not in taken][: limit - len(chosen)]
    if zs:  # … and, while it has room, the articles beside its clauses that are about the topic too
        chosen += verified(
            retriever, _neighbours(retriever, arts, zs, chosen, region, t, today, limit + extra), region
        )
    return chosen + verified(
        retriever, _sanctions(snap, arts, chosen, region, t, today, limit + extra), region
    )


def _neighbours(
    retriever: Retriever,
    arts: list[Article],
    zs: list[tuple[float, str]],
    chosen: list[Measure],
    region: str,
    t: Topic,
    today: str,
    most: int,
) -> list[Measure]:
    """The articles beside the cell's clauses (:func:`advisor.compare.neighbours.beside`), each quoted by its
    sentence most like the topic, scored PASSING, while the cell has room (``most`` in all)."""
    shown = [(m.doc_id, m.article) for m in chosen]
    out: list[Measure] = []
    for j, cid, start, end in beside(retriever.snapshot, arts, zs, shown, NEIGHBOUR_Z)[
        : max(0, most - len(chosen))
    ]:
        m = _by_meaning(retriever, (cid, start, end), arts[j].article, region, t, today)
        if m and not HEADING_ONLY.match(m.quote):
            out.append(m)
    return out


def _sanctions(
    snap: Snapshot, arts: list[Article], chosen: list[Measure], region: str, t: Topic, today: str, most: int
) -> list[Measure]:
    """The liability articles that punish breaking a measure the cell shows (违反本条例第六十九条规定…
    罚款): what enforces it, quoted after the measures while the cell has room (``most`` in all)."""
    shown = {(m.doc_id, m.article) for m in chosen if ARTICLE_NUMBER.fullmatch(m.article or "")}
    out: list[Measure] = []
    for art in arts if shown else []:
        if len(chosen) + len(out) >= most:
            break
        cid, start, end = art.parts[0]
        text = snap.chunks[cid].text[start:end]
        ref = VIOLATES.search(text[:_SANCTION_LEAD])
        if (art.doc_id, art.article) in shown or not ref:
            continue
        if any((art.doc_id, a) in shown for a in breached_articles(ref.group(0))):
            hit = snap.hit(cid)
            s, e = next(((s, e) for s, e in sentence_spans(text) if s <= ref.start() < e), (0, len(text)))
            s, e = _trim(t, text, s, e)
            quote = text[s:e].strip()
            m = _measure(hit, region, t, today, quote=quote, article=art.article, score=PASSING)
            sanction = next((c for c in re.split(r"[，；。]", quote) if _SANCTION.search(c)), "")
            out.append(m.model_copy(update={"action": f"罚则：{sanction[:MAX_ACTION]}"}) if sanction else m)
    return out


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
        part = (found.chunk_id, found.start, found.end)
        if m := _by_meaning(retriever, part, found.article.article, region, t, today):
            out.append(m)
    return out


def _by_meaning(
    retriever: Retriever, part: tuple[str, int, int], article: str, region: str, t: Topic, today: str
) -> Measure | None:
    """The measure of an article that names no term of the topic: quoted by the sentence of ``part``
    (chunk id, start, end) most like the topic, scored PASSING; None for a quote under 15 characters or
    a text that is no region's policy."""
    hit = retriever.snapshot.hit(part[0])
    start, end = _trim(t, hit.text, *closest_sentence(retriever, t.name, hit.text, part[1], part[2]))
    quote = hit.text[start:end].strip()
    if len(quote) < 15 or hit.meta.get("level") in NOT_POLICY:
        return None
    return _measure(hit, region, t, today, quote=quote, article=article, score=PASSING)


def said_as_elsewhere(
    retriever: Retriever, region: str, t: Topic, zs: list[tuple[float, str]], limit: int, today: str
) -> list[Measure]:
    """The region's articles that share the rare words of other texts' clauses on the topic
    (:mod:`advisor.compare.bridges`), each quoted by its sentence holding them; scored PASSING."""
    snap = retriever.snapshot
    out: list[Measure] = []
    for art, chunk_id, start, end in bridged_articles(retriever, region, t, limit, zs):
        hit = snap.hit(chunk_id)
        quote = hit.text[start:end].strip()
        if len(quote) >= 15 and hit.meta.get("level") not in NOT_POLICY:
            out.append(_measure(hit, region, t, today, quote=quote, article=art.article, score=PASSING))
    return out


def facets_of(t: Topic, texts: list[str], headings: str = "") -> frozenset[int]:
    """The parts of the topic (:attr:`Topic.facets`) an article is about: named in its lead sentence or
    chapter title, or at least twice in its text."""
    body = body_of("\n".join(texts))
    about = lead(texts[0]) + " " + headings
    return frozenset(
        i
        for i, terms in enumerate(t.facets)
        if any(w in about for w in terms) or sum(body.count(w) for w in terms) >= 2
    )


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
    t = topic if isinstance(topic, Topic) else to_topic(topic, retriever.snapshot.keyword)
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
