"""The chat as the model improves an answer (issue 15): the verified extractive answer is on screen
first, the model's draft streams only into a marked "正在润色…" area, the final answer replaces it
and its footer says which parts the model wrote. Real index; the chat model is a deterministic fake."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from advisor.service import Advisor
from advisor.web.chat import queue_title, respond

QUESTION = "生成式人工智能服务提供者需要履行哪些义务？"


def test_queue_line_is_honest_and_plain() -> None:
    assert queue_title(2, 41.0) == "排队中：前面还有 2 个请求，预计 45 秒后开始润色"
    assert queue_title(1, 0.3) == "排队中：前面还有 1 个请求，预计 5 秒后开始润色"


@pytest.mark.integration
def test_extractive_first_draft_in_its_own_area_then_the_improvement(
    corpus_advisor: Advisor, fake_llm: Callable[..., Any]
) -> None:
    hits = corpus_advisor.retrieve(QUESTION, k=corpus_advisor.settings.top_k)
    quote = next(s.strip() for s in re.split(r"(?<=[。；])", hits[0].text) if len(s.strip()) > 12)
    reply = {
        "answerable": True,
        "conclusion": "服务提供者须依法履行网络信息内容生产者责任。",
        "source": 1,
        "quote": quote,
        "recommendations": [
            {"title": "落实主体责任", "detail": quote, "actor": "服务提供者", "source": 1, "quote": quote}
        ],
    }
    settings = corpus_advisor.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    adv = Advisor(settings=settings, llm=fake_llm(reply))
    request = {"id": "x", "question": QUESTION, "provider": "openai"}
    updates = [chat for chat, _ in respond(adv, request, [], [])]
    extractive = updates[1]
    assert "回答方式：抽取式" in extractive[-2]["content"]  # footer of the shown answer
    assert extractive[-1]["metadata"]["title"] == "正在润色…"
    drafts = [u[-1]["content"] for u in updates[1:-1]]
    assert all("大模型草稿" in d for d in drafts)
    assert any("服务提供者须依法履行" in d for d in drafts)  # the draft streams, in its own area
    # the shown answer never changes while the model writes
    assert all(u[0]["content"] == extractive[0]["content"] for u in updates[1:-1])
    final = updates[-1]
    assert "服务提供者须依法履行" in final[0]["content"]
    assert not any(m.get("metadata", {}).get("status") == "pending" for m in final)
    assert "结论、建议由大模型撰写（已核验引用）" in final[-1]["content"]
