"""The 对标分析 tab: regions and topics in; a region × topic table of verified clauses, summaries and
downloads (Word landscape table, Markdown, CSV) out. Also the ``/compare`` API endpoint.

Bad input (no region, an ambiguous or unknown place, a topic too long) gets a Chinese message saying
what to write; the chosen regions and topics stay in the form.
"""

from __future__ import annotations

import functools
import json
import re
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.compare import DEFAULT_TOPIC_NAMES, RegionError, TopicError, region_names
from advisor.render.compare_docx import comparison_to_docx
from advisor.render.compare_table import (
    comparison_markdown_body,
    comparison_to_csv,
    comparison_to_json,
    comparison_to_markdown,
)
from advisor.render.compare_types import Comparison
from advisor.web.common import friendly_error, inert, safe_stem
from advisor.web.plan import _prune_exports

if TYPE_CHECKING:
    from advisor.service import Advisor

PLACEHOLDER = (
    "#### 对标结果将显示在这里\n\n"
    "1. 选择或输入要比较的地区（省、市或“全国”，可多选）；\n"
    "2. 勾选主题，也可在“自定义主题”中输入，如“自动驾驶”；\n"
    "3. 点击“开始对标”。每个单元格列出该地区**自己的文件**中的条款原文（含文件、条款与日期），"
    "没有相关条款的单元格写明“资料库中未检索到该地区的相关条款”。"
)
COMPARE_CONCURRENCY = 2
_SPLIT = re.compile(r"[,，、;；\n]+")


class CompareInputError(ValueError):
    """Nothing to compare: the message says what to fill in."""


def split_items(text: str | None) -> list[str]:
    return [t.strip() for t in _SPLIT.split(str(text or "")) if t.strip()]


def run_compare(adv: Advisor, regions: Any, topics: Any, extra_topics: str | None) -> Comparison:
    """The comparison for the form's values; raises CompareInputError / RegionError / TopicError."""
    chosen = [str(r) for r in (regions or []) if str(r).strip()] if isinstance(regions, list) else []
    if isinstance(regions, str):
        chosen = split_items(regions)
    if not chosen:
        raise CompareInputError("请至少选择或输入一个地区，如“深圳”“北京”，也可选“全国”")
    names = [str(t) for t in (topics or [])] + split_items(extra_topics)
    if not names:
        raise CompareInputError("请至少勾选一个主题，或在“自定义主题”中输入，如“人才”")
    return adv.compare(chosen, topics=names)


def export_comparison(adv: Advisor, comp: Comparison) -> tuple[Path, Path, Path]:
    """The comparison's .docx, .md and .csv under ``data_dir/exports/<random>/``."""
    root = (adv.settings.data_dir / "exports").resolve()
    _prune_exports(root, time.time())
    folder = root / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    stem = safe_stem("对标分析_" + "_".join(comp.regions), "对标分析")
    docx_path, md_path, csv_path = (folder / f"{stem}.{ext}" for ext in ("docx", "md", "csv"))
    comparison_to_docx(comp, docx_path)
    md_path.write_text(comparison_to_markdown(comp), encoding="utf-8")
    csv_path.write_text(comparison_to_csv(comp), encoding="utf-8")
    return docx_path, md_path, csv_path


def compare_clicked(
    adv: Advisor, regions: Any, topics: Any, extra_topics: str | None
) -> tuple[str, str, Any, Any, Any]:
    """(status, table view, docx, md, csv downloads) for the UI; never raises."""
    off = gr.update(value=None, interactive=False)
    try:
        started = time.perf_counter()
        comp = run_compare(adv, regions, topics, extra_topics)
        paths = export_comparison(adv, comp)
    except (CompareInputError, RegionError, TopicError) as exc:
        return f"⚠ {inert(str(exc))}", gr.skip(), off, off, off
    except Exception as exc:
        return f"⚠ {friendly_error(exc, '对标分析')}", gr.skip(), off, off, off
    filled = sum(1 for c in comp.cells if c.measures)
    status = (
        f"✓ 对标完成（{time.perf_counter() - started:.1f} 秒）：{len(comp.regions)} 个地区 × {len(comp.topics)} 个主题，"
        f"{filled}/{len(comp.cells)} 个单元格有条款，共 {len(comp.citations)} 条引文。"
    )
    on = [gr.update(value=str(p), interactive=True) for p in paths]
    view = inert(comparison_markdown_body(comp)).replace("&lt;br>", "<br>")  # line breaks inside cells only
    return status, view, on[0], on[1], on[2]


def compare_tab(adv: Advisor) -> None:
    """The tab's widgets and events (inside a ``gr.Tab``)."""
    try:
        known = region_names(adv.retriever())
    except Exception:  # an unavailable index still shows the form; the click reports the problem
        known = []
    with gr.Row():
        with gr.Column(scale=2, min_width=320, elem_id="cmp-form"):
            regions = gr.Dropdown(
                choices=known,
                value=[],
                multiselect=True,
                allow_custom_value=True,
                filterable=True,
                label="地区",
                info="省、市或“全国”，可多选；也可输入资料库外的地区（如“洛阳”）",
                elem_id="cmp-regions",
            )
            topics = gr.CheckboxGroup(
                choices=list(DEFAULT_TOPIC_NAMES),
                value=list(DEFAULT_TOPIC_NAMES),
                label="主题",
                elem_id="cmp-topics",
            )
            extra = gr.Textbox(
                label="自定义主题", placeholder="如：自动驾驶，低空经济（逗号分隔）", elem_id="cmp-extra"
            )
            go = gr.Button("开始对标", variant="primary", elem_id="cmp-go")
        with gr.Column(scale=3, min_width=420):
            status = gr.Markdown("选择地区和主题后点击“开始对标”。", elem_id="cmp-status")
            with gr.Row():
                docx = gr.DownloadButton(
                    "↓ 下载 Word（.docx）",
                    interactive=False,
                    variant="primary",
                    size="md",
                    elem_id="cmp-docx",
                )
                md = gr.DownloadButton("↓ Markdown（.md）", interactive=False, size="md", elem_id="cmp-md")
                csv = gr.DownloadButton("↓ 表格（.csv）", interactive=False, size="md", elem_id="cmp-csv")
            view = gr.Markdown(PLACEHOLDER, elem_id="cmp-view", container=True, padding=True, min_height=420)
    go.click(
        functools.partial(compare_clicked, adv),
        [regions, topics, extra],
        [status, view, docx, md, csv],
        api_visibility="private",
        concurrency_id="compare",
        concurrency_limit=COMPARE_CONCURRENCY,
        show_progress="minimal",
    )


# ---------------------------------------------------------------------------------------- API


def api_compare(adv: Advisor, regions: str, topics: str = "") -> tuple[str, str, str, str]:
    """/compare: (regions, topics) → (Markdown with provenance, JSON, .docx path, .csv path)."""
    try:
        comp = run_compare(
            adv, split_items(regions) or [regions], [], topics or "、".join(DEFAULT_TOPIC_NAMES)
        )
        docx_path, md_path, csv_path = export_comparison(adv, comp)
    except (CompareInputError, RegionError, TopicError) as exc:
        raise gr.Error(str(exc)) from exc
    except Exception as exc:
        raise gr.Error(friendly_error(exc, "对标分析")) from exc
    data = json.loads(comparison_to_json(comp))
    return (
        md_path.read_text(encoding="utf-8"),
        json.dumps(data, ensure_ascii=False),
        str(docx_path),
        str(csv_path),
    )


def register_compare_api(adv: Advisor) -> None:
    """Register /compare (inside ``gr.Blocks``); it returns files, so it needs real components."""
    with gr.Row(visible=False):
        regions = gr.Textbox(label="regions")
        topics = gr.Textbox("", label="topics")
        markdown = gr.Textbox(label="markdown")
        data = gr.Textbox(label="json")
        docx = gr.File(label="docx")
        csv = gr.File(label="csv")
        trigger = gr.Button("compare")

    def compare(regions: str, topics: str = "") -> tuple[str, str, str, str]:
        """Compare regions (comma-separated provinces, cities or 全国, e.g. "深圳,北京,全国") on topics
        (comma-separated; "" = the nine default topics; free text allowed). Every cell is verbatim clauses
        of that region's own documents. Returns (Markdown with its provenance front matter, JSON of the
        comparison with its AI label, the .docx table, the .csv with one row per measure)."""
        return api_compare(adv, regions, topics)

    trigger.click(
        compare,
        [regions, topics],
        [markdown, data, docx, csv],
        api_name="compare",
        concurrency_id="compare",
        concurrency_limit=COMPARE_CONCURRENCY,
    )
