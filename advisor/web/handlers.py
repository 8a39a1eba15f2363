"""Handlers of the web app: plain functions and generators over an :class:`~advisor.service.Advisor`.

``advisor.web.app`` only lays out widgets and binds these with ``functools.partial(handler, advisor)``; tests
call them directly, without a browser. Per-user data (the conversation, pending requests) travels in and
out as arguments (``gr.State`` in the app); the only shared object is the thread-safe ``Advisor``.

Everything shown to the user is Chinese, and every failure becomes a message, never a traceback. Text
from users and documents is made inert (:func:`inert`) before it is rendered as Markdown; the Chatbot and
Markdown components sanitize HTML as a second line of defence.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import secrets
import shutil
import threading
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.generation.errors import ProviderError
from advisor.generation.providers import local_available, resolve_provider
from advisor.index.store import StoreError
from advisor.ingest.loaders import SUPPORTED
from advisor.planning.cities import CityError, ProfileError, profile_from_dict
from advisor.qa.answer import QuestionError
from advisor.qa.extractive import short_title
from advisor.render.export import ANSWER_LABEL, LEVEL_NAMES
from advisor.render.labeling import strip_front_matter
from advisor.types import Answer, Citation, Plan

if TYPE_CHECKING:
    from advisor.service import Advisor

log = logging.getLogger(__name__)

APP_TITLE = "区域AI产业顾问"
TAGLINE = "为培育人工智能产业的地方政府提供有据可查的政策问答与规划草案：每条结论都注明出处，全部离线运行。"

EXAMPLES = [
    "地方政府怎样用产业基金招引人工智能企业？",
    "“人工智能+”行动对发展算力基础设施提出了哪些要求？",
    "深圳对人工智能产业有哪些支持措施？",
    "如何推动人工智能与实体经济融合？",
    "生成式人工智能服务提供者需要履行哪些义务？",
    "人工智能生成的内容应当如何标识？",
]
PLAN_PLACEHOLDER = (
    "#### 规划草案将显示在这里\n\n"
    "1. 在左侧选择或输入城市（县级市、地级市、直辖市均可）；\n"
    "2. 可选：展开“城市概况”，填写本地支柱产业、高校、算力、园区、基金、优势与短板；\n"
    "3. 点击“起草规划草案”，系统逐节检索政策依据并起草，完成后可下载 Word 与 Markdown 文件。\n\n"
    "草案中的每条建议都标注 [n] 依据，文末列出所引文件原文；须经人工审核后使用。"
)

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

# Profile fields of the plan form: (CityProfile field, label, placeholder)
PROFILE_FIELDS: list[tuple[str, str, str]] = [
    ("pillar_industries", "支柱产业", "如：新型显示、集成电路、新能源汽车"),
    ("universities", "高校与科研院所", "如：中国科学技术大学、合肥工业大学"),
    ("compute", "现有算力", "如：合肥先进计算中心（智算 100P）"),
    ("parks", "产业园区", "如：中国声谷、高新区人工智能产业园"),
    ("funds", "产业基金", "如：市天使投资基金、产业引导基金"),
    ("strengths", "优势", "如：科教资源密集、国资引投经验"),
    ("constraints", "短板", "如：高端人才不足、数据开放程度低"),
]

DOC_HEADERS = ["标题", "发布机构", "日期", "层级", "地区", "段落数"]
HIT_HEADERS = ["排名", "得分", "文件", "章节", "摘录"]
EXPORT_TTL_S = 24 * 3600
_UNSAFE_NAME = re.compile(r"[^\w\u3400-\u9fff.()（）\[\]【】《》+\-]+")


# ============================================================================ shared helpers


def inert(text: str) -> str:
    """``text`` safe to render as Markdown: HTML tags and entities are shown as typed, never interpreted."""
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;")


def provider_arg(choice: str | None) -> str | None:
    """The UI/API provider choice as an ``Advisor`` argument: None for 自动, else local/openai/extractive."""
    key = str(choice or "").strip()
    low = key.lower()
    if low in _PROVIDER_ALIASES:
        return _PROVIDER_ALIASES[low]
    return low


def provider_choices(adv: Advisor) -> list[tuple[str, str]]:
    """(label, value) pairs for the provider selector; providers not set up say so in their label."""
    settings = adv.settings
    try:
        default = resolve_provider(settings, None)
    except ProviderError:
        default = ""
    local = "本地模型" + ("" if local_available(settings) else "（未安装）")
    openai = "OpenAI兼容" + ("" if settings.llm_base_url.strip() else "（未配置）")
    auto = "自动" + (f"（{PROVIDER_NAMES[default].split('（')[0]}）" if default else "")
    return [(auto, AUTO), ("抽取式", "extractive"), (local, "local"), (openai, "openai")]


def routes_local(adv: Advisor, choice: str | None) -> bool:
    """True when a request with this provider choice would run the local model (one at a time)."""
    try:
        return resolve_provider(adv.settings, provider_arg(choice)) == "local"
    except ProviderError:
        return False  # the handler will explain the problem without touching the model


def provider_label(provider: str, model: str = "") -> str:
    name = PROVIDER_NAMES.get(provider, provider or "未知")
    return f"{name} · {model}" if model and provider != "extractive" else name


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
    try:
        provider = PROVIDER_NAMES.get(resolve_provider(adv.settings, None), "")
    except ProviderError:
        provider = "未配置"
    if not docs:
        return "资料库为空：请在“资料库”页上传政策文件，或在服务器上运行 `advisor ingest`"
    return f"资料库：**{docs}** 份文件 · **{chunks}** 个段落　|　默认回答方式：{provider}"


def _friendly_error(exc: BaseException, doing: str) -> str:
    log.error("%s failed", doing, exc_info=exc)
    return (
        f"抱歉，{doing}时出错了（{type(exc).__name__}）。请稍后重试；如果反复出现，请联系管理员查看服务日志。"
    )


def _new_request(**fields: Any) -> dict[str, Any]:
    """A pending request for a ``gr.State``; the fresh id makes every request a change."""
    return {"id": uuid.uuid4().hex, **fields}


# ============================================================================ 对话


def _text_of(content: Any) -> str:
    """Plain text of a Chatbot message content (str, {"type": "text"} dicts, or lists of them)."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text") or "") if content.get("type", "text") == "text" else ""
    if isinstance(content, list | tuple):
        return "\n".join(t for t in (_text_of(c) for c in content) if t)
    return ""


def submit_question(
    adv: Advisor, question: str, chat: list[dict[str, Any]] | None, provider: str | None
) -> tuple[Any, Any, Any, Any, Any]:
    """Show the question and hand it to the answering event of the right concurrency group.

    Returns (textbox, chat, local request, wide request, send button): the request goes to the ``local``
    state when it would run the local model (one at a time, others wait in the queue), else to the
    ``wide`` state. Textbox and button stay disabled until the answer is complete (:func:`ready`).
    """
    text = str(question or "").strip()
    if not text:
        gr.Warning("请输入要咨询的问题，或点击下方的示例问题。")
        return gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip()
    chat = [*list(chat or []), {"role": "user", "content": inert(text)}]
    request = _new_request(question=text, provider=provider or AUTO)
    box, button = gr.update(value="", interactive=False), gr.update(interactive=False)
    if routes_local(adv, provider):
        return box, chat, request, gr.skip(), button
    return box, chat, gr.skip(), request, button


def ready() -> tuple[Any, Any]:
    """Re-enable the input and its button once a request has finished (whatever its outcome)."""
    return gr.update(interactive=True), gr.update(interactive=True)


def ready_button() -> Any:
    return gr.update(interactive=True)


def _strip_sources(markdown: str) -> str:
    """The answer Markdown without its 依据 list (shown as source panels) and label (shown last)."""
    body = re.sub(r"\*\*依据\*\*\n\n(?:- \[\d+\][^\n]*\n)+\n?", "", markdown)
    body = body.replace(f"> {ANSWER_LABEL}", "").replace(ANSWER_LABEL, "")
    return body.strip()


def citation_details(c: Citation) -> str:
    """Markdown body of one collapsible source panel."""
    facts = [
        f"发布机构：{c.issuer}" if c.issuer else "",
        f"文号：{c.doc_number}" if c.doc_number else "",
        f"日期：{c.date}" if c.date else "",
        f"层级：{LEVEL_NAMES.get(c.level, c.level)}" if c.level and c.level != "unknown" else "",
    ]
    lines = [f"**《{inert(c.title)}》**"]
    meta = "　".join(inert(f) for f in facts if f)
    if meta:
        lines.append(meta)
    if c.section:
        lines.append(f"章节：{inert(c.section)}")
    quote = re.sub(r"\s+", " ", c.quote).strip()
    lines.append(f"> {inert(quote)}")
    return "\n\n".join(lines)


def source_panel_title(c: Citation, max_section: int = 32) -> str:
    """Collapsed panel label: several sources often share a document, so the section tells them apart."""
    leaf = c.section.split(" > ")[-1].strip() if c.section else ""
    if len(leaf) > max_section:
        leaf = leaf[: max_section - 1] + "…"
    return f"来源 [{c.n}]《{short_title(c.title)}》" + (f" · {leaf}" if leaf else "")


def answer_messages(answer: Answer) -> list[dict[str, Any]]:
    """Chat messages for a final answer: body, one collapsed 来源 panel per citation, provider + AI label."""
    messages: list[dict[str, Any]] = [{"role": "assistant", "content": inert(_strip_sources(answer.text))}]
    for c in sorted(answer.citations, key=lambda c: c.n):
        messages.append(
            {
                "role": "assistant",
                "content": citation_details(c),
                "metadata": {"title": source_panel_title(c), "status": "done"},
            }
        )
    seconds = answer.timings.get("total_s")
    took = f"　·　用时 {seconds:.1f} 秒" if isinstance(seconds, int | float) else ""
    footer = f"回答方式：{inert(provider_label(answer.provider, answer.model))}{took}"
    messages.append({"role": "assistant", "content": f"---\n\n{footer}\n\n> {ANSWER_LABEL}"})
    return messages


def _turn_summary(answer: Answer) -> str:
    """What a follow-up question needs from an answer: its conclusion and recommendation titles."""
    parts = [answer.conclusion.strip()] + [r.title.strip() for r in answer.recommendations]
    text = "；".join(p for p in parts if p)
    return re.sub(r"\[\d+\]", "", text) or _strip_sources(answer.text)[:300]


def respond(
    adv: Advisor,
    request: dict[str, Any] | None,
    chat: list[dict[str, Any]] | None,
    turns: list[dict[str, str]] | None,
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, str]]]]:
    """Stream the answer to a submitted question: yields (chat, turns) as the answer grows.

    ``turns`` is the plain conversation ({"role", "content"} with question and answer summary) given to
    ``ask_stream`` for follow-up questions; the Chatbot's display value is not re-parsed for that.
    """
    chat = list(chat or [])
    turns = list(turns or [])
    if not request or not request.get("question"):
        return
    question = str(request["question"])
    pending = {
        "role": "assistant",
        "content": "",
        "metadata": {"title": "正在检索资料并撰写回答…", "status": "pending"},
    }
    yield [*chat, pending], turns
    draft = ""
    try:
        for item in adv.ask_stream(question, history=turns, provider=provider_arg(request.get("provider"))):
            if isinstance(item, Answer):
                summary = _turn_summary(item)
                new_turns = [
                    *turns,
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": summary},
                ]
                yield [*chat, *answer_messages(item)], new_turns
                return
            draft += item
            yield [*chat, {"role": "assistant", "content": inert(draft) + " ▍"}], turns
    except (QuestionError, ProviderError) as exc:
        message = f"⚠ {inert(str(exc))}"
    except StoreError as exc:
        log.error("vector store unavailable: %s", exc)
        message = f"⚠ {inert(str(exc))}"
    except Exception as exc:
        message = f"⚠ {_friendly_error(exc, '回答这个问题')}"
    else:
        message = "⚠ 没有得到回答，请换个说法再试一次。"
    yield [*chat, {"role": "assistant", "content": message}], turns


def clear_chat() -> tuple[list[Any], list[Any], str]:
    """A new conversation: empty chat, empty history, empty textbox."""
    return [], [], ""


# ============================================================================ 规划草案


def profile_from_fields(values: Sequence[str | None], notes: str = "") -> dict[str, Any] | None:
    """The plan form's optional fields (、-separated text) as a validated profile dict, or None if empty."""
    raw: dict[str, Any] = {}
    for (field, _label, _hint), value in zip(PROFILE_FIELDS, values, strict=False):
        if value and str(value).strip():
            raw[field] = str(value)
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
    request = _new_request(city=city, provider=provider or AUTO, fields=list(values), notes=notes or "")
    status = "◐ 已提交，等待起草…"
    busy = gr.update(interactive=False)
    if routes_local(adv, provider):
        return request, gr.skip(), status, "", busy
    return gr.skip(), request, status, "", busy


def _progress_bar(done: int, total: int, width: int = 14) -> str:
    filled = round(width * done / total) if total else 0
    return "▰" * filled + "▱" * (width - filled)


def _safe_stem(text: str, fallback: str) -> str:
    stem = _UNSAFE_NAME.sub("_", unicodedata.normalize("NFC", text)).strip("._ ")
    return stem[:60] or fallback


def _prune_exports(root: Path, now: float) -> None:
    if not root.is_dir():
        return
    for old in root.iterdir():
        try:
            if old.is_dir() and now - old.stat().st_mtime > EXPORT_TTL_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def export_plan(adv: Advisor, plan: Plan) -> tuple[Path, Path]:
    """Write the plan's .docx and .md under ``data_dir/exports/<random>/`` (never a user-chosen path)."""
    root = (adv.settings.data_dir / "exports").resolve()
    _prune_exports(root, time.time())
    folder = root / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    stem = _safe_stem(f"{plan.city}人工智能产业培育方案（草案）", "规划草案")
    docx_path = folder / f"{stem}.docx"
    md_path = folder / f"{stem}.md"
    plan.to_docx(str(docx_path))
    md_path.write_text(plan.to_markdown(), encoding="utf-8")
    return docx_path, md_path


def _city_error_message(exc: CityError) -> str:
    message = f"⚠ {inert(str(exc))}"
    if exc.candidates:
        message += "\n\n可选：" + "、".join(f"**{inert(c)}**" for c in exc.candidates[:12])
    return message


PlanUpdate = tuple[str, str, Any, Any]


def _plan_error(error: BaseException) -> str:
    if isinstance(error, CityError):
        return _city_error_message(error)
    if isinstance(error, ProfileError | ProviderError | ValueError):
        return f"⚠ {inert(str(error))}"
    if isinstance(error, ImportError):
        return "⚠ 规划模块不可用：请升级 advisor 后重试。"
    return f"⚠ {_friendly_error(error, '起草规划')}"


def run_plan(adv: Advisor, request: dict[str, Any] | None, heartbeat_s: float = 1.0) -> Iterator[PlanUpdate]:
    """Draft a plan, yielding (status, plan Markdown, .docx button, .md button) with progress per section."""
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
    events: queue.Queue[tuple[str, Any]] = queue.Queue()

    def progress(done: int, total: int, title: str) -> None:
        events.put(("progress", (done, total, title)))

    def work() -> None:
        try:
            plan = adv.plan(
                city, profile=profile, provider=provider_arg(request.get("provider")), progress=progress
            )
            events.put(("done", plan))
        except BaseException as exc:
            events.put(("error", exc))

    threading.Thread(target=work, name="advisor-plan", daemon=True).start()
    status = f"◐ 正在解析城市“{inert(city)}”并检索资料…"
    yield status, "", no_file, no_file
    while True:
        try:
            kind, payload = events.get(timeout=heartbeat_s)
        except queue.Empty:
            continue
        if kind == "progress":
            done, total, title = payload
            status = (
                f"◐ 正在起草：已完成 {done}/{total} 节（{inert(title)}）…\n\n`{_progress_bar(done, total)}`"
            )
            yield status, "", no_file, no_file
            continue
        if kind == "error":
            yield _plan_error(payload), "", no_file, no_file
            return
        plan: Plan = payload
        break
    try:
        docx_path, md_path = export_plan(adv, plan)
    except Exception as exc:
        yield f"⚠ {_friendly_error(exc, '导出规划文件')}", "", no_file, no_file
        return
    seconds = time.perf_counter() - t0
    recs = sum(len(s.recommendations) for s in plan.sections)
    status = (
        f"✓ 已完成：{len(plan.sections)} 个章节、{recs} 条建议、{len(plan.citations)} 条依据"
        f"　·　起草方式：{inert(provider_label(plan.provider, plan.model))}　·　用时 {seconds:.1f} 秒"
    )
    body = inert(strip_front_matter(md_path.read_text(encoding="utf-8")))
    yield (
        status,
        body,
        gr.update(value=str(docx_path), interactive=True),
        gr.update(value=str(md_path), interactive=True),
    )


# ============================================================================ 资料库


def documents_rows(adv: Advisor) -> list[list[Any]]:
    """One row per indexed document: 标题, 发布机构, 日期, 层级, 地区, 段落数 (newest first by level)."""
    snap = adv.snapshot
    counts = Counter(c.doc_id for c in snap.chunks.values())
    order = {"national": 0, "provincial": 1, "city": 2, "county": 3, "think-tank": 4, "user": 5}
    docs = sorted(snap.docs.values(), key=lambda m: m.date, reverse=True)
    docs.sort(key=lambda m: order.get(m.level, 9))
    return [
        [m.title, m.issuer, m.date, LEVEL_NAMES.get(m.level, "未标注"), m.region, counts.get(m.doc_id, 0)]
        for m in docs
    ]


def document_choices(adv: Advisor) -> list[tuple[str, str]]:
    """(label, doc_id) for the delete dropdown."""
    out = []
    for m in sorted(adv.snapshot.docs.values(), key=lambda m: m.title):
        extra = "，".join(x for x in (m.issuer, m.date) if x)
        out.append((f"{m.title}（{extra}）" if extra else m.title, m.doc_id))
    return out


def refresh_library(adv: Advisor) -> tuple[list[list[Any]], Any, str]:
    """(documents table, delete dropdown, header) after the index changed."""
    return (
        documents_rows(adv),
        gr.update(choices=document_choices(adv), value=None),
        header_markdown(adv),
    )


class UploadResult(dict[str, str]):
    """{"name", "status" (added/updated/unchanged/skipped/error), "message"} for one uploaded file."""


def safe_upload_name(name: str) -> str:
    """A safe file name for an upload, or :class:`ValueError` with the reason (no paths, known type)."""
    raw = str(name or "")
    if not raw.strip():
        raise ValueError("文件名为空")
    folded = unicodedata.normalize("NFKC", raw)
    if any(c in text for text in (raw, folded) for c in ("/", "\\", "\x00")) or folded.strip() in (".", ".."):
        raise ValueError("文件名不合法（含路径或特殊字符），已拒绝")
    normal = unicodedata.normalize("NFC", raw).strip()
    stem, dot, ext = normal.rpartition(".")
    if not dot or f".{ext.lower()}" not in SUPPORTED:
        shown = f".{ext}" if dot else "（无扩展名）"
        raise ValueError(f"不支持的文件类型 {shown}：支持 md、txt、pdf、docx")
    safe = _safe_stem(stem, "上传文件")
    return f"{safe}.{ext.lower()}"


def _doc_for_path(adv: Advisor, path: Path) -> str | None:
    wanted = str(path.resolve())
    for doc_id, meta in adv.snapshot.docs.items():
        if meta.path == wanted:
            return doc_id
    return None


def ingest_upload(adv: Advisor, source: Path, name: str) -> UploadResult:
    """Stage one uploaded file under ``data_dir/uploads/<random>/<safe name>`` and ingest it.

    The staged copy is kept only when the document entered the index; otherwise it is removed and the
    result carries the reason (bad name or type, empty, corrupt, duplicate …).
    """
    shown = str(name or "").replace("\\", "/").rsplit("/", 1)[-1] or "（无名文件）"
    try:
        safe = safe_upload_name(name)
    except ValueError as exc:
        return UploadResult(name=shown, status="error", message=str(exc))
    try:
        size = source.stat().st_size
    except OSError:
        return UploadResult(name=shown, status="error", message="上传的文件已不存在，请重新上传")
    limit = adv.settings.max_upload_mb * 1024 * 1024
    if size > limit:
        return UploadResult(
            name=shown,
            status="error",
            message=f"文件过大（{size / 1048576:.1f} MB，上限 {adv.settings.max_upload_mb:.0f} MB）",
        )
    folder = (adv.settings.data_dir / "uploads").resolve() / secrets.token_hex(6)
    folder.mkdir(parents=True, exist_ok=False)
    dest = folder / safe
    keep = False
    try:
        shutil.copyfile(source, dest)
        report = adv.ingest(paths=[dest])
        if report.skipped:
            return UploadResult(name=shown, status="skipped", message=report.skipped[0].reason)
        doc_id = _doc_for_path(adv, dest)
        chunks = len(adv.snapshot.chunks_of(doc_id)) if doc_id else 0
        title = adv.snapshot.docs[doc_id].title if doc_id else safe
        if report.added or report.updated:
            keep = True
            return UploadResult(name=shown, status="added", message=f"已入库：《{title}》，{chunks} 个段落")
        if report.unchanged:
            keep = True
            return UploadResult(name=shown, status="unchanged", message="已在资料库中，内容未变")
        return UploadResult(name=shown, status="skipped", message="没有可入库的内容")
    except Exception as exc:
        return UploadResult(name=shown, status="error", message=_friendly_error(exc, "入库"))
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


_ICONS = {"added": "✓", "unchanged": "ℹ", "skipped": "⚠", "error": "✗"}


def results_markdown(results: Sequence[UploadResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"- {_ICONS.get(r['status'], '•')} **{inert(r['name'])}**：{inert(r['message'])}")
    return "\n".join(lines)


def _upload_path(item: Any) -> tuple[Path, str]:
    """(path, original name) of a gradio upload value (a path string or a FileData-like object)."""
    if isinstance(item, dict):
        path = item.get("path") or item.get("name") or ""
        return Path(str(path)), str(item.get("orig_name") or Path(str(path)).name)
    path = str(getattr(item, "path", None) or item)
    return Path(path), str(getattr(item, "orig_name", None) or Path(path).name)


def upload_documents(adv: Advisor, files: Sequence[Any] | None) -> Iterator[tuple[str, Any, Any, Any, Any]]:
    """Ingest uploaded files one by one: yields (results, table, dropdown, header, file input)."""
    items = [_upload_path(f) for f in (files or [])]
    if not items:
        yield "请先选择要上传的文件（md、txt、pdf、docx）。", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    results: list[UploadResult] = []
    for i, (path, name) in enumerate(items, start=1):
        progress = f"◐ 正在处理 {i}/{len(items)}：{inert(name)}…"
        yield (
            "\n".join(filter(None, [results_markdown(results), progress])),
            gr.skip(),
            gr.skip(),
            gr.skip(),
            gr.skip(),
        )
        results.append(ingest_upload(adv, path, name))
    added = sum(r["status"] == "added" for r in results)
    summary = f"**处理完成**：{len(results)} 个文件，新入库 {added} 个。\n\n" + results_markdown(results)
    table, dropdown, header = refresh_library(adv)
    yield summary, table, dropdown, header, None


def ask_delete(adv: Advisor, doc_id: str | None) -> tuple[str, Any]:
    """Ask for confirmation: (message, confirm row visibility)."""
    meta = adv.snapshot.docs.get(doc_id or "")
    if meta is None:
        return "请先在下拉框中选择要删除的文件。", gr.update(visible=False)
    chunks = len(adv.snapshot.chunks_of(meta.doc_id))
    return (
        f"确认从资料库删除《{inert(meta.title)}》（{chunks} 个段落）？删除后问答与规划将不再引用它。",
        gr.update(visible=True),
    )


def confirm_delete(adv: Advisor, doc_id: str | None) -> tuple[str, Any, Any, Any, Any]:
    """Delete the chosen document: (message, table, dropdown, header, confirm row)."""
    hidden = gr.update(visible=False)
    meta = adv.snapshot.docs.get(doc_id or "")
    if meta is None:
        return "该文件已不在资料库中。", *refresh_library(adv), hidden
    try:
        removed = adv.delete_document(meta.doc_id)
    except Exception as exc:
        return _friendly_error(exc, "删除文件"), *refresh_library(adv), hidden
    uploads = (adv.settings.data_dir / "uploads").resolve()
    path = Path(meta.path)
    if removed and path.is_absolute() and path.resolve().parent.parent == uploads:
        shutil.rmtree(path.resolve().parent, ignore_errors=True)
    message = f"已删除《{inert(meta.title)}》。" if removed else "该文件已不在资料库中。"
    return message, *refresh_library(adv), hidden


def cancel_delete() -> tuple[str, Any]:
    return "已取消。", gr.update(visible=False)


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
        excerpt = re.sub(r"\s+", " ", h.text).strip()
        rows.append(
            [
                i,
                round(h.score, 4),
                h.title,
                h.section or "—",
                excerpt[:180] + ("…" if len(excerpt) > 180 else ""),
            ]
        )
    if not rows:
        gr.Info("没有找到相关段落。")
    return rows


# ============================================================================ API (gradio_client)


def api_ask(adv: Advisor, question: str, history_json: str = "", provider: str = "") -> tuple[str, str]:
    """/ask: (question, history as JSON or "", provider) → (answer Markdown, JSON with citations).

    ``history_json``: a JSON list of {"role": "user"|"assistant", "content": "..."} or of [user, assistant]
    pairs. ``provider``: "" / "auto", "extractive", "local" or "openai". The Markdown ends with the AI
    label; the JSON object has ``provider``, ``model``, ``grounded``, ``notice`` and ``citations``.
    """
    history: list[Any] | None = None
    if history_json and history_json.strip():
        try:
            history = json.loads(history_json)
        except json.JSONDecodeError as exc:
            raise gr.Error(f"history_json 不是有效的 JSON：{exc.msg}") from exc
        if not isinstance(history, list):
            raise gr.Error('history_json 应为列表，如 [{"role": "user", "content": "…"}]')
    try:
        answer = adv.ask(question, history=history, provider=provider_arg(provider))
    except (QuestionError, ProviderError) as exc:
        raise gr.Error(str(exc)) from exc
    except StoreError as exc:
        log.error("vector store unavailable: %s", exc)
        raise gr.Error(str(exc)) from exc
    except Exception as exc:
        raise gr.Error(_friendly_error(exc, "回答这个问题")) from exc
    meta = {
        "provider": answer.provider,
        "model": answer.model,
        "grounded": answer.grounded,
        "notice": answer.notice,
        "citations": [c.model_dump(mode="json") for c in answer.citations],
    }
    return answer.text, json.dumps(meta, ensure_ascii=False)


def api_plan(adv: Advisor, city: str, profile_json: str = "", provider: str = "") -> tuple[str, str]:
    """/plan: (city, profile as JSON or "", provider) → (plan Markdown with provenance, .docx path)."""
    profile = None
    if profile_json and profile_json.strip():
        try:
            raw = json.loads(profile_json)
        except json.JSONDecodeError as exc:
            raise gr.Error(f"profile_json 不是有效的 JSON：{exc.msg}") from exc
        try:
            profile = profile_from_dict(raw).model_dump()
        except ProfileError as exc:
            raise gr.Error(str(exc)) from exc
    try:
        plan = adv.plan(city, profile=profile, provider=provider_arg(provider))
    except CityError as exc:
        raise gr.Error(str(exc)) from exc
    except (ProfileError, ProviderError) as exc:
        raise gr.Error(str(exc)) from exc
    except Exception as exc:
        raise gr.Error(_friendly_error(exc, "起草规划")) from exc
    docx_path, md_path = export_plan(adv, plan)
    return md_path.read_text(encoding="utf-8"), str(docx_path)


def api_retrieve(adv: Advisor, query: str, k: int = 5) -> str:
    """/retrieve: (query, k) → JSON list of hits (title, section, text, score, meta)."""
    if not str(query or "").strip():
        raise gr.Error("检索内容为空")
    try:
        hits = adv.retrieve(str(query)[:500], k=max(1, min(int(k), 50)))
    except StoreError as exc:
        raise gr.Error(str(exc)) from exc
    return json.dumps(
        [
            h.model_dump(
                mode="json", include={"chunk_id", "doc_id", "title", "section", "text", "score", "meta"}
            )
            for h in hits
        ],
        ensure_ascii=False,
    )
