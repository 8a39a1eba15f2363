"""对标分析 as Markdown, CSV and JSON, with the same AI labels as plans (explicit label line or key,
implicit ``provenance`` whose content number covers the content)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from advisor.render.common import LEVEL_NAMES, display_quote
from advisor.render.compare_types import EMPTY_CELL, Comparison, Measure
from advisor.render.labeling import DOCUMENT_LABEL, PRODUCT, VERSION, canonical_json, content_id, front_matter

CSV_HEADER = ("地区", "主题", "措施", "文件", "条款", "原文", "日期", "效力")


def comparison_title(comp: Comparison) -> str:
    return f"对标分析：{'、'.join(comp.regions)}"


def measure_source(m: Measure) -> str:
    """《文件》第N条（2022-08-30；已失效（有效期至…））."""
    facts = "；".join(x for x in (m.date, m.validity) if x)
    return f"《{m.title}》{m.article}" + (f"（{facts}）" if facts else "")


def comparison_provenance(comp: Comparison, content: str) -> dict[str, Any]:
    """The implicit label (《人工智能生成合成内容标识办法》第五条), as for plans."""
    created = comp.created or datetime.now().isoformat(timespec="seconds")
    generated = datetime.fromisoformat(created)
    return {
        "ai_generated": True,
        "label": DOCUMENT_LABEL,
        "product": PRODUCT,
        "version": VERSION,
        "kind": "comparison",
        "provider": comp.provider,
        "model": "",
        "content_id": content_id(content),
        "generated_at": (generated if generated.tzinfo else generated.astimezone()).isoformat(
            timespec="seconds"
        ),
        "corpus_docs": sorted({c.doc_id for c in comp.citations if c.doc_id}),
    }


def _cell_md(measures: list[Measure]) -> str:
    if not measures:
        return EMPTY_CELL
    parts = []
    for m in measures:
        mark = f"[{m.n}]" if m.n else ""
        note = f"（{m.validity}）" if m.validity else ""
        parts.append(f"{m.action}{mark}{note}")
    return "<br>".join(p.replace("|", "｜") for p in parts)


def comparison_markdown_body(comp: Comparison) -> str:
    out = [f"# {comparison_title(comp)}", "", f"> {DOCUMENT_LABEL}", ""]
    if comp.notes:
        out += ["## 说明", "", *[f"- {n}" for n in comp.notes], ""]
    out += ["## 对照表", "", "| 主题 | " + " | ".join(comp.regions) + " |"]
    out.append("|" + "---|" * (len(comp.regions) + 1))
    for topic in comp.topics:
        row = [_cell_md(comp.cell(r, topic).measures) for r in comp.regions]
        out.append(f"| {topic} | " + " | ".join(row) + " |")
    out.append("")
    if comp.topic_summary:
        out += ["## 分主题比较", ""]
        for p in comp.topic_summary:
            out.append(f"- **{p.key}**：{p.text}" + "".join(f"[{n}]" for n in p.citations))
        out.append("")
    if comp.region_summary:
        out += ["## 各地区特色措施", ""]
        for p in comp.region_summary:
            out.append(f"- **{p.key}**：{p.text}" + "".join(f"[{n}]" for n in p.citations))
        out.append("")
    out += ["## 条款原文", ""]
    for c in comp.cells:
        for m in c.measures:
            out.append(f"- [{m.n}] {m.region}｜{m.topic}｜{measure_source(m)}：“{display_quote(m.quote)}”")
    if not any(c.measures for c in comp.cells):
        out.append(f"- {EMPTY_CELL}")
    out.append("")
    return "\n".join(out)


def comparison_to_markdown(comp: Comparison) -> str:
    """Markdown with YAML front matter (implicit label) and the explicit label under the title."""
    body = comparison_markdown_body(comp)
    return front_matter(comparison_provenance(comp, body)) + body


def comparison_rows(comp: Comparison) -> list[dict[str, str]]:
    """One row per measure (region, topic, measure, document, article, quote, date, validity); an empty
    cell is one row saying so, so the CSV shows what the corpus lacks."""
    rows = []
    for c in comp.cells:
        for m in c.measures:
            validity = m.validity or "现行有效"
            values = (m.region, m.topic, m.action, m.title, m.article, m.quote, m.date, validity)
            rows.append(dict(zip(CSV_HEADER, values, strict=True)))
        if not c.measures:
            rows.append(
                dict(zip(CSV_HEADER, (c.region, c.topic, EMPTY_CELL, "", "", "", "", ""), strict=True))
            )
    return rows


def comparison_to_csv(comp: Comparison) -> str:
    """CSV (UTF-8 with BOM so Excel opens Chinese correctly); the label is the first line's comment row."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([f"# {DOCUMENT_LABEL}"])
    writer.writerow(CSV_HEADER)
    for row in comparison_rows(comp):
        writer.writerow([row[h] for h in CSV_HEADER])
    return "\ufeff" + buf.getvalue()


def comparison_to_json(comp: Comparison) -> str:
    """``ai_label``, ``provenance``, then the comparison's fields (``Comparison.model_validate`` them)."""
    data = comp.model_dump(mode="json")
    payload = {"ai_label": DOCUMENT_LABEL, **data}
    prov = comparison_provenance(comp, canonical_json(payload))
    return (
        json.dumps({"ai_label": DOCUMENT_LABEL, "provenance": prov, **data}, ensure_ascii=False, indent=2)
        + "\n"
    )


def level_name(level: str) -> str:
    return LEVEL_NAMES.get(level, level)
