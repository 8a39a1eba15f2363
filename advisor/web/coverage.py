"""The 资料库 tab's coverage view: which regions and levels the corpus covers (document counts), so a
user sees what a comparison or a plan cannot draw on before trusting it."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import gradio as gr

from advisor.compare.coverage import CoverageRow
from advisor.render.common import LEVEL_NAMES
from advisor.web.common import inert

if TYPE_CHECKING:
    from advisor.service import Advisor

HINT = (
    "对标分析只使用各地区**自己的**文件：表中没有的地区（或层级）在对标表中会显示为"
    "“资料库中未检索到该地区的相关条款”。可在下方上传该地区的政策文件（填写“地区”与“层级”）。"
)


def coverage_table(rows: list[CoverageRow]) -> str:
    """A Markdown table: 地区, 层级, 文件数, 现行有效, 文件."""
    if not rows:
        return "资料库为空：请先上传或入库政策文件。"
    out = ["| 地区 | 层级 | 文件数 | 现行有效 | 文件 |", "|---|---|---:|---:|---|"]
    for r in rows:
        titles = "；".join(f"《{t}》" for t in r.titles[:4]) + ("等" if len(r.titles) > 4 else "")
        level = LEVEL_NAMES.get(r.level, r.level)
        out.append(f"| {r.region} | {level} | {r.documents} | {r.in_force} | {titles.replace('|', '｜')} |")
    return "\n".join(out)


def coverage_markdown(adv: Advisor) -> str:
    try:
        rows = adv.coverage()
    except Exception:  # the library table shows the index error; this view just stays empty
        return "暂时无法读取资料库的覆盖情况。"
    regions = sorted({r.region for r in rows})
    head = f"资料库覆盖 **{len(regions)}** 个地区（含“全国”），共 {sum(r.documents for r in rows)} 份文件。"
    return inert(f"{head}\n\n{coverage_table(rows)}\n\n{HINT}")


def coverage_view(adv: Advisor) -> gr.Markdown:
    """A collapsible view (inside the 资料库 tab), recomputed each time it is opened; its event is
    private (a value callable would be a public load event)."""
    with gr.Accordion("资料库覆盖的地区与层级", open=False, elem_id="coverage") as box:
        view = gr.Markdown(coverage_markdown(adv), elem_id="coverage-table")
    box.expand(functools.partial(coverage_markdown, adv), None, view, api_visibility="private", queue=False)
    return view
