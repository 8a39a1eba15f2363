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
from advisor.qa.sentences import short_title
from advisor.render.common import LEVEL_NAMES, display_quote
from advisor.render.markdown import answer_body_markdown, answer_label_markdown, answer_related_markdown
from advisor.types import Answer, Citation
from advisor.web.common import (
    AUTO,
    LOCAL_GROUP,
    WIDE_ANSWERS,
    friendly_error,
    inert,
    new_request,
    provider_arg,
    provider_choices,
    provider_label,
    ready,
    routes_local,
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
    request = new_request(question=text, provider=provider or AUTO)
    box, button = gr.update(value="", interactive=False), gr.update(interactive=False)
    if routes_local(adv, provider):
        return box, chat, request, gr.skip(), button
    return box, chat, gr.skip(), request, button


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
    seconds = answer.timings.get("total_s")
    took = f"　·　用时 {seconds:.1f} 秒" if isinstance(seconds, int | float) else ""
    footer = f"回答方式：{inert(provider_label(answer.provider, answer.model))}{took}"
    messages.append({"role": "assistant", "content": f"---\n\n{footer}\n\n{answer_label_markdown()}"})
    return messages


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
        message = f"⚠ {friendly_error(exc, '回答这个问题')}"
    else:
        message = "⚠ 没有得到回答，请换个说法再试一次。"
    yield [*chat, {"role": "assistant", "content": message}], turns


def clear_chat() -> tuple[list[Any], list[Any], str]:
    """A new conversation: empty chat, empty history, empty textbox."""
    return [], [], ""


# ---------------------------------------------------------------------------------------- layout


def chat_tab(adv: Advisor) -> None:
    """The tab's widgets and events (inside a ``gr.Tab``)."""
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
            provider_choices(adv), value=AUTO, label="回答方式", scale=4, elem_id="chat-provider"
        )
        clear = gr.Button("新对话", variant="secondary", scale=1, min_width=110, elem_id="new-chat")
    gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="示例问题（点击填入）")

    gr.on(
        triggers=[question.submit, send.click],
        fn=functools.partial(submit_question, adv),
        inputs=[question, chatbot, provider],
        outputs=[question, chatbot, local_req, wide_req, send],
        api_visibility="private",
        concurrency_limit=None,
        show_progress="hidden",
    )
    answer = functools.partial(respond, adv)
    for request, group, limit in ((local_req, LOCAL_GROUP, 1), (wide_req, "answer", WIDE_ANSWERS)):
        request.change(
            answer,
            [request, chatbot, turns],
            [chatbot, turns],
            concurrency_id=group,
            concurrency_limit=limit,
            api_visibility="private",
            show_progress="minimal",
        ).then(ready, None, [question, send], api_visibility="private", queue=False)
    clear.click(clear_chat, None, [chatbot, turns, question], api_visibility="private", queue=False)
