"""The model's output merged into the shown extractive answer, part by part, only where it verifies.

The model may write the 结论 (a direct answer) and the 建议 (actions with an actor); the 要点 stay the
quoted facts. Each model part replaces the extractive one only if it passes citation verification
(:mod:`advisor.verify`) and, for recommendations, the relevance gate (:func:`relevant`): an item must
share the question's key terms or cite one of the question's own top passages. What each part came from
is recorded in ``Answer.authorship``."""

from __future__ import annotations

import re
import time
from typing import Any

from advisor.qa.extractive import finish
from advisor.retrieval.grounding import question_terms
from advisor.types import Answer, Citation, Hit, Recommendation, Verification
from advisor.verify.citations import Verifier, source_index
from advisor.verify.recommendations import ItemRules, verified_items

ANSWER_RULES = ItemRules(quote_from_model=True)
NAMED_SOURCE_RULES = ItemRules(quote_from_model=False)  # the model named a source only: quotes chosen here
_TITLE_CHARS = 24
TOP_HITS = 2  # a recommendation citing one of these serves the question whatever its wording


def relevant(rec: Recommendation, verifier: Verifier, terms: list[str], top: set[str]) -> bool:
    """True when ``rec`` answers the question: its text or quote shares a key term of the question, or
    the passage it cites is among the question's own top hits."""
    cited = [c for c in verifier.citations if c.n in rec.citations]
    if any(c.chunk_id in top for c in cited):
        return True
    text = " ".join([rec.title, rec.detail, *(c.quote for c in cited)]).lower()
    return not terms or any(t.lower() in text for t in terms)


def _only_given(data: dict[str, Any], given: int) -> dict[str, Any]:
    """Keys beyond the sources the model was shown are invented: make them fail verification."""
    out = dict(data)
    if source_index(out.get("source"), given) is None:
        out["source"] = None
    recs = []
    for raw in out.get("recommendations") or []:
        if isinstance(raw, dict) and source_index(raw.get("source"), given) is None:
            raw = {**raw, "source": None}
        recs.append(raw)
    out["recommendations"] = recs
    return out


def _recite(items: list[Recommendation], shown: Answer, verifier: Verifier) -> list[Recommendation]:
    """The shown answer's items cited again by ``verifier`` (whose numbering the merged answer uses)."""
    by_n = {c.n: c for c in shown.citations}
    hits = {h.chunk_id: h for h in verifier.hits}
    out = []
    for item in items:
        numbers = []
        for n in item.citations:
            c = by_n.get(n)
            if c is not None:  # a chunk beyond the hits (a list's later items) is cited as it was shown
                numbers.append(verifier.cite_hit(hits.get(c.chunk_id) or _shown_hit(c), c.quote))
        if numbers:
            out.append(item.model_copy(update={"citations": numbers}))
    return out


def merge(
    shown: Answer,
    data: dict[str, Any],
    hits: list[Hit],
    given: int,
    standalone: str,
    t0: float,
) -> tuple[Answer | None, Verification]:
    """The shown answer improved by the model's verified parts (None when no part verified), and what
    verification did to the model's output."""
    data = _only_given(data, given)
    verifier = Verifier(hits)
    conclusion, head = "", []
    quoted = "quote" in data or any(isinstance(r, dict) and "quote" in r for r in data["recommendations"])
    text = " ".join(str(data.get("conclusion") or "").split())
    if text:
        if quoted:
            n = verifier.cite(data.get("source"), str(data.get("quote") or ""), text)
        else:
            n = verifier.cite_best(data.get("source"), text)
        if n is not None and verifier.check_claim(Recommendation(title=text, citations=[n])):
            conclusion, head = text, [n]
    recs = verified_items(
        data.get("recommendations"), verifier, ANSWER_RULES if quoted else NAMED_SOURCE_RULES
    )
    terms = question_terms(standalone)
    top = {h.chunk_id for h in hits[:TOP_HITS]}
    kept = [r for r in recs if relevant(r, verifier, terms, top)]
    verifier.stats.off_topic_dropped += len(recs) - len(kept)
    if not conclusion and not kept:
        return None, verifier.stats
    authorship: dict[str, Any] = {}
    # what the model rewrote stays among the 要点 as the quoted fact it was: an improvement adds a
    # direct answer and actions, it never takes a verified fact away from the user
    replaced: list[Recommendation] = []
    if conclusion:
        authorship["结论"] = "model"
        replaced += _conclusion_as_point(shown)
    else:  # the shown conclusion stays, cited again in the merged numbering
        conclusion, head = _recite_conclusion(shown, verifier)
        authorship["结论"] = "extractive"
    if kept:
        authorship["建议"] = "model"
        replaced += [r.model_copy(update={"actor": ""}) for r in shown.recommendations]
    else:
        kept = _recite(shown.recommendations, shown, verifier)
        if kept:
            authorship["建议"] = "extractive"
    unique = {r.detail: r for r in reversed([*replaced, *shown.points])}  # first of equal quotes
    points = _recite([r for r in [*replaced, *shown.points] if unique[r.detail] is r], shown, verifier)
    if points:
        authorship["要点"] = "extractive"
    answer = shown.model_copy(
        update={
            "text": "",
            "conclusion": conclusion,
            "points": points,
            "recommendations": kept,
            "citations": [],
            "timings": dict(shown.timings),
            "authorship": authorship,
            "refinement": "refined",
        }
    )
    answer = finish(answer, verifier, head, t0)
    answer.timings["refined_s"] = round(time.perf_counter() - t0, 3)
    return answer, verifier.stats


def _shown_hit(c: Citation) -> Hit:
    """The cited chunk as far as the shown citation knows it: its quote is verbatim by construction."""
    meta = {
        "issuer": c.issuer,
        "date": c.date,
        "doc_number": c.doc_number,
        "level": c.level,
        "status": c.status,
        "valid_until": c.valid_until,
    }
    return Hit(
        chunk_id=c.chunk_id,
        doc_id=c.doc_id,
        title=c.title,
        section=c.section,
        text=c.quote,
        score=0.0,
        meta=meta,
    )


def _conclusion_as_point(shown: Answer) -> list[Recommendation]:
    """The shown conclusion as a 要点: its quoted sentence under its section's name."""
    cited = [int(n) for n in re.findall(r"\[(\d+)\]", shown.conclusion)]
    by_n = {c.n: c for c in shown.citations}
    c = by_n.get(cited[0]) if cited else None
    if c is None:
        return []
    where = re.match(r"据《[^》]*》（(.+?)）：", shown.conclusion)  # its section and the label above it
    title = where.group(1) if where else (c.section.split(" > ")[-1] if c.section else c.title)
    if len(title) > _TITLE_CHARS:  # "1.2 …绘蓝图：产业升级的机遇 · 广东省" → its last part keeps the label
        title = title.rsplit("：", 1)[-1][-_TITLE_CHARS:]
    return [Recommendation(title=title, detail=c.quote, citations=[c.n])]


def _recite_conclusion(shown: Answer, verifier: Verifier) -> tuple[str, list[int]]:
    text = re.sub(r"(\[\d+\])+$", "", shown.conclusion).strip()
    cited = re.findall(r"\[(\d+)\]", shown.conclusion[len(text) :])
    holder = Recommendation(title=text, citations=[int(n) for n in cited])
    again = _recite([holder], shown, verifier)
    return (text, again[0].citations) if again else (text, [])
