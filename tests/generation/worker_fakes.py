"""A test double at the LLM boundary, run *inside* the real worker process
(``--backend worker_fakes:ScriptedBackend``), so the supervisor, the pipes, the signals and the restarts
under test are all real. Behaviour comes from ``ADVISOR_TEST_WORKER_*`` variables set per worker:

- ``REPLY``: the text to stream (default a small JSON object), in 4-character deltas;
- ``DELAY_S``: seconds between deltas (default 0.02);
- ``CRASH``: ``segv`` → the process sends itself SIGSEGV at the start of every chat;
- ``CRASH_ONCE``: a file path; if it exists, it is removed and the process sends itself SIGSEGV;
- ``HANG``: ``1`` → chats never finish and ignore cancellation;
- ``FAIL_LOAD``: ``1`` → loading the "model" raises.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"ADVISOR_TEST_WORKER_{name}", default)


class ScriptedBackend:
    def __init__(self, model_path: str, n_ctx: int, n_threads: int) -> None:
        if _env("FAIL_LOAD") == "1":
            raise RuntimeError("scripted load failure")
        self.model = f"scripted:{Path(model_path).name}"
        self.system_info = "CPU : SCRIPTED = 1 |"
        self.load_s = 0.001
        self._usage: dict[str, Any] = {}
        self._seen: list[int] = []

    @property
    def usage(self) -> dict[str, Any]:
        return self._usage

    def chat(
        self, messages: list[dict[str, Any]], params: dict[str, Any], cancelled: Callable[[], bool]
    ) -> Iterator[str]:
        once = _env("CRASH_ONCE")
        if _env("CRASH") == "segv" or (once and Path(once).exists() and not Path(once).unlink()):
            os.kill(os.getpid(), signal.SIGSEGV)
            time.sleep(5)
        if _env("HANG") == "1":
            while True:
                time.sleep(1)
        reply = _env("REPLY", '{"city": "合肥市", "province": "安徽省"}')
        delay = float(_env("DELAY_S", "0.02"))
        prompt = "".join(str(m.get("content", "")) for m in messages)
        self._seen = [len(prompt)]
        finish = "stop"
        sent = 0
        for i in range(0, len(reply), 4):
            if cancelled():
                finish = "cancelled"
                break
            time.sleep(delay)
            sent += 1
            yield reply[i : i + 4]
        self._usage = {"finish_reason": finish, "prompt_tokens": len(prompt), "completion_tokens": sent}

    def cached_tokens(self) -> list[int]:
        return list(self._seen)
