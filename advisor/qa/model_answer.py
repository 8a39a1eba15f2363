"""The model's improvement of a shown answer, within a time budget and the model's queue.

The verified extractive answer is already on screen. The model is asked for a direct conclusion and
actions with actors; its draft streams as :class:`Polishing` (display only) and its output replaces the
shown parts only after verification (:mod:`advisor.qa.improve`). A late, failed or rejected improvement
leaves the shown answer as it is; ``Answer.refinement`` says why and the reason goes to the log, never
into the answer. Under load (the local model's queue would outlast the budget) the model is not asked.

The model is also a second answerability signal: on a question the sources only weakly cover, its
``answerable=false`` or an answer that fails verification turns the provisional excerpt into a refusal.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from advisor.generation.errors import LLMFailure
from advisor.generation.local_chat import ChatLocalWorker
from advisor.generation.prompts import load_prompt, refusal_phrase, system_prompt
from advisor.generation.providers import Provider
from advisor.generation.sources import format_sources
from advisor.generation.structured import Generation, generate_json, trim_capped
from advisor.qa.events import AnswerEvent, Polishing, Queued, Shown
from advisor.qa.extractive import refusal
from advisor.qa.improve import ANSWER_RULES, merge
from advisor.render.markdown import answer_to_markdown
from advisor.retrieval.grounding import Grounding
from advisor.streams import Done, Failed, run_in_thread
from advisor.types import Answer, Hit, Refinement

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)

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
            "maxItems": 3,
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

# The local model writes ~13 tokens/s on 2 cores: it names its sources and the verifier picks the quotes
# (verbatim by construction), which halves what it writes; at most two recommendations, and every string
# is capped (llama.cpp's grammar enforces maxLength) so the whole output fits the 30 s it has.
LOCAL_CAPS = {"conclusion": 64, "title": 16, "detail": 44, "actor": 12}
LOCAL_ITEMS = 2


def _local_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without quotes, with capped strings, at most ``LOCAL_ITEMS`` recommendations."""

    def shape(obj: dict[str, Any]) -> dict[str, Any]:
        props = {
            k: {**v, "maxLength": LOCAL_CAPS[k]} if k in LOCAL_CAPS else v
            for k, v in obj["properties"].items()
            if k != "quote"
        }
        return {
            **obj,
            "properties": props,
            "required": [k for k in obj["required"] if k != "quote"],
            "additionalProperties": False,
        }

    out = shape(schema)
    recs = out["properties"]["recommendations"]
    out["properties"]["recommendations"] = {**recs, "maxItems": LOCAL_ITEMS, "items": shape(recs["items"])}
    return out


LOCAL_SCHEMA: dict[str, Any] = _local_schema(ANSWER_SCHEMA)
ANSWER_MAX_TOKENS = 450
LOCAL_MAX_TOKENS = 260
LOCAL_BUDGET_S = 45.0  # longest a local refinement may take, queueing included
_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2,}")  # a Chinese character or an English word
_ANSWER_CHARS = 4  # fewer characters or words than this, once the sources' headers are removed, say nothing
EXCERPTS = 4  # passages a refusal after the model's judgment keeps from the excerpt shown before it
WEAK_COVERAGE = 0.60  # grounding below this passed only weakly: the model's judgment decides (dev: 27 of 143 answerable, 3 of 13 grounded out-of-corpus questions)


def _draft(data: dict[str, Any] | None) -> str:
    """Markdown of a partial model output, for the "正在润色…" area."""
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


def answer_messages(question: str, sources: str, local: bool = False) -> list[tuple[str, str]]:
    """The chat messages of an answer call; the fixed part comes first so a local model can cache it.
    The local model gets the prompt of its shorter schema (no quotes, capped strings)."""
    system = system_prompt()
    prompt = load_prompt("answer_local" if local else "answer")
    user = prompt.render(question=question, sources=sources, refusal=refusal_phrase())
    return [("system", system), ("human", user)]


def prime_local_model(model: BaseChatModel) -> float:
    """Load the local model and evaluate the answer prompt's fixed prefix (system prompt and output
    rules) into its KV cache, so the first question only pays for its own sources. Returns seconds."""
    t0 = time.perf_counter()
    (_, system), (_, user) = answer_messages("", "", local=True)
    head = user.split("〈资料〉开始")[0].rstrip()
    model.invoke([("system", system), ("human", head)], max_tokens=1)
    return time.perf_counter() - t0


def budget_s(provider: Provider) -> float:
    """Seconds a refinement may take: the local model's are short (people are waiting for it)."""
    if provider.is_local:
        return min(provider.answer_timeout_s, LOCAL_BUDGET_S)
    return provider.answer_timeout_s


def refine(
    provider: Provider,
    question: str,
    standalone: str,
    hits: list[Hit],
    g: Grounding,
    shown: Answer,
    t0: float,
    budget: float | None = None,
) -> Iterator[AnswerEvent]:
    """Improve ``shown`` with the model: yields :class:`Queued` and :class:`Polishing` while it works,
    then the final :class:`Shown` (the improvement, or ``shown`` with the reason it stayed)."""
    from langchain_core.utils.json import parse_partial_json

    weak = g.coverage < WEAK_COVERAGE
    budget = budget if budget is not None else budget_s(provider)
    model = provider.chat_model()
    worker = model.worker if isinstance(model, ChatLocalWorker) else None
    if worker is not None:
        if worker.status()["state"] != "ready":  # loading the model is not the answer's budget
            try:
                worker.ensure_started()
            except Exception as error:  # crashed, disabled: the shown answer stays
                log.warning("local model unavailable: %s", type(error).__name__)
                yield Shown(_kept(shown, "failed"), final=True)
                return
        status = worker.queue_status()
        if status.ahead and status.wait_s + worker.queue.typical_s() > budget:
            log.info("refinement skipped: %d ahead, about %.0fs wait", status.ahead, status.wait_s)
            yield Shown(_kept(shown, "skipped"), final=True)
            return
        if status.ahead:
            yield Queued(status.ahead, status.wait_s)
    given = hits[: provider.budget.sources]
    sources = format_sources(given, standalone, provider.budget.source_tokens)
    messages = answer_messages(standalone, sources, local=provider.is_local)
    owner: list[int] = []

    def call(emit: Any) -> Generation:
        owner.append(threading.get_ident())
        return generate_json(
            model,
            messages,
            LOCAL_SCHEMA if provider.is_local else ANSWER_SCHEMA,
            on_delta=lambda d: emit("delta", d),
            max_tokens=LOCAL_MAX_TOKENS if provider.is_local else ANSWER_MAX_TOKENS,
            timeout_s=budget,
        )

    buffer, shown_draft, last_queue, cut = "", "", None, False
    gen: Generation | None = None
    for event in run_in_thread(call, name="advisor-refine", heartbeat_s=1.0):
        if isinstance(event, Failed):
            exc = event.error
            kind = exc.kind if isinstance(exc, LLMFailure) else "other"
            log.warning("refinement failed (%s): %s", kind, type(exc).__name__)
            salvaged = _salvage(exc, parse_partial_json)  # JSON cut off at the token limit
            if salvaged is None:
                yield Shown(_kept(shown, "timeout" if kind == "timeout" else "failed"), final=True)
                return
            gen, cut = salvaged, True
            break
        if isinstance(event, Done):
            gen = event.value
            break
        if event is None:  # heartbeat: where our request stands in the queue
            if worker is not None and owner and not buffer:
                status = worker.queue_status(owner[0])
                if status.ahead and (status.ahead, round(status.wait_s)) != last_queue:
                    last_queue = (status.ahead, round(status.wait_s))
                    yield Queued(status.ahead, status.wait_s)
            continue
        buffer += event[1]
        try:
            partial = parse_partial_json(buffer) if buffer.strip() else None
        except ValueError:  # not JSON (yet, or at all): the final parse decides
            partial = None
        draft = _draft(partial if isinstance(partial, dict) else None)
        if draft and draft != shown_draft:
            shown_draft = draft
            yield Polishing(draft)
    assert gen is not None
    yield Shown(_judged(provider, question, standalone, hits, g, shown, gen, t0, weak, cut), final=True)


def _judged(
    provider: Provider,
    question: str,
    standalone: str,
    hits: list[Hit],
    g: Grounding,
    shown: Answer,
    gen: Generation,
    t0: float,
    weak: bool,
    cut: bool,
) -> Answer:
    data = trim_capped(gen.data or {}, LOCAL_SCHEMA) if provider.is_local else gen.data or {}
    tokens = {"prompt": gen.prompt_tokens, "completion": gen.completion_tokens}
    timings = {"ttft_s": round(gen.ttft_s or 0.0, 3), "generate_s": round(gen.seconds, 3)}
    declined = data.get("answerable") is False
    improved, checked = (
        (None, None) if declined else merge(shown, data, hits, provider.budget.sources, standalone, t0)
    )
    if improved is not None:
        improved.provider, improved.model = provider.name, gen.model or provider.label
        out = improved
    elif cut or (not declined and _echoes_sources(data, hits[: provider.budget.sources])):
        out = _kept(shown, "failed")  # the model's failure to answer, not a judgment on the sources
    elif weak:  # the model's judgment joins grounding's weak pass: the sources do not answer
        log.info(
            "weakly grounded question refused after the model (%s)", "declined" if declined else "rejected"
        )
        out = refusal(question, standalone, hits, g, provider.name, t0, notice=shown.notice)
        out.refinement = "declined" if declined else "rejected"
        # what the user read while the model judged stays, as related material that does not answer
        out.excerpts = [c.model_copy(update={"n": i}) for i, c in enumerate(shown.citations[:EXCERPTS], 1)]
        out.text = answer_to_markdown(out)
    else:
        out = _kept(shown, "declined" if declined else "rejected")
    if improved is None and checked is not None:  # what verification did to the rejected output
        out.verification = checked
    out.timings.update(timings)
    out.tokens = tokens
    return out


def _echoes_sources(data: dict[str, Any], given: list[Hit]) -> bool:
    """Whether everything the model wrote only repeats the sources' headers (title, issuer, date,
    section): a small model's way of not answering, which says nothing about what the sources hold."""
    parts: list[str] = []
    for h in given:
        issuer = str(h.meta.get("issuer") or "")
        parts += [
            h.title,
            h.title.split("——")[0],
            issuer,
            issuer.split("（")[0],
            str(h.meta.get("date") or ""),
        ]
        parts += re.split(r"\s*>\s*", h.section)
    parts = sorted({p.strip() for p in parts if p.strip()}, key=len, reverse=True)
    recs = [r for r in data.get("recommendations") or [] if isinstance(r, dict)]
    texts = [data.get("conclusion"), *(r.get(k) for r in recs for k in ("title", "detail"))]
    for text in (str(t or "") for t in texts):
        for part in parts:
            text = text.replace(part, "")
        if len(_WORD.findall(text)) >= _ANSWER_CHARS:
            return False
    return True


def _salvage(exc: BaseException, parse: Any) -> Generation | None:
    """A cut-off JSON answer still holds whole items: keep what parses (verification decides)."""
    if not isinstance(exc, LLMFailure) or exc.kind != "garbage" or not exc.text.strip():
        return None
    try:
        data = parse(exc.text)
    except ValueError:
        return None
    return Generation(text=exc.text, data=data, finish_reason="length") if isinstance(data, dict) else None


def _kept(shown: Answer, why: Refinement) -> Answer:
    """The shown answer, final as it is, saying why the model did not improve it."""
    kept = shown.model_copy(update={"refinement": why, "timings": dict(shown.timings)})
    return kept


__all__ = ["ANSWER_RULES", "ANSWER_SCHEMA", "answer_messages", "prime_local_model", "refine"]
