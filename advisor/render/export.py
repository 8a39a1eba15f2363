"""Exports of plans and answers: Markdown, DOCX, JSON — each with explicit and implicit AI labels.

Every export carries the explicit label of ``prompts/ai_label.md`` (《人工智能生成合成内容标识办法》
第四条: files offered for download or export must contain it) and the implicit label of
:func:`advisor.render.labeling.provenance` in the file's metadata (第五条). There is deliberately no option to
leave either out. See :mod:`advisor.render.labeling` for how the content number (内容编号) is computed and
checked per format.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.render.labeling import (
    ANSWER_LABEL,
    DOCUMENT_LABEL,
    PRODUCT,
    VERSION,
    canonical_json,
    docx_visible_text,
    provenance,
    write_docx_custom_properties,
)
from advisor.render.labeling import front_matter as _front_matter
from advisor.types import Answer, Citation, Plan, Recommendation

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph

UNSUPPORTED_MARK = "（待核实：无可验证依据）"
NOT_COVERED_HEADER = "⚠ 资料未覆盖"
LEVEL_NAMES = {
    "national": "国家级",
    "provincial": "省级",
    "city": "市级",
    "county": "县级",
    "think-tank": "智库报告",
    "user": "用户提供",
}

# --------------------------------------------------------------------------- helpers

_DIGITS = "零一二三四五六七八九"


def _display_quote(quote: str) -> str:
    """Quotes keep their words; line breaks of exported slide tables are shown as spaces."""
    return re.sub(r"\s+", " ", quote).strip()


def _note(note: str) -> str:
    note = note.strip()
    return note if note.startswith("待补充") else f"待补充：{note}"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (section numbering 一、二、…)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


def _plan_date(plan: Plan) -> date:
    if plan.created:
        try:
            return datetime.fromisoformat(plan.created).date()
        except ValueError:
            pass
    return date.today()


def _date_cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _region(plan: Plan) -> str:
    if not plan.province or plan.province == plan.city:
        return plan.city
    return f"{plan.province}{plan.city}"


def _known_numbers(citations: list[Citation]) -> set[int]:
    return {c.n for c in citations}


def _markers(rec: Recommendation, known: set[int]) -> list[int]:
    return [n for n in rec.citations if n in known]


def _is_unsupported(rec: Recommendation, known: set[int]) -> bool:
    return not rec.supported or not _markers(rec, known)


def _section_heading(i: int, title: str) -> str:
    return f"{chinese_numeral(i)}、{title}"


def _cited_in(plan: Plan) -> dict[int, list[str]]:
    """Citation number → headings of the plan sections whose recommendations cite it."""
    used: dict[int, list[str]] = {}
    for i, section in enumerate(plan.sections, start=1):
        heading = _section_heading(i, section.title)
        for rec in section.recommendations:
            for n in rec.citations:
                if heading not in used.setdefault(n, []):
                    used[n].append(heading)
    return used


def _documents(citations: list[Citation]) -> list[tuple[Citation, list[Citation]]]:
    """Citations grouped by document, in order of first citation number."""
    groups: dict[str, list[Citation]] = {}
    for c in sorted(citations, key=lambda c: c.n):
        groups.setdefault(c.doc_id or c.title, []).append(c)
    return [(cs[0], cs) for cs in groups.values()]


def _doc_facts(c: Citation) -> str:
    facts = [c.issuer, c.doc_number, c.date, LEVEL_NAMES.get(c.level, "")]
    return "；".join(f for f in facts if f)


# --------------------------------------------------------------------------- plan → Markdown


def _plan_markdown_body(plan: Plan) -> str:
    known = _known_numbers(plan.citations)
    out: list[str] = [f"> {DOCUMENT_LABEL}", "", f"# {plan.title}", ""]
    out += [
        f"**地区**：{_region(plan)}　**日期**：{_date_cn(_plan_date(plan))}　**状态**：草案（须经人工审核）",
        "",
    ]
    for i, section in enumerate(plan.sections, start=1):
        out += [f"## {_section_heading(i, section.title)}", ""]
        if section.summary:
            out += [section.summary.strip(), ""]
        for j, rec in enumerate(section.recommendations, start=1):
            marks = "".join(f"[{n}]" for n in _markers(rec, known))
            # one list item: title, detail and markers on a line; 牵头/时限 after a hard break (a
            # separate paragraph renders inline in some viewers, running the fields together)
            line = f"{j}. **{rec.title.strip()}**" + (f"：{rec.detail.strip()}" if rec.detail else "") + marks
            if _is_unsupported(rec, known):
                line += UNSUPPORTED_MARK
            meta = "；".join(
                p for p in (rec.actor and f"牵头：{rec.actor}", rec.horizon and f"时限：{rec.horizon}") if p
            )
            out += [f"{line}\\", f"   {meta}", ""] if meta else [line, ""]
        if section.notes:
            out += [f"- {_note(note)}" for note in section.notes]
            out.append("")
    out += ["## 依据文件", ""]
    if not plan.citations:
        out += ["（本文件未引用可验证的依据文件。）", ""]
    used = _cited_in(plan)
    for k, (doc, cites) in enumerate(_documents(plan.citations), start=1):
        facts = _doc_facts(doc)
        out.append(f"{k}. 《{doc.title}》" + (f"（{facts}）" if facts else ""))
        for c in cites:
            where = f"{c.section}：" if c.section else ""
            usage = f"（见：{'，'.join(used[c.n])}）" if used.get(c.n) else ""
            out.append(f"   - [{c.n}] {where}“{_display_quote(c.quote)}”{usage}")
        out.append("")
    if plan.notes:
        out += ["## 说明", ""]
        out += [f"- {note.strip()}" for note in plan.notes]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def plan_to_markdown(plan: Plan) -> str:
    """The plan as Markdown: provenance front matter, explicit label first, sections, 依据文件."""
    body = _plan_markdown_body(plan)
    return _front_matter(provenance(plan, body)) + "\n" + body


# --------------------------------------------------------------------------- JSON


def _labeled_json(obj: Plan | Answer, label: str) -> str:
    data = obj.model_dump(mode="json")
    payload = {"ai_label": label, **data}
    prov = provenance(obj, canonical_json(payload))
    out = {"ai_label": label, "provenance": prov, **data}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def plan_to_json(plan: Plan) -> str:
    """The plan as JSON: ``ai_label`` (explicit), ``provenance`` (implicit), then the plan's fields.

    ``Plan.model_validate`` the object after removing ``ai_label`` and ``provenance``.
    """
    return _labeled_json(plan, DOCUMENT_LABEL)


def answer_to_json(answer: Answer) -> str:
    """The answer as JSON: ``ai_label``, ``provenance``, then the answer's fields."""
    return _labeled_json(answer, ANSWER_LABEL)


# --------------------------------------------------------------------------- answer → Markdown


def _answer_markdown_body(answer: Answer) -> str:
    known = _known_numbers(answer.citations)
    out: list[str] = []
    if not answer.grounded:
        out += [f"### {NOT_COVERED_HEADER}", ""]
    if answer.notice:
        out += [f"> 提示：{answer.notice.strip()}", ""]
    conclusion = answer.conclusion.strip()
    if conclusion:
        out += [f"**结论**：{conclusion}", ""]
    elif not answer.recommendations and answer.text.strip():
        text = answer.text.replace(f"> {ANSWER_LABEL}", "").replace(ANSWER_LABEL, "").strip()
        out += [text, ""]  # the label is added once, below
    if answer.recommendations:
        out += ["**建议**", ""]
        for j, rec in enumerate(answer.recommendations, start=1):
            marks = "".join(f"[{n}]" for n in _markers(rec, known))
            line = f"{j}. **{rec.title.strip()}**"
            if rec.detail:
                line += f"：{rec.detail.strip()}"
            if rec.actor:
                line += f"（牵头：{rec.actor}）"
            line += marks
            if _is_unsupported(rec, known):
                line += UNSUPPORTED_MARK
            out.append(line)
        out.append("")
    if answer.citations:
        out += ["**依据**", ""]
        for c in sorted(answer.citations, key=lambda c: c.n):
            where = f" {c.section}" if c.section else ""
            out.append(f"- [{c.n}] 《{c.title}》{where} — “{_display_quote(c.quote)}”")
        out.append("")
    if not answer.grounded and answer.related:
        out += ["**可参考的相关资料**", ""]
        out += [f"- 《{t.strip('《》')}》" for t in answer.related]
        out.append("")
    out.append(f"> {ANSWER_LABEL}")
    return "\n".join(out) + "\n"


def answer_to_markdown(answer: Answer, *, front_matter: bool = False) -> str:
    """The answer as Markdown ending with the explicit label; ``front_matter=True`` (files offered for
    download) also prepends the provenance block so the file carries the implicit label."""
    body = _answer_markdown_body(answer)
    if not front_matter:
        return body
    return _front_matter(provenance(answer, body)) + "\n" + body


# --------------------------------------------------------------------------- plan → DOCX

SERIF_CJK = "Noto Serif CJK SC"  # Word without Noto falls back to the altName 宋体 (fontTable)
SANS_CJK = "Noto Sans CJK SC"  # … and 黑体
LATIN = "Times New Roman"
GREY = "595959"
RED = "C00000"


def _set_fonts(rpr: Any, east_asia: str, latin: str = LATIN) -> None:
    """Explicit fonts on a ``w:rPr`` (theme font attributes removed: they would override them)."""
    from docx.oxml.ns import qn

    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:cs"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _register_fonts(document: DocxDocument) -> None:
    """Font table entries so Word substitutes 宋体/黑体 (GB2312 charset) when Noto is missing."""
    from docx.oxml.ns import qn
    from lxml import etree

    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        for name, alt, family in ((SERIF_CJK, "宋体", "roman"), (SANS_CJK, "黑体", "swiss")):
            font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
            etree.SubElement(font, qn("w:altName"), {qn("w:val"): alt})
            etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})
            etree.SubElement(font, qn("w:family"), {qn("w:val"): family})
            etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        return


def _setup_styles(document: DocxDocument) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = document.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, SERIF_CJK)
            lang = rpr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:val"), "en-US")
                lang.set(qn("w:eastAsia"), "zh-CN")

    normal = styles["Normal"]
    normal.font.size = Pt(12)  # 小四
    _set_fonts(normal.element.get_or_add_rPr(), SERIF_CJK)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.widow_control = True

    for name, size, before, after in (("Heading 1", 16, 18, 6), ("Heading 2", 14, 10, 2)):
        st = styles[name]
        st.font.size = Pt(size)  # 三号 / 四号
        st.font.bold = True
        st.font.color.rgb = RGBColor(0, 0, 0)
        _set_fonts(st.element.get_or_add_rPr(), SANS_CJK)
        spf = st.paragraph_format
        spf.space_before = Pt(before)
        spf.space_after = Pt(after)
        spf.line_spacing_rule = WD_LINE_SPACING.ONE_POINT_FIVE
        spf.keep_with_next = True


def _border(paragraph: Paragraph, sides: tuple[str, ...], size: int = 6, color: str = "808080") -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    edges = "".join(f'<w:{s} w:val="single" w:sz="{size}" w:space="4" w:color="{color}"/>' for s in sides)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f"<w:pBdr {nsdecls('w')}>{edges}</w:pBdr>"))


def _shade(paragraph: Paragraph, fill: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    size: float | None = None,
    bold: bool = False,
    color: str | None = None,
    font: str | None = None,
    superscript: bool = False,
) -> Any:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    if size:
        run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    if font:
        _set_fonts(run._r.get_or_add_rPr(), font)
    if superscript:
        run.font.superscript = True
    return run


def _field(paragraph: Paragraph, instr: str, placeholder: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) updated by Word/LibreOffice when the page is laid out."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    for xml in (
        f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>',
        f'<w:instrText {nsdecls("w")} xml:space="preserve"> {instr} </w:instrText>',
        f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>',
        None,
        f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>',
    ):
        run = paragraph.add_run(placeholder if xml is None else "")
        run.font.size = Pt(size)
        if xml is not None:
            run._r.append(parse_xml(xml))


def _setup_page(document: DocxDocument) -> None:
    """A4, margins, and the explicit label in every header (default, first-page, even-page)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.header_distance, section.footer_distance = Cm(1.4), Cm(1.4)
        # The label must show on the first page too: no separate first-page header hides it, and
        # the first-page / even-page headers (ignored unless enabled) carry it as well.
        section.different_first_page_header_footer = False
        headers = (section.header, section.first_page_header, section.even_page_header)
        footers = (section.footer, section.first_page_footer, section.even_page_footer)
        for header in headers:
            header.is_linked_to_previous = False
            p = header.paragraphs[0]
            p.text = ""
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, DOCUMENT_LABEL, size=9, color=GREY)
            _border(p, ("bottom",), size=4)
        for footer in footers:
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.text = ""
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(p, f"{PRODUCT} 生成　草案　第 ", size=9, color=GREY)
            _field(p, "PAGE", "1", 9)
            _run(p, " 页 / 共 ", size=9, color=GREY)
            _field(p, "NUMPAGES", "1", 9)
            _run(p, " 页", size=9, color=GREY)
    document.settings.odd_and_even_pages_header_footer = False


def _title_page(document: DocxDocument, plan: Plan) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    def centered(space_before: float = 0, space_after: float = 0) -> Paragraph:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_before = Pt(space_before)
        p.paragraph_format.space_after = Pt(space_after)
        return p

    title = re.sub(r"[（(]\s*草\s*案\s*[）)]\s*$", "", plan.title)  # the large mark below says it once
    _run(centered(150, 18), title, size=22, bold=True, font=SANS_CJK)
    _run(centered(0, 36), _region(plan), size=16, font=SERIF_CJK)
    draft = centered(0, 54)
    _run(draft, "（ 草  案 ）", size=26, bold=True, color=RED, font=SANS_CJK)
    _run(centered(0, 6), _date_cn(_plan_date(plan)), size=14)
    _run(centered(0, 90), f"{PRODUCT} {VERSION} 辅助生成", size=12, color=GREY)

    label = document.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label.paragraph_format.left_indent = label.paragraph_format.right_indent = Cm(1.2)
    _run(label, DOCUMENT_LABEL, size=12, bold=True)
    _border(label, ("top", "left", "bottom", "right"), size=8, color="404040")
    _shade(label, "F2F2F2")
    note = document.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.paragraph_format.space_before = Pt(8)
    _run(
        note,
        "文中 [n] 为依据标注，对应文末“依据文件”所列原文；标注“待核实”的建议尚无可验证依据。",
        size=10.5,
        color=GREY,
    )


def _body(document: DocxDocument, plan: Plan) -> None:
    from docx.shared import Pt

    known = _known_numbers(plan.citations)
    first_heading = True
    indent = Pt(24)  # two characters at 小四

    for i, section in enumerate(plan.sections, start=1):
        h = document.add_heading(_section_heading(i, section.title), level=1)
        if first_heading:
            h.paragraph_format.page_break_before = True  # robust to re-saving, unlike a break run
            first_heading = False
        if section.summary:
            p = document.add_paragraph(section.summary.strip())
            p.paragraph_format.first_line_indent = indent
        for j, rec in enumerate(section.recommendations, start=1):
            h2 = document.add_heading(level=2)
            h2.paragraph_format.first_line_indent = indent
            _run(h2, f"（{chinese_numeral(j)}）{rec.title.strip()}")
            marks = _markers(rec, known)
            if marks:
                _run(h2, "".join(f"[{n}]" for n in marks), superscript=True)
            if _is_unsupported(rec, known):
                _run(h2, UNSUPPORTED_MARK, color=RED, size=12)
            if rec.detail:
                p = document.add_paragraph(rec.detail.strip())
                p.paragraph_format.first_line_indent = indent
            meta = "　".join(
                p for p in (rec.actor and f"牵头：{rec.actor}", rec.horizon and f"时限：{rec.horizon}") if p
            )
            if meta:
                document.paragraphs[
                    -1
                ].paragraph_format.keep_with_next = True  # 牵头/时限 stays with its text
                p = document.add_paragraph()
                p.paragraph_format.first_line_indent = indent
                _run(p, meta, size=10.5, color=GREY, font=SANS_CJK)
        for note in section.notes:
            p = document.add_paragraph()
            p.paragraph_format.first_line_indent = indent
            _run(p, "待补充：", bold=True, color=RED)
            _run(p, _note(note).removeprefix("待补充").lstrip("：: "))

    h = document.add_heading("依据文件", level=1)
    h.paragraph_format.page_break_before = True  # the appendix starts on its own page
    if not plan.citations:
        document.add_paragraph("（本文件未引用可验证的依据文件。）")
    used = _cited_in(plan)
    for k, (doc, cites) in enumerate(_documents(plan.citations), start=1):
        p = document.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True
        _run(p, f"{k}. 《{doc.title}》", bold=True)
        facts = _doc_facts(doc)
        if facts:
            f = document.add_paragraph()
            f.paragraph_format.left_indent = indent
            f.paragraph_format.keep_with_next = True
            _run(f, facts.replace("；", "｜"), size=10.5, color=GREY)
        for c in cites:
            q = document.add_paragraph()
            q.paragraph_format.left_indent = indent
            q.paragraph_format.line_spacing = 1.25
            _run(q, f"[{c.n}] ", bold=True, size=10.5)
            if c.section:
                _run(q, f"{c.section}：", size=10.5, font=SANS_CJK)
            _run(q, f"“{_display_quote(c.quote)}”", size=10.5)
            if used.get(c.n):
                _run(q, f"（见：{'，'.join(used[c.n])}）", size=9, color=GREY)

    if plan.notes:
        document.add_heading("说明", level=1)
        for k, note in enumerate(plan.notes, start=1):
            p = document.add_paragraph(f"{k}. {note.strip()}")
            p.paragraph_format.first_line_indent = indent


def _drop_thumbnail(document: DocxDocument) -> None:
    """python-docx's template ships a generic thumbnail image; a generated report should not."""
    rels = document.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(rid)


def _core_properties(document: DocxDocument, plan: Plan, prov: dict[str, Any]) -> None:
    cp = document.core_properties
    generated = datetime.fromisoformat(prov["generated_at"]).astimezone(UTC).replace(tzinfo=None)
    cp.title = plan.title
    cp.subject = f"{_region(plan)}人工智能产业发展建议（草案）"
    cp.author = PRODUCT
    cp.last_modified_by = PRODUCT
    cp.comments = f"{DOCUMENT_LABEL} 生成工具：{PRODUCT} {VERSION}；内容编号：{prov['content_id']}"
    cp.keywords = "AI生成;草案"
    cp.category = "人工智能生成合成内容"
    cp.content_status = "草案"
    cp.identifier = prov["content_id"]
    cp.language = "zh-CN"
    cp.version = VERSION
    cp.revision = 1
    cp.created = generated
    cp.modified = generated


def build_plan_docx(plan: Plan) -> DocxDocument:
    """The labeled python-docx Document for ``plan`` (not yet saved)."""
    import docx

    document = docx.Document()
    _drop_thumbnail(document)
    _register_fonts(document)
    _setup_styles(document)
    _setup_page(document)
    # the template's document starts empty; everything below goes into the body
    _title_page(document, plan)
    _body(document, plan)
    prov = provenance(plan, docx_visible_text(document))
    _core_properties(document, plan, prov)
    write_docx_custom_properties(document, prov)
    return document


def plan_to_docx(plan: Plan, path: str | Path) -> str:
    """Write the plan as DOCX to ``path`` (parent folders created) and return the path.

    Explicit label: title page and every page header. Implicit label: core properties and custom
    properties (docProps/custom.xml); the content number covers the visible body text.
    """
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_plan_docx(plan).save(str(out))
    return str(out)
