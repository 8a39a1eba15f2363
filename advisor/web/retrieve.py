"""The retrieval test box (on the 资料库 tab): a query in, the top passages with their scores out."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.index.store import StoreError
from advisor.render.common import display_quote

if TYPE_CHECKING:
    from advisor.service import Advisor

HIT_HEADERS = ["排名", "得分", "文件", "章节", "摘录"]
EXCERPT_CHARS = 180


def retrieval_rows(adv: Advisor, query: str, k: float | int = 5) -> list[list[Any]]:
    """Top hits for the retrieval test box: 排名, 得分, 文件, 章节, 摘录."""
    text = str(query or "").strip()
    if not text:
        gr.Warning("请输入检索内容。")
        return []
    try:
        hits = adv.retrieve(text[:500], k=max(1, min(int(k or 5), 20)))
    except StoreError as exc:
        raise gr.Error(str(exc)) from exc
    rows = []
    for i, h in enumerate(hits, start=1):
        excerpt = display_quote(h.text)
        rows.append(
            [
                i,
                round(h.score, 4),
                h.title,
                h.section or "—",
                excerpt[:EXCERPT_CHARS] + ("…" if len(excerpt) > EXCERPT_CHARS else ""),
            ]
        )
    if not rows:
        gr.Info("没有找到相关段落。")
    return rows


def retrieval_box(adv: Advisor) -> None:
    """The box's widgets and events."""
    with gr.Group(elem_id="retrieval-box"):
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                label="检索测试",
                placeholder="输入一句话，查看资料库中最相关的段落及其得分",
                scale=6,
                elem_id="retrieval-query",
            )
            k = gr.Slider(1, 10, value=5, step=1, label="返回条数", scale=2)
            search = gr.Button("检索", scale=1, min_width=90, elem_id="retrieval-go")
        hits = gr.Dataframe(
            headers=HIT_HEADERS,
            datatype=["number", "number", "str", "str", "str"],
            interactive=False,
            wrap=True,
            max_height=460,
            show_label=False,
            column_widths=["6%", "8%", "22%", "18%", "46%"],
            elem_id="retrieval-hits",
        )
    retrieval = functools.partial(retrieval_rows, adv)
    search.click(retrieval, [query, k], [hits], api_visibility="private")
    query.submit(retrieval, [query, k], [hits], api_visibility="private")
