"""Question → verified, cited ``Answer``. Streams a draft while the model writes; the final answer is
always the verified one. Any model fault falls back to the extractive answer with a visible notice."""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from advisor.generation.errors import LLMFailure
from advisor.generation.prompts import load_prompt, refusal_phrase, system_prompt
from advisor.generation.providers import model_label, resolve_provider
from advisor.generation.structured import generate_json
from advisor.qa.extractive import compose
from advisor.qa.history import condense, normalise_history
from advisor.retrieval.grounding import Grounding, assess
from advisor.text import QuestionError, clean, clean_question, count_tokens, squash
from advisor.types import Answer, Hit, Recommendation
from advisor.verify.citations import Verifier, best_sentence, unsupported_numbers

if TYPE_CHECKING:
    from advisor.service import Advisor

LLM_SOURCES = {"local": 4, "openai": 6}
SOURCE_TOKENS = {"local": 200, "openai": 400}
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


def excerpt(text: str, question: str, max_tokens: int) -> str:
    """A contiguous window of the chunk around its best sentence, within a token budget."""
    if count_tokens(text) <= max_tokens:
        return text
    best, _ = best_sentence(question, text)
    at = text.find(best) if best else 0
    start, end = max(0, at), max(0, at) + max(len(best), 1)
    while count_tokens(text[start:end]) < max_tokens and (start > 0 or end < len(text)):
        start, end = max(0, start - 40), min(len(text), end + 60)
    return text[start:end]


_FRAME = re.compile(r"〈(\s*/?\s*)资料")


def _unframed(text: str) -> str:
    """Document text that cannot open or close a 〈资料〉 frame (a document is data, never the prompt)."""
    return _FRAME.sub(lambda m: "〈" + m.group(1) + "引文", text)


def format_sources(hits: list[Hit], question: str, max_tokens: int) -> str:
    blocks = []
    for i, h in enumerate(hits, start=1):
        issuer = str(h.meta.get("issuer") or "").split("（")[0]
        meta = "，".join(str(x) for x in (issuer, h.meta.get("date")) if x)
        title = h.title.split("——")[0].strip()  # subtitles cost tokens and say little to the model
        head = f"《{title}》" + (f"（{meta}）" if meta else "") + (f" 章节：{h.section}" if h.section else "")
        body = excerpt(h.text, question, max_tokens)
        blocks.append(f"〈资料 key={i}〉{_unframed(head)}\n{_unframed(body)}\n〈/资料〉")
    return "\n".join(blocks)


def _finish(answer: Answer, verifier: Verifier, head_cites: list[int], t0: float) -> Answer:
    from advisor.render.export import answer_to_markdown

    kept = [r for r in answer.recommendations if verifier.check_claim(r)]
    answer.citations = verifier.used(kept, head_cites)
    answer.recommendations = kept
    if answer.conclusion and head_cites:
        answer.conclusion += "".join(f"[{n}]" for n in head_cites)
    answer.verification = verifier.stats
    answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
    answer.text = answer_to_markdown(answer)
    return answer


def refusal(
    question: str, standalone: str, hits: list[Hit], g: Grounding, provider: str, t0: float, notice: str = ""
) -> Answer:
    from advisor.render.export import answer_to_markdown

    related = list(dict.fromkeys(h.title for h in hits[:4]))
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=f"{refusal_phrase()}。"
        + (f"（{g.reason}：{'、'.join(g.missing[:4])}）" if g.missing else ""),
        grounded=False,
        provider=provider,
        notice=notice,
        related=related,
        hits=hits,
    )
    answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
    answer.text = answer_to_markdown(answer)
    return answer


def extractive_answer(
    adv: Advisor, question: str, standalone: str, hits: list[Hit], t0: float, notice: str = ""
) -> Answer:
    verifier = Verifier(hits)
    conclusion, head, recs = compose(standalone, hits, verifier, adv.snapshot.keyword)
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=conclusion,
        recommendations=recs,
        provider="extractive",
        model="extractive",
        notice=notice,
        hits=hits,
    )
    return _finish(answer, verifier, head, t0)


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


def prime_local_model(adv: Advisor) -> float:
    """Load the local model and evaluate the answer prompt's fixed prefix (system prompt and output
    rules) into its KV cache, so the first question only pays for its own sources. Returns seconds."""
    t0 = time.perf_counter()
    (_, system), (_, user) = answer_messages("", "")
    head = user.split("〈资料〉开始")[0].rstrip()
    adv.llm("local").invoke([("system", system), ("human", head)], max_tokens=1)
    return time.perf_counter() - t0


def _llm_answer(
    adv: Advisor,
    provider: str,
    question: str,
    standalone: str,
    hits: list[Hit],
    g: Grounding,
    t0: float,
    notice: str,
) -> Iterator[str | Answer]:
    from langchain_core.utils.json import parse_partial_json

    settings = adv.settings
    given = hits[: LLM_SOURCES.get(provider, 4)]
    sources = format_sources(given, standalone, SOURCE_TOKENS.get(provider, 300))
    messages = answer_messages(standalone, sources)
    deltas: queue.Queue[tuple[str, Any]] = queue.Queue()

    def run() -> None:
        try:
            gen = generate_json(
                adv.llm(provider),
                messages,
                ANSWER_SCHEMA,
                on_delta=lambda d: deltas.put(("delta", d)),
                max_tokens=700,
                timeout_s=settings.local_timeout_s if provider == "local" else settings.llm_timeout_s,
            )
            deltas.put(("done", gen))
        except LLMFailure as exc:
            deltas.put(("fail", exc))
        except Exception as exc:  # never let a provider bug reach the user
            deltas.put(
                ("fail", LLMFailure("other", f"大模型调用出错（{type(exc).__name__}），已改用抽取式回答"))
            )

    threading.Thread(target=run, daemon=True).start()
    buffer, shown = "", ""
    while True:
        kind, payload = deltas.get()
        if kind == "delta":
            buffer += payload
            try:
                partial = parse_partial_json(buffer) if buffer.strip() else None
            except ValueError:  # not JSON (yet, or at all): the final parse decides
                partial = None
            draft = _draft(partial if isinstance(partial, dict) else None)
            if draft.startswith(shown) and len(draft) > len(shown):
                yield draft[len(shown) :]
                shown = draft
            continue
        if kind == "fail":
            yield extractive_answer(adv, question, standalone, hits, t0, notice=_join(notice, payload.notice))
            return
        gen = payload
        break
    data = gen.data or {}
    timings = {"ttft_s": round(gen.ttft_s or 0.0, 3), "generate_s": round(gen.seconds, 3)}
    tokens = {"prompt": gen.prompt_tokens, "completion": gen.completion_tokens}
    if data.get("answerable") is False:
        if g.coverage >= 0.85:
            ans = extractive_answer(
                adv,
                question,
                standalone,
                hits,
                t0,
                notice=_join(notice, "模型认为资料不足，以下为资料原文摘录"),
            )
        else:
            ans = refusal(question, standalone, hits, g, provider, t0, notice=notice)
        ans.timings.update(timings)
        ans.tokens = tokens
        yield ans
        return
    verifier = Verifier(given)
    head: list[int] = []
    conclusion = clean(str(data.get("conclusion") or ""))
    if conclusion:
        n = verifier.cite(data.get("source"), str(data.get("quote") or ""), conclusion)
        if n is None or not verifier.check_claim(Recommendation(title=conclusion, citations=[n])):
            conclusion = ""
        else:
            head = [n]
    recs: list[Recommendation] = []
    for raw in data.get("recommendations") or []:
        if not isinstance(raw, dict):
            continue
        title, detail = clean(str(raw.get("title") or "")), clean(str(raw.get("detail") or ""))
        if not title and not detail:
            continue
        n = verifier.cite(raw.get("source"), str(raw.get("quote") or ""), f"{title} {detail}")
        recs.append(
            Recommendation(
                title=title or detail[:20],
                detail=detail,
                actor=clean(str(raw.get("actor") or "")),
                citations=[n] if n else [],
            )
        )
    # only claims that will survive verification may stand in for a missing conclusion
    supported = [r for r in recs if r.citations and _numbers_sourced(verifier, r)]
    if not head and not supported:
        ans = extractive_answer(
            adv,
            question,
            standalone,
            hits,
            t0,
            notice=_join(notice, "模型回答未通过引用核验，已改用抽取式回答"),
        )
        ans.verification = verifier.stats
        ans.timings.update(timings)
        ans.tokens = tokens
        yield ans
        return
    if not conclusion:
        conclusion = supported[0].title if supported else ""
        head = list(supported[0].citations) if supported else []
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=conclusion,
        recommendations=recs,
        provider=provider,
        model=gen.model or model_label(settings, provider),
        notice=notice,
        hits=given,
        timings=timings,
        tokens=tokens,
    )
    yield _finish(answer, verifier, head, t0)


def _numbers_sourced(verifier: Verifier, rec: Recommendation) -> bool:
    """True when every number of ``rec`` occurs in a chunk it cites (the check ``_finish`` applies)."""
    cited = {c.chunk_id for c in verifier.citations if c.n in rec.citations}
    texts = [h.text for h in verifier.hits if h.chunk_id in cited]
    return not unsupported_numbers(f"{rec.title} {rec.detail}", texts)


def _join(*notices: str) -> str:
    return "；".join(n for n in notices if n)


def stream_answer(
    adv: Advisor, question: str, history: list[Any] | None = None, provider: str | None = None
) -> Iterator[str | Answer]:
    t0 = time.perf_counter()
    settings = adv.settings
    text, notice = clean_question(question, settings.max_question_chars)
    chosen = resolve_provider(settings, provider)
    turns = normalise_history(history, settings.history_tokens)
    llm = None if chosen == "extractive" else (lambda: adv.llm(chosen))
    standalone = condense(text, turns, llm)
    t_r = time.perf_counter()
    hits = adv.retrieve(standalone, k=settings.top_k)
    retrieve_s = round(time.perf_counter() - t_r, 3)
    g = assess(standalone, hits, adv.snapshot.keyword)
    if not g.grounded:
        ans = refusal(text, standalone, hits, g, chosen, t0, notice=notice)
        ans.timings["retrieve_s"] = retrieve_s
        yield ans
        return
    if chosen == "extractive":
        ans = extractive_answer(adv, text, standalone, hits, t0, notice=notice)
        ans.timings["retrieve_s"] = retrieve_s
        for part in re.split(r"(?<=\n\n)", ans.text):
            if part:
                yield part
        yield ans
        return
    for item in _llm_answer(adv, chosen, text, standalone, hits, g, t0, notice):
        if isinstance(item, Answer):
            item.timings["retrieve_s"] = retrieve_s
        yield item


def answer_question(
    adv: Advisor, question: str, history: list[Any] | None = None, provider: str | None = None
) -> Answer:
    final: Answer | None = None
    for item in stream_answer(adv, question, history=history, provider=provider):
        if isinstance(item, Answer):
            final = item
    assert final is not None
    return final


__all__ = [
    "ANSWER_SCHEMA",
    "QuestionError",
    "answer_question",
    "prime_local_model",
    "squash",
    "stream_answer",
]
