"""``advisor bench`` step: ``advisor serve`` from a cold start to its first answer over the Gradio API, in
a child process (HTTP ready, first and second answer, CPU seconds, RSS)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from advisor.devtools.bench_core import Bench
from advisor.devtools.bench_env import TARGETS, child_env, free_port, proc_cpu_s, proc_status, questions

READY_TIMEOUT_S = 180


def serve(b: Bench) -> None:
    if importlib.util.find_spec("advisor.web.app") is None:
        b.note("serve cold start skipped: advisor/app.py does not exist yet")
        return
    with b.step("serve_cold_start") as r:
        r["extractive"] = serve_once(b, ADVISOR_LLM_PROVIDER="extractive")
        if not b.quick and b.model_path is not None:
            r["local"] = serve_once(b, ADVISOR_LLM_PROVIDER="local", ADVISOR_LLM_MODEL=str(b.model_path))
        r["target_s"] = TARGETS["serve_first_answer_s"]


def serve_once(b: Bench, **env: str) -> dict[str, Any]:
    """Start ``advisor serve`` with ``env``, wait for HTTP, ask the first answers question twice."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = b.work / f"serve-{port}.log"
    question = questions("answers.jsonl", limit=1)[0]
    out: dict[str, Any] = {"provider": env.get("ADVISOR_LLM_PROVIDER", "")}
    with log.open("wb") as sink:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "serve", "--port", str(port)],
            env=child_env(b.data, b.corpus_dir, **env),
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(proc, url, log, t0)
        out["http_ready_s"] = round(time.perf_counter() - t0, 2)
        _ask_twice(proc, url, question, t0, out)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)
    return out


def _wait_ready(proc: subprocess.Popen[bytes], url: str, log: Path, t0: float) -> None:
    deadline = t0 + READY_TIMEOUT_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"advisor serve exited {proc.returncode}: {log.read_text()[-800:]}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"advisor serve did not answer within 180 s: {log.read_text()[-800:]}")
        try:
            with urllib.request.urlopen(url + "/", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)


def _ask_twice(
    proc: subprocess.Popen[bytes], url: str, question: str, t0: float, out: dict[str, Any]
) -> None:
    from gradio_client import Client

    client = Client(url, verbose=False, download_files=False)
    markdown, meta = client.predict(question, "", "", api_name="/ask")
    out["first_answer_s"] = round(time.perf_counter() - t0, 2)
    out["cpu_s_to_first_answer"] = proc_cpu_s(proc.pid)
    info = json.loads(meta) if isinstance(meta, str) else {}
    out["answer_provider"] = info.get("provider", "")
    out["answer_chars"] = len(markdown or "")
    t1 = time.perf_counter()
    client.predict(question, "", "", api_name="/ask")
    out["second_answer_s"] = round(time.perf_counter() - t1, 2)
    out["rss_gb"] = proc_status(proc.pid)
