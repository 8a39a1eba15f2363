"""``advisor bench`` steps on the models: the local model (load, time to first token, tokens/s), plan
drafting, and llama.cpp builds compared (``--llama-build``)."""

from __future__ import annotations

import time
from typing import Any

from advisor.devtools.bench_core import Bench
from advisor.devtools.bench_env import LOCAL_QUESTIONS, load_avg, proc_status, questions, say
from advisor.qa.events import Shown


def local_model(b: Bench) -> None:
    if b.quick:
        b.note("local model skipped (--quick)")
        return
    from advisor.generation.providers import local_available

    if not local_available(b.user_settings):
        b.note("local model skipped: llama-cpp-python or the model parts are not installed")
        return
    with b.step("local_model") as r:
        adv = _load_local(b, r)
        rows = [_local_answer(adv, q) for q in questions("answers.jsonl", limit=LOCAL_QUESTIONS)]
        r["answers"] = rows
        ttfts = [x["ttft_s"] for x in rows if x["ttft_s"]]
        tps = [x["tokens_per_s"] for x in rows if x["tokens_per_s"]]
        r["ttft_s_median"] = sorted(ttfts)[len(ttfts) // 2] if ttfts else None
        r["tokens_per_s_median"] = sorted(tps)[len(tps) // 2] if tps else None
        r["total_s_median"] = sorted(x["total_s"] for x in rows)[len(rows) // 2] if rows else None
        r["rss_gb_after"] = proc_status()
        b.local_adv = adv


def _load_local(b: Bench, r: dict[str, Any]) -> Any:
    """An Advisor on the local model, assembled if need be and loaded (``assemble_s``, ``load_s``)."""
    from advisor.generation import local_model as lm
    from advisor.service import Advisor

    gguf = lm.configured_gguf(b.user_settings)
    if gguf is None:
        ready = lm.model_ready(b.user_settings)
        t0 = time.perf_counter()
        gguf = lm.ensure_model(b.user_settings)
        if not ready:
            r["assemble_s"] = round(time.perf_counter() - t0, 2)
    b.model_path = gguf
    adv = Advisor(settings=b.settings(llm_provider="local", llm_model=str(gguf)))
    model = adv.llm("local")
    t0 = time.perf_counter()
    warm = getattr(model, "warm_up", None)
    if callable(warm):
        warm()
    r["load_s"] = round(time.perf_counter() - t0, 2)
    return adv


def _local_answer(adv: Any, q: str) -> dict[str, Any]:
    """One streamed local answer: first visible text, time to first token, total, tokens/s."""
    t0 = time.perf_counter()
    first: float | None = None
    final: Any = None
    for event in adv.ask_stream(q, provider="local"):
        if isinstance(event, Shown):
            if first is None:
                first = time.perf_counter() - t0
            if event.final:
                final = event.answer
    total = time.perf_counter() - t0
    timings = dict(final.timings) if final is not None else {}
    tokens = dict(final.tokens) if final is not None else {}
    gen = timings.get("generate_s", 0.0) - timings.get("ttft_s", 0.0)
    return {
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


def llama_builds(b: Bench) -> None:
    """``--llama-build NAME=DIR``: the installed llama-cpp-python build against others (e.g. a
    native one built with ``pip install --target DIR``), same model, same prompts, one run."""
    specs = list(getattr(b.args, "llama_build", None) or [])
    if not specs:
        return
    from advisor.generation import local_model as lm
    from advisor.generation.probe import measure_builds

    builds = {"portable (installed)": ""}
    builds.update(dict(spec.rsplit("=", 1) for spec in specs))
    say(f"llama.cpp builds: {', '.join(builds)}")
    try:
        model = lm.ensure_model(b.user_settings)
        b.results["llama_builds"] = {
            "load_avg_before": load_avg(),
            "builds": measure_builds(model, builds),
        }
    except Exception as exc:
        b.results["errors"]["llama_builds"] = f"{type(exc).__name__}: {exc}"
