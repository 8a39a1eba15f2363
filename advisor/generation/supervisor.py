"""Start, feed and restart the local-model worker process (:mod:`advisor.generation.worker`).

A request whose worker dies (SIGSEGV, SIGKILL from the OOM killer, a hang we kill) fails at once with
:class:`WorkerCrashed`, which callers turn into the extractive answer plus a notice; the worker is
restarted in the background and the next request uses it. After ``max_crashes`` crashes within
``crash_window_s`` the worker stays down (:class:`WorkerDisabled`): a model that keeps crashing would
otherwise cost every user a restart per question.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from advisor.generation.queueing import QueueBook, QueueStatus

log = logging.getLogger(__name__)

DISABLED_NOTICE = "本地模型反复崩溃，已停用；请运行 advisor doctor"


class WorkerCrashed(RuntimeError):
    """The worker process ended while a request was in flight or starting."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.notice = f"本地模型进程意外退出（{reason}），已改用抽取式回答；模型正在自动重启"


class WorkerDisabled(RuntimeError):
    """Restarts stopped after repeated crashes."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or DISABLED_NOTICE)
        self.notice = f"{DISABLED_NOTICE}；已改用抽取式回答"


class WorkerError(RuntimeError):
    """The worker answered the request with a Python-level error (it is still alive)."""


def describe_exit(returncode: int | None) -> str:
    """A short, human description of how a process ended."""
    if returncode is None:
        return "无响应，已强制结束"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"信号 {-returncode}"
        if name == "SIGKILL":
            return "SIGKILL，可能是内存不足被系统终止"
        return name
    return f"退出码 {returncode}"


_live: weakref.WeakSet[LocalWorker] = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for worker in list(_live):
        worker.close()


class LocalWorker:
    """One supervised worker process. Thread-safe; requests queue inside the worker."""

    def __init__(
        self,
        locate_model: Callable[[], Path],
        n_ctx: int = 4096,
        n_threads: int = 2,
        backend: str = "llama",
        env: dict[str, str] | None = None,
        log_path: Path | None = None,
        max_crashes: int = 3,
        crash_window_s: float = 600.0,
        start_timeout_s: float = 180.0,
        cancel_grace_s: float = 60.0,
    ) -> None:
        self._locate_model = locate_model
        self.n_ctx = n_ctx
        self.n_threads = n_threads
        self.backend = backend
        self._env = env or {}
        self.log_path = log_path
        self.max_crashes = max_crashes
        self.crash_window_s = crash_window_s
        self.start_timeout_s = start_timeout_s
        self.cancel_grace_s = cancel_grace_s

        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._write_lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._ready = False
        self._starting = False
        self._start_error = ""
        self._closing = False
        self._crashes: list[float] = []
        self._disabled = ""
        self._info: dict[str, Any] = {}
        self._pending: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._unacked: dict[int, threading.Timer] = {}
        self._ids = itertools.count(1)
        self.queue = QueueBook()  # chat requests in the worker: position and wait estimates
        self.restarts = 0
        _live.add(self)

    # state -------------------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        with self._lock:
            return self._proc.pid if self._proc is not None and self._ready else None

    @property
    def closed(self) -> bool:
        return self._closing

    @property
    def disabled(self) -> bool:
        return bool(self._disabled)

    @property
    def info(self) -> dict[str, Any]:
        """What the worker reported when it became ready: pid, model, system_info, load_s."""
        with self._lock:
            return dict(self._info)

    def status(self) -> dict[str, Any]:
        with self._lock:
            state = (
                "disabled"
                if self._disabled
                else "ready"
                if self._ready
                else "starting"
                if self._starting
                else "stopped"
            )
            return {
                "state": state,
                "pid": self.pid,
                "restarts": self.restarts,
                "recent_crashes": len(self._recent_crashes()),
                "disabled_reason": self._disabled,
                **{k: v for k, v in self._info.items() if k != "type"},
            }

    def _recent_crashes(self) -> list[float]:
        now = time.monotonic()
        return [t for t in self._crashes if now - t <= self.crash_window_s]

    # lifecycle ---------------------------------------------------------------------------------
    def ensure_started(self, timeout_s: float | None = None) -> dict[str, Any]:
        """Start the worker if needed and wait until it has loaded the model; returns :attr:`info`."""
        wait = self.start_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + wait
        with self._changed:
            if self._closing:
                raise WorkerDisabled("本地模型已关闭")
            if self._disabled:
                raise WorkerDisabled(self._disabled)
            if self._proc is None and not self._starting:
                self._spawn_locked()
            proc = self._proc
            while not self._ready:
                if self._disabled:
                    raise WorkerDisabled(self._disabled)
                if self._proc is not proc or (proc is None and not self._starting):
                    raise WorkerCrashed(self._start_error or "启动失败")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    if proc is not None:
                        self._kill(proc)
                    raise WorkerCrashed(f"{wait:g}s 内未能加载模型")
                self._changed.wait(min(remaining, 1.0))
            return dict(self._info)

    def _spawn_locked(self) -> None:
        self._starting = True
        self._start_error = ""
        try:
            model = self._locate_model()
        except Exception:
            self._starting = False
            raise
        cmd = [
            sys.executable,
            "-m",
            "advisor.generation.worker",
            "--model",
            str(model),
            "--ctx",
            str(self.n_ctx),
            "--threads",
            str(self.n_threads),
            "--backend",
            self.backend,
        ]
        env = {**os.environ, **self._env, "PYTHONUNBUFFERED": "1"}
        stderr: IO[bytes] | int = subprocess.DEVNULL
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            stderr = self.log_path.open("ab")
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
                text=True,
                encoding="utf-8",
                bufsize=1,
                start_new_session=True,  # Ctrl+C in the terminal is the app's to handle, not the model's
            )
        finally:
            if not isinstance(stderr, int):
                stderr.close()
        self._proc = proc
        self._ready = False
        threading.Thread(
            target=self._read, args=(proc,), name=f"local-worker-{proc.pid}", daemon=True
        ).start()

    def close(self) -> None:
        """Stop the worker (stdin closes, it exits; killed if it does not within 5 s)."""
        with self._lock:
            self._closing = True
            proc = self._proc
            for timer in self._unacked.values():
                timer.cancel()
            self._unacked.clear()
        if proc is None:
            return
        with contextlib.suppress(OSError), self._write_lock:
            if proc.stdin is not None:
                proc.stdin.close()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._kill(proc)
            proc.wait(timeout=5)

    def _kill(self, proc: subprocess.Popen[str]) -> None:
        with contextlib.suppress(OSError):
            proc.kill()

    # reading -----------------------------------------------------------------------------------
    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            kind = event.get("type")
            if kind == "ready":
                with self._changed:
                    if self._proc is proc:
                        self._info = {k: v for k, v in event.items() if k != "type"}
                        self._ready = True
                        self._starting = False
                        self._changed.notify_all()
                continue
            if kind == "fatal":
                with self._lock:
                    self._start_error = str(event.get("message") or "")[:300]
                continue
            rid = int(event.get("id", 0))
            if kind in ("done", "error"):
                self.queue.finished(rid, counted="prompt_tokens" in event)  # it ran (even if cancelled)
            with self._lock:
                if kind in ("done", "error", "state"):
                    timer = self._unacked.pop(rid, None)
                    if timer is not None:
                        timer.cancel()
                target = self._pending.get(rid)
            if target is not None:
                target.put(event)
        returncode = proc.wait()
        self._on_exit(proc, returncode)

    def _on_exit(self, proc: subprocess.Popen[str], returncode: int) -> None:
        with self._changed:
            if self._proc is not proc:
                return
            self._proc = None
            was_ready, self._ready, self._starting = self._ready, False, False
            pending = list(self._pending.values())
            self.queue.clear()
            for timer in self._unacked.values():
                timer.cancel()
            self._unacked.clear()
            if self._closing:
                reason = "已关闭"
            else:
                reason = describe_exit(returncode)
                if not was_ready and self._start_error:
                    reason = f"{reason}：{self._start_error}"
                self._start_error = self._start_error or reason
                self._crashes.append(time.monotonic())
                log.error("local model worker %s ended: %s", proc.pid, reason)
                if len(self._recent_crashes()) >= self.max_crashes:
                    self._disabled = f"{DISABLED_NOTICE}（最近一次：{reason}）"
                    log.error("local model disabled after %d crashes", len(self._recent_crashes()))
            self._changed.notify_all()
            restart = not self._closing and not self._disabled and was_ready
        for q in pending:
            q.put({"type": "crash", "reason": reason})
        if restart:
            threading.Thread(target=self._restart, name="local-worker-restart", daemon=True).start()

    def _restart(self) -> None:
        try:
            with self._lock:
                if self._closing or self._disabled or self._proc is not None:
                    return
                self.restarts += 1
            self.ensure_started()
            log.info("local model worker restarted (pid %s)", self.pid)
        except Exception as exc:
            log.warning("local model worker did not restart: %s", exc)

    # requests ----------------------------------------------------------------------------------
    def _send(self, request: dict[str, Any]) -> tuple[int, queue.Queue[dict[str, Any]]]:
        self.ensure_started()
        inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        with self._lock:
            proc = self._proc
            if proc is None or proc.stdin is None:
                raise WorkerCrashed(self._start_error or "未运行")
            rid = next(self._ids)
            self._pending[rid] = inbox
            if request.get("op") == "chat":
                self.queue.sent(rid)
        request["id"] = rid
        try:
            with self._write_lock:
                proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
                proc.stdin.flush()
        except (OSError, ValueError) as exc:
            with self._lock:
                self._pending.pop(rid, None)
            self.queue.forget(rid)
            raise WorkerCrashed(describe_exit(proc.poll())) from exc
        return rid, inbox

    def queue_status(self, owner: int | None = None) -> QueueStatus:
        """See :meth:`QueueBook.status`."""
        return self.queue.status(owner)

    def _cancel(self, rid: int) -> None:
        """Ask the worker to stop ``rid``; if it has not acknowledged within the grace time, it hangs:
        kill it (counted as a crash) so the queue behind it moves again."""
        with self._lock:
            proc = self._proc
            if proc is None or proc.stdin is None or rid in self._unacked:
                return
            timer = threading.Timer(self.cancel_grace_s, self._hung, args=(proc, rid))
            timer.daemon = True
            self._unacked[rid] = timer
        try:
            with self._write_lock:
                proc.stdin.write(json.dumps({"op": "cancel", "id": rid}) + "\n")
                proc.stdin.flush()
        except (OSError, ValueError):
            timer.cancel()
            return
        timer.start()

    def _hung(self, proc: subprocess.Popen[str], rid: int) -> None:
        with self._lock:
            if self._unacked.pop(rid, None) is None or self._proc is not proc:
                return
        log.error(
            "local model worker %s did not stop request %s in %.0fs: killing it",
            proc.pid,
            rid,
            self.cancel_grace_s,
        )
        self._kill(proc)

    def chat(
        self, messages: list[dict[str, Any]], params: dict[str, Any], timeout_s: float
    ) -> Iterator[dict[str, Any]]:
        """Yield ``delta`` events, then the ``done`` event. Raises :class:`WorkerCrashed`,
        :class:`WorkerDisabled`, :class:`WorkerError` or ``TimeoutError`` (after ``timeout_s`` in all,
        queueing included; the request is then cancelled in the worker)."""
        deadline = time.monotonic() + timeout_s
        rid, inbox = self._send({"op": "chat", "messages": messages, "params": params})
        finished = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                try:
                    event = inbox.get(timeout=max(remaining, 0.0)) if remaining > 0 else None
                except queue.Empty:
                    event = None
                if event is None:
                    raise TimeoutError(f"本地模型在 {timeout_s:g}s 内未完成")
                kind = event.get("type")
                if kind == "delta":
                    yield event
                elif kind == "done":
                    finished = True
                    yield event
                    return
                elif kind == "error":
                    finished = True
                    raise WorkerError(str(event.get("message") or "worker error"))
                elif kind == "crash":
                    finished = True
                    raise WorkerCrashed(str(event.get("reason") or "?"))
        finally:
            with self._lock:
                self._pending.pop(rid, None)
            if not finished:
                self._cancel(rid)

    def cached_tokens(self, timeout_s: float = 60.0) -> list[int]:
        """Token ids in the worker's KV cache (after the requests queued before this one)."""
        rid, inbox = self._send({"op": "state"})
        try:
            event = inbox.get(timeout=timeout_s)
        except queue.Empty as exc:
            raise TimeoutError("本地模型未响应") from exc
        finally:
            with self._lock:
                self._pending.pop(rid, None)
        if event.get("type") != "state":
            raise WorkerCrashed(str(event.get("reason") or event.get("message") or "?"))
        return [int(t) for t in event.get("tokens") or []]
