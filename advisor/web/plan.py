"""The 规划草案 tab: a city and optional facts in; the verified extractive draft shown at once (with its
Word and Markdown files), then each section replaced as the model's verified refinement arrives.

Plans always run in the wide ``plan`` group: the draft needs no model, and the refinement queues in the
local worker by itself (and is skipped while others wait there), so nobody waits for a plan's model."""

from __future__ import annotations

import functools
import secrets
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.generation.errors import ProviderError
from advisor.places.cities import CityError, resolve_city, suggest_cities
from advisor.planning.profile import PROFILE_FIELDS, ProfileError, profile_from_dict
from advisor.render.docx import plan_to_docx
from advisor.render.markdown import plan_markdown_body, plan_to_markdown
from advisor.render.plan_status import plan_status
from advisor.streams import Done, Emit, Failed, run_in_thread
from advisor.types import Plan
from advisor.web.common import (
    AUTO,
    WIDE_PLANS,
    chosen_provider,
    friendly_error,
    inert,
    new_request,
    provider_arg,
    provider_choices,
    ready_button,
    safe_stem,
)

if TYPE_CHECKING:
    from advisor.service import Advisor

PLAN_PLACEHOLDER = (
    "#### 规划草案将显示在这里\n\n"
    "1. 在左侧选择或输入城市（县级市、地级市、直辖市均可）；\n"
    "2. 可选：展开“城市概况”，填写本地支柱产业、高校、算力、园区、基金、优势与短板；\n"
    "3. 点击“起草规划草案”，系统逐节检索政策依据并起草，完成后可下载 Word 与 Markdown 文件。\n\n"
    "草案中的每条建议都标注 [n] 依据，文末列出所引文件原文；须经人工审核后使用。"
)
NOTES_FIELD = ("notes", "备注", "如：数据年份与来源")
EXPORT_TTL_S = 24 * 3600

PlanUpdate = tuple[str, str, Any, Any]


def profile_from_fields(values: Sequence[str | None], notes: str = "") -> dict[str, Any] | None:
    """The plan form's optional fields (、-separated text) as a validated profile dict, or None if empty."""
    raw: dict[str, Any] = {}
    for field, value in zip(PROFILE_FIELDS, values, strict=False):
        if value and str(value).strip():
            raw[field.name] = str(value)
    if notes and notes.strip():
        raw["notes"] = notes.strip()
    if not raw:
        return None
    return profile_from_dict(raw).model_dump()


def submit_plan(adv: Advisor, city: str | None, provider: str | None, *fields: str | None) -> tuple[Any, ...]:
    """Validate the form and route the request: (local request, wide request, status, plan view, button)."""
    city = str(city or "").strip()
    if not city:
        return gr.skip(), gr.skip(), "⚠ 请先输入或选择城市，例如“合肥”。", gr.skip(), gr.skip()
    *values, notes = fields if fields else ("",)
    request = new_request(city=city, provider=provider or AUTO, fields=list(values), notes=notes or "")
    status = "◐ 已提交，等待起草…"
    busy = gr.update(interactive=False)
    return gr.skip(), request, status, "", busy


def _progress_bar(done: int, total: int, width: int = 14) -> str:
    filled = round(width * done / total) if total else 0
    return "▰" * filled + "▱" * (width - filled)


def _prune_exports(root: Path, now: float) -> None:
    if not root.is_dir():
        return
    for old in root.iterdir():
        try:
            if old.is_dir() and now - old.stat().st_mtime > EXPORT_TTL_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def export_plan(adv: Advisor, plan: Plan, markdown: str | None = None) -> tuple[Path, Path]:
    """Write the plan's .docx and .md under ``data_dir/exports/<random>/`` (never a user-chosen path).

    Both files are rendered from ``plan``; ``markdown`` is its :func:`plan_to_markdown` when the caller
    already has it."""
    root = (adv.settings.data_dir / "exports").resolve()
    _prune_exports(root, time.time())
    folder = root / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    stem = safe_stem(f"{plan.city}人工智能产业培育方案（草案）", "规划草案")
    docx_path = folder / f"{stem}.docx"
    md_path = folder / f"{stem}.md"
    plan_to_docx(plan, docx_path)
    md_path.write_text(plan_to_markdown(plan) if markdown is None else markdown, encoding="utf-8")
    return docx_path, md_path


def city_error_message(exc: CityError) -> str:
    message = f"⚠ {inert(str(exc))}"
    if exc.candidates:
        message += "\n\n可选：" + "、".join(f"**{inert(c)}**" for c in exc.candidates[:12])
    return message


def _plan_error(error: BaseException) -> str:
    if isinstance(error, CityError):
        return city_error_message(error)
    if isinstance(error, ProfileError | ProviderError | ValueError):
        return f"⚠ {inert(str(error))}"
    if isinstance(error, ImportError):
        return "⚠ 规划模块不可用：请升级 advisor 后重试。"
    return f"⚠ {friendly_error(error, '起草规划')}"


def _files(adv: Advisor, plan: Plan) -> tuple[Any, Any]:
    docx_path, md_path = export_plan(adv, plan)
    return (
        gr.update(value=str(docx_path), interactive=True),
        gr.update(value=str(md_path), interactive=True),
    )


def run_plan(adv: Advisor, request: dict[str, Any] | None, heartbeat_s: float = 1.0) -> Iterator[PlanUpdate]:
    """Draft a plan, yielding (status, plan Markdown, .docx button, .md button): progress per section,
    the extractive draft with its files as soon as it exists, then the plan after every refined section."""
    no_file = gr.update(value=None, interactive=False)
    if not request or not request.get("city"):
        return
    t0 = time.perf_counter()
    try:
        profile = profile_from_fields(request.get("fields") or [], request.get("notes") or "")
    except ProfileError as exc:
        yield f"⚠ {inert(str(exc))}", "", no_file, no_file
        return
    city = str(request["city"])
    provider = provider_arg(request.get("provider"))

    def draft(emit: Emit) -> Plan:
        def progress(done: int, total: int, title: str) -> None:
            emit("progress", (done, total, title))

        def update(plan: Plan) -> None:
            emit("plan", plan)

        return adv.plan(city, profile=profile, provider=provider, progress=progress, on_update=update)

    yield f"◐ 正在解析城市“{inert(city)}”并检索资料…", "", no_file, no_file
    plan: Plan | None = None
    shown: Plan | None = None
    files: tuple[Any, Any] = (no_file, no_file)
    for event in run_in_thread(draft, name="advisor-plan", heartbeat_s=heartbeat_s):
        if isinstance(event, Failed):
            if shown is not None:  # the draft stays; only its refinement failed
                yield _final_status(shown, t0, "大模型润色中断，已保留当前草案"), gr.skip(), *files
                return
            yield _plan_error(event.error), "", no_file, no_file
            return
        if isinstance(event, Done):
            plan = event.value
        elif event is not None:
            kind, payload = event
            if kind == "progress":
                done, total, title = payload
                status = f"◐ 正在起草：已完成 {done}/{total} 节（{inert(title)}）…\n\n`{_progress_bar(done, total)}`"
                yield status, gr.skip(), gr.skip(), gr.skip()
            elif kind == "plan":
                shown = payload
                try:
                    files = _files(adv, shown)
                except Exception as exc:
                    yield f"⚠ {friendly_error(exc, '导出规划文件')}", "", no_file, no_file
                    return
                refined = sum(1 for s in shown.sections if s.written_by == "model")
                status = (
                    f"◐ 抽取式草案已完成（{time.perf_counter() - t0:.1f} 秒，可先下载）；"
                    f"大模型正在逐节润色：已润色 {refined}/{len(shown.sections)} 节…"
                    if provider_uses_model(adv, request.get("provider"))
                    else _final_status(shown, t0)
                )
                yield status, inert(plan_markdown_body(shown, status=True)), *files
    if plan is None:
        return
    if shown is None or plan.model_dump(exclude={"timings"}) != shown.model_dump(exclude={"timings"}):
        try:
            files = _files(adv, plan)
        except Exception as exc:
            yield f"⚠ {friendly_error(exc, '导出规划文件')}", "", no_file, no_file
            return
    yield _final_status(plan, t0), inert(plan_markdown_body(plan, status=True)), *files


def provider_uses_model(adv: Advisor, choice: str | None) -> bool:
    provider = chosen_provider(adv, choice)
    return provider is not None and provider.uses_model


def _final_status(plan: Plan, t0: float, note: str = "") -> str:
    recs = sum(len(s.recommendations) for s in plan.sections)
    status = (
        f"✓ 已完成：{len(plan.sections)} 个章节、{recs} 条建议、{len(plan.citations)} 条依据"
        f"　·　起草方式：{inert(plan_status(plan))}　·　用时 {time.perf_counter() - t0:.1f} 秒"
    )
    return f"{status}　·　{note}" if note else status


# ---------------------------------------------------------------------------------- city choice

SUGGEST, AMBIGUOUS = "suggest", "ambiguous"
SUGGEST_LABEL = "匹配的城市（点选即可）"


def suggest(text: str | None) -> tuple[Any, str]:
    """The cities matching what is in the box now (typed, pasted or composed with an IME), as one-click
    choices; none once the box holds a full name."""
    typed = str(text or "").strip()
    names = suggest_cities(typed, limit=12)
    if "".join(typed.split()) in {"".join(n.split()) for n in names}:
        names = []  # a name just chosen (or typed in full) needs no list
    return gr.update(
        choices=names, value=None, visible=bool(names), label=SUGGEST_LABEL, interactive=True
    ), SUGGEST


def ambiguity_choices(request: dict[str, Any] | None) -> tuple[Any, str]:
    """After a draft: an ambiguous city's candidates, each one click from its plan; else nothing."""
    city = str((request or {}).get("city") or "").strip()
    if not city:
        return gr.skip(), gr.skip()
    try:
        resolve_city(city, prefer_cities=True)
    except CityError as exc:
        if len(exc.candidates) > 1:
            label = f"“{city}”有多个匹配，点选一个即开始起草"
            return gr.update(
                choices=exc.candidates, value=None, visible=True, label=label, interactive=True
            ), AMBIGUOUS
    return gr.update(visible=False), SUGGEST


def choose_city(
    adv: Advisor, name: str | None, mode: str, provider: str | None, *fields: str | None
) -> tuple[Any, ...]:
    """A clicked city fills the box; a clicked candidate of an ambiguous name also starts its draft."""
    name = str(name or "")
    hide = gr.update(visible=False, value=None)
    if not name:
        return tuple(gr.skip() for _ in range(8))
    if mode == AMBIGUOUS:
        return (name, hide, SUGGEST, *submit_plan(adv, name, provider, *fields))
    return (name, hide, SUGGEST, *(gr.skip() for _ in range(5)))


# ---------------------------------------------------------------------------------------- layout


def plan_tab(adv: Advisor) -> None:
    """The tab's widgets and events (inside a ``gr.Tab``)."""
    local_req = gr.State(None)
    wide_req = gr.State(None)
    with gr.Row():
        with gr.Column(scale=2, min_width=320, elem_id="plan-form"):
            # a textbox, not a filterable dropdown: its input event fires for every change, typed,
            # pasted or composed with an IME, and the matching cities are listed below for one click
            city = gr.Textbox(
                label="城市",
                placeholder="输入城市名（如“合肥”），在下方点选；也可直接填写“安徽合肥”“苏州昆山”",
                max_lines=1,
                elem_id="plan-city",
            )
            picks = gr.Radio(
                choices=[], label=SUGGEST_LABEL, visible=False, interactive=True, elem_id="plan-city-picks"
            )
            pick_mode = gr.State(SUGGEST)
            provider = gr.Radio(provider_choices(adv), value=AUTO, label="起草方式", elem_id="plan-provider")
            with gr.Accordion("城市概况（可选，多项用顿号“、”分隔）", open=False, elem_id="plan-profile"):
                fields: list[gr.Textbox] = []
                specs = [*((f.name, f.label, f.hint) for f in PROFILE_FIELDS), NOTES_FIELD]
                for pair in (specs[i : i + 2] for i in range(0, len(specs), 2)):
                    with gr.Row():
                        for _field, label, hint in pair:
                            fields.append(
                                gr.Textbox(label=label, placeholder=hint, lines=1, max_lines=3, min_width=160)
                            )
                *fields, notes = fields
            go = gr.Button("起草规划草案", variant="primary", elem_id="plan-go")
            gr.Markdown(
                "草案按章节逐节起草，每条建议都引用资料库原文；未填写的城市概况会在草案中标注“待补充”。",
                elem_classes=["hint"],
            )
        with gr.Column(scale=3, min_width=420):
            status = gr.Markdown("选择城市后点击“起草规划草案”。", elem_id="plan-status")
            with gr.Row():
                docx = gr.DownloadButton(
                    "↓ 下载 Word（.docx）",
                    interactive=False,
                    variant="primary",
                    size="md",
                    elem_id="plan-docx",
                )
                md = gr.DownloadButton(
                    "↓ 下载 Markdown（.md）", interactive=False, size="md", elem_id="plan-md"
                )
            view = gr.Markdown(
                PLAN_PLACEHOLDER,
                elem_id="plan-view",
                container=True,
                padding=True,
                min_height=420,
                line_breaks=True,
            )

    go.click(
        functools.partial(submit_plan, adv),
        [city, provider, *fields, notes],
        [local_req, wide_req, status, view, go],
        api_visibility="private",
        concurrency_limit=None,
        show_progress="hidden",
    )
    # change, not input: Gradio's input event follows key events, so an IME commit or a paste (a DOM
    # input event without keydown) would never filter; change follows the value however it was set
    city.change(
        suggest, [city], [picks, pick_mode], api_visibility="private", queue=False, show_progress="hidden"
    )
    picks.input(  # a user's click (not the value this app sets)
        functools.partial(choose_city, adv),
        [picks, pick_mode, provider, *fields, notes],
        [city, picks, pick_mode, local_req, wide_req, status, view, go],
        api_visibility="private",
        show_progress="hidden",
    )
    run = functools.partial(run_plan, adv)
    outputs = [status, view, docx, md]
    # one group for every plan: the draft needs no model, and the refinement waits in the worker's
    # own queue (skipped while others wait there), so no plan holds the local model's event slot
    wide_req.change(
        run,
        [wide_req],
        outputs,
        concurrency_id="plan",
        concurrency_limit=WIDE_PLANS,
        api_visibility="private",
        show_progress="minimal",
    ).then(ready_button, None, [go], api_visibility="private", queue=False).then(
        ambiguity_choices, [wide_req], [picks, pick_mode], api_visibility="private", queue=False
    )
