"""政策诊断 reports as Markdown and JSON, with the plans' AI labels (explicit and implicit).

Markdown: YAML front matter (the implicit label, content number over everything after it), then the
document label, the one-page summary (coverage table, top five gaps) and the element-by-element detail.
JSON: ``ai_label``, ``provenance``, then the :class:`Diagnosis` fields. ``advisor verify`` checks both.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from advisor.render.common import display_quote
from advisor.render.diagnosis_types import Diagnosis, DiagnosisItem
from advisor.render.labeling import DOCUMENT_LABEL, PRODUCT, VERSION, canonical_json, content_id, front_matter
from advisor.types import Citation

STATUS_MARK = {"已覆盖": "✅ 已覆盖", "部分覆盖": "◐ 部分覆盖", "缺失": "✗ 缺失"}
PRIORITY = {1: "高", 2: "中", 3: "低"}


def diagnosis_provenance(diagnosis: Diagnosis, content: str) -> dict[str, Any]:
    """The implicit label (《人工智能生成合成内容标识办法》第五条) of an exported diagnosis."""
    generated = diagnosis.created or datetime.now().astimezone().isoformat(timespec="seconds")
    return {
        "ai_generated": True,
        "label": DOCUMENT_LABEL,
        "product": PRODUCT,
        "version": VERSION,
        "kind": "diagnosis",
        "provider": diagnosis.provider,
        "model": diagnosis.model,
        "content_id": content_id(content),
        "generated_at": generated,
        "corpus_docs": sorted({c.doc_id for c in diagnosis.citations if c.doc_id}),
    }


def marks(ns: list[int]) -> str:
    return "".join(f"[{n}]" for n in ns)


def meta_line(actor: str, horizon: str) -> str:
    parts = [f"牵头：{actor}" if actor else "", f"时限：{horizon}" if horizon else ""]
    return "；".join(p for p in parts if p)


def gap_items(diagnosis: Diagnosis) -> list[DiagnosisItem]:
    """The summary's top gaps, in their order."""
    by_id = {i.element_id: i for i in diagnosis.items}
    return [by_id[g] for g in diagnosis.summary.top_gaps if g in by_id]


def _cite(c: Citation) -> str:
    where = f"{c.section}：" if c.section else ""
    return f"[{c.n}] 《{c.title}》{where}“{display_quote(c.quote)}”"


def summary_markdown(diagnosis: Diagnosis) -> list[str]:
    s = diagnosis.summary
    total = s.covered + s.partial + s.missing
    out = [
        "## 一、诊断摘要",
        "",
        f"诊断对象：《{diagnosis.draft_title}》（{diagnosis.draft_chars} 字，{diagnosis.draft_paragraphs} 段）；"
        f"城市：{diagnosis.city}。对照清单 {total} 项："
        f"已覆盖 {s.covered} 项，部分覆盖 {s.partial} 项，缺失 {s.missing} 项。",
        "",
        "| 分组 | 要素 | 已覆盖 | 部分覆盖 | 缺失 |",
        "|---|---|---|---|---|",
    ]
    out += [f"| {r.group} | {r.total} | {r.covered} | {r.partial} | {r.missing} |" for r in s.table]
    out += ["", "### 优先补充的五项", ""]
    gaps = gap_items(diagnosis)
    if not gaps:
        out.append("草案已覆盖清单全部要素。")
    for k, it in enumerate(gaps, 1):
        sug = it.suggestions[0] if it.suggestions else None
        text = (
            f"{sug.text}{marks(sug.citations)}（{meta_line(sug.actor, sug.horizon)}）"
            if sug
            else it.explanation
        )
        out.append(f"{k}. **{it.element}**（{it.status}，优先级{PRIORITY.get(it.priority, '')}）：{text}")
    return out


def item_markdown(it: DiagnosisItem, k: int, cites: dict[int, Citation]) -> list[str]:
    out = [f"#### {k}. {it.element}　{STATUS_MARK[it.status]}", "", f"- **判断**：{it.explanation}"]
    if it.draft_quotes:
        out.append("- **草案原文**：")
        out += [f"  > 〔{q.location}〕{q.text}" for q in it.draft_quotes]
    basis = [cites[n] for n in it.basis if n in cites]
    if basis:
        out.append("- **依据**：")
        out += [f"  - {_cite(c)}" for c in basis]
    for sug in it.suggestions:
        out.append(f"- **建议**：{sug.text}{marks(sug.citations)}（{meta_line(sug.actor, sug.horizon)}）")
    if it.peers:
        out.append("- **对标做法**：")
        for p in it.peers:
            where = f"{p.section}：" if p.section else ""
            out.append(f"  - {p.region}：《{p.title}》{where}“{display_quote(p.quote)}”[{p.n}]")
    out.append("")
    return out


def diagnosis_markdown_body(diagnosis: Diagnosis) -> str:
    """Everything but the front matter: title, label, summary, detail, sources, notes."""
    out = [f"# {diagnosis.title}", "", f"> {DOCUMENT_LABEL}", ""]
    out += summary_markdown(diagnosis)
    out += ["", "## 二、逐项诊断", ""]
    cites = {c.n: c for c in diagnosis.citations}
    k = 0
    for group in dict.fromkeys(i.group for i in diagnosis.items):
        out += [f"### {group}", ""]
        for it in (i for i in diagnosis.items if i.group == group):
            k += 1
            out += item_markdown(it, k, cites)
    out += ["## 依据文件", ""]
    out += [f"- {_cite(c)}" for c in diagnosis.citations] or ["（无）"]
    out += [
        "",
        "## 说明",
        "",
        "1. 判断依据是草案原文与清单要素的关键词及语义匹配；“缺失”表示草案中没有找到相关表述，"
        "“部分覆盖”表示有所涉及但论述较少或不够具体。请结合草案全文人工复核。",
    ]
    out += [f"{k}. {note}" for k, note in enumerate(diagnosis.notes, 2)]
    return "\n".join(out).rstrip() + "\n"


def diagnosis_to_markdown(diagnosis: Diagnosis) -> str:
    """The labelled Markdown export: front matter (implicit label), then the body."""
    body = diagnosis_markdown_body(diagnosis)
    return front_matter(diagnosis_provenance(diagnosis, body)) + body


def diagnosis_to_json(diagnosis: Diagnosis) -> str:
    """``ai_label`` (explicit), ``provenance`` (implicit), then the diagnosis's fields."""
    data = diagnosis.model_dump(mode="json")
    payload = {"ai_label": DOCUMENT_LABEL, **data}
    prov = diagnosis_provenance(diagnosis, canonical_json(payload))
    return (
        json.dumps({"ai_label": DOCUMENT_LABEL, "provenance": prov, **data}, ensure_ascii=False, indent=2)
        + "\n"
    )
