"""The model's answer: a draft streamed while it writes, then verified item by item. Whatever fails
(the call, the JSON, the citations) falls back to the extractive answer with a notice saying why."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from advisor.generation.errors import LLMFailure
from advisor.generation.prompts import load_prompt, refusal_phrase, system_prompt
from advisor.generation.providers import Provider
from advisor.generation.sources import format_sources
from advisor.generation.structured import Generation, generate_json
from advisor.index.snapshot import Snapshot
from advisor.qa.extractive import extractive_answer, finish, refusal
from advisor.retrieval.grounding import Grounding
from advisor.streams import Done, Failed, run_in_thread
from advisor.text import clean
from advisor.types import Answer, Hit, Recommendation
from advisor.verify.citations import Verifier
from advisor.verify.recommendations import ItemRules, verified_items

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "answerable": {"type": "boolean"},
        "conclusion": {"type": "string"},
        "source": {"type": "integer"},
        "quote": {"type": "string"},
        "recommendations": {
            "type": "array",
            "minItems": 1,
            "maxItems": 4,
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "actor": {"type": "string"},
                    "source": {"type": "integer"},
                    "quote": {"type": "string"},
                },
                "required": ["title", "detail", "actor", "source", "quote"],
            },
        },
    },
    "required": ["answerable", "conclusion", "source", "quote", "recommendations"],
}

ANSWER_RULES = ItemRules(quote_from_model=True)
ANSWER_MAX_TOKENS = 700


def _draft(data: dict[str, Any] | None) -> str:
    """Markdown of a partial model output, for streaming (the final text replaces it)."""
    if not data:
        return ""
    out = []
    if data.get("conclusion"):
        out.append(f"**结论**：{data['conclusion']}")
    recs = [r for r in data.get("recommendations") or [] if isinstance(r, dict) and r.get("title")]
    if recs:
        out.append("**建议**")
        out += [f"{i}. **{r.get('title', '')}**：{r.get('detail', '')}" for i, r in enumerate(recs, start=1)]
    return "\n\n".join(out)


def answer_messages(question: str, sources: str) -> list[tuple[str, str]]:
    """The chat messages of an answer call; the fixed part comes first so a local model can cache it."""
    system = system_prompt()
    user = load_prompt("answer").render(question=question, sources=sources, refusal=refusal_phrase())
    return [("system", system), ("human", user)]


def prime_local_model(model: BaseChatModel) -> float:
    """Load the local model and evaluate the answer prompt's fixed prefix (system prompt and output
    rules) into its KV cache, so the first question only pays for its own sources. Returns seconds."""
    t0 = time.perf_counter()
    (_, system), (_, user) = answer_messages("", "")
    head = user.split("〈资料〉开始")[0].rstrip()
    model.invoke([("system", system), ("human", head)], max_tokens=1)
    return time.perf_counter() - t0


def model_answer(
    provider: Provider,
    snapshot: Snapshot,
    question: str,
    standalone: str,
    hits: list[Hit],
    g: Grounding,
    t0: float,
    notice: str,
) -> Iterator[str | Answer]:
    """Yield draft deltas while the model writes, then the verified :class:`Answer`."""
    from langchain_core.utils.json import parse_partial_json

    given = hits[: provider.budget.sources]
    messages = answer_messages(standalone, format_sources(given, standalone, provider.budget.source_tokens))

    def call(emit: Any) -> Generation:
        return generate_json(
            provider.chat_model(),
            messages,
            ANSWER_SCHEMA,
            on_delta=lambda d: emit("delta", d),
            max_tokens=ANSWER_MAX_TOKENS,
            timeout_s=provider.answer_timeout_s,
        )

    buffer, shown = "", ""
    gen: Generation | None = None
    for event in run_in_thread(call, name="advisor-answer"):
        if isinstance(event, Failed):
            exc = event.error
            failure = (
                exc
                if isinstance(exc, LLMFailure)  # never let a provider bug reach the user
                else LLMFailure("other", f"大模型调用出错（{type(exc).__name__}），已改用抽取式回答")
            )
            yield extractive_answer(
                snapshot, question, standalone, hits, t0, notice=_join(notice, failure.notice)
            )
            return
        if isinstance(event, Done):
            gen = event.value
            break
        if event is None:
            continue
        buffer += event[1]
        try:
            partial = parse_partial_json(buffer) if buffer.strip() else None
        except ValueError:  # not JSON (yet, or at all): the final parse decides
            partial = None
        draft = _draft(partial if isinstance(partial, dict) else None)
        if draft.startswith(shown) and len(draft) > len(shown):
            yield draft[len(shown) :]
            shown = draft
    assert gen is not None
    yield _verified(provider, snapshot, question, standalone, hits, given, g, gen, t0, notice)


def _verified(
    provider: Provider,
    snapshot: Snapshot,
    question: str,
    standalone: str,
    hits: list[Hit],
    given: list[Hit],
    g: Grounding,
    gen: Generation,
    t0: float,
    notice: str,
) -> Answer:
    data = gen.data or {}
    timings = {"ttft_s": round(gen.ttft_s or 0.0, 3), "generate_s": round(gen.seconds, 3)}
    tokens = {"prompt": gen.prompt_tokens, "completion": gen.completion_tokens}
    verifier = Verifier(given)
    if data.get("answerable") is False:
        if g.coverage >= 0.85:
            ans = extractive_answer(
                snapshot,
                question,
                standalone,
                hits,
                t0,
                notice=_join(notice, "模型认为资料不足，以下为资料原文摘录"),
            )
        else:
            ans = refusal(question, standalone, hits, g, provider.name, t0, notice=notice)
    else:
        head: list[int] = []
        conclusion = clean(str(data.get("conclusion") or ""))
        if conclusion:
            n = verifier.cite(data.get("source"), str(data.get("quote") or ""), conclusion)
            if n is None or not verifier.check_claim(Recommendation(title=conclusion, citations=[n])):
                conclusion = ""
            else:
                head = [n]
        recs = verified_items(data.get("recommendations"), verifier, ANSWER_RULES)
        if not head and not recs:
            ans = extractive_answer(
                snapshot,
                question,
                standalone,
                hits,
                t0,
                notice=_join(notice, "模型回答未通过引用核验，已改用抽取式回答"),
            )
            ans.verification = verifier.stats
        else:
            if not conclusion:  # the first verified item stands in for a missing conclusion
                conclusion, head = recs[0].title, list(recs[0].citations)
            answer = Answer(
                question=question,
                standalone_question=standalone,
                text="",
                conclusion=conclusion,
                recommendations=recs,
                provider=provider.name,
                model=gen.model or provider.label,
                notice=notice,
                hits=given,
            )
            ans = finish(answer, verifier, head, t0)
    ans.timings.update(timings)
    ans.tokens = tokens
    return ans


def _join(*notices: str) -> str:
    return "；".join(n for n in notices if n)
