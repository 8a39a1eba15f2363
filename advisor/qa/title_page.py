"""Facts about a document itself (author, issuer, date, 文号, 施行日期): its title page states them, so
they are answered from there rather than from the sentences that best match the question's words."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.qa.sentences import Composed
from advisor.retrieval.asks import (
    INTERROGATIVE,
    ISSUERS_ASKED_EN,
    ask_kind,
    asking_part,
    asks_who,
    dates_in,
    doc_numbers_in,
)
from advisor.retrieval.doc_facts import ASKS_RECIPIENTS, OWN_CLAUSES, stating_lines
from advisor.text import sentences
from advisor.types import Hit

TITLE_PAGE_CHUNKS = 2
MOST_LINES = 5  # the head and up to four more of the title page's lines
_ISSUED = re.compile(r"通过|发布|印发|公布|施行|起实施|生效|颁布|修正|修订")


def _stated_anywhere(question: str, doc_id: str, snapshot: Snapshot) -> list[tuple[Hit, str]]:
    """The document's sentences that state the facts the question asks for (施行, 文号, 废止, 通过, 公布)."""
    return [(snapshot.hit(cid), line) for cid, line in stating_lines(question, doc_id, snapshot)]


_BODY = re.compile(
    r"^[\u4e00-\u9fff（）()、]{4,40}(?:局|厅|部|委员会|委|办公室|办公厅|人民政府|政府|院|署|会|中心|办)$"
)
_DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# each of an English question's parts that asks (…issued it, and what date does it carry)
_PART_EN = re.compile(r"\b(?:what|which|who|whom|when|where|how)\b", re.I)


def signature_blocks(hits: list[Hit]) -> list[tuple[Hit, str]]:
    """The signature block of a notice: the lines naming issuing bodies right above its date line, as
    one verbatim span (北京市人力资源和社会保障局 … 北京市财政局)."""
    out: list[tuple[Hit, str]] = []
    for hit in hits:
        lines = hit.text.split("\n")
        for i, line in enumerate(lines):
            if not _DATE_LINE.match(line.strip()):
                continue
            j = i - 1
            names: list[int] = []
            while j >= 0 and (not lines[j].strip() or _BODY.match(lines[j].strip())):
                if lines[j].strip():
                    names.append(j)
                j -= 1
            if len(names) >= 2:
                first, last = lines[names[-1]].strip(), lines[names[0]].strip()
                start = hit.text.find(first)
                end = hit.text.find(last, start) + len(last)
                out.append((hit, hit.text[start:end]))
    return out


def _title_page(doc_id: str, snapshot: Snapshot) -> list[Hit]:
    return [snapshot.hit(rec.chunk_id) for rec in snapshot.chunks_of(doc_id)[:TITLE_PAGE_CHUNKS]]


# the kinds of document a question's asking clause may point at (该办法的施行日期, 这个规定是哪天发布的);
# not the ones a text comes with (the 通知 that issues a 规划, the 决定 that amends a 条例, a 报告)
_KINDS = ("条例", "办法", "规定", "意见", "方案", "规划", "指南", "细则")


def points_elsewhere(question: str, title: str) -> bool:
    """Whether the asking clause names a kind of document the retrieved one is not: a question about
    该办法 that 深圳数据条例 leaves to be drawn up is not answered by the 条例's own title page."""
    kinds = [k for k in _KINDS if k in asking_part(question)]
    return bool(kinds) and not any(k in title for k in kinds)


def document_facts(question: str, hits: list[Hit], snapshot: Snapshot) -> Composed | None:
    """The title-page sentences of the document the question is about (the best-ranked hit's) that
    state who issued it and when: names, dates, 文号, 通过/施行 lines. None when the title page has none,
    or when the question asks about another kind of document than that one."""
    if not hits:
        return None
    doc_id = hits[0].doc_id
    meta = snapshot.docs[doc_id]
    if points_elsewhere(question, meta.title):
        return None
    kind = ask_kind(question)
    who = asks_who(question) or ISSUERS_ASKED_EN.search(question) is not None
    names = [n for n in re.split(r"[、，,\s]+", meta.issuer) if len(n) >= 2]
    found: list[tuple[int, Hit, str]] = []
    for hit in _title_page(doc_id, snapshot):
        for sent in sentences(hit.text):
            line = re.sub(r"^#+\s*", "", sent.strip())  # a title line without its Markdown mark
            score = 0
            if dates_in(line):
                score += 2 if kind == "date" else 1
            if doc_numbers_in(line):
                score += 1
            if _ISSUED.search(line):
                score += 1
            if any(n in line for n in names) or re.search(
                r"院长|主任|作者|研究员|智库|委员会|人民政府|办公厅", line
            ):
                score += 2 if kind == "who" or who else 1
            if score and len(line) <= 200:
                found.append((score, hit, line))
    stated = _stated_anywhere(question, doc_id, snapshot)
    if who and not ASKS_RECIPIENTS.search(
        question
    ):  # the bodies that signed it, all of them, in the order they signed
        stated = [*signature_blocks(_title_page(doc_id, snapshot)), *stated]
    if not found and not stated:
        return None
    found.sort(key=lambda x: -x[0])  # stable: equal scores keep the title page's order
    ranked: list[tuple[Hit, str]] = []
    for hit, line in [*stated, *((hit, line) for _, hit, line in found)]:
        if all(line != seen for _, seen in ranked):
            ranked.append((hit, line))
    out = Composed(head=ranked[0])
    # a question of several parts (何时通过、修正过几次、何时施行) gets a line for each, up to MOST_LINES
    parts = [
        c
        for c in re.split(r"[，,、？?；;]|\band\b", question)
        if INTERROGATIVE.search(c) or _PART_EN.search(c)
    ]
    for hit, line in ranked[1 : min(MOST_LINES, max(3, len(parts) + 1))]:
        out.points.append((hit, line, "文件信息"))
    return out


def own_clause(question: str, hits: list[Hit], snapshot: Snapshot) -> Composed | None:
    """A text's legal basis (根据《…》，制定本规定), scope (…适用本条例) or purpose (为了…，制定本条例)
    answered from the clause that states it, in the best-ranked document that has one: its words share
    little with 上位法, 管哪些事 or 立法目的, so the best-matching sentences would answer with other
    articles."""
    wanted = [answer for asks, answer in OWN_CLAUSES if asks.search(asking_part(question))]
    if not wanted:  # 上位法 named in the background of another question (上位法里找不到罚则，还能怎么处理)
        return None
    for doc_id in dict.fromkeys(h.doc_id for h in hits):
        if points_elsewhere(question, snapshot.docs[doc_id].title):
            continue
        stated = [
            (snapshot.hit(cid), line)
            for cid, line in stating_lines(question, doc_id, snapshot)
            if any(p.search(line) for p in wanted)
        ]
        if stated:
            out = Composed(head=stated[0])
            out.points = [(hit, line, "文件信息") for hit, line in stated[1:MOST_LINES]]
            return out
    return None
