"""Follow-up questions: rewrite "那资本介入呢？" into a standalone query using a bounded history."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from advisor.generation.prompts import load_prompt
from advisor.text import count_tokens

_FOLLOW_UP = re.compile(
    r"^(那|那么|还有|另外|此外|再|其中|它|其|这|该|上述|同样|如果是|换成|what about|and |how about)|呢[？?]?$|"
    r"(它|他们|这些|那些|上述|前者|后者|该项|这一点)",
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


def heuristic(question: str, turns: list[tuple[str, str]]) -> str:
    previous = next((t for r, t in reversed(turns) if r == "user"), "")
    return f"{question}（{previous}）" if previous else question


def condense(question: str, turns: list[tuple[str, str]], llm: Callable[[], Any] | None = None) -> str:
    """A standalone version of ``question``; unchanged when it does not depend on the conversation."""
    if not turns or not is_follow_up(question):
        return question
    if llm is None:
        return heuristic(question, turns)
    history = "\n".join(f"{'用户' if r == 'user' else '顾问'}：{t[:300]}" for r, t in turns[-4:])
    prompt = load_prompt("condense").render(history=history, question=question)
    try:
        reply = llm().invoke([("human", prompt)], max_tokens=80)
        text = str(getattr(reply, "content", reply)).strip().splitlines()[0].strip() if reply else ""
    except Exception:
        return heuristic(question, turns)
    if not text or len(text) > 200 or text.startswith(("{", "[")):
        return heuristic(question, turns)
    return text
