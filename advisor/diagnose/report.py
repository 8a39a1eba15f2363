"""Draft + city → :class:`~advisor.render.diagnosis_types.Diagnosis`: statuses, quotes, basis, suggestions.

Every status is explained by what is shown: the draft's matching sentences (verbatim, located) or
their absence, the element's corpus basis (verbatim quotes of indexed chunks) and, for 部分覆盖 and
缺失, a suggestion with actor and horizon citing that basis, plus up to two peer measures of other
regions from 对标分析. The draft itself is only read; it never reaches the shared index here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from advisor.diagnose.basis import element_basis
from advisor.diagnose.checklist import Checklist, Element, load_checklist
from advisor.diagnose.draft import DiagnoseError, Draft
from advisor.diagnose.match import Match, match_all, quotes_of
from advisor.diagnose.peers import PeerFinder, peer_finder
from advisor.places.cities import CityError, CityMatch, resolve_city
from advisor.render.diagnosis_types import (
    STATUSES,
    CoverageRow,
    Diagnosis,
    DiagnosisItem,
    DiagnosisSummary,
    DraftQuote,
    PeerMeasure,
    Suggestion,
)
from advisor.retrieval.hybrid import Retriever
from advisor.text import squash
from advisor.types import Citation

__all__ = ["DiagnoseError", "diagnose", "resolve_place"]

TOP_GAPS = 5
PEERS_PER_GAP = 2


def resolve_place(city: str) -> CityMatch:
    name = str(city or "").strip()
    if not name:
        raise DiagnoseError("请填写城市名称，例如“合肥”：诊断建议会写明本市的牵头单位")
    try:
        return resolve_city(name, prefer_cities=True)
    except CityError as exc:
        raise DiagnoseError(str(exc)) from exc


class _Numbers:
    """Citation numbers shared by the whole report; the same chunk and quote keep one number."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []
        self._index: dict[tuple[str, str], int] = {}

    def add(self, c: Citation) -> int:
        key = (c.chunk_id, squash(c.quote))
        if key not in self._index:
            self._index[key] = len(self.citations) + 1
            self.citations.append(c.model_copy(update={"n": self._index[key]}))
        return self._index[key]


def _explain(m: Match, quoted: int) -> str:
    if m.status == "缺失":
        return "草案中没有与该要素相关的表述（关键词与语义均未匹配）。"
    strong = sorted({w for e in m.evidence for w in e.strong})
    words = sorted({w for e in m.evidence for w in e.keywords})
    said = f"草案有 {len(m.evidence)} 处相关表述（下引 {quoted} 处）"
    if strong:
        said += f"，明确写到“{'、'.join(strong[:4])}”"
    elif words:
        said += f"，涉及“{'、'.join(words[:4])}”"
    if m.status == "已覆盖":
        return said + "。"
    return said + "，但论述较少或不够具体，建议补充完善。"


def _item(m: Match, draft: Draft, nums: _Numbers, basis: list[Citation], city: str) -> DiagnosisItem:
    e = m.element
    shown = quotes_of(m)
    quotes = [
        DraftQuote(location=s.location, text=draft.text[s.start : s.end], start=s.start, end=s.end)
        for s in shown
    ]
    basis_ns = [nums.add(c) for c in basis]
    suggestions = []
    if m.status != "已覆盖":
        suggestions.append(
            Suggestion(
                text=e.suggestion.format(city=city), actor=e.actor, horizon=e.horizon, citations=basis_ns
            )
        )
    return DiagnosisItem(
        element_id=e.id,
        element=e.name,
        group=e.group,
        priority=e.priority,
        description=e.description,
        status=m.status,
        score=m.score,
        explanation=_explain(m, len(quotes)),
        draft_quotes=quotes,
        basis=basis_ns,
        suggestions=suggestions,
    )


def _add_peers(item: DiagnosisItem, element: Element, find: PeerFinder, nums: _Numbers) -> None:
    for cite, region, action in find(element, PEERS_PER_GAP):
        n = nums.add(cite)
        item.peers.append(
            PeerMeasure(
                region=region, action=action, title=cite.title, section=cite.section, quote=cite.quote, n=n
            )
        )


def summarise(items: list[DiagnosisItem], groups: list[str]) -> DiagnosisSummary:
    """Counts per status and group, and the top gaps: 缺失 before 部分覆盖, then by priority."""
    table = []
    for g in groups:
        its = [i for i in items if i.group == g]
        if its:
            table.append(
                CoverageRow(
                    group=g,
                    total=len(its),
                    covered=sum(i.status == "已覆盖" for i in its),
                    partial=sum(i.status == "部分覆盖" for i in its),
                    missing=sum(i.status == "缺失" for i in its),
                )
            )
    gaps = [i for i in items if i.status != "已覆盖"]
    order = {s: k for k, s in enumerate(STATUSES)}
    gaps.sort(key=lambda i: (i.priority, -order[i.status], items.index(i)))
    return DiagnosisSummary(
        covered=sum(i.status == "已覆盖" for i in items),
        partial=sum(i.status == "部分覆盖" for i in items),
        missing=sum(i.status == "缺失" for i in items),
        table=table,
        top_gaps=[i.element_id for i in gaps[:TOP_GAPS]],
    )


def diagnose(
    lib: Retriever,
    draft: Draft,
    city: str,
    *,
    checklist: Checklist | None = None,
    peers: bool = True,
    find_peers: PeerFinder | None = None,
    progress: Callable[[str], None] | None = None,
) -> Diagnosis:
    """Diagnose ``draft`` for ``city`` against the checklist, over the index behind ``lib``."""
    t0 = time.perf_counter()
    place = resolve_place(city)
    checklist = checklist or load_checklist()
    if progress:
        progress("比对草案与诊断清单")
    matches = match_all(checklist.elements, draft, lib.embedder)
    t1 = time.perf_counter()
    nums = _Numbers()
    items = [_item(m, draft, nums, element_basis(lib.snapshot, m.element), place.short) for m in matches]
    notes = []
    missing_basis = [i.element for i in items if not i.basis]
    if missing_basis:
        notes.append(f"资料库中未收录以下要素的依据文件：{'、'.join(missing_basis)}")
    if peers:
        if progress:
            progress("检索其他地区的对标做法")
        find = find_peers or peer_finder(lib, exclude=[place.name, place.province])
        for item, m in zip(items, matches, strict=True):
            if item.status != "已覆盖":
                _add_peers(item, m.element, find, nums)
    summary = summarise(items, checklist.groups)
    return Diagnosis(
        city=place.name,
        province=place.province,
        title=f"{place.name}人工智能产业政策草案诊断报告",
        draft_title=draft.title,
        draft_chars=len(draft.text),
        draft_paragraphs=draft.paragraphs,
        items=items,
        summary=summary,
        citations=nums.citations,
        notes=notes,
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        timings={"match_s": round(t1 - t0, 3), "total_s": round(time.perf_counter() - t0, 3)},
    )
