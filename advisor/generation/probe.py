"""What the local model runs with on this machine, for ``advisor doctor``, ``make setup`` and CI:
the CPU's instruction sets, llama.cpp's own build line, and one short generation in a throwaway
worker process (so even a build that crashes on this CPU only ends that process)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from pydantic import BaseModel

from advisor.generation import local_model
from advisor.generation.supervisor import LocalWorker, WorkerCrashed, WorkerDisabled, WorkerError
from advisor.settings import Settings

FEATURES = (
    "sse4_2", "avx", "avx2", "fma", "f16c", "bmi2", "avx_vnni",
    "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16",
)  # fmt: skip
# Instruction sets the shipped build must not use: a build that needs them dies on older CPUs, and
# llama.cpp's AMX path segfaults on Sapphire Rapids.
NON_PORTABLE = ("AVX512", "AVX_VNNI", "AVX512_VNNI", "AVX512_BF16", "AMX_INT8", "AMX_BF16", "AMX_TILE")


class GenerationProbe(BaseModel):
    ok: bool
    error: str = ""
    system_info: str = ""
    seconds: float = 0.0
    completion_tokens: int = 0
    tokens_per_s: float = 0.0
    text: str = ""


def cpu_features(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, object]:
    """Model name and which of :data:`FEATURES` the CPU has."""
    model, flags = "", set[str]()
    try:
        for line in cpuinfo.read_text(errors="replace").splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name" and not model:
                model = value.strip()
            elif key.strip() == "flags" and not flags:
                flags = set(value.split())
    except OSError:
        pass
    return {
        "model": model,
        "has": [f for f in FEATURES if f in flags],
        "lacks": [f for f in FEATURES if f not in flags],
    }


def llama_system_info(timeout_s: float = 60.0) -> str:
    """llama.cpp's build/system line, read in a subprocess (importing a bad build may crash)."""
    code = "from advisor.generation.worker import system_info; print(system_info())"
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout_s)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"error: {exc}"
    if done.returncode != 0:
        return f"error: exit {done.returncode}: {done.stderr.strip()[-300:]}"
    return done.stdout.strip()


def non_portable_features(system_info: str) -> list[str]:
    """Instruction sets in llama.cpp's line that the portable build leaves out (``AVX512 = 1`` …)."""
    found = []
    for part in system_info.replace("|", "\n").splitlines():
        name, _, value = part.partition("=")
        if value.strip() == "1" and name.strip() in NON_PORTABLE:
            found.append(name.strip())
    return found


def probe_generation(settings: Settings, timeout_s: float = 300.0) -> GenerationProbe:
    """Load the local model in a throwaway worker and generate a few tokens."""
    gguf = local_model.configured_gguf(settings)
    worker = LocalWorker(
        (lambda: gguf) if gguf is not None else (lambda: local_model.ensure_model(settings)),
        n_ctx=2048,
        n_threads=settings.llm_threads,
        log_path=settings.data_dir / "logs" / "local-worker.log",
        max_crashes=1,
    )
    start = time.perf_counter()
    try:
        info = worker.ensure_started(timeout_s)
        messages = [{"role": "user", "content": "用一句话介绍合肥。"}]
        text, done = "", {}
        for event in worker.chat(messages, {"max_tokens": 24, "temperature": 0.0}, timeout_s):
            if event["type"] == "delta":
                text += str(event.get("text") or "")
            else:
                done = event
        seconds = time.perf_counter() - start
        tokens = int(done.get("completion_tokens") or 0)
        return GenerationProbe(
            ok=bool(text.strip()) and tokens > 0,
            error="" if text.strip() else "模型没有输出",
            system_info=str(info.get("system_info") or ""),
            seconds=round(seconds, 2),
            completion_tokens=tokens,
            tokens_per_s=round(tokens / seconds, 2) if seconds > 0 else 0.0,
            text=text,
        )
    except (WorkerCrashed, WorkerDisabled, WorkerError, TimeoutError, local_model.ModelNotInstalled) as exc:
        return GenerationProbe(ok=False, error=str(exc), seconds=round(time.perf_counter() - start, 2))
    finally:
        worker.close()


_BENCH_PROMPT = (
    "下面是一段关于地方政府培育人工智能产业的材料。请用三句话概括其要点，每句不超过三十个字。\n"
    + "地方政府应围绕算力、数据、算法和应用场景，统筹产业基金、人才政策与科技服务平台，"
    "以投促孵化方式招引成熟企业，推动本地优势产业与人工智能深度融合。" * 6
)


def measure_builds(
    model: Path, builds: dict[str, str], rounds: int = 3, n_threads: int = 2
) -> dict[str, dict[str, object]]:
    """Generation and prompt speed of several llama-cpp-python builds on the same model, rounds
    interleaved so that load changes hit every build alike. ``builds`` maps a name to a directory put
    first on the worker's PYTHONPATH ("" = the installed build)."""
    workers = {
        name: LocalWorker(
            lambda: model, n_ctx=2048, n_threads=n_threads, env={"PYTHONPATH": path} if path else None
        )
        for name, path in builds.items()
    }
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in builds}
    out: dict[str, dict[str, object]] = {}
    try:
        for name, worker in workers.items():
            out[name] = {
                "path": builds[name] or "(installed)",
                "system_info": worker.ensure_started().get("system_info"),
            }
        for r in range(rounds):
            for name, worker in workers.items():
                start = time.perf_counter()
                first = end = 0.0
                done: dict[str, object] = {}
                params = {"max_tokens": 96, "temperature": 0.0, "seed": r}
                prompt = [{"role": "user", "content": f"第{r + 1}轮。{_BENCH_PROMPT}"}]
                for event in worker.chat(prompt, params, 600):
                    if event["type"] == "delta" and not first:
                        first = time.perf_counter()
                    if event["type"] == "done":
                        done = event
                end = time.perf_counter()
                n = int(str(done.get("completion_tokens") or 0))
                p = int(str(done.get("prompt_tokens") or 0))
                if first and n > 1:
                    samples[name].append(((n - 1) / (end - first), p / (first - start)))
        for name, got in samples.items():
            gen = sorted(g for g, _ in got)
            pp = sorted(q for _, q in got)
            out[name]["gen_tokens_per_s"] = round(gen[len(gen) // 2], 2) if gen else None
            out[name]["prompt_tokens_per_s"] = round(pp[len(pp) // 2], 1) if pp else None
            out[name]["rounds"] = len(got)
    finally:
        for worker in workers.values():
            worker.close()
    return out
