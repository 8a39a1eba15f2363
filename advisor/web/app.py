"""The Gradio web app: the page (header, the three tabs, footer, API) and the server around it.

Each tab lives in its own module with its handlers (:mod:`~advisor.web.chat`, :mod:`~advisor.web.plan`,
:mod:`~advisor.web.library` with :mod:`~advisor.web.retrieve`); the stable ``gradio_client`` endpoints
``/ask``, ``/plan`` and ``/retrieve`` are in :mod:`advisor.web.api`, and the concurrency groups are
explained in :mod:`advisor.web.common`.
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

from advisor.index.store import StoreError
from advisor.qa.answer import prime_local_model
from advisor.service import Advisor
from advisor.web.api import register_api
from advisor.web.chat import chat_tab
from advisor.web.common import APP_TITLE, WIDE_ANSWERS, chosen_provider, header_markdown
from advisor.web.compare import compare_tab
from advisor.web.diagnose import diagnose_tab
from advisor.web.library import library_tab, refresh_library, refresh_library_if
from advisor.web.plan import plan_tab

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
QUEUE_MAX = 64


def _default_is_local(adv: Advisor) -> bool:
    default = chosen_provider(adv, None)
    return default is not None and default.is_local


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


def build_app(adv: Advisor) -> gr.Blocks:
    """The whole UI for one shared ``Advisor``; per-user data lives in ``gr.State``."""
    # delete_cache: Gradio's copies of uploads and downloads are removed after a day
    with gr.Blocks(title=APP_TITLE, analytics_enabled=False, delete_cache=(3600, 86400)) as demo:
        header = gr.Markdown(header_markdown(adv), elem_id="app-header")
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab("对话", id="chat", elem_id="tab-chat"):
                chat_tab(adv)
            with gr.Tab("规划草案", id="plan", elem_id="tab-plan"):
                plan_tab(adv)
            with gr.Tab("对标分析", id="compare", elem_id="tab-compare"):
                compare_tab(adv)
            with gr.Tab("政策诊断", id="diagnose", elem_id="tab-diagnose"):
                diagnosed, added = diagnose_tab(adv)
            with gr.Tab("资料库", id="library", elem_id="tab-library"):
                table, doc = library_tab(adv, header)
        gr.Markdown(
            "本系统回答与草案由人工智能辅助生成，仅供参考；请以所引原文为准，重要决策须经人工审核。",
            elem_id="app-footer",
        )
        register_api(adv, _default_is_local(adv))
        # a draft added to the library changes its table, the delete list and the header's count
        diagnosed.then(
            functools.partial(refresh_library_if, adv),
            [added],
            [table, doc, header],
            api_visibility="private",
        )

        demo.load(
            functools.partial(refresh_library, adv),
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
    if not _default_is_local(adv):
        return

    def prime() -> None:
        try:
            log.info("local model primed in %.1fs", prime_local_model(adv.provider("local").chat_model()))
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
