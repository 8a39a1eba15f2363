"""The local-model worker process: ``python -m advisor.generation.worker --model FILE``.

It owns the only ``llama_cpp.Llama`` of an advisor installation, so a native crash (an unsupported
instruction, a bad build), an OOM kill or a hang ends this process and nothing else. The parent
(:class:`advisor.generation.supervisor.LocalWorker`) restarts it.

Protocol: one JSON object per line. The parent writes requests on stdin; the worker answers on the
file descriptor that was stdout (fd 1 is then pointed at stderr, so anything the C library prints
cannot corrupt the protocol).

- parent → worker: ``{"op": "chat", "id": N, "messages": [...], "params": {...}}``,
  ``{"op": "cancel", "id": N}``, ``{"op": "state", "id": N}``.
- worker → parent: ``{"type": "ready", "pid", "system_info", "load_s", "model"}`` once, then per
  request ``{"id", "type": "delta", "text"}`` …, and ``{"id", "type": "done", "finish_reason",
  "prompt_tokens", "completion_tokens"}`` or ``{"id", "type": "error", "message"}``; a ``state``
  request gets ``{"id", "type": "state", "tokens": [...]}`` (the token ids in the KV cache).

Requests queue here and run one at a time: two cores serve one generation well and two badly. A
cancelled request stops at its next token (or is skipped if it has not started). The worker exits
when stdin closes, so it never outlives its parent.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import IO, Any, Protocol

NICE = 5


class Backend(Protocol):
    """What the worker drives: the real llama.cpp model, or a test double at the LLM boundary."""

    model: str
    system_info: str
    load_s: float

    def chat(
        self, messages: list[dict[str, Any]], params: dict[str, Any], cancelled: Callable[[], bool]
    ) -> Iterator[str]:
        """Yield text deltas; afterwards :attr:`usage` holds finish_reason and token counts."""
        ...

    @property
    def usage(self) -> dict[str, Any]: ...

    def cached_tokens(self) -> list[int]: ...


class LlamaBackend:
    """llama-cpp-python's ``Llama``; usage is counted with a pass-through logits processor, because
    llama.cpp reports none when streaming."""

    def __init__(self, model_path: str, n_ctx: int, n_threads: int) -> None:
        import llama_cpp

        start = time.perf_counter()
        self._llama: Any = llama_cpp.Llama(
            model_path=model_path, n_ctx=n_ctx, n_threads=n_threads, verbose=False
        )
        self.load_s = time.perf_counter() - start
        self.model = os.path.basename(model_path)
        self.system_info = system_info()
        self._usage: dict[str, Any] = {}

    @property
    def usage(self) -> dict[str, Any]:
        return self._usage

    def chat(
        self, messages: list[dict[str, Any]], params: dict[str, Any], cancelled: Callable[[], bool]
    ) -> Iterator[str]:
        seen: list[int] = []

        def count(input_ids: Any, scores: Any) -> Any:
            seen.append(len(input_ids))
            return scores

        finish = None
        self._usage = {}
        stream = self._llama.create_chat_completion(
            messages=messages, stream=True, logits_processor=[count], **params
        )
        try:
            for part in stream:
                if cancelled():
                    finish = "cancelled"
                    break
                choice = part["choices"][0]
                finish = choice.get("finish_reason") or finish
                delta = choice.get("delta", {}).get("content")
                if delta:
                    yield delta
        finally:
            stream.close()
        self._usage = {
            "finish_reason": finish or "",
            "prompt_tokens": seen[0] if seen else 0,
            "completion_tokens": max(0, len(seen) - (1 if finish == "stop" else 0)),
        }

    def cached_tokens(self) -> list[int]:
        return [int(t) for t in self._llama._input_ids[: self._llama.n_tokens]]


def system_info() -> str:
    """llama.cpp's own line of the instruction sets it was built with and uses (``AVX2 = 1 | …``)."""
    import llama_cpp

    raw = llama_cpp.llama_print_system_info()
    return (raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)).strip()


class Worker:
    """Reads requests, runs them one at a time on a generation thread, writes events."""

    def __init__(self, backend: Backend, out: IO[str]) -> None:
        self.backend = backend
        self._out = out
        self._write_lock = threading.Lock()
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._cancelled: set[int] = set()
        self._cancel_lock = threading.Lock()
        self._closing = False

    def send(self, event: dict[str, Any]) -> None:
        line = json.dumps(event, ensure_ascii=False)
        with self._write_lock:
            self._out.write(line + "\n")
            self._out.flush()

    def serve(self, requests: IO[str]) -> None:
        gen = threading.Thread(target=self._generate_loop, name="generate", daemon=True)
        gen.start()
        self.send(
            {
                "type": "ready",
                "pid": os.getpid(),
                "model": self.backend.model,
                "system_info": self.backend.system_info,
                "load_s": round(self.backend.load_s, 3),
            }
        )
        for line in requests:
            try:
                req = json.loads(line)
            except ValueError:
                continue
            op = req.get("op")
            if op == "cancel":
                with self._cancel_lock:
                    self._cancelled.add(int(req["id"]))
            elif op in ("chat", "state"):
                self._queue.put(req)
        self._closing = True  # stdin closed: the parent is gone or done with us; stop what runs
        self._queue.put(None)

    def _is_cancelled(self, rid: int) -> bool:
        with self._cancel_lock:
            return self._closing or rid in self._cancelled

    def _generate_loop(self) -> None:
        while (req := self._queue.get()) is not None:
            rid = int(req["id"])
            try:
                if req["op"] == "state":
                    self.send({"id": rid, "type": "state", "tokens": self.backend.cached_tokens()})
                elif self._is_cancelled(rid):
                    self.send({"id": rid, "type": "done", "finish_reason": "cancelled"})
                else:
                    self._chat(rid, req)
            except Exception as exc:  # a Python-level failure answers this request; the worker lives on
                self.send({"id": rid, "type": "error", "message": f"{type(exc).__name__}: {exc}"})
            finally:
                with self._cancel_lock:
                    self._cancelled.discard(rid)
        os._exit(0)

    def _chat(self, rid: int, req: dict[str, Any]) -> None:
        for text in self.backend.chat(
            req["messages"], req.get("params") or {}, lambda: self._is_cancelled(rid)
        ):
            self.send({"id": rid, "type": "delta", "text": text})
        self.send({"id": rid, "type": "done", **self.backend.usage})


def load_backend(spec: str, model_path: str, n_ctx: int, n_threads: int) -> Backend:
    """``llama`` or ``package.module:Factory`` (a test double at the LLM boundary)."""
    if spec == "llama":
        return LlamaBackend(model_path, n_ctx, n_threads)
    module, _, name = spec.partition(":")
    factory = getattr(importlib.import_module(module), name)
    backend: Backend = factory(model_path=model_path, n_ctx=n_ctx, n_threads=n_threads)
    return backend


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="advisor local-model worker (started by advisor)")
    parser.add_argument("--model", required=True)
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--backend", default="llama")
    args = parser.parse_args(argv)
    # Below the app in CPU priority: on 2 cores an extractive answer (retrieval, ~0.1 s) must not wait
    # behind a generation; the model only loses the moments the app needs.
    with contextlib.suppress(OSError):
        os.nice(NICE)
    # The protocol gets its own copy of stdout; fd 1 then goes to stderr, so C-level prints are harmless.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        backend = load_backend(args.backend, args.model, args.ctx, args.threads)
    except Exception as exc:
        out.write(
            json.dumps({"type": "fatal", "message": f"{type(exc).__name__}: {exc}"}, ensure_ascii=False)
        )
        out.write("\n")
        out.flush()
        return 3
    Worker(backend, out).serve(sys.stdin)
    # serve() returns when stdin closes; the generation thread exits the process once the queue drains.
    threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
