"""What every tab of the web app shares: titles, the provider choice, the page header, safe text.

Handlers are plain functions and generators over an :class:`~advisor.service.Advisor`; each tab module
(:mod:`~advisor.web.chat`, :mod:`~advisor.web.plan`, :mod:`~advisor.web.library`,
:mod:`~advisor.web.retrieve`) lays out its widgets and binds its handlers with
``functools.partial(handler, advisor)``, and tests call the handlers directly, without a browser.
Per-user data (the conversation, pending requests) travels in and out as arguments (``gr.State`` in the
app); the only shared object is the thread-safe ``Advisor``.

Everything shown to the user is Chinese, and every failure becomes a message, never a traceback. Text
from users and documents is made inert (:func:`inert`) before it is rendered as Markdown; the Chatbot and
Markdown components sanitize HTML as a second line of defence.

Concurrency. Answers start with the verified extractive answer (well under a second), so they run side
by side in the ``answer`` group; the local model's improvements queue in its worker process, which tells
each caller its place and an honest wait (:mod:`advisor.generation.queueing`) and lets an answer skip
the model when the queue would outlast its budget. Plans that may run the local model join the
concurrency group :data:`LOCAL_GROUP` with limit 1; because a concurrency group is fixed per event, the
plan button first runs an instant step that routes the request into one of two ``gr.State`` objects
(:func:`routes_local`); each state's ``change`` event runs the same handler in its own group.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import uuid
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.generation.errors import ProviderError
from advisor.generation.providers import Provider, get_provider, local_available

if TYPE_CHECKING:
    from advisor.service import Advisor

log = logging.getLogger(__name__)

APP_TITLE = "区域AI产业顾问"
TAGLINE = "为培育人工智能产业的地方政府提供有据可查的政策问答与规划草案：每条结论都注明出处，全部离线运行。"

LOCAL_GROUP = "local-llm"
WIDE_ANSWERS = 4  # extractive / OpenAI-compatible answers at once
WIDE_PLANS = 2

AUTO = "auto"
PROVIDER_NAMES = {
    "extractive": "抽取式（不调用大模型）",
    "local": "本地模型",
    "openai": "OpenAI兼容接口",
}
_PROVIDER_ALIASES = {
    "": None,
    AUTO: None,
    "自动": None,
    "抽取式": "extractive",
    "本地模型": "local",
    "openai兼容": "openai",
    "openai兼容接口": "openai",
}
_UNSAFE_NAME = re.compile(r"[^\w\u3400-\u9fff.()（）\[\]【】《》+\-]+")


def inert(text: str) -> str:
    """``text`` safe to render as Markdown: HTML tags and entities are shown as typed, never interpreted."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;")


# ---------------------------------------------------------------------------------------- providers


def provider_arg(choice: str | None) -> str | None:
    """The UI/API provider choice as an ``Advisor`` argument: None for 自动, else local/openai/extractive."""
    key = str(choice or "").strip()
    low = key.lower()
    if low in _PROVIDER_ALIASES:
        return _PROVIDER_ALIASES[low]
    return low


def chosen_provider(adv: Advisor, choice: str | None) -> Provider | None:
    """The provider a request with this choice would use; None when it cannot run (the handler that
    runs the request explains why)."""
    try:
        return get_provider(adv.settings, provider_arg(choice))
    except ProviderError:
        return None


def routes_local(adv: Advisor, choice: str | None) -> bool:
    """True when a request with this provider choice would run the local model (one at a time)."""
    provider = chosen_provider(adv, choice)
    return provider is not None and provider.is_local


def provider_choices(adv: Advisor) -> list[tuple[str, str]]:
    """(label, value) pairs for the provider selector; providers not set up say so in their label."""
    settings = adv.settings
    default = chosen_provider(adv, None)
    local = "本地模型" + ("" if local_available(settings) else "（未安装）")
    openai = "OpenAI兼容" + ("" if settings.llm_base_url.strip() else "（未配置）")
    auto = "自动" + (f"（{PROVIDER_NAMES[default.name].split('（')[0]}）" if default else "")
    return [(auto, AUTO), ("抽取式", "extractive"), (local, "local"), (openai, "openai")]


def provider_label(provider: str, model: str = "") -> str:
    """How an answer or plan says who wrote it: the provider's name, and the model when it adds to it."""
    name = PROVIDER_NAMES.get(provider, provider or "未知")
    return f"{name} · {model}" if model and model not in (provider, name) else name


# ---------------------------------------------------------------------------------------- page


def header_markdown(adv: Advisor) -> str:
    """The page header: product name, one-line description and the index statistics."""
    return f"# {APP_TITLE}\n\n{TAGLINE}\n\n{stats_line(adv)}"


def stats_line(adv: Advisor) -> str:
    try:
        snap = adv.snapshot
        docs, chunks = len(snap.docs), len(snap.chunks)
    except Exception:  # a broken index must not stop the page from loading
        log.exception("reading index stats failed")
        return "资料库：暂时无法读取索引状态"
    default = chosen_provider(adv, None)
    provider = PROVIDER_NAMES.get(default.name, "") if default else "未配置"
    if not docs:
        return "资料库为空：请在“资料库”页上传政策文件，或在服务器上运行 `advisor ingest`"
    return f"资料库：**{docs}** 份文件 · **{chunks}** 个段落　|　默认回答方式：{provider}"


def friendly_error(exc: BaseException, doing: str) -> str:
    """A message for an unexpected failure: its type, never its details (they go to the log)."""
    log.error("%s failed", doing, exc_info=exc)
    return (
        f"抱歉，{doing}时出错了（{type(exc).__name__}）。请稍后重试；如果反复出现，请联系管理员查看服务日志。"
    )


def new_request(**fields: Any) -> dict[str, Any]:
    """A pending request for a ``gr.State``; the fresh id makes every request a change."""
    return {"id": uuid.uuid4().hex, **fields}


def ready() -> tuple[Any, Any]:
    """Re-enable the input and its button once a request has finished (whatever its outcome)."""
    return gr.update(interactive=True), gr.update(interactive=True)


def ready_button() -> Any:
    return gr.update(interactive=True)


def safe_stem(text: str, fallback: str) -> str:
    """A file name stem made of word characters, CJK and a few brackets (at most 60 characters)."""
    stem = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", text)).strip("._ ")
    return stem[:60] or fallback
