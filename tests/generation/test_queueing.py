# ruff: noqa: F811  (the scripted-worker fixture is imported from test_worker and requested by name)
"""The local model's queue as callers see it (issue 15 §3): position and an honest wait estimate from
the real supervised worker (scripted backend at the LLM boundary), and an answer that skips the model's
improvement when the queue would outlast its budget instead of making the user wait."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_worker import QUESTION, SCHEMA, _advisor, _model_reply, scripted  # noqa: F401

from advisor.generation.local_chat import ChatLocalWorker
from advisor.generation.queueing import QueueBook
from advisor.generation.structured import generate_json
from advisor.generation.supervisor import LocalWorker
from advisor.qa.events import Queued, Shown
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings


def test_queue_book_positions_and_estimates() -> None:
    book = QueueBook(default_s=10.0)
    owners = {1: 101, 2: 102, 3: 103}  # the ids of the threads that sent them
    for rid, owner in owners.items():
        book.sent(rid, owner)
    assert book.status().ahead == 3
    assert book.status(owner=owners[3]).ahead == 2 and book.status(owner=owners[1]).ahead == 0
    wait = book.status(owner=owners[3]).wait_s
    assert 10.0 <= wait <= 20.0  # the running one's remainder plus one typical generation
    time.sleep(0.2)
    book.finished(1)
    assert book.status(owner=owners[3]).ahead == 1
    assert 0.1 <= book.typical_s() < 1.0  # measured, no longer the default
    book.finished(2, counted=False)  # a cancelled request says nothing about generation time
    assert book.typical_s() < 1.0 and book.status().ahead == 1
    book.clear()
    assert book.status().ahead == 0 and book.status().wait_s == 0.0


@pytest.mark.integration
def test_worker_reports_the_queue_while_it_generates(scripted: Callable[..., LocalWorker]) -> None:
    worker = scripted(DELAY_S="0.05")  # ~0.6 s per reply
    model = ChatLocalWorker(worker, model_name="scripted", timeout_s=60)
    worker.ensure_started()
    threads = [
        threading.Thread(target=generate_json, args=(model, [("user", f"问题 {i}")], SCHEMA))
        for i in range(3)
    ]
    for t in threads:
        t.start()
    seen = []
    deadline = time.monotonic() + 30
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        seen.append(worker.queue_status().ahead)
        time.sleep(0.05)
    for t in threads:
        t.join(30)
    assert max(seen) >= 2 and worker.queue_status().ahead == 0
    assert 0.2 < worker.queue.typical_s() < 5.0  # learnt from the three generations


def _busy(worker: LocalWorker, seconds: float) -> threading.Thread:
    """Occupy the worker with another user's generation for about ``seconds``."""
    model = ChatLocalWorker(worker, model_name="scripted", timeout_s=120)
    t = threading.Thread(target=model.invoke, args=([("user", "另一位用户的问题")],), kwargs={}, daemon=True)
    t.start()
    assert _until(lambda: worker.queue_status().ahead == 1, 10)
    return t


def _until(cond: Callable[[], bool], timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


@pytest.mark.integration
def test_under_load_the_improvement_is_skipped_at_once(
    corpus_data_dir: Path, scripted: Callable[..., LocalWorker]
) -> None:
    probe = Advisor(settings=Settings(data_dir=corpus_data_dir, corpus_dir=PROJECT_ROOT / "corpus"))
    reply = json.dumps(_model_reply(probe), ensure_ascii=False)
    worker = scripted(REPLY=reply, DELAY_S="0.1")  # ~6 s per reply
    worker.ensure_started()
    adv = _advisor(corpus_data_dir, worker, timeout_s=4.0)  # budget 4 s: one reply ahead outlasts it
    other = _busy(worker, 6)
    t0 = time.monotonic()
    ans = adv.ask(QUESTION, provider="local")
    assert time.monotonic() - t0 < 2.0
    assert ans.refinement == "skipped" and ans.grounded and ans.citations
    other.join(30)


@pytest.mark.integration
def test_a_queued_answer_shows_its_place_then_improves(
    corpus_data_dir: Path, scripted: Callable[..., LocalWorker]
) -> None:
    probe = Advisor(settings=Settings(data_dir=corpus_data_dir, corpus_dir=PROJECT_ROOT / "corpus"))
    reply = json.dumps(_model_reply(probe), ensure_ascii=False)
    worker = scripted(REPLY=reply, DELAY_S="0.03")  # ~2 s per reply
    worker.ensure_started()
    ChatLocalWorker(worker, model_name="scripted").invoke([("user", "热身")])  # it learns its pace
    assert worker.queue.typical_s() < 10
    adv = _advisor(corpus_data_dir, worker, timeout_s=120.0)
    other = _busy(worker, 2)
    events: list[Any] = list(adv.ask_stream(QUESTION, provider="local"))
    queued = [e for e in events if isinstance(e, Queued)]
    assert isinstance(events[0], Shown) and not events[0].final
    assert queued and queued[0].ahead == 1 and queued[0].wait_s > 0
    final = events[-1]
    assert isinstance(final, Shown) and final.final and final.answer.refinement == "refined"
    other.join(30)
