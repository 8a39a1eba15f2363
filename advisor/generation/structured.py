""":func:`generate_json`: one streamed call constrained to a JSON schema, with every runtime fault mapped to
:class:`LLMFailure` (``kind`` + a short Chinese ``notice``) so callers can fall back to the extractive
result. How the schema reaches each provider:

- local: ``create_chat_completion(response_format={"type": "json_object", "schema": schema})``
  (llama.cpp compiles the schema into a grammar, so output is valid JSON by construction).
- openai: the first of three request shapes that the server does not reject is used
  (HTTP 400/415/422, or any error status whose message names ``response_format``/``json_schema``,
  before any output) and remembered per (base URL, model) for the life of the process:
  1. ``{"type": "json_schema", "json_schema": {"name": ..., "schema": ..., "strict": false}}``
     (OpenAI, vLLM, recent Ollama);
  2. ``{"type": "json_object", "schema": ...}`` (llama-cpp-python's server refuses 1. with HTTP 500 and
     a validation message naming ``response_format``, so such 5xx count as a refusal too);
  3. no ``response_format``; the schema is appended to the system prompt and the JSON is extracted.
  ``response_format`` and ``max_tokens`` travel in ``extra_body``: ChatOpenAI would otherwise rename
  ``max_tokens`` to ``max_completion_tokens`` (ignored by llama.cpp's server) and switch to the SDK's
  beta streaming helper when it sees ``response_format``.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    BaseMessage,
    SystemMessage,
    convert_to_messages,
)
from pydantic import BaseModel, ConfigDict, Field

from advisor.generation import local_model
from advisor.generation.errors import FALLBACK, LLMFailure, ProviderError
from advisor.generation.local_chat import ChatLocalWorker
from advisor.generation.local_chat import message_text as _text
from advisor.generation.secrets import redact
from advisor.generation.supervisor import WorkerCrashed, WorkerDisabled

log = logging.getLogger(__name__)

_FORMAT_MODES = ("json_schema", "json_object", "plain")


class Generation(BaseModel):
    """Result of :func:`generate_json`."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="Raw model output.")
    data: dict[str, Any] | None = Field(default=None, description="Parsed JSON object.")
    ttft_s: float | None = Field(default=None, description="Seconds until the first text delta.")
    seconds: float = Field(default=0.0, description="Total seconds of the call.")
    prompt_tokens: int = 0
    completion_tokens: int = 0
    tokens_estimated: bool = Field(
        default=False,
        description="True when the server sent no usage and completion tokens were counted as deltas.",
    )
    model: str = Field(default="", description="Model name reported by the provider.")
    finish_reason: str = Field(default="", description="'stop', 'length' … as reported by the provider.")
    format_mode: str = Field(
        default="", description="How the schema was sent: json_schema, json_object, plain, none."
    )

    @property
    def tokens_per_s(self) -> float:
        gen = self.seconds - (self.ttft_s or 0.0)
        return self.completion_tokens / gen if gen > 0 and self.completion_tokens else 0.0


# ---------------------------------------------------------------------------------------------------------
# generate_json

_format_modes: dict[tuple[str, str], str] = {}


def forget_formats() -> None:
    """Forget which request shape each OpenAI-compatible server accepted."""
    _format_modes.clear()


def generate_json(
    model: BaseChatModel,
    messages: Sequence[Any],
    schema: dict[str, Any],
    on_delta: Callable[[str], None] | None = None,
    max_tokens: int = 1024,
    timeout_s: float | None = None,
) -> Generation:
    """Stream a completion constrained to ``schema`` and parse it.

    ``messages``: LangChain messages or anything ``convert_to_messages`` accepts (``("system", "…")``,
    ``{"role": …, "content": …}``). ``on_delta`` gets each text delta. ``timeout_s`` bounds the whole call
    (default: the model's own timeout). Raises :class:`LLMFailure` for any runtime fault; nothing else.
    """
    start = time.perf_counter()
    deadline = timeout_s if timeout_s is not None else _model_timeout(model)
    try:
        msgs = convert_to_messages(messages)
    except Exception as exc:
        raise ProviderError(f"消息格式无效：{exc}") from exc
    if _is_openai(model):
        key = (str(getattr(model, "openai_api_base", "") or ""), str(getattr(model, "model_name", "")))
        modes = _FORMAT_MODES[_FORMAT_MODES.index(_format_modes.get(key, _FORMAT_MODES[0])) :]
        for i, mode in enumerate(modes):
            try:
                gen = _stream_once(model, msgs, schema, mode, on_delta, max_tokens, start, deadline)
            except _FormatRejected as exc:
                if i + 1 < len(modes):
                    log.info(
                        "server rejected response_format %s (HTTP %s); trying %s",
                        mode,
                        exc.status,
                        modes[i + 1],
                    )
                    continue
                raise _failure(exc.cause, deadline) from None
            _format_modes[key] = mode
            return gen
        raise AssertionError("unreachable")
    mode = "json_object" if isinstance(model, ChatLocalWorker) else "none"
    try:
        return _stream_once(model, msgs, schema, mode, on_delta, max_tokens, start, deadline)
    except _FormatRejected as exc:
        raise _failure(exc.cause, deadline) from None


class _CallbackError(Exception):
    """An exception raised by the caller's ``on_delta``: passed through unchanged."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class _FormatRejected(Exception):
    def __init__(self, status: int, cause: BaseException) -> None:
        super().__init__(status)
        self.status = status
        self.cause = cause


def _stream_once(
    model: BaseChatModel,
    msgs: list[BaseMessage],
    schema: dict[str, Any],
    mode: str,
    on_delta: Callable[[str], None] | None,
    max_tokens: int,
    start: float,
    deadline: float | None,
) -> Generation:
    kwargs: dict[str, Any] = {}
    if mode == "json_schema":
        name = re.sub(r"[^A-Za-z0-9_-]", "_", str(schema.get("title") or "response"))[:64] or "response"
        fmt: dict[str, Any] | None = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": schema, "strict": False},
        }
    elif mode == "json_object":
        fmt = {"type": "json_object", "schema": schema}
    else:
        fmt = None
    if mode == "plain":
        msgs = _with_schema_instruction(msgs, schema)
    if _is_openai(model):
        body: dict[str, Any] = {"max_tokens": max_tokens}
        if fmt:
            body["response_format"] = fmt
        kwargs["extra_body"] = body
    elif isinstance(model, ChatLocalWorker):
        kwargs["max_tokens"] = max_tokens
        if deadline is not None:  # bounds the wait in the worker's queue too, not only the stream
            kwargs["timeout_s"] = max(deadline - (time.perf_counter() - start), 0.1)
        if fmt:
            kwargs["response_format"] = fmt
    text_parts: list[str] = []
    ttft: float | None = None
    usage: dict[str, Any] = {}
    deltas = 0
    reported = ""
    finish = ""
    try:
        stream = model.stream(msgs, **kwargs)
        try:
            for chunk in stream:
                piece = _text(chunk.content)
                if piece:
                    if ttft is None:
                        ttft = time.perf_counter() - start
                    deltas += 1
                    text_parts.append(piece)
                    if on_delta is not None:
                        try:
                            on_delta(piece)
                        except Exception as exc:
                            raise _CallbackError(exc) from exc
                meta = chunk.response_metadata or {}
                reported = str(meta.get("model_name") or reported)
                finish = str(meta.get("finish_reason") or finish)
                if chunk.usage_metadata:
                    usage = dict(chunk.usage_metadata)
                if deadline is not None and time.perf_counter() - start > deadline:
                    raise TimeoutError(f"generation exceeded {deadline:g}s")
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
    except LLMFailure:
        raise
    except _CallbackError as exc:
        raise exc.error from None
    except Exception as exc:
        status = _status(exc)
        if mode in ("json_schema", "json_object") and not text_parts and _rejects_format(exc, status):
            raise _FormatRejected(status or 0, exc) from exc
        raise _failure(exc, deadline, "".join(text_parts)) from None
    text = "".join(text_parts)
    seconds = time.perf_counter() - start
    data = parse_json_object(text)
    if data is None:
        log.warning("model output is not a JSON object: %r", redact(text[:200]))
        truncated = finish == "length"
        raise LLMFailure(
            "garbage",
            f"大模型输出达到长度上限（{max_tokens} tokens）被截断，{FALLBACK}"
            if truncated
            else f"大模型输出不是有效的 JSON，{FALLBACK}",
            detail=f"unparseable output ({len(text)} chars, finish_reason={finish or '?'})",
            text=text,
        )
    prompt_tokens = int(usage.get("input_tokens") or 0)
    completion_tokens = int(usage.get("output_tokens") or 0)
    estimated = completion_tokens == 0 and deltas > 0
    return Generation(
        text=text,
        data=data,
        ttft_s=ttft,
        seconds=seconds,
        prompt_tokens=prompt_tokens,
        completion_tokens=completion_tokens or deltas,
        tokens_estimated=estimated,
        model=reported or str(getattr(model, "model_name", "") or ""),
        format_mode=mode,
        finish_reason=finish,
    )


def parse_json_object(text: str) -> dict[str, Any] | None:
    """The JSON object in ``text`` (whole text, else its outermost ``{…}``), or None."""
    candidates = [text.strip()]
    first, last = text.find("{"), text.rfind("}")
    if 0 <= first < last:
        candidates.append(text[first : last + 1])
    for candidate in candidates:
        try:
            # strict=False: llama.cpp's JSON grammar lets a string hold a raw line break
            value = json.loads(candidate, strict=False)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    return None


def _with_schema_instruction(msgs: list[BaseMessage], schema: dict[str, Any]) -> list[BaseMessage]:
    note = "只输出一个 JSON 对象，不要输出任何其他文字。JSON 必须符合以下 JSON Schema：\n" + json.dumps(
        schema, ensure_ascii=False
    )
    if msgs and isinstance(msgs[0], SystemMessage):
        return [SystemMessage(content=f"{_text(msgs[0].content)}\n\n{note}"), *msgs[1:]]
    return [SystemMessage(content=note), *msgs]


def _is_openai(model: BaseChatModel) -> bool:
    try:
        from langchain_openai.chat_models.base import BaseChatOpenAI
    except ImportError:  # pragma: no cover - langchain-openai is a core dependency
        return False
    return isinstance(model, BaseChatOpenAI)


def _model_timeout(model: BaseChatModel) -> float | None:
    if isinstance(model, ChatLocalWorker):
        return model.timeout_s
    value = getattr(model, "request_timeout", None)
    return float(value) if isinstance(value, int | float) else None


def _status(exc: BaseException) -> int | None:
    for e in _chain(exc):
        status = getattr(e, "status_code", None)
        if isinstance(status, int):
            return status
        response = getattr(e, "response", None)
        status = getattr(response, "status_code", None)
        if isinstance(status, int):
            return status
    return None


def _rejects_format(exc: BaseException, status: int | None) -> bool:
    """The server refused the request shape: 400/422, or an error naming response_format.

    llama-cpp-python's server answers an unknown ``response_format.type`` with HTTP 500 and a pydantic
    validation message, hence the look at the message.
    """
    if status in (400, 415, 422):
        return True
    message = " ".join(str(e) for e in _chain(exc))
    return status is not None and status >= 400 and ("response_format" in message or "json_schema" in message)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        seen.add(id(cur))
        yield cur
        cur = cur.__cause__ or cur.__context__


def _failure(exc: BaseException, timeout: float | None, text: str = "") -> LLMFailure:
    """Map any exception from a model call to an :class:`LLMFailure` (logged, no stack trace shown)."""
    if isinstance(exc, LLMFailure):
        return exc
    detail = redact(f"{type(exc).__name__}: {exc}")[:300]
    log.warning("LLM call failed: %s", detail)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("LLM call failure:\n%s", redact("".join(traceback.format_exception(exc))))
    mro = {cls.__name__ for e in _chain(exc) for cls in type(e).__mro__}
    secs = f"（{timeout:g}s）" if timeout else ""
    if isinstance(exc, WorkerCrashed | WorkerDisabled):
        return LLMFailure("crash", exc.notice, detail, text)
    if isinstance(exc, local_model.ModelNotInstalled):
        return LLMFailure("other", f"{exc}；{FALLBACK}", detail, text)
    if mro & {"TimeoutError", "APITimeoutError", "TimeoutException", "ModelTimeoutError", "ReadTimeout"}:
        return LLMFailure("timeout", f"大模型服务超时{secs}，{FALLBACK}", detail, text)
    status = _status(exc)
    if status is not None:
        return LLMFailure("http", f"大模型服务返回错误（HTTP {status}），{FALLBACK}", detail, text)
    if mro & {
        "APIConnectionError",
        "ConnectionError",
        "ConnectError",
        "ModelConnectionError",
        "TransportError",
    }:
        return LLMFailure("connection", f"无法连接大模型服务，{FALLBACK}", detail, text)
    if mro & {"LengthFinishReasonError"}:
        return LLMFailure("garbage", f"大模型输出被截断，不是完整的 JSON，{FALLBACK}", detail, text)
    if "exceed context window" in str(exc):
        return LLMFailure("other", f"问题和资料超出模型上下文长度，{FALLBACK}", detail, text)
    return LLMFailure("other", f"大模型调用失败（{type(exc).__name__}），{FALLBACK}", detail, text)


_CLAUSE_END = re.compile(r"[，。；、,;.!?！？]")


def trim_capped(data: Any, schema: dict[str, Any]) -> Any:
    """``data`` with every string on one line, and every string that reached its schema ``maxLength``
    cut back to its last clause boundary: the grammar stops a capped string mid-word, and a person
    should read whole phrases."""
    if isinstance(data, dict) and schema.get("type") == "object":
        props = schema.get("properties") or {}
        return {k: trim_capped(v, props[k]) if k in props else v for k, v in data.items()}
    if isinstance(data, list) and schema.get("type") == "array":
        return [trim_capped(v, schema.get("items") or {}) for v in data]
    cap = schema.get("maxLength")
    if isinstance(data, str):  # the grammar lets a string hold line breaks: one line for display
        data = " ".join(data.split())
    if isinstance(data, str) and cap and len(data) >= cap - 1:
        ends = [m.end() for m in _CLAUSE_END.finditer(data)]
        if ends and ends[-1] >= len(data) // 2:
            return data[: ends[-1]].rstrip("，、,;；") or data
    return data
