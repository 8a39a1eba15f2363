"""The 对话 tab: questions, a streamed answer, one collapsible 来源 panel per citation, the AI label."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.generation.errors import ProviderError
from advisor.index.store import StoreError
from advisor.qa.answer import QuestionError
from advisor.qa.events import Polishing, Queued, Shown
from advisor.qa.sentences import short_title
from advisor.render.common import LEVEL_NAMES, display_quote
from advisor.render.markdown import (
    answer_body_markdown,
    answer_label_markdown,
    answer_related_markdown,
    answer_status,
)
from advisor.types import Answer, Citation
from advisor.web.common import (
    AUTO,
    WIDE_ANSWERS,
    friendly_error,
    inert,
    new_request,
    provider_arg,
    provider_choices,
    provider_label,
    ready,
)

if TYPE_CHECKING:
    from advisor.service import Advisor

log = logging.getLogger(__name__)

EXAMPLES = [
    "地方政府怎样用产业基金招引人工智能企业？",
    "“人工智能+”行动对发展算力基础设施提出了哪些要求？",
    "深圳对人工智能产业有哪些支持措施？",
    "如何推动人工智能与实体经济融合？",
    "生成式人工智能服务提供者需要履行哪些义务？",
    "人工智能生成的内容应当如何标识？",
]


def submit_question(
    adv: Advisor, question: str, chat: list[dict[str, Any]] | None, provider: str | None
) -> tuple[Any, Any, Any, Any]:
    """Show the question and hand it to the answering event.

    Returns (textbox, chat, request, send button). Every answer starts with the extractive one (well under
    a second), so answers run side by side; the local model's own queue orders the improvements and
    each user sees their place in it. Textbox and button stay disabled until the answer is complete.
    """
    text = str(question or "").strip()
    if not text:
        gr.Warning("请输入要咨询的问题，或点击下方的示例问题。")
        return gr.skip(), gr.skip(), gr.skip(), gr.skip()
    chat = [*list(chat or []), {"role": "user", "content": inert(text)}]
    request = new_request(question=text, provider=provider or AUTO)
    box, button = gr.update(value="", interactive=False), gr.update(interactive=False)
    return box, chat, request, button


def _shown_body(answer: Answer) -> str:
    """The answer as the first chat message: its body and, for a refusal, the related material; the
    sources are shown as panels and the label last (:func:`answer_messages`)."""
    return "\n\n".join(p for p in (answer_body_markdown(answer), answer_related_markdown(answer)) if p)


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
    lines.append(f"> {inert(display_quote(c.quote))}")
    return "\n\n".join(lines)


def source_panel_title(c: Citation, max_section: int = 32) -> str:
    """Collapsed panel label: several sources often share a document, so the section tells them apart."""
    leaf = c.section.split(" > ")[-1].strip() if c.section else ""
    if len(leaf) > max_section:
        leaf = leaf[: max_section - 1] + "…"
    return f"来源 [{c.n}]《{short_title(c.title)}》" + (f" · {leaf}" if leaf else "")


def answer_messages(answer: Answer) -> list[dict[str, Any]]:
    """Chat messages for a final answer: body, one collapsed 来源 panel per citation, provider + AI label."""
    messages: list[dict[str, Any]] = [{"role": "assistant", "content": inert(_shown_body(answer))}]
    for c in sorted(answer.citations, key=lambda c: c.n):
        messages.append(
            {
                "role": "assistant",
                "content": citation_details(c),
                "metadata": {"title": source_panel_title(c), "status": "done"},
            }
        )
    messages.append({"role": "assistant", "content": f"---\n\n{footer(answer)}\n\n{answer_label_markdown()}"})
    return messages


def footer(answer: Answer) -> str:
    """回答方式 (provider), time taken and the truthful status: which parts the model wrote."""
    seconds = answer.timings.get("total_s")
    took = f"　·　用时 {seconds:.1f} 秒" if isinstance(seconds, int | float) else ""
    line = f"回答方式：{inert(provider_label(answer.provider, answer.model))}{took}"
    status = answer_status(answer)
    return f"{line}\n\n{inert(status)}" if status else line


def queue_title(ahead: int, wait_s: float) -> str:
    """The honest queue line: requests ahead and the estimated wait, rounded up to 5 seconds."""
    wait = max(5, int(-(-wait_s // 5) * 5))
    return f"排队中：前面还有 {ahead} 个请求，预计 {wait} 秒后开始润色"


def polishing_message(title: str, draft: str) -> dict[str, Any]:
    """The clearly marked area where the model's draft streams; it never becomes the answer itself."""
    note = "（大模型草稿，核验通过后才会替换上面的回答）"
    body = f"{inert(draft)} ▍\n\n*{note}*" if draft else f"*{note}*"
    return {"role": "assistant", "content": body, "metadata": {"title": title, "status": "pending"}}


def provisional_messages(answer: Answer) -> list[dict[str, Any]]:
    """An excerpt for a weakly covered question: related material, not yet an answer."""
    return [
        {
            "role": "assistant",
            "content": inert(_shown_body(answer)),
            "metadata": {
                "title": "相关原文摘录（资料只部分涉及这个问题，正在请大模型判断）",
                "status": "done",
            },
        }
    ]


def _turn_summary(answer: Answer) -> str:
    """What a follow-up question needs from an answer: its conclusion and recommendation titles."""
    parts = [answer.conclusion.strip()] + [r.title.strip() for r in answer.recommendations]
    text = "；".join(p for p in parts if p)
    return re.sub(r"\[\d+\]", "", text) or _shown_body(answer)[:300]


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
    shown: list[dict[str, Any]] = []
    title, draft = "正在润色…", ""
    try:
        for event in adv.ask_stream(question, history=turns, provider=provider_arg(request.get("provider"))):
            if isinstance(event, Shown) and event.final:
                new_turns = [
                    *turns,
                    {"role": "user", "content": question},
                    {"role": "assistant", "content": _turn_summary(event.answer)},
                ]
                yield [*chat, *answer_messages(event.answer)], new_turns
                return
            if isinstance(event, Shown):
                shown = (
                    provisional_messages(event.answer) if event.provisional else answer_messages(event.answer)
                )
            elif isinstance(event, Queued):
                title = queue_title(event.ahead, event.wait_s)
            elif isinstance(event, Polishing):
                title, draft = "正在润色…", event.text
            yield [*chat, *shown, polishing_message(title, draft)], turns
    except (QuestionError, ProviderError) as exc:
        message = f"⚠ {inert(str(exc))}"
    except StoreError as exc:
        log.error("vector store unavailable: %s", exc)
        message = f"⚠ {inert(str(exc))}"
    except Exception as exc:
        message = f"⚠ {friendly_error(exc, '回答这个问题')}"
    else:
        message = "⚠ 没有得到回答，请换个说法再试一次。"
    yield [*chat, *shown, {"role": "assistant", "content": message}], turns


def clear_chat() -> tuple[list[Any], list[Any], str]:
    """A new conversation: empty chat, empty history, empty textbox."""
    return [], [], ""


# ---------------------------------------------------------------------------------------- layout


def chat_tab(adv: Advisor) -> None:
    """The tab's widgets and events (inside a ``gr.Tab``)."""
    turns = gr.State([])
    request = gr.State(None)
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
            provider_choices(adv), value=AUTO, label="回答方式", scale=4, elem_id="chat-provider"
        )
        clear = gr.Button("新对话", variant="secondary", scale=1, min_width=110, elem_id="new-chat")
    gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="示例问题（点击填入）")

    gr.on(
        triggers=[question.submit, send.click],
        fn=functools.partial(submit_question, adv),
        inputs=[question, chatbot, provider],
        outputs=[question, chatbot, request, send],
        api_visibility="private",
        concurrency_limit=None,
        show_progress="hidden",
    )
    request.change(
        functools.partial(respond, adv),
        [request, chatbot, turns],
        [chatbot, turns],
        concurrency_id="answer",
        concurrency_limit=WIDE_ANSWERS,
        api_visibility="private",
        show_progress="minimal",
    ).then(ready, None, [question, send], api_visibility="private", queue=False)
    clear.click(clear_chat, None, [chatbot, turns, question], api_visibility="private", queue=False)
