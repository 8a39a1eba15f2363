"""Where a request stands in the local model's queue, and how long it will honestly wait.

The worker runs one generation at a time in the order requests arrive, so the parent can tell a caller
how many generations are ahead of it and estimate the wait from the durations it has seen: the running
one's remaining time plus the recent average for each one queued behind it. Callers use it to show
"排队中：前面还有 N 个请求" and to skip a model refinement that could not finish within its budget."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass

DEFAULT_GENERATION_S = 25.0  # a typical answer on 2 cores, until this worker has measured its own


@dataclass(frozen=True)
class QueueStatus:
    """Generations ahead of a request and the estimated seconds until it starts."""

    ahead: int
    wait_s: float


class QueueBook:
    """Thread-safe bookkeeping of the chat requests in the worker (sent, not yet answered)."""

    def __init__(self, default_s: float = DEFAULT_GENERATION_S) -> None:
        self._lock = threading.Lock()
        self._queued: dict[int, tuple[float, int]] = {}  # rid → (sent at, id of the sending thread)
        self._last_done = 0.0
        self._durations: deque[float] = deque(maxlen=8)
        self._default_s = default_s

    def sent(self, rid: int, owner: int | None = None) -> None:
        """``rid`` entered the worker, sent by ``owner`` (default: the calling thread)."""
        with self._lock:
            self._queued[rid] = (time.monotonic(), threading.get_ident() if owner is None else owner)

    def finished(self, rid: int, counted: bool = True) -> None:
        """The worker answered ``rid``; a generation that ran (not cancelled) feeds the estimate."""
        now = time.monotonic()
        with self._lock:
            sent = self._queued.pop(rid, None)
            if sent is None:
                return
            if counted:
                self._durations.append(max(0.0, now - max(sent[0], self._last_done)))
            self._last_done = now

    def forget(self, rid: int) -> None:
        with self._lock:
            self._queued.pop(rid, None)

    def clear(self) -> None:
        """The worker died: nothing is queued any more."""
        with self._lock:
            self._queued.clear()

    def typical_s(self) -> float:
        """Recent average seconds per generation (the default until one has finished)."""
        with self._lock:
            return self._typical()

    def _typical(self) -> float:
        return sum(self._durations) / len(self._durations) if self._durations else self._default_s

    def status(self, owner: int | None = None) -> QueueStatus:
        """The queue as a new request would find it or, with ``owner`` (the id of a thread whose request
        is still in the worker), as that request sees it now."""
        with self._lock:
            typical = self._typical()
            rids = sorted(self._queued)
            if owner is not None:
                mine = [r for r in rids if self._queued[r][1] == owner]
                if mine:
                    rids = [r for r in rids if r < mine[-1]]
            if not rids:
                return QueueStatus(ahead=0, wait_s=0.0)
            head_started = max(self._queued[rids[0]][0], self._last_done)
            remaining = max(typical - (time.monotonic() - head_started), 2.0)
            return QueueStatus(ahead=len(rids), wait_s=round(remaining + typical * (len(rids) - 1), 1))
