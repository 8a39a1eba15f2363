"""What the Markdown and DOCX renderers share: fixed wordings and the facts they derive from a plan.

Nothing here writes a format; :mod:`advisor.render.markdown` and :mod:`advisor.render.docx` lay the
same facts out (section numbering, citation markers, the 依据文件 appendix grouped by document).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from advisor.text import chinese_numeral
from advisor.types import Citation, Plan, Recommendation, validity_note

UNSUPPORTED_MARK = "（待核实：无可验证依据）"
NOT_COVERED_HEADER = "⚠ 资料未覆盖"
NO_SOURCES = "（本文件未引用可验证的依据文件。）"
LEVEL_NAMES = {
    "national": "国家级",
    "provincial": "省级",
    "city": "市级",
    "county": "县级",
    "think-tank": "智库报告",
    "user": "用户提供",
}


def display_quote(quote: str) -> str:
    """Quotes keep their words; line breaks of exported slide tables are shown as spaces."""
    return re.sub(r"\s+", " ", quote).strip()


def section_note(note: str) -> str:
    """A section note as shown: always starting with 待补充."""
    note = note.strip()
    return note if note.startswith("待补充") else f"待补充：{note}"


def plan_date(plan: Plan) -> date:
    if plan.created:
        try:
            return datetime.fromisoformat(plan.created).date()
        except ValueError:
            pass
    return date.today()


def date_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def region(plan: Plan) -> str:
    """合肥市 → 安徽省合肥市; a municipality (province == city) is named once."""
    if not plan.province or plan.province == plan.city:
        return plan.city
    return f"{plan.province}{plan.city}"


def known_numbers(citations: list[Citation]) -> set[int]:
    return {c.n for c in citations}


def markers(rec: Recommendation, known: set[int]) -> list[int]:
    """The citation numbers of ``rec`` that point at a listed citation."""
    return [n for n in rec.citations if n in known]


def is_unsupported(rec: Recommendation, known: set[int]) -> bool:
    return not rec.supported or not markers(rec, known)


def rec_meta(rec: Recommendation, sep: str) -> str:
    """牵头/时限 of a recommendation joined by ``sep`` ("" when neither is set)."""
    return sep.join(
        p for p in (rec.actor and f"牵头：{rec.actor}", rec.horizon and f"时限：{rec.horizon}") if p
    )


def section_heading(i: int, title: str) -> str:
    return f"{chinese_numeral(i)}、{title}"


def cited_in(plan: Plan) -> dict[int, list[str]]:
    """Citation number → headings of the plan sections whose recommendations cite it."""
    used: dict[int, list[str]] = {}
    for i, section in enumerate(plan.sections, start=1):
        heading = section_heading(i, section.title)
        for rec in section.recommendations:
            for n in rec.citations:
                if heading not in used.setdefault(n, []):
                    used[n].append(heading)
    return used


def documents(citations: list[Citation]) -> list[tuple[Citation, list[Citation]]]:
    """Citations grouped by document, in order of first citation number."""
    groups: dict[str, list[Citation]] = {}
    for c in sorted(citations, key=lambda c: c.n):
        groups.setdefault(c.doc_id or c.title, []).append(c)
    return [(cs[0], cs) for cs in groups.values()]


def doc_facts(c: Citation) -> str:
    """发布机构；文号；日期；层级 of a cited document (the facts that are known), and 已失效（有效期至…）
    when it is no longer in force."""
    facts = [c.issuer, c.doc_number, c.date, LEVEL_NAMES.get(c.level, ""), validity_note_of(c)]
    return "；".join(f for f in facts if f)


def validity_note_of(c: Citation) -> str:
    """已失效（有效期至2026-02-28） for a cited document no longer in force, "" for a current one: answers,
    plans and comparisons never show an expired text as current policy."""
    return validity_note(c.status, c.valid_until, date.today().isoformat())
