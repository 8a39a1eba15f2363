"""``advisor bench``: one measuring run on this machine, written as JSON (``--out``) and a Markdown table
next to it (same stem, ``.md``).

Measured: ingest throughput of the shipped corpus into a fresh data dir against the embedder's raw
throughput on the same chunks (the ratio is the pipeline's overhead); a no-op re-ingest (fresh
``advisor ingest`` process and in-process); warm hybrid retrieval over ``evals/datasets/retrieval.jsonl``;
extractive answers over ``answers.jsonl``; the local model's load time, time to first token and tokens/s;
plan drafting; a load test of simulated users on the local model (:mod:`~advisor.devtools.bench_load`);
``advisor serve`` cold start to the first answer; peak RSS; and, unless ``--quick``, index
build and retrieval at larger scale (see :mod:`advisor.devtools.scale`). Each part that fails is recorded
with its error; the others still run.

Timings depend on what else runs on the machine: the load average is recorded at every step.

The parts: :mod:`~advisor.devtools.bench_core` (the run's state), :mod:`~advisor.devtools.bench_env`
(machine, targets, /proc), the steps in :mod:`~advisor.devtools.bench_index`,
:mod:`~advisor.devtools.bench_models` and :mod:`~advisor.devtools.bench_serve`, and the report in
:mod:`~advisor.devtools.bench_report`.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.devtools import bench_diagnose, bench_index, bench_load, bench_models, bench_plan, bench_serve
from advisor.devtools.bench_core import Bench
from advisor.devtools.bench_env import TARGETS, load_avg, peak_rss_gb, say
from advisor.devtools.bench_report import to_markdown, write

__all__ = ["TARGETS", "Bench", "run", "run_bench", "to_markdown", "write"]

# In this order, in this process; then peak RSS, the serve cold start (child processes) and the scale runs.
STEPS: list[Callable[[Bench], None]] = [
    bench_models.llama_builds,
    bench_index.ingest,
    bench_index.noop,
    bench_index.retrieval,
    bench_index.extractive,
    bench_models.local_model,
    bench_plan.plan,  # extractive draft, profile difference, local refinement within 180 s (issue 15)
    bench_diagnose.diagnose,  # a 10-page draft, extractive (issue 17)
    bench_load.load,  # simulated users at once on the local model (issue 15)
]


def run(bench: Bench) -> dict[str, Any]:
    """Every step (or only the llama.cpp builds with ``--only-builds``, only the scale runs with
    ``--only-scale``); the work dir is removed after."""
    only = (
        bench_models.llama_builds
        if getattr(bench.args, "only_builds", False)
        else bench_index.scale_only
        if getattr(bench.args, "only_scale", False)
        else None
    )
    if only is not None:
        try:
            only(bench)
        finally:
            bench.results["machine"]["load_avg_end"] = load_avg()
            bench.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
            shutil.rmtree(bench.work, ignore_errors=True)
        return bench.results
    try:
        for step in STEPS:
            step(bench)
        bench.results["peak_rss"] = {
            "bench_process_gb": peak_rss_gb(),
            "what": "embedder, Chroma, index" + (", local model" if bench.model_path else ""),
            "target_gb": TARGETS["peak_rss_gb"],
        }
        bench_serve.serve(bench)
        bench_index.scale(bench)
    finally:
        bench.results["machine"]["load_avg_end"] = load_avg()
        bench.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        shutil.rmtree(bench.work, ignore_errors=True)
    return bench.results


def results_path(given: str) -> Path:
    """Where the JSON results go: ``--out`` as given, or ``results.json`` inside it when it names a
    directory, so that a long run never ends in a write error."""
    out = Path(given or "bench/results.json")
    return out / "results.json" if out.is_dir() or given.endswith(("/", "\\")) else out


def run_bench(args: argparse.Namespace) -> int:
    """Entry point of ``advisor bench``; returns the exit code (1 when a part failed)."""
    out = results_path(getattr(args, "out", "") or "")
    bench = Bench(args)
    say(f"work dir {bench.work}; results → {out}")
    res = run(bench)
    md = write(res, out)
    print(md.read_text(encoding="utf-8"))
    say(f"wrote {out} and {md}")
    return 1 if res["errors"] else 0
