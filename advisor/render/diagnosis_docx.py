"""政策诊断 reports as Word documents, labelled like plans (:mod:`advisor.render.docx`).

Explicit label: under the title and in every page header. Implicit label: core and custom properties
carrying :func:`~advisor.render.diagnosis.diagnosis_provenance`, whose content number covers the
visible body text, so ``advisor verify`` tells whether the file was edited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.shared import Pt

from advisor.render.common import display_quote
from advisor.render.diagnosis import PRIORITY, STATUS_MARK, diagnosis_provenance, gap_items, marks, meta_line
from advisor.render.diagnosis_types import Diagnosis, DiagnosisItem
from advisor.render.docx import (
    GREY,
    RED,
    SANS_CJK,
    _border,
    _drop_thumbnail,
    _register_fonts,
    _run,
    _setup_page,
    _setup_styles,
    _shade,
)
from advisor.render.labeling import (
    DOCUMENT_LABEL,
    PRODUCT,
    VERSION,
    docx_visible_text,
    write_docx_custom_properties,
)
from advisor.types import Citation

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

STATUS_COLOR = {"已覆盖": "2E7D32", "部分覆盖": "B26A00", "缺失": RED}


def _cite_text(c: Citation) -> str:
    where = f"{c.section}：" if c.section else ""
    return f"[{c.n}] 《{c.title}》{where}“{display_quote(c.quote)}”"


def _head(document: DocxDocument, d: Diagnosis) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(p, d.title, size=16, bold=True, font=SANS_CJK)
    label = document.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.CENTER
    label.paragraph_format.space_before = Pt(6)
    _run(label, DOCUMENT_LABEL, size=10.5, bold=True)
    _border(label, ("top", "left", "bottom", "right"), size=6, color="404040")
    _shade(label, "F2F2F2")
    facts = document.add_paragraph()
    facts.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(
        facts,
        f"诊断对象：《{d.draft_title}》　城市：{d.city}　{PRODUCT} {VERSION} 辅助生成",
        size=10,
        color=GREY,
    )


def _tight(paragraph: Any, spacing: float = 1.15) -> Any:
    """The one-page summary is set tighter than the body's 1.5 lines."""
    paragraph.paragraph_format.line_spacing = spacing
    return paragraph


def _summary(document: DocxDocument, d: Diagnosis) -> None:
    s = d.summary
    document.add_heading("一、诊断摘要", level=1)
    _run(
        _tight(document.add_paragraph()),
        f"对照清单 {s.covered + s.partial + s.missing} 项：已覆盖 {s.covered} 项，"
        f"部分覆盖 {s.partial} 项，缺失 {s.missing} 项。",
        size=11,
    )
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("分组", "要素", "已覆盖", "部分覆盖", "缺失"), strict=True):
        _run(_tight(cell.paragraphs[0], 1.0), text, bold=True, size=10.5)
    for r in s.table:
        cells = table.add_row().cells
        for cell, value in zip(cells, (r.group, r.total, r.covered, r.partial, r.missing), strict=True):
            _run(_tight(cell.paragraphs[0], 1.0), str(value), size=10.5)
    document.add_heading("优先补充的五项", level=2)
    gaps = gap_items(d)
    if not gaps:
        document.add_paragraph("草案已覆盖清单全部要素。")
    for k, it in enumerate(gaps, 1):
        p = _tight(document.add_paragraph())
        p.paragraph_format.space_after = Pt(3)
        _run(p, f"{k}. {it.element}", bold=True, size=10.5)
        _run(
            p,
            f"（{it.status}，优先级{PRIORITY.get(it.priority, '')}）",
            color=STATUS_COLOR[it.status],
            size=10.5,
        )
        if it.suggestions:
            sug = it.suggestions[0]
            _run(p, f"：{sug.text}{marks(sug.citations)}（{meta_line(sug.actor, sug.horizon)}）", size=10.5)


def _item(document: DocxDocument, it: DiagnosisItem, k: int, cites: dict[int, Citation]) -> None:
    from docx.shared import Pt

    indent = Pt(21)
    h = document.add_heading(level=2)
    _run(h, f"{k}. {it.element}　")
    _run(h, STATUS_MARK[it.status], color=STATUS_COLOR[it.status])
    p = document.add_paragraph()
    _run(p, "判断：", bold=True)
    _run(p, it.explanation)
    for q in it.draft_quotes:
        qp = document.add_paragraph()
        qp.paragraph_format.left_indent = indent
        _run(qp, f"草案〔{q.location}〕", bold=True, size=10.5, font=SANS_CJK)
        _run(qp, q.text, size=10.5)
    for n in it.basis:
        if n in cites:
            bp = document.add_paragraph()
            bp.paragraph_format.left_indent = indent
            _run(bp, "依据 ", bold=True, size=10.5, font=SANS_CJK)
            _run(bp, _cite_text(cites[n]), size=10.5)
    for sug in it.suggestions:
        sp = document.add_paragraph()
        _run(sp, "建议：", bold=True)
        _run(sp, f"{sug.text}{marks(sug.citations)}")
        mp = document.add_paragraph()
        _run(mp, meta_line(sug.actor, sug.horizon), size=10.5, color=GREY, font=SANS_CJK)
    for peer in it.peers:
        pp = document.add_paragraph()
        pp.paragraph_format.left_indent = indent
        where = f"{peer.section}：" if peer.section else ""
        _run(pp, f"对标 {peer.region} ", bold=True, size=10.5, font=SANS_CJK)
        _run(pp, f"《{peer.title}》{where}“{display_quote(peer.quote)}”[{peer.n}]", size=10.5)


def _body(document: DocxDocument, d: Diagnosis) -> None:
    _summary(document, d)
    h = document.add_heading("二、逐项诊断", level=1)
    h.paragraph_format.page_break_before = True
    cites = {c.n: c for c in d.citations}
    k = 0
    for group in dict.fromkeys(i.group for i in d.items):
        g = document.add_paragraph()
        _run(g, group, bold=True, size=13, font=SANS_CJK)
        for it in (i for i in d.items if i.group == group):
            k += 1
            _item(document, it, k, cites)
    h = document.add_heading("依据文件", level=1)
    h.paragraph_format.page_break_before = True
    for c in d.citations:
        _run(document.add_paragraph(), _cite_text(c), size=10.5)
    document.add_heading("说明", level=1)
    document.add_paragraph(
        "判断依据是草案原文与清单要素的关键词及语义匹配；“缺失”表示草案中没有找到相关表述，"
        "“部分覆盖”表示有所涉及但论述较少或不够具体。请结合草案全文人工复核。"
    )
    for note in d.notes:
        document.add_paragraph(note)


def _core_properties(document: DocxDocument, d: Diagnosis, prov: dict[str, Any]) -> None:
    cp = document.core_properties
    generated = datetime.fromisoformat(prov["generated_at"]).astimezone(UTC).replace(tzinfo=None)
    cp.title = d.title
    cp.subject = f"《{d.draft_title}》政策诊断"
    cp.author = PRODUCT
    cp.last_modified_by = PRODUCT
    cp.comments = f"{DOCUMENT_LABEL} 生成工具：{PRODUCT} {VERSION}；内容编号：{prov['content_id']}"
    cp.keywords = "AI生成;政策诊断"
    cp.category = "人工智能生成合成内容"
    cp.identifier = prov["content_id"]
    cp.language = "zh-CN"
    cp.created = generated
    cp.modified = generated


def build_diagnosis_docx(d: Diagnosis) -> DocxDocument:
    import docx

    document = docx.Document()
    _drop_thumbnail(document)
    _register_fonts(document)
    _setup_styles(document)
    _setup_page(document)
    _head(document, d)
    _body(document, d)
    prov = diagnosis_provenance(d, docx_visible_text(document))
    _core_properties(document, d, prov)
    write_docx_custom_properties(document, prov)
    return document


def diagnosis_to_docx(d: Diagnosis, path: str | Path) -> str:
    """Write the labelled report to ``path`` (parent folders created); returns the path."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_diagnosis_docx(d).save(str(out))
    return str(out)
