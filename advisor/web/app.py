"""The Gradio web app: layout and wiring only; the handlers live in :mod:`advisor.web.handlers`.

Concurrency. Every request that may run the local model (chat answers and plan drafts whose provider
resolves to ``local``) joins the concurrency group ``local-llm`` with limit 1, so a small CPU runs one
generation at a time and other users see their place in Gradio's queue. Requests for the extractive or
OpenAI-compatible providers go to wider groups (``answer``, ``plan``). Because a concurrency group is
fixed per event, the send button first runs an instant step that routes the request into one of two
``gr.State`` objects; each state's ``change`` event runs the same handler in its own group.

API (``gradio_client``): ``/ask``, ``/plan`` and ``/retrieve`` are the stable endpoints; every UI event is
private.
"""

import functools
import ipaddress
import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

import gradio as gr

from advisor.generation.errors import ProviderError
from advisor.generation.providers import resolve_provider
from advisor.index.store import StoreError
from advisor.ingest.loaders import SUPPORTED
from advisor.planning.cities import all_city_names
from advisor.qa.answer import prime_local_model
from advisor.service import Advisor
from advisor.web import handlers as h

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
LOCAL_GROUP = "local-llm"
WIDE_ANSWERS = 4  # extractive / OpenAI-compatible answers at once
WIDE_PLANS = 2
QUEUE_MAX = 64


def _default_is_local(adv: Advisor) -> bool:
    try:
        return resolve_provider(adv.settings, None) == "local"
    except ProviderError:
        return False


def _theme() -> gr.themes.Base:
    # Fonts given by name only: the default theme would fetch Google Fonts, which an offline office lacks.
    cjk = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif")
    return gr.themes.Soft(
        primary_hue=gr.themes.colors.red,
        secondary_hue=gr.themes.colors.slate,
        neutral_hue=gr.themes.colors.slate,
        font=cjk,
        font_mono=("Noto Sans Mono CJK SC", "DejaVu Sans Mono", "monospace"),
        radius_size=gr.themes.sizes.radius_sm,
    )


def _chat_tab(adv: Advisor) -> None:
    turns = gr.State([])
    local_req = gr.State(None)
    wide_req = gr.State(None)
    chatbot = gr.Chatbot(
        label="对话",
        show_label=False,
        elem_id="chatbot",
        height="62vh",
        min_height=420,
        sanitize_html=True,
        allow_tags=False,
        render_markdown=True,
        feedback_options=None,
        buttons=["copy"],
        layout="bubble",
        placeholder=(
            "### 请输入您的问题\n\n"
            "回答只依据资料库中的政策文件与研究报告，每条结论都标注 [n] 出处，可展开“来源”查看原文。"
        ),
    )
    with gr.Row(equal_height=True):
        question = gr.Textbox(
            show_label=False,
            placeholder="例如：地方政府怎样用产业基金招引人工智能企业？（回车发送，Shift+回车换行）",
            lines=1,
            max_lines=6,
            scale=8,
            elem_id="question",
            autofocus=True,
        )
        send = gr.Button("发送", variant="primary", scale=1, min_width=90, elem_id="send")
    with gr.Row(equal_height=True):
        provider = gr.Radio(
            h.provider_choices(adv), value=h.AUTO, label="回答方式", scale=4, elem_id="chat-provider"
        )
        clear = gr.Button("新对话", variant="secondary", scale=1, min_width=110, elem_id="new-chat")
    gr.Examples(examples=[[q] for q in h.EXAMPLES], inputs=[question], label="示例问题（点击填入）")

    gr.on(
        triggers=[question.submit, send.click],
        fn=functools.partial(h.submit_question, adv),
        inputs=[question, chatbot, provider],
        outputs=[question, chatbot, local_req, wide_req, send],
        api_visibility="private",
        concurrency_limit=None,
        show_progress="hidden",
    )
    answer = functools.partial(h.respond, adv)
    for request, group, limit in ((local_req, LOCAL_GROUP, 1), (wide_req, "answer", WIDE_ANSWERS)):
        request.change(
            answer,
            [request, chatbot, turns],
            [chatbot, turns],
            concurrency_id=group,
            concurrency_limit=limit,
            api_visibility="private",
            show_progress="minimal",
        ).then(h.ready, None, [question, send], api_visibility="private", queue=False)
    clear.click(h.clear_chat, None, [chatbot, turns, question], api_visibility="private", queue=False)


def _plan_tab(adv: Advisor) -> None:
    local_req = gr.State(None)
    wide_req = gr.State(None)
    with gr.Row():
        with gr.Column(scale=2, min_width=320, elem_id="plan-form"):
            city = gr.Dropdown(
                choices=all_city_names(),
                value=None,
                allow_custom_value=True,
                filterable=True,
                label="城市",
                info="输入城市名筛选（如“合肥”），也可直接填写“安徽合肥”“苏州昆山”",
                elem_id="plan-city",
            )
            provider = gr.Radio(
                h.provider_choices(adv), value=h.AUTO, label="起草方式", elem_id="plan-provider"
            )
            with gr.Accordion("城市概况（可选，多项用顿号“、”分隔）", open=False, elem_id="plan-profile"):
                fields: list[gr.Textbox] = []
                specs = [*h.PROFILE_FIELDS, ("notes", "备注", "如：数据年份与来源")]
                for pair in (specs[i : i + 2] for i in range(0, len(specs), 2)):
                    with gr.Row():
                        for _field, label, hint in pair:
                            fields.append(
                                gr.Textbox(label=label, placeholder=hint, lines=1, max_lines=3, min_width=160)
                            )
                *fields, notes = fields
            draft = gr.Button("起草规划草案", variant="primary", elem_id="plan-go")
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
                h.PLAN_PLACEHOLDER,
                elem_id="plan-view",
                container=True,
                padding=True,
                min_height=420,
                line_breaks=True,
            )

    draft.click(
        functools.partial(h.submit_plan, adv),
        [city, provider, *fields, notes],
        [local_req, wide_req, status, view, draft],
        api_visibility="private",
        concurrency_limit=None,
        show_progress="hidden",
    )
    run = functools.partial(h.run_plan, adv)
    outputs = [status, view, docx, md]
    for request, group, limit in ((local_req, LOCAL_GROUP, 1), (wide_req, "plan", WIDE_PLANS)):
        request.change(
            run,
            [request],
            outputs,
            concurrency_id=group,
            concurrency_limit=limit,
            api_visibility="private",
            show_progress="minimal",
        ).then(h.ready_button, None, [draft], api_visibility="private", queue=False)


def _library_tab(adv: Advisor, header: gr.Markdown) -> tuple[gr.Dataframe, gr.Dropdown]:
    table = gr.Dataframe(
        value=h.documents_rows(adv),
        headers=h.DOC_HEADERS,
        datatype=["str", "str", "str", "str", "str", "number"],
        interactive=False,
        wrap=True,
        max_height=430,
        label="已入库文件",
        column_widths=["34%", "28%", "10%", "9%", "11%", "8%"],
        elem_id="docs-table",
    )
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            files = gr.File(
                file_count="multiple",
                file_types=list(SUPPORTED),
                label="上传文件（md、txt、pdf、docx，可多选）",
                height=150,
                elem_id="upload-files",
            )
            upload = gr.Button("上传并入库", variant="primary", elem_id="upload-go")
            results = gr.Markdown(elem_id="upload-results")
        with gr.Column(scale=2, min_width=320):
            with gr.Group():
                doc = gr.Dropdown(
                    choices=h.document_choices(adv),
                    value=None,
                    label="删除文件",
                    info="从资料库移除一份文件及其全部段落",
                    elem_id="delete-doc",
                )
                delete = gr.Button("删除所选文件", variant="stop", size="md", elem_id="delete-go")
            with gr.Row(visible=False) as confirm_row:
                confirm = gr.Button("确认删除", variant="stop", size="md", elem_id="delete-confirm")
                cancel = gr.Button("取消", size="md", elem_id="delete-cancel")
            delete_msg = gr.Markdown(elem_id="delete-message")
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
            headers=h.HIT_HEADERS,
            datatype=["number", "number", "str", "str", "str"],
            interactive=False,
            wrap=True,
            max_height=460,
            show_label=False,
            column_widths=["6%", "8%", "22%", "18%", "46%"],
            elem_id="retrieval-hits",
        )

    upload.click(
        functools.partial(h.upload_documents, adv),
        [files],
        [results, table, doc, header, files],
        concurrency_id="library",
        concurrency_limit=1,
        api_visibility="private",
    )
    delete.click(
        functools.partial(h.ask_delete, adv), [doc], [delete_msg, confirm_row], api_visibility="private"
    )
    confirm.click(
        functools.partial(h.confirm_delete, adv),
        [doc],
        [delete_msg, table, doc, header, confirm_row],
        concurrency_id="library",
        concurrency_limit=1,
        api_visibility="private",
    )
    cancel.click(h.cancel_delete, None, [delete_msg, confirm_row], api_visibility="private", queue=False)
    retrieval = functools.partial(h.retrieval_rows, adv)
    search.click(retrieval, [query, k], [hits], api_visibility="private")
    query.submit(retrieval, [query, k], [hits], api_visibility="private")
    return table, doc


def _api(adv: Advisor, default_local: bool) -> None:
    """The stable API for gradio_client: /ask, /plan, /retrieve."""

    def ask(question: str, history_json: str = "", provider: str = "") -> tuple[str, str]:
        """Answer a question. Returns (answer Markdown with [n] markers and the AI label, JSON with
        provider, model, grounded, notice and citations). history_json: JSON list of
        {"role", "content"} messages or [user, assistant] pairs, or "". provider: "", "extractive",
        "local" or "openai"."""
        return h.api_ask(adv, question, history_json, provider)

    def retrieve(query: str, k: int = 5) -> str:
        """The top k passages for query, as a JSON list (title, section, text, score, meta)."""
        return h.api_retrieve(adv, query, k)

    group = LOCAL_GROUP if default_local else "answer"
    gr.api(ask, api_name="ask", concurrency_id=group, concurrency_limit=1 if default_local else WIDE_ANSWERS)
    gr.api(retrieve, api_name="retrieve", concurrency_limit=WIDE_ANSWERS)

    # /plan returns a file, so it needs real components (the client downloads the .docx).
    with gr.Row(visible=False):
        city = gr.Textbox(label="city")
        profile = gr.Textbox("", label="profile_json")
        provider = gr.Textbox("", label="provider")
        markdown = gr.Textbox(label="markdown")
        docx = gr.File(label="docx")
        trigger = gr.Button("plan")

    def plan(city: str, profile_json: str = "", provider: str = "") -> tuple[str, str]:
        """Draft a plan for city. profile_json: JSON object of city facts (支柱产业, 高校与科研院所, 现有算力,
        产业园区, 产业基金, 优势, 短板, 备注 — or the English field names), or "". Returns (plan Markdown with
        its provenance front matter, the .docx file)."""
        return h.api_plan(adv, city, profile_json, provider)

    trigger.click(
        plan,
        [city, profile, provider],
        [markdown, docx],
        api_name="plan",
        concurrency_id=LOCAL_GROUP if default_local else "plan",
        concurrency_limit=1 if default_local else WIDE_PLANS,
    )


def build_app(adv: Advisor) -> gr.Blocks:
    """The whole UI for one shared ``Advisor``; per-user data lives in ``gr.State``."""
    # delete_cache: Gradio's copies of uploads and downloads are removed after a day
    with gr.Blocks(title=h.APP_TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        header = gr.Markdown(h.header_markdown(adv), elem_id="app-header")
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("对话", id="chat", elem_id="tab-chat"):
                _chat_tab(adv)
            with gr.Tab("规划草案", id="plan", elem_id="tab-plan"):
                _plan_tab(adv)
            with gr.Tab("资料库", id="library", elem_id="tab-library"):
                table, doc = _library_tab(adv, header)
        gr.Markdown(
            "本系统回答与草案由人工智能辅助生成，仅供参考；请以所引原文为准，重要决策须经人工审核。",
            elem_id="app-footer",
        )
        _api(adv, _default_is_local(adv))

        demo.load(
            functools.partial(h.refresh_library, adv),
            None,
            [table, doc, header],
            api_visibility="private",
            queue=False,
        )
    demo.queue(default_concurrency_limit=WIDE_ANSWERS, max_size=QUEUE_MAX)
    return demo


def is_loopback(host: str) -> bool:
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def launch_options(adv: Advisor) -> dict[str, Any]:
    """``launch()`` keyword arguments shared by :func:`serve` and the tests."""
    data = adv.settings.data_dir.resolve()
    exports = data / "exports"
    exports.mkdir(parents=True, exist_ok=True)
    blocked = [str(data / name) for name in ("index", "chroma", "uploads", "models")]
    blocked.append(str(adv.settings.corpus_dir.resolve()))
    return {
        "allowed_paths": [str(exports)],
        "blocked_paths": blocked,
        "max_file_size": int(adv.settings.max_upload_mb * 1024 * 1024),
        "theme": _theme(),
        "css_paths": [ASSETS / "app.css"],
        "footer_links": ["api"],
        "run_history": False,
        "enable_monitoring": False,
        "mcp_server": False,
        "ssr_mode": False,
        "share": False,
        "show_error": False,
        "favicon_path": ASSETS / "favicon.png",
    }


def _prime_in_background(adv: Advisor) -> None:
    """When the local model answers by default, load it and cache the fixed prompt prefix while the
    first user reads the page; a failure here only means the first question pays for it."""
    try:
        if resolve_provider(adv.settings, None) != "local":
            return
    except ProviderError:
        return

    def prime() -> None:
        try:
            log.info("local model primed in %.1fs", prime_local_model(adv))
        except Exception as exc:  # the first question will load the model and report any error
            log.warning("could not prime the local model: %s", exc)

    threading.Thread(target=prime, name="prime-local-model", daemon=True).start()


def serve(host: str = "127.0.0.1", port: int = 7860, insecure: bool = False) -> int:
    """Warm up, launch and block. A non-loopback host needs a login (ADVISOR_AUTH) or ``insecure``."""
    started = time.perf_counter()
    adv = Advisor()
    auth = None
    if adv.settings.auth.strip():
        from advisor.web.auth import AuthError, auth_fn

        try:
            auth = auth_fn(adv.settings.auth.strip())
        except AuthError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
    if not is_loopback(host) and auth is None and not insecure:
        print(
            f"错误：拒绝在 {host} 上无登录地开放网页界面——同一网络中的任何人都能访问资料库并上传、删除文件。"
            "请设置 ADVISOR_AUTH 指向用户文件（用 `advisor users add 用户名` 创建），"
            "或仅在可信网络中加 --insecure。",
            file=sys.stderr,
        )
        return 2
    if not is_loopback(host) and auth is None:
        print(f"警告：网页界面在 {host} 上无登录开放（--insecure），请确认网络可信。", file=sys.stderr)
    print("正在加载嵌入模型与索引…", file=sys.stderr, flush=True)
    try:
        adv.warm_up()
    except StoreError as exc:  # e.g. the Chroma server is down: the page still loads and says so
        print(f"警告：{exc}", file=sys.stderr, flush=True)
    demo = build_app(adv)
    try:
        demo.launch(
            server_name=host,
            server_port=port,
            auth=auth,
            auth_message="请使用管理员分配的账号登录区域AI产业顾问。" if auth else None,
            quiet=True,
            prevent_thread_lock=True,
            **launch_options(adv),
        )
    except OSError as exc:
        print(
            f"错误：无法在 {host}:{port} 上启动网页服务（{exc}）；请换一个端口，如 --port 7861",
            file=sys.stderr,
        )
        return 2
    _prime_in_background(adv)
    shown = f"[{host}]" if ":" in host else host
    login = "（需要登录）" if auth else ""
    print(f"[服务] 用时 {time.perf_counter() - started:.0f}s", flush=True)
    print(f"区域AI产业顾问已启动{login}：http://{shown}:{port}　按 Ctrl+C 停止", flush=True)
    demo.block_thread()
    return 0
