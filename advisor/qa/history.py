"""Follow-up questions: rewrite "那资本介入呢？" into a standalone query using a bounded history."""

from __future__ import annotations

import re
from typing import Any

from advisor.text import count_tokens

_FOLLOW_UP = re.compile(
    r"^(那|那么|还有|另外|此外|再|其中|它|其|这|该|上述|同样|如果是|换成|what about|and |how about)|呢[？?]?$|"
    r"(它|他们|这些|那些|上述|前者|后者|该项|这一点|这个|这一|(?<![应活])该)|\b(it|this|these|them|they)\b",
    re.I,
)


def normalise_history(history: list[Any] | None, budget_tokens: int) -> list[tuple[str, str]]:
    """(role, text) turns, newest kept first until the token budget is spent, returned oldest first.

    Accepts Gradio-style ``{"role", "content"}`` dicts, ``(user, assistant)`` pairs, or LangChain messages.
    """
    turns: list[tuple[str, str]] = []
    for item in history or []:
        if isinstance(item, dict):
            role, content = str(item.get("role", "user")), item.get("content", "")
            if isinstance(content, list | tuple):  # gradio 6 / OpenAI content parts
                content = " ".join(
                    c if isinstance(c, str) else str(c.get("text", "")) if isinstance(c, dict) else ""
                    for c in content
                )
            elif isinstance(content, dict):
                content = content.get("text", "")
            turns.append((role, str(content or "")))
        elif isinstance(item, list | tuple) and len(item) == 2:
            turns += [("user", str(item[0] or "")), ("assistant", str(item[1] or ""))]
        elif hasattr(item, "content"):
            role = "user" if getattr(item, "type", "") == "human" else "assistant"
            turns.append((role, str(item.content)))
    kept: list[tuple[str, str]] = []
    used = 0
    for role, text in reversed([t for t in turns if t[1].strip()]):
        text = text[:600]
        cost = count_tokens(text)
        if used + cost > budget_tokens:
            break
        kept.append((role, text))
        used += cost
    return list(reversed(kept))


def is_follow_up(question: str) -> bool:
    return len(question) <= 10 or bool(_FOLLOW_UP.search(question.strip()))


# What a question asks, around its subject: "信能比是什么？" → 信能比
_ASKING = re.compile(
    r"(请问|请|能否|可否|一下|到底|究竟)|"
    r"(是什么意思|什么意思|是什么|是指什么|指什么|是啥|的含义|的定义|怎么理解|如何理解|有哪些|有什么|包括哪些|"
    r"怎么样|如何|怎么|怎样|是否|有没有|吗|呢|what is|what are|what's)",
    re.I,
)
# A reference back to the previous subject: 这个指标, 该政策, 上述措施, 它, 其 …
_ANAPHOR = re.compile(
    r"(这个|这一|这项|这种|这些|那个|那些|(?<![应活])该|(?<![因彼如])此(?![外前后时])|上述|前述)"
    r"(指标|概念|政策|措施|文件|办法|条例|规定|方法|模式|问题|领域|技术|做法|标准|方面|要求|机制|工具|平台|计划|"
    r"行动|意见|方案|项目|内容|数据|比例|比率|指数|评估|体系)?|(?<![其尤])它们?|(?<=用)其|"
    r"\b(?:it|this|these|them|they)\b",
    re.I,
)
_LEAD = re.compile(r"^(那么|那|还有|另外|此外|再问一下|再)[，,、\s]*")


def subject(question: str) -> str:
    """The subject of a question: the question without its asking words and punctuation."""
    text = re.sub(r"[？?！!。.，,；;：:“”\"'（）()\s]+", " ", question)
    text = _ASKING.sub(" ", text)
    return " ".join(text.split()).strip()


def carry_subject(question: str, turns: list[tuple[str, str]]) -> str:
    """The follow-up with the previous question's subject in place of its reference back ("这个指标"),
    or added after it when it has none."""
    previous = next((t for r, t in reversed(turns) if r == "user"), "")
    topic = subject(previous)
    if not topic:
        return question
    body = _LEAD.sub("", question.strip())
    replaced, count = _ANAPHOR.subn(topic, body, count=1)
    if count:
        return replaced
    return f"{body}（{topic}）"


def condense(question: str, turns: list[tuple[str, str]]) -> str:
    """A standalone version of ``question``; unchanged when it does not depend on the conversation.

    No model call: the first answer must be on screen within a second, and a follow-up's subject is
    the previous question's (the answer's wording would pull in its own, often generic, terms)."""
    if not turns or not is_follow_up(question):
        return question
    return carry_subject(question, turns)
