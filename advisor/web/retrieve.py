"""The retrieval test box (on the 资料库 tab): a query in, the top passages out, each with its rank and a
plain relevance label (fusion scores mean nothing to a reader). The table is refreshed when the library
changes, so a deleted document's passages never linger in it."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.index.store import StoreError
from advisor.render.common import display_quote
from advisor.retrieval.grounding import question_terms
from advisor.types import Hit

if TYPE_CHECKING:
    from advisor.service import Advisor

HIT_HEADERS = ["排名", "相关程度", "文件", "章节", "摘录"]
EXCERPT_CHARS = 180


def relevance_label(query: str, hit: Hit) -> str:
    """高 / 中 / 低: how many of the query's key terms the passage (with its title and section) contains."""
    terms = question_terms(query)
    if not terms:
        return "中"
    text = f"{hit.title} {hit.section} {hit.text}".lower()
    share = sum(t.lower() in text for t in terms) / len(terms)
    return "高" if share >= 0.75 else "中" if share >= 0.4 else "低"


def _rows(adv: Advisor, text: str, k: float | int) -> list[list[Any]]:
    hits = adv.retrieve(text[:500], k=max(1, min(int(k or 5), 20)))
    present = adv.snapshot.docs  # a document deleted meanwhile is never shown
    rows: list[list[Any]] = []
    for h in (h for h in hits if h.doc_id in present):
        excerpt = display_quote(h.text)
        rows.append(
            [
                len(rows) + 1,
                relevance_label(text, h),
                h.title,
                h.section or "—",
                excerpt[:EXCERPT_CHARS] + ("…" if len(excerpt) > EXCERPT_CHARS else ""),
            ]
        )
    return rows


def retrieval_rows(adv: Advisor, query: str, k: float | int = 5) -> list[list[Any]]:
    """Top hits for the retrieval test box: 排名, 相关程度, 文件, 章节, 摘录."""
    text = str(query or "").strip()
    if not text:
        gr.Warning("请输入检索内容。")
        return []
    try:
        rows = _rows(adv, text, k)
    except StoreError as exc:
        raise gr.Error(str(exc)) from exc
    if not rows:
        gr.Info("没有找到相关段落。")
    return rows


def refresh_rows(adv: Advisor, query: str, k: float | int = 5) -> list[list[Any]]:
    """The table again after the library changed: the same query over the current index, silently."""
    text = str(query or "").strip()
    if not text:
        return []
    try:
        return _rows(adv, text, k)
    except StoreError:
        return []


def retrieval_box(adv: Advisor) -> tuple[gr.Textbox, gr.Slider, gr.Dataframe]:
    """The box's widgets and events; returns (query, k, table) so the library can refresh the table."""
    with gr.Group(elem_id="retrieval-box"):
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                label="检索测试",
                placeholder="输入一句话，查看资料库中最相关的段落",
                scale=6,
                elem_id="retrieval-query",
            )
            k = gr.Slider(1, 10, value=5, step=1, label="返回条数", scale=2)
            search = gr.Button("检索", scale=1, min_width=90, elem_id="retrieval-go")
        hits = gr.Dataframe(
            headers=HIT_HEADERS,
            datatype=["number", "str", "str", "str", "str"],
            interactive=False,
            wrap=True,
            max_height=460,
            show_label=False,
            column_widths=["6%", "9%", "22%", "18%", "45%"],
            elem_id="retrieval-hits",
        )
    retrieval = functools.partial(retrieval_rows, adv)
    search.click(retrieval, [query, k], [hits], api_visibility="private")
    query.submit(retrieval, [query, k], [hits], api_visibility="private")
    return query, k, hits
