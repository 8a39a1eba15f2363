"""The local model's worker process: real processes, real pipes, real signals. Only the model inside the
worker is a scripted double (``worker_fakes.ScriptedBackend``); the slow tests at the end run the real
llama.cpp model through the same supervisor."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from advisor.generation import providers as llm
from advisor.generation.errors import LLMFailure
from advisor.generation.local_chat import ChatLocalWorker
from advisor.generation.structured import generate_json
from advisor.generation.supervisor import DISABLED_NOTICE, LocalWorker, WorkerCrashed
from advisor.qa.events import Polishing, Shown
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.types import Answer

TESTS = Path(__file__).resolve().parent
QUESTION = "地方政府怎样用产业基金招引成熟AI企业？"
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "province": {"type": "string"}},
    "required": ["city", "province"],
}


def _children() -> set[int]:
    """Live (non-zombie) child processes of this test process."""
    pids: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        try:
            pids |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return {p for p in pids if _alive(p)}


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def _worker_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("local-worker")]


def _wait(cond: Callable[[], bool], timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


@pytest.fixture
def scripted(tmp_path: Path) -> Iterator[Callable[..., LocalWorker]]:
    """Factory of supervised workers running the scripted backend; all are closed and checked for
    leaked processes and threads afterwards."""
    before = _children()
    threads_before = set(_worker_threads())  # workers other tests keep cached (real models) are not ours
    made: list[LocalWorker] = []
    model = tmp_path / "scripted.gguf"
    model.write_bytes(b"scripted")

    def make(supervisor: dict[str, Any] | None = None, **env: str) -> LocalWorker:
        worker = LocalWorker(
            lambda: model,
            backend="worker_fakes:ScriptedBackend",
            env={
                "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
                **{f"ADVISOR_TEST_WORKER_{k}": v for k, v in env.items()},
            },
            log_path=tmp_path / "worker.log",
            **(supervisor or {}),
        )
        made.append(worker)
        return worker

    yield make
    for worker in made:
        worker.close()
    assert _wait(lambda: _children() <= before, 10), f"leaked processes: {_children() - before}"
    mine = lambda: set(_worker_threads()) - threads_before  # noqa: E731
    assert _wait(lambda: not mine(), 10), f"leaked threads: {mine()}"


def _advisor(data_dir: Path, worker: LocalWorker, timeout_s: float = 60.0) -> Advisor:
    settings = Settings(
        data_dir=data_dir,
        corpus_dir=PROJECT_ROOT / "corpus",
        llm_provider="extractive",
        local_timeout_s=timeout_s,
    )
    return Advisor(settings=settings, llm=ChatLocalWorker(worker, model_name="scripted", timeout_s=timeout_s))


def _model_reply(adv: Advisor) -> dict[str, Any]:
    """A reply that passes verification: built from the passage the answerer will show first."""
    import re

    hits = adv.retrieve(QUESTION, k=adv.settings.top_k)
    quote = next(s for s in re.split(r"(?<=[。；])", hits[0].text) if len(s.strip()) > 10).strip()
    return {
        "answerable": True,
        "conclusion": "地方政府可以以产业基金为抓手，构建全生命周期投促孵化模式。",
        "source": 1,
        "quote": quote,
        "recommendations": [
            {"title": "以投资促引进", "detail": quote, "actor": "地方政府", "source": 1, "quote": quote}
        ],
    }


# ------------------------------------------------------------------ the worker itself


def test_generation_runs_in_a_separate_process(scripted: Callable[..., LocalWorker]) -> None:
    worker = scripted()
    model = ChatLocalWorker(worker, model_name="scripted", timeout_s=30)
    deltas: list[str] = []
    gen = generate_json(model, [("user", "合肥属于哪个省？")], SCHEMA, on_delta=deltas.append)
    assert gen.data == {"city": "合肥市", "province": "安徽省"}
    assert len(deltas) > 3 and "".join(deltas) == gen.text
    assert gen.finish_reason == "stop" and gen.completion_tokens == len(deltas)
    assert worker.info["pid"] not in (None, os.getpid()) and _alive(worker.info["pid"])
    assert worker.status()["state"] == "ready"


def test_requests_queue_and_each_gets_its_own_reply(scripted: Callable[..., LocalWorker]) -> None:
    worker = scripted(DELAY_S="0.01")
    model = ChatLocalWorker(worker, model_name="scripted", timeout_s=60)
    results: list[Any] = []

    def run(i: int) -> None:
        results.append(generate_json(model, [("user", f"问题 {i}")], SCHEMA).data)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [{"city": "合肥市", "province": "安徽省"}] * 3


def test_a_timed_out_request_is_cancelled_in_the_worker(scripted: Callable[..., LocalWorker]) -> None:
    worker = scripted(DELAY_S="0.5")
    model = ChatLocalWorker(worker, model_name="scripted", timeout_s=30)
    with pytest.raises(LLMFailure) as err:
        generate_json(model, [("user", "慢一点")], SCHEMA, timeout_s=1.0)
    assert err.value.kind == "timeout"
    # the worker stopped that generation and serves the next request at once
    start = time.monotonic()
    events = list(worker.chat([{"role": "user", "content": "下一个"}], {}, timeout_s=60))
    assert events[-1]["type"] == "done" and time.monotonic() - start < 30
    assert worker.restarts == 0


def test_a_worker_that_cannot_load_reports_why(scripted: Callable[..., LocalWorker]) -> None:
    worker = scripted(FAIL_LOAD="1")
    with pytest.raises(WorkerCrashed, match="scripted load failure"):
        worker.ensure_started()


# ------------------------------------------------------------------ faults during an answer


@pytest.mark.integration
@pytest.mark.parametrize("sig", [signal.SIGSEGV, signal.SIGKILL])
def test_worker_killed_mid_answer_falls_back_then_restarts(
    corpus_data_dir: Path, scripted: Callable[..., LocalWorker], sig: signal.Signals
) -> None:
    probe = Advisor(settings=Settings(data_dir=corpus_data_dir, corpus_dir=PROJECT_ROOT / "corpus"))
    reply = json.dumps(_model_reply(probe), ensure_ascii=False)
    worker = scripted(REPLY=reply, DELAY_S="0.1")
    adv = _advisor(corpus_data_dir, worker)
    first = worker.ensure_started()["pid"]

    final: Answer | None = None
    shown: Answer | None = None
    killed = False
    for event in adv.ask_stream(QUESTION, provider="local"):
        if isinstance(event, Polishing) and not killed:
            os.kill(first, sig)  # the model has started writing this answer
            killed = True
        elif isinstance(event, Shown) and event.final:
            final = event.answer
        elif isinstance(event, Shown):
            shown = event.answer
    assert killed and final is not None and shown is not None
    assert final.refinement == "failed"  # the crash is logged; the shown answer stays as it was
    assert final.grounded and final.citations and final.text == shown.text

    assert _wait(lambda: worker.pid not in (None, first)), worker.status()
    assert worker.restarts == 1 and not _alive(first)
    again = adv.ask(QUESTION, provider="local")
    assert again.notice == "" and again.provider == "local", again.notice
    assert again.conclusion.startswith("地方政府可以以产业基金为抓手")


@pytest.mark.integration
def test_repeated_crashes_disable_the_local_model(
    corpus_data_dir: Path, scripted: Callable[..., LocalWorker]
) -> None:
    worker = scripted(CRASH="segv")
    adv = _advisor(corpus_data_dir, worker)
    for _ in range(3):
        ans = adv.ask(QUESTION, provider="local")
        assert ans.grounded and ans.refinement == "failed" and not ans.notice, ans.notice
    assert worker.disabled and worker.status()["state"] == "disabled"
    assert DISABLED_NOTICE in worker.status()["disabled_reason"]
    ans = adv.ask(QUESTION, provider="local")
    assert ans.refinement == "failed" and ans.grounded and ans.citations
    assert worker.pid is None


@pytest.mark.integration
def test_a_hung_worker_is_killed_and_replaced(
    corpus_data_dir: Path, scripted: Callable[..., LocalWorker]
) -> None:
    worker = scripted(supervisor={"cancel_grace_s": 1.0}, HANG="1")
    adv = _advisor(corpus_data_dir, worker, timeout_s=2.0)
    first = worker.ensure_started()["pid"]
    ans = adv.ask(QUESTION, provider="local")
    assert ans.refinement == "timeout" and ans.grounded
    assert _wait(lambda: not _alive(first), 15), "the hung worker was not killed"
    assert _wait(lambda: worker.pid not in (None, first), 30) and worker.restarts == 1


def test_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    model = tmp_path / "scripted.gguf"
    model.write_bytes(b"scripted")
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from advisor.generation.supervisor import LocalWorker\n"
        f"w = LocalWorker(lambda: Path({str(model)!r}), backend='worker_fakes:ScriptedBackend',"
        f" env={{'PYTHONPATH': {str(TESTS)!r}}})\n"
        "print(w.ensure_started()['pid'], flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        pid = int(parent.stdout.readline())
        assert _alive(pid)
        parent.kill()
        parent.wait(10)
        assert _wait(lambda: not _alive(pid), 15), "the worker outlived its parent"
    finally:
        parent.kill()


# ------------------------------------------------------------------ the real model


@pytest.mark.slow
@pytest.mark.integration
def test_real_model_answers_through_the_worker_and_survives_sigsegv(
    corpus_data_dir: Path, gguf: Path
) -> None:
    settings = Settings(
        data_dir=corpus_data_dir, corpus_dir=PROJECT_ROOT / "corpus", llm_model=str(gguf), local_timeout_s=900
    )
    adv = Advisor(settings=settings)
    model = adv.llm("local")
    assert isinstance(model, ChatLocalWorker)
    try:
        ans = adv.ask("报告用什么指标作为判断新老AI的分水岭？", provider="local")
        # written by the model: no fallback notice, and the model's own token counts
        assert ans.provider == "local" and ans.notice == "", ans.notice
        assert ans.tokens.get("completion", 0) > 0 and ans.timings.get("generate_s", 0) > 0
        first = model.worker.pid
        assert first is not None and first != os.getpid()

        final: Answer | None = None
        killed = False
        for event in adv.ask_stream("资本介入环节地方政府应该怎么做？", provider="local"):
            if isinstance(event, Polishing) and not killed:
                os.kill(first, signal.SIGSEGV)
                killed = True
            elif isinstance(event, Shown) and event.final:
                final = event.answer
        assert killed and final is not None and final.refinement == "failed", final
        assert final.grounded and final.citations
        assert _wait(lambda: model.worker.pid not in (None, first), 120)
        again = adv.ask("报告用什么指标作为判断新老AI的分水岭？", provider="local")
        assert again.notice == "" and again.tokens.get("completion", 0) > 0, again.notice
    finally:
        llm.clear_cache()  # stops this worker and forgets it
