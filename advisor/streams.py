"""Run a blocking job in a thread and read what it reports as an iterator of events.

Answers stream model deltas and plans report section progress while the caller (a generator feeding
the UI or the CLI) keeps control: it can yield each event as it comes, or a heartbeat when none does."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

Emit = Callable[[str, Any], None]


class Done(Generic[T]):
    """The job's return value (last event)."""

    def __init__(self, value: T) -> None:
        self.value = value


class Failed:
    """The exception the job raised (last event); the caller decides what the user sees."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def run_in_thread(
    job: Callable[[Emit], T], name: str, heartbeat_s: float | None = None
) -> Iterator[tuple[str, Any] | Done[T] | Failed | None]:
    """Start ``job(emit)`` in a daemon thread; yield each ``(kind, payload)`` it emits, ``None`` every
    ``heartbeat_s`` seconds of silence, and finally :class:`Done` or :class:`Failed`."""
    events: queue.Queue[tuple[str, Any] | Done[T] | Failed] = queue.Queue()

    def run() -> None:
        try:
            events.put(Done(job(lambda kind, payload: events.put((kind, payload)))))
        except BaseException as exc:  # handed to the caller, never lost in a thread
            events.put(Failed(exc))

    threading.Thread(target=run, name=name, daemon=True).start()
    while True:
        try:
            event = events.get(timeout=heartbeat_s)
        except queue.Empty:
            yield None
            continue
        yield event
        if isinstance(event, Done | Failed):
            return
