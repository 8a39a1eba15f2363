"""Reliability suite (issue #8): hostile questions, hostile files, prompt injection, faults, load, access.

Each module covers one area of SECURITY.md; this file holds the helpers they share: copies of the ingested
corpus index, the index state a rejected file must leave unchanged, ``advisor serve`` in a subprocess on
a free loopback port, and a tiny OpenAI-compatible HTTP server that misbehaves on purpose. All traffic
stays on 127.0.0.1 and every wait is bounded.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from corpus_fixture import TEST_CORPUS

from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings

CORPUS = TEST_CORPUS  # the fixed subset (tests/corpus_fixture.py), not the growing shipped corpus
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
ADVISOR_BIN = Path(sys.executable).with_name("advisor")
GROUNDED_QUESTION = "地方政府怎样用产业基金招引人工智能企业？"


def advisor_cmd(*args: str) -> list[str]:
    """The installed ``advisor`` command (as users run it), or ``python -m advisor.cli`` without it."""
    if ADVISOR_BIN.exists():
        return [str(ADVISOR_BIN), *args]
    return [sys.executable, "-m", "advisor.cli", *args]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def closed_port() -> int:
    """A loopback port with nothing listening (bound once, then released)."""
    return free_port()


def copy_index(src: Path, dst: Path) -> Path:
    """A writable copy of an ingested data dir, without the (large, unrelated) assembled model."""
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("models"))
    return dst


def make_advisor(data_dir: Path, **overrides: Any) -> Advisor:
    values: dict[str, Any] = {"data_dir": data_dir, "corpus_dir": CORPUS, "llm_provider": "extractive"}
    values.update(overrides)
    return Advisor(settings=Settings(**values))


@dataclass(frozen=True)
class IndexState:
    """What a rejected file must not change: generation chunk ids, keyword ids, Chroma ids, documents."""

    chunks: frozenset[str]
    keyword: frozenset[str]
    vectors: frozenset[str]
    docs: frozenset[str]

    def agrees(self) -> bool:
        return self.chunks == self.keyword == self.vectors


def index_state(adv: Advisor) -> IndexState:
    snap = adv.snapshot
    return IndexState(
        chunks=frozenset(snap.chunks),
        keyword=frozenset(snap.keyword.ids),
        vectors=frozenset(adv.store.ids()),
        docs=frozenset(snap.docs),
    )


def index_state_fresh(data_dir: Path) -> IndexState:
    """The index state read by a separate process (after another process changed the data dir)."""
    code = (
        "import json,sys\n"
        "from advisor.service import Advisor\nfrom advisor.settings import Settings\n"
        "a = Advisor(settings=Settings(data_dir=sys.argv[1], llm_provider='extractive'))\n"
        "s = a.snapshot\n"
        "print(json.dumps({'chunks': sorted(s.chunks), 'keyword': sorted(s.keyword.ids),"
        " 'vectors': sorted(a.store.ids()), 'docs': sorted(s.docs)}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(data_dir)],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return IndexState(**{k: frozenset(v) for k, v in data.items()})


def clean_env(**extra: str) -> dict[str, str]:
    """The test process environment without any ADVISOR_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1", HF_HUB_OFFLINE="1")
    env.update(extra)
    return env


# ------------------------------------------------------------------------------------ advisor serve


@dataclass
class Served:
    url: str
    port: int
    log: Path
    proc: subprocess.Popen[bytes]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process we started (SIGTERM, then SIGKILL), by its own id only."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextlib.contextmanager
def serve(
    data_dir: Path,
    log: Path,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    ready_s: float = 300.0,
) -> Iterator[Served]:
    """``advisor serve`` on a free loopback port over ``data_dir``; ready when it prints its address."""
    port = free_port()
    full_env = clean_env(ADVISOR_DATA_DIR=str(data_dir), ADVISOR_CORPUS_DIR=str(CORPUS))
    full_env.setdefault("ADVISOR_LLM_PROVIDER", "extractive")
    full_env.update(env or {})
    full_env = {k: v for k, v in full_env.items() if v != ""}
    cmd = advisor_cmd("serve", "--port", str(port), *args)
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, env=full_env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT)
    served = Served(url=f"http://127.0.0.1:{port}/", port=port, log=log, proc=proc)
    try:
        deadline = time.monotonic() + ready_s
        while "已启动" not in served.log_text():
            if proc.poll() is not None:
                raise AssertionError(
                    f"advisor serve exited with {proc.returncode}:\n{served.log_text()[-3000:]}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"advisor serve not ready after {ready_s:g} s:\n{served.log_text()[-3000:]}"
                )
            time.sleep(0.3)
        for _ in range(60):  # the address is printed once launch() returned; the socket answers at once
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(served.url, timeout=5).status_code < 500:
                    break
            time.sleep(0.5)
        yield served
    finally:
        stop(proc)


# ------------------------------------------------------------------------------------ OpenAI stub


def sse_chunks(text: str, model: str = "stub-model") -> bytes:
    """A streamed chat completion whose content is ``text`` (as OpenAI-compatible servers send it)."""
    events = []
    for piece in [text[i : i + 40] for i in range(0, len(text), 40)] or [""]:
        chunk = {
            "id": "chatcmpl-stub",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}],
        }
        events.append(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n")
    last = {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    }
    events.append(f"data: {json.dumps(last)}\n\ndata: [DONE]\n\n")
    return "".join(events).encode("utf-8")


Behaviour = Callable[[BaseHTTPRequestHandler, dict[str, Any]], None]


class StubLLM:
    """An OpenAI-compatible endpoint on 127.0.0.1 whose every answer is ``behaviour(handler, body)``."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.stopping = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b"{}"
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                stub.requests.append(body)
                stub.headers.append(dict(self.headers.items()))
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    stub.behaviour(self, body)

            do_GET = do_POST

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> StubLLM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def send_json(h: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def send_stream(h: BaseHTTPRequestHandler, text: str) -> None:
    data = sse_chunks(text)
    h.send_response(200)
    h.send_header("Content-Type", "text/event-stream")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)
