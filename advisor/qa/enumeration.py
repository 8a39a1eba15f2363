"""The items of an enumeration. Laws and plans introduce a list with a lead-in ending in a colon
("履行下列职责：", "主要用于下列事项：") and put one item per paragraph after it, sometimes across the next
chunk. A list question answered with the lead-in alone names no item; this finds the items, verbatim.
"""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.qa.sentences import has_label, strip_bullet, title_of
from advisor.text import bare, sentences
from advisor.types import Hit

MAX_ITEMS = 12
MIN_ITEM_CHARS = 4
# A sentence that announces a list: it ends in a colon.
_LEAD_IN = re.compile(r"[：:]\s*$")
_MARKER = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d{1,2}[.、．)）](?!\d)|[①-⑳]|——(?=\S))"
)
_NEW_UNIT = re.compile(r"^\s*(?:#|第[一二三四五六七八九十百零]+[条章节])")
_PARAGRAPH = re.compile(r"[^\n]+")


def is_lead_in(sentence: str) -> bool:
    return bool(_LEAD_IN.search(sentence))


def _items_in(text: str, start: int) -> tuple[list[str], bool]:
    """(the item paragraphs of ``text`` from ``start``, whether the list may go on past the text)."""
    items: list[str] = []
    for m in _PARAGRAPH.finditer(text, start):
        para = m.group(0).strip()
        if not para:
            continue
        if _NEW_UNIT.match(para):
            return items, False
        marked = bool(_MARKER.match(para))
        if marked or para.endswith(("；", ";")):
            items.append(para)
            continue
        if not items and (para.endswith(("。", "；")) or not is_heading_line(para)):
            items.append(para)  # an unmarked single item (a slide's line need not end in 。)
        return items, False
    return items, True


def items_after(
    hit: Hit, sentence: str, snapshot: Snapshot | None, limit: int = MAX_ITEMS
) -> list[tuple[Hit, str]]:
    """The items that follow the lead-in ``sentence`` of ``hit``, each with the chunk it is quoted from:
    paragraphs that carry an enumeration marker or end in a semicolon, up to the next article, heading
    or plain paragraph, continuing into the document's next chunks while the list goes on."""
    at = hit.text.find(sentence)
    if at < 0 or not is_lead_in(sentence):
        return []
    return _with_rest(hit, snapshot, *_items_in(hit.text, at + len(sentence)))[:limit]


def lead_in_later(hit: Hit, sentence: str, snapshot: Snapshot | None) -> tuple[Hit, str] | None:
    """A lead-in later in the article of ``sentence`` (…申请安全评估。…开展安全评估采取下列方式：) with
    two items or more: the list an answer from that article gives."""
    at = hit.text.find(sentence)
    for para in hit.text[at + len(sentence) :].split("\n") if at >= 0 else []:
        if _NEW_UNIT.match(para):
            break
        lead = para.strip()
        if is_lead_in(lead) and len(items_after(hit, lead, snapshot)) >= 2:
            return hit, lead
    return None


def marked_run_after(
    hit: Hit, sentence: str, snapshot: Snapshot | None, limit: int = MAX_ITEMS
) -> list[tuple[Hit, str]]:
    """The run of marked paragraphs (——数据要素市场体系初步建立。…, （一）…) right after the paragraph of
    ``sentence``, when it has at least two: the items a list question's head leads into without a colon
    ("到2025年，…稳步提升。" over its goals), continuing into the next chunks while the list goes on."""
    at = hit.text.find(sentence)
    end = hit.text.find("\n", at + len(sentence)) if at >= 0 else -1
    if end < 0 or _MARKER.match(hit.text[hit.text.rfind("\n", 0, at) + 1 :]):
        return []  # an item is no lead of the items after it: they are its siblings
    found, more = _items_in(hit.text, end)
    if len(found) < 2 or not all(_MARKER.match(f) for f in found):
        return []
    return _with_rest(hit, snapshot, found, more)[:limit]


def _with_rest(hit: Hit, snapshot: Snapshot | None, found: list[str], more: bool) -> list[tuple[Hit, str]]:
    """The items ``found`` in ``hit``, and, when the list may go on (``more``), those of the document's
    next chunks."""
    out = [(hit, item) for item in found]
    if more and snapshot is not None:
        following = [c for c in snapshot.chunks_of(hit.doc_id) if c.start > int(hit.meta.get("start", -1))]
        for rec in following[:3]:
            seen = {item for _, item in out}
            found, more = _items_in(rec.text, 0)
            nxt = snapshot.hit(rec.chunk_id)
            out += [(nxt, item) for item in found if item not in seen]
            if not more:
                break
    return out


LEAD_IN_CHARS = 240  # a lead-in quoted as a point goes on through its items up to this length


def with_items(hit: Hit, sentence: str) -> str:
    """A lead-in quoted as a point ("鼓励以下情形的…进行交易：") with the items that follow it in its chunk,
    as many as fit in LEAD_IN_CHARS, verbatim: the lead-in alone says nothing."""
    at = hit.text.find(sentence)
    if at < 0 or not sentence.rstrip().endswith(("：", ":")):
        return sentence
    end = 0
    for _, item in items_after(hit, sentence, None):
        stop = hit.text.find(item, max(end, at + len(sentence))) + len(item)
        if stop < len(item) or stop - at > LEAD_IN_CHARS:
            break
        end = stop
    return hit.text[at:end].strip() if end else sentence


_SENTENCE_MARK = re.compile(r"[。；;！？!?，,：:]")
MIN_PARALLEL = 3  # lines in a run that make a list
PARALLEL_LINE_CHARS = 40


def parallel_lines(hit: Hit, sentence: str, limit: int = MAX_ITEMS) -> list[tuple[Hit, str]]:
    """A slide's list without markers: ``sentence`` is one of a run of consecutive short lines without
    punctuation that end alike (建设…体系 / 建立…体系 / 构建…体系); the other lines of the run, in order.
    Empty when the sentence is no such line."""
    lines = [line.strip() for line in hit.text.split("\n")]
    target = sentence.strip()
    at = lines.index(target) if target in lines else -1
    if at < 0 or not _parallel(target):
        return []
    start, end = at, at + 1
    # alike: the same last word (…体系, …中心)
    while start > 0 and _parallel(lines[start - 1]) and lines[start - 1][-2:] == target[-2:]:
        start -= 1
    while end < len(lines) and _parallel(lines[end]) and lines[end][-2:] == target[-2:]:
        end += 1
    run = lines[start:end]
    if len(run) < MIN_PARALLEL:
        return []
    return [(hit, line) for line in run if line != target][:limit]


def _parallel(line: str) -> bool:
    return (
        4 <= len(line) <= PARALLEL_LINE_CHARS
        and not _SENTENCE_MARK.search(line)
        and not line.startswith(("#", ">"))
        and not _CAPTION.match(line)
    )


_ORDINALS = "一二三四五六七八九十"
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]+[，,、])")


def ordinal_items(
    hit: Hit, sentence: str, snapshot: Snapshot | None, limit: int = MAX_ITEMS
) -> list[tuple[Hit, str]]:
    """A paragraph that lists in prose ("要全面赋能经济社会发展。一是做强…。二是发展…。"): after the lead
    ``sentence``, the sentence that opens each item (一是…, 二是…), each quoted from its own chunk, while
    the paragraph goes on into the document's next chunks."""
    at = hit.text.find(sentence)
    if at < 0:
        return []
    after = hit.text[at + len(sentence) :]
    if not _ORDINAL.match(after.lstrip()):
        return []
    out: list[tuple[Hit, str]] = []
    texts = [(hit, after)]
    if snapshot is not None:
        following = [c for c in snapshot.chunks_of(hit.doc_id) if c.start > int(hit.meta.get("start", -1))]
        texts += [(snapshot.hit(c.chunk_id), c.text) for c in following[:3]]
    for where, text in texts:
        paragraph = text.lstrip().split("\n", 1)
        for sent in sentences(paragraph[0]):
            m = _ORDINAL.match(sent.strip())
            if m and _ORDINALS.find(m.group(0).strip("其是，,、")) == len(out):  # 一, 二, … in order
                out.append((where, sent.strip()))
        if len(paragraph) > 1 and paragraph[1].strip():  # the paragraph ended here
            break
    return out[:limit]


def is_item(text: str) -> bool:
    """Whether ``text`` opens with an enumeration marker ("（三）", "二、", "1.", "①")."""
    return bool(_MARKER.match(text))


def _lead_in_above(hit: Hit, paras: list[str]) -> tuple[Hit, str] | None:
    """The colon-ended last sentence of the last unmarked paragraph of ``paras`` (items skipped)."""
    para = next((p for p in reversed(paras) if not _MARKER.match(p)), None)
    lead = (sentences(para) or [""])[-1] if para else ""
    return (hit, lead) if lead and is_lead_in(lead) and lead in hit.text else None


def lead_in_before(hit: Hit, snapshot: Snapshot | None, sentence: str = "") -> tuple[Hit, str] | None:
    """The lead-in of the list that ``sentence`` (a list item of ``hit``; by default the chunk's first
    paragraph) belongs to: the colon-ended sentence above its run of items, in this chunk or, for a chunk
    that opens mid-list ("（五）…"), in the chunk before."""
    paras = [p.strip() for p in _PARAGRAPH.findall(hit.text) if p.strip()]
    at = next((i for i, p in enumerate(paras) if sentence and sentence in p), 0)
    if not paras or not _MARKER.match(paras[at]):
        return None
    if any(not _MARKER.match(p) for p in paras[:at]):
        return _lead_in_above(hit, paras[:at])
    chunks = snapshot.chunks_of(hit.doc_id) if snapshot else []
    pos = next((i for i, c in enumerate(chunks) if c.chunk_id == hit.chunk_id), 0)
    if pos == 0 or snapshot is None:
        return None
    before = snapshot.hit(chunks[pos - 1].chunk_id)
    return _lead_in_above(before, [p.strip() for p in _PARAGRAPH.findall(before.text) if p.strip()])


# --------------------------------------------------------------------------- lists under a heading

HEADING_COVERAGE = 0.7  # share of a heading's character pairs the question must contain
HEADING_WORDS = 4
_HEADING_MARKS = re.compile(
    r"^[#\s]*(?:Part\s*\d+|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百零]+[章节]|\d+(?:\.\d+)*)?\s*",
    re.I,
)
_SPLIT_LEAF = re.compile(r"^(.{4,}?)[：:](.{2,})$")
_MARKED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")  # （一）, 一、
_CAPTION = re.compile(r"^\s*[图表](?:\s*\d+)?\s*[：:]")
_HEADING_LINE_CHARS = 30


def is_heading_line(line: str) -> bool:
    """A markdown heading, or a short line without punctuation (slide decks' sub-headings)."""
    text = line.strip()
    if not text or _CAPTION.match(text):
        return False
    if text.startswith("#"):
        return True
    return len(text) <= _HEADING_LINE_CHARS and not re.search(r"[。；;，,：:！？!?、“”]", text)


def _pairs(text: str) -> set[str]:
    t = re.sub(r"[^\w]", "", text.lower())
    return {t[i : i + 2] for i in range(len(t) - 1)}


def label_above(text: str, at: int) -> str:
    """The nearest heading line above position ``at`` of a chunk ("> 广东省" over its province's
    paragraph), without its marks; "" when there is none."""
    lines = [ln.strip() for ln in text[:at].split("\n")[:-1] if ln.strip()]
    for line in reversed(lines):
        if is_heading_line(line):
            label = line.lstrip("#> ").strip()
            # a label says whose paragraph it is (> 广东省); a numbered heading is another section
            return "" if re.search(r"\d", label) else label
    return ""


def heading_match(heading: str, question: str) -> float:
    """Share of the heading's character pairs (its numbering left out) that the question contains. In a
    heading of HEADING_WORDS words or more, only the pairs inside a word count: the pairs across two
    (路径重, 点关 of 实施路径重点关注环节) keep the writer's word order, which a paraphrase does not."""
    import jieba

    text = _HEADING_MARKS.sub("", heading)
    pairs = _pairs(text)
    words = [w for w in jieba.cut(text) if len(w) >= 2]
    if len(words) >= HEADING_WORDS:  # dev: +3 list questions; counting every heading's so cost 3 others
        pairs = set().union(*(_pairs(w) for w in words))
    if len(pairs) < 2:
        return 0.0
    return len(pairs & _pairs(question)) / len(pairs)


def _first_sentence(paragraph: str) -> str:
    found = sentences(strip_bullet(paragraph.strip()))
    return found[0] if found else strip_bullet(paragraph.strip())


def item_title(item: str, hit: Hit, heading: str) -> str:
    """An item's own label ("市场培育：…"), else the heading it is listed under, without numbering."""
    if has_label(item):
        return title_of(item, hit)
    sibling = _SPLIT_LEAF.match(item)
    if sibling and is_heading_line(sibling.group(2)):  # a section of a family: its own name
        return sibling.group(2).strip()[:24]
    if is_heading_line(item) or (_MARKED.match(item) and not re.search(r"[。；;]", item)):
        return _HEADING_MARKS.sub("", item).strip()[:24] or title_of(item, hit)  # a section's own name
    return _HEADING_MARKS.sub("", heading).strip().rstrip("。.：:")[:24] or title_of(item, hit)


def _paragraphs_under(text: str, start: int) -> tuple[list[str], bool]:
    """(the paragraphs of ``text`` from ``start`` up to the next heading, whether they may go on)."""
    out: list[str] = []
    for m in _PARAGRAPH.finditer(text, start):
        para = m.group(0).strip()
        if not para:
            continue
        if is_heading_line(para) or _NEW_UNIT.match(para):
            return out, False
        if not _CAPTION.match(para):
            out.append(para)
    return out, True


def _titles(heading: str, hit: Hit) -> bool:
    text = bare(heading)
    return bool(text) and text == bare(hit.title)


LISTED_IN_ONE = 2  # enumeration commas in the one paragraph under a heading that make it the list asked
_OUTLINE_NUMBER = re.compile(
    r"[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+(?:\.\d+)*[.、\s]"
)


def items_under_heading(
    question: str, hits: list[Hit], snapshot: Snapshot | None, top: int = 5, limit: int = MAX_ITEMS
) -> tuple[Hit, str, list[tuple[Hit, str]]] | None:
    """For a list question, the list a retrieved heading introduces: a heading whose words the question
    repeats ("……有哪几条基本原则" → "（二）基本原则。"), with the first sentence of each paragraph
    under it, verbatim, continuing into the next chunks of the document. None without such a heading
    or when fewer than two items follow it, unless the one that follows lists them itself."""
    best: tuple[float, int, Hit, re.Match[str]] | None = None
    for rank, hit in enumerate(hits[:top]):
        for m in _PARAGRAPH.finditer(hit.text):
            if not is_heading_line(m.group(0)) or _titles(m.group(0), hit):
                continue  # the document's own title: the question names the text, not a section of it
            score = heading_match(m.group(0), question)
            if score >= HEADING_COVERAGE and (best is None or score > best[0]):
                best = (score, rank, hit, m)
    if best is None:
        return None
    _, _, hit, m = best
    heading = m.group(0).strip().lstrip("#").strip()
    children = _numbered_children(hit, heading, snapshot)
    if len(children) >= 2:  # "Part 04 …" of a contents page: its sections 4.1, 4.2 …
        return hit, heading, children[:limit]
    found, more = _paragraphs_under(hit.text, m.end())
    out = [(hit, _first_sentence(p)) for p in found]
    if more and snapshot is not None:
        following = [c for c in snapshot.chunks_of(hit.doc_id) if c.start > int(hit.meta.get("start", -1))]
        for rec in following[:3]:
            found, more = _paragraphs_under(rec.text, 0)
            nxt = snapshot.hit(rec.chunk_id)
            out += [(nxt, _first_sentence(p)) for p in found]
            if not more:
                break
    out = [(h, s) for h, s in out if len(s) >= MIN_ITEM_CHARS]
    # … or one paragraph that lists them itself (开展智慧城市、科学智算、智慧农业…等领域标准研究), under a
    # numbered heading of the text's outline ((六)行业应用标准), not a slide's label (山东省)
    one_listing = bool(out) and out[0][1].count("、") >= LISTED_IN_ONE and _OUTLINE_NUMBER.match(heading)
    if len(out) < 2 and not one_listing:
        return None
    return hit, heading, out[:limit]


_PART_NUMBER = re.compile(r"^(?:Part\s*0*(\d+)|(\d+)[\s、.](?!\d))", re.I)


def _numbered_children(hit: Hit, heading: str, snapshot: Snapshot | None) -> list[tuple[Hit, str]]:
    """The sections numbered under a numbered heading ("Part 04 …" → "4.1 …", "4.2 …"), each quoted by
    its own heading line, in document order."""
    m = _PART_NUMBER.match(heading)
    if m is None or snapshot is None:
        return []
    child = re.compile(rf"^{int(m.group(1) or m.group(2))}\.\d+\s")
    out: list[tuple[Hit, str]] = []
    seen: set[str] = set()
    for rec in snapshot.chunks_of(hit.doc_id):
        leaf = rec.section.split(" > ")[-1].strip()
        if not child.match(leaf) or leaf in seen:
            continue
        line = next((p.strip() for p in _PARAGRAPH.findall(rec.text) if leaf in p), "")
        if line:
            seen.add(leaf)
            out.append((snapshot.hit(rec.chunk_id), line.lstrip("#").strip()))
    return out


def with_lead_ins(
    points: list[tuple[Hit, str, str]], snapshot: Snapshot | None
) -> list[tuple[Hit, str, str]]:
    """Each listed item with its list's lead-in before the first item quoted (…有下列行为之一的，由有权机关
    责令改正…：, then （二）…): an item alone says neither what it is a case of nor what follows from it."""
    out: list[tuple[Hit, str, str]] = []
    shown: list[str] = []
    for hit, sentence, title in points:
        found = lead_in_before(hit, snapshot, sentence) if sentence in hit.text else None
        lead = _whole_lead(found[0].text, found[1]) if found else ""
        if found and not any(lead in q or q in lead for q in shown):
            out.append((found[0], lead, title_of(lead, found[0])))
            shown.append(lead)
        out.append((hit, sentence, title))
        shown.append(sentence)
    return out


def _whole_lead(text: str, lead: str) -> str:
    """The lead-in from its sentence's start: clauses joined by semicolons are one sentence (…责令改正；
    情节严重的，…依法给予处分：)."""
    para = next((p for p in text.splitlines() if lead in p), lead)
    end = para.find(lead) + len(lead)
    return para[para.rfind("。", 0, end - len(lead)) + 1 : end].strip()
