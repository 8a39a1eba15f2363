"""``ChatLocalWorker``: the LangChain chat model of the ``local`` provider. It holds no model itself;
each call is a request to the supervised worker process (:class:`LocalWorker`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import Field, PrivateAttr

from advisor.generation.supervisor import LocalWorker

_ROLES = {"human": "user", "ai": "assistant", "system": "system", "tool": "tool", "developer": "system"}


class ChatLocalWorker(BaseChatModel):
    """Call kwargs (``response_format``, ``max_tokens``, ``temperature``, ``seed`` …) are passed to
    ``Llama.create_chat_completion`` in the worker; ``timeout_s`` bounds one call, queueing included."""

    model_name: str = Field(default="", description="Name reported in metadata.")
    temperature: float = 0.2
    max_tokens: int | None = None
    seed: int | None = None
    timeout_s: float = Field(default=240.0, description="Longest one call may take, queueing included.")

    _worker: LocalWorker | None = PrivateAttr(default=None)

    def __init__(self, worker: LocalWorker, **data: Any) -> None:
        super().__init__(**data)
        self._worker = worker

    @property
    def worker(self) -> LocalWorker:
        assert self._worker is not None
        return self._worker

    @property
    def _llm_type(self) -> str:
        return "llama-cpp-worker"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name}

    def warm_up(self) -> dict[str, Any]:
        """Start the worker and load the model now (idempotent); returns what the worker reported."""
        return self.worker.ensure_started()

    def cached_tokens(self) -> list[int]:
        return self.worker.cached_tokens()

    def _params(self, stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {"temperature": self.temperature}
        if self.max_tokens is not None:
            params["max_tokens"] = self.max_tokens
        if self.seed is not None:
            params["seed"] = self.seed
        if stop:
            params["stop"] = stop
        params.update({k: v for k, v in kwargs.items() if v is not None})
        return params

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        parts: list[str] = []
        info: dict[str, Any] = {}
        usage: UsageMetadata | None = None
        for chunk in self._stream(messages, stop=stop, **kwargs):
            parts.append(chunk.text)
            info = chunk.generation_info or info
            usage = chunk.message.usage_metadata or usage  # type: ignore[attr-defined]
        message = AIMessage(content="".join(parts), response_metadata=info, usage_metadata=usage)
        return ChatResult(generations=[ChatGeneration(message=message)], llm_output=info)

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        timeout_s = float(kwargs.pop("timeout_s", None) or self.timeout_s)
        params = self._params(stop, kwargs)
        done: dict[str, Any] = {}
        for event in self.worker.chat(to_worker_messages(messages), params, timeout_s):
            if event["type"] == "done":
                done = event
                break
            delta = str(event.get("text") or "")
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
            if run_manager:
                run_manager.on_llm_new_token(delta, chunk=chunk)
            yield chunk
        prompt_tokens = int(done.get("prompt_tokens") or 0)
        completion_tokens = int(done.get("completion_tokens") or 0)
        info = {
            "model_name": self.model_name,
            "finish_reason": done.get("finish_reason"),
            "token_usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens},
        }
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                usage_metadata=_usage(prompt_tokens, completion_tokens),
                response_metadata=info,
                chunk_position="last",
            ),
            generation_info=info,
        )


def _usage(prompt: int, completion: int) -> UsageMetadata:
    return {"input_tokens": prompt, "output_tokens": completion, "total_tokens": prompt + completion}


def to_worker_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    out = []
    for m in messages:
        role = _ROLES.get(m.type, getattr(m, "role", "user"))
        out.append({"role": role, "content": message_text(m.content)})
    return out


def message_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return "".join(parts)
