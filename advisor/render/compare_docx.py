"""对标分析 as a Word document: A4 landscape, one table (topics down, regions across), each measure
with its citation number and validity, then the summaries and the quoted clauses. Same labels as
plans: the explicit one under the title and in every header, the implicit one in the properties."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from advisor.render.common import display_quote
from advisor.render.compare_table import comparison_provenance, comparison_title, measure_source
from advisor.render.compare_types import EMPTY_CELL, Comparison
from advisor.render.docx import GREY, RED, _drop_thumbnail, _register_fonts, _run, _setup_page, _setup_styles
from advisor.render.labeling import DOCUMENT_LABEL, PRODUCT, docx_visible_text, write_docx_custom_properties

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import _Cell


def _landscape(document: DocxDocument) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    for section in document.sections:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
        section.left_margin, section.right_margin = Cm(1.8), Cm(1.8)


def _cell_text(
    cell: _Cell, text: str, *, size: float = 9, bold: bool = False, color: str | None = None
) -> None:
    p = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    p.paragraph_format.space_after = 0
    p.paragraph_format.space_before = 0
    p.paragraph_format.line_spacing = 1.0
    p.paragraph_format.first_line_indent = 0
    _run(p, text, size=size, bold=bold, color=color)


def _table(document: DocxDocument, comp: Comparison) -> None:
    from docx.shared import Cm

    table = document.add_table(rows=1, cols=len(comp.regions) + 1)
    table.style = "Table Grid"
    table.autofit = False
    usable = 29.7 - 3.6
    first = 3.0
    other = (usable - first) / max(1, len(comp.regions))
    for i, cell in enumerate(table.rows[0].cells):
        cell.width = Cm(first if i == 0 else other)
        _cell_text(cell, "主题" if i == 0 else comp.regions[i - 1], size=10, bold=True)
    for topic in comp.topics:
        cells = table.add_row().cells
        cells[0].width = Cm(first)
        _cell_text(cells[0], topic, size=10, bold=True)
        for j, region in enumerate(comp.regions, start=1):
            cells[j].width = Cm(other)
            measures = comp.cell(region, topic).measures
            if not measures:
                _cell_text(cells[j], EMPTY_CELL, color=GREY)
            for m in measures:
                _cell_text(cells[j], f"[{m.n}] {m.action}")
                _cell_text(cells[j], measure_source(m), size=7.5, color=RED if m.validity else GREY)
    rows = table.rows[0]._tr
    trpr = rows.get_or_add_trPr()
    from docx.oxml import OxmlElement

    header = OxmlElement("w:tblHeader")  # repeat the region row on every page
    trpr.append(header)


def build_comparison_docx(comp: Comparison) -> DocxDocument:
    import docx

    document = docx.Document()
    _drop_thumbnail(document)
    _register_fonts(document)
    _setup_styles(document)
    _setup_page(document)
    _landscape(document)
    document.add_heading(comparison_title(comp), level=1)
    _run(document.add_paragraph(), DOCUMENT_LABEL, size=10, color=RED)
    for note in comp.notes:
        _run(document.add_paragraph(), f"说明：{note}", size=9, color=GREY)
    _table(document, comp)
    if comp.topic_summary:
        document.add_heading("分主题比较", level=2)
        for p in comp.topic_summary:
            marks = "".join(f"[{n}]" for n in p.citations)
            _run(document.add_paragraph(), f"{p.key}：{p.text}{marks}", size=10)
    if comp.region_summary:
        document.add_heading("各地区特色措施", level=2)
        for p in comp.region_summary:
            marks = "".join(f"[{n}]" for n in p.citations)
            _run(document.add_paragraph(), f"{p.key}：{p.text}{marks}", size=10)
    document.add_heading("条款原文", level=2)
    for c in comp.cells:
        for m in c.measures:
            text = f"[{m.n}] {m.region}｜{m.topic}｜{measure_source(m)}：“{display_quote(m.quote)}”"
            _run(document.add_paragraph(), text, size=9)
    prov = comparison_provenance(comp, docx_visible_text(document))
    cp = document.core_properties
    cp.title = comparison_title(comp)
    cp.author = PRODUCT
    cp.comments = f"{DOCUMENT_LABEL} 生成工具：{PRODUCT}；内容编号：{prov['content_id']}"
    cp.category = "人工智能生成合成内容"
    cp.keywords = "AI生成;对标分析"
    cp.identifier = prov["content_id"]
    cp.language = "zh-CN"
    write_docx_custom_properties(document, prov)
    return document


def comparison_to_docx(comp: Comparison, path: str | Path) -> str:
    """Write the comparison as DOCX to ``path`` (parent folders created) and return the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_comparison_docx(comp).save(str(out))
    return str(out)


def write_comparison(comp: Comparison, fmt: str, path: str | Path | None) -> str:
    """Render ``comp`` as md/docx/csv/json; write it to ``path`` when given. Returns the text (md, csv,
    json) or the path (docx)."""
    from advisor.render.compare_table import comparison_to_csv, comparison_to_json, comparison_to_markdown

    if fmt == "docx":
        if not path:
            raise ValueError("导出 Word 需要用 -o 指定文件名，如 -o 对标分析.docx")
        return comparison_to_docx(comp, path)
    renderers = {"md": comparison_to_markdown, "csv": comparison_to_csv, "json": comparison_to_json}
    if fmt not in renderers:
        raise ValueError(f"不支持的格式 {fmt}：可用 md、docx、csv、json")
    text = renderers[fmt](comp)
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
    return text
