"""Plans as Word documents (DOCX), built from the :class:`~advisor.types.Plan` itself with python-docx.

Explicit label (《人工智能生成合成内容标识办法》第四条): on the title page and in every page header.
Implicit label (第五条): the core properties and the custom properties (``docProps/custom.xml``) carry
:func:`advisor.render.labeling.provenance`; its content number covers the visible body text. There is
deliberately no option to leave either out.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.render.common import (
    NO_SOURCES,
    UNSUPPORTED_MARK,
    chinese_numeral,
    cited_in,
    date_cn,
    display_quote,
    doc_facts,
    documents,
    is_unsupported,
    known_numbers,
    markers,
    plan_date,
    rec_meta,
    region,
    section_heading,
    section_note,
)
from advisor.render.labeling import (
    DOCUMENT_LABEL,
    PRODUCT,
    PRODUCT_NAME,
    VERSION,
    docx_visible_text,
    provenance,
    write_docx_custom_properties,
)
from advisor.render.plan_status import PEERS_HEADING
from advisor.types import Plan, Recommendation

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph


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
            _run(p, f"{PRODUCT_NAME} 生成　草案　第 ", size=9, color=GREY)
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
    _run(centered(0, 36), region(plan), size=16, font=SERIF_CJK)
    draft = centered(0, 54)
    _run(draft, "（ 草  案 ）", size=26, bold=True, color=RED, font=SANS_CJK)
    _run(centered(0, 6), date_cn(plan_date(plan)), size=14)
    _run(centered(0, 90), f"{PRODUCT_NAME} {VERSION} 辅助生成", size=12, color=GREY)

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


def _recommendations(document: DocxDocument, recs: list[Recommendation], known: set[int]) -> None:
    from docx.shared import Pt

    indent = Pt(24)  # two characters at 小四
    for j, rec in enumerate(recs, start=1):
        h2 = document.add_heading(level=2)
        h2.paragraph_format.first_line_indent = indent
        _run(h2, f"（{chinese_numeral(j)}）{rec.title.strip()}")
        marks = markers(rec, known)
        if marks:
            _run(h2, "".join(f"[{n}]" for n in marks), superscript=True)
        if is_unsupported(rec, known):
            _run(h2, UNSUPPORTED_MARK, color=RED, size=12)
        if rec.detail:
            p = document.add_paragraph(rec.detail.strip())
            p.paragraph_format.first_line_indent = indent
        meta = rec_meta(rec, "　")
        if meta:
            last = document.paragraphs[-1]
            last.paragraph_format.keep_with_next = True  # 牵头/时限 stays with its text
            p = document.add_paragraph()
            p.paragraph_format.first_line_indent = indent
            _run(p, meta, size=10.5, color=GREY, font=SANS_CJK)


def _body(document: DocxDocument, plan: Plan) -> None:
    from docx.shared import Pt

    known = known_numbers(plan.citations)
    first_heading = True
    indent = Pt(24)  # two characters at 小四

    for i, section in enumerate(plan.sections, start=1):
        h = document.add_heading(section_heading(i, section.title), level=1)
        if first_heading:
            h.paragraph_format.page_break_before = True  # robust to re-saving, unlike a break run
            first_heading = False
        if section.summary:
            p = document.add_paragraph(section.summary.strip())
            p.paragraph_format.first_line_indent = indent
        _recommendations(document, section.recommendations, known)
        if section.peers:
            p = document.add_paragraph()
            p.paragraph_format.first_line_indent = indent
            p.paragraph_format.keep_with_next = True
            _run(p, f"{PEERS_HEADING}（其他地区的做法，供本市借鉴）", bold=True, font=SANS_CJK)
            _recommendations(document, section.peers, known)
        for note in section.notes:
            p = document.add_paragraph()
            p.paragraph_format.first_line_indent = indent
            _run(p, "待补充：", bold=True, color=RED)
            _run(p, section_note(note).removeprefix("待补充").lstrip("：: "))

    h = document.add_heading("依据文件", level=1)
    h.paragraph_format.page_break_before = True  # the appendix starts on its own page
    if not plan.citations:
        document.add_paragraph(NO_SOURCES)
    used = cited_in(plan)
    for k, (doc, cites) in enumerate(documents(plan.citations), start=1):
        p = document.add_paragraph()
        p.paragraph_format.space_before = Pt(6)
        p.paragraph_format.keep_with_next = True
        _run(p, f"{k}. 《{doc.title}》", bold=True)
        facts = doc_facts(doc)
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
            _run(q, f"“{display_quote(c.quote)}”", size=10.5)
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
    cp.subject = f"{region(plan)}人工智能产业发展建议（草案）"
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
