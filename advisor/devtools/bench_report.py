"""The results of ``advisor bench`` as JSON and as a Markdown table next to it (same stem, ``.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from advisor.devtools.bench_env import LOCAL_QUESTIONS, TARGETS


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


class _Table:
    """The main table: one row per metric, with the 1-minute load average before its step."""

    def __init__(self, res: dict[str, Any], lines: list[str]) -> None:
        self.res = res
        self.lines = lines

    def row(self, name: str, value: Any, target: str, ok: str, step: str) -> None:
        load = _get(self.res, step, "load_avg_before")
        self.lines.append(f"| {name} | {value} | {target} | {ok} | {load[0] if load else '–'} |")


def _header(res: dict[str, Any]) -> list[str]:
    m = res["machine"]
    return [
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


def _ingest_rows(t: _Table, ing: dict[str, Any]) -> None:
    if not ("ratio" in str(ing) or ing.get("error")):
        return
    t.row(
        f"Ingest, shipped corpus ({_fmt(ing.get('documents'))} docs, {_fmt(ing.get('chunks'))} chunks)",
        f"{_fmt(ing.get('ingest_s'), ' s')} ({_fmt(ing.get('chunks_per_s'))} chunks/s)"
        if not ing.get("error")
        else ing["error"],
        "",
        "",
        "ingest",
    )
    t.row(
        f"Embedder alone, same chunks and their {_fmt(ing.get('sentences'))} sentences",
        f"{_fmt(ing.get('raw_embed_s'), ' s')} (sentences {_fmt(ing.get('raw_sentence_embed_s'), ' s')})",
        "",
        "",
        "ingest",
    )
    t.row(
        "Ingest / embedder (overhead), wall (CPU)",
        f"{_fmt(ing.get('overhead_ratio'))} ({_fmt(ing.get('overhead_ratio_cpu'))})",
        "≤ 1.2",
        _ok(ing.get("overhead_ratio"), TARGETS["ingest_overhead_ratio"]),
        "ingest",
    )


def _noop_rows(t: _Table, noop: dict[str, Any]) -> None:
    if not noop:
        return
    t.row(
        "No-op re-ingest, fresh `advisor ingest` process (median of 3)",
        f"{_fmt(noop.get('process_wall_median_s'), ' s')} (CPU {_fmt(noop.get('process_cpu_median_s'), ' s')})"
        if not noop.get("error")
        else noop["error"],
        "< 3 s",
        _ok(noop.get("process_wall_median_s"), TARGETS["noop_reingest_s"]),
        "noop_reingest",
    )
    t.row("No-op re-ingest, in process", _fmt(noop.get("in_process_s"), " s"), "< 3 s",
          _ok(noop.get("in_process_s"), TARGETS["noop_reingest_s"]), "noop_reingest")  # fmt: skip


def _retrieval_rows(t: _Table, ret: dict[str, Any]) -> None:
    if not ret:
        return
    h = ret.get("hybrid_k5", {})
    t.row(
        f"Warm hybrid retrieval k=5, p50 / p95 / p99 ({_fmt(h.get('n'))} queries)",
        f"{_fmt(h.get('p50_ms'))} / {_fmt(h.get('p95_ms'))} / {_fmt(h.get('p99_ms'))} ms"
        if not ret.get("error")
        else ret["error"],
        "p95 < 100 ms",
        _ok(h.get("p95_ms"), TARGETS["retrieval_p95_ms"]),
        "retrieval",
    )
    c = ret.get("hybrid_k5_cpu", {})
    t.row("… CPU time per query, p50 / p95", f"{_fmt(c.get('p50_ms'))} / {_fmt(c.get('p95_ms'))} ms",
          "", "", "retrieval")  # fmt: skip
    f = ret.get("hybrid_filtered_k5", {})
    t.row("… with a level filter, p50 / p95", f"{_fmt(f.get('p50_ms'))} / {_fmt(f.get('p95_ms'))} ms",
          "", "", "retrieval")  # fmt: skip


def _answer_rows(t: _Table, ext: dict[str, Any], loc: dict[str, Any]) -> None:
    if ext:
        lat = ext.get("latency", {})
        t.row(
            f"Extractive answer, p50 / p95 ({_fmt(lat.get('n'))} questions)",
            f"{_fmt(lat.get('p50_ms'))} / {_fmt(lat.get('p95_ms'))} ms"
            if not ext.get("error")
            else ext["error"],
            "",
            "",
            "extractive_answer",
        )
    if loc:
        t.row("Local model load", _fmt(loc.get("load_s"), " s") if not loc.get("error") else loc["error"], "", "",
              "local_model")  # fmt: skip
        t.row(f"Local answer: time to first token (median of {LOCAL_QUESTIONS})", _fmt(loc.get("ttft_s_median"), " s"),
              "≤ 12 s", _ok(loc.get("ttft_s_median"), TARGETS["local_ttft_s"]), "local_model")  # fmt: skip
        t.row("Local answer: generation speed (median)", _fmt(loc.get("tokens_per_s_median"), " tokens/s"), "", "",
              "local_model")  # fmt: skip
        t.row("Local answer: total (median)", _fmt(loc.get("total_s_median"), " s"), "≤ 45 s",
              _ok(loc.get("total_s_median"), TARGETS["local_answer_s"]), "local_model")  # fmt: skip


def _plan_rows(t: _Table, plan: dict[str, Any]) -> None:
    if not plan:
        return
    if plan.get("error"):
        t.row("Plan 洛阳, extractive", plan["error"], "", "", "plan")
        return
    t.row("Plan 洛阳, extractive draft", _fmt(plan.get("extractive_s"), " s"), "", "", "plan")
    diff = (plan.get("profile_difference") or {}).get("recs_differ_mean")
    if diff is not None:
        t.row("Plan: recommendations differing between two profiles", f"{diff:.0%}", "≥ 40%",
              _ok(diff, 0.40, lower_is_better=False), "plan")  # fmt: skip
    local = plan.get("local")
    if isinstance(local, dict):
        within, target = local.get("refined_within_180s"), local.get("target_refined", 4)
        t.row("Plan 洛阳, local: sections refined within 180 s", f"{within} of 7 (total {local.get('total_s')} s)",
              f"≥ {target} of 7", "✅" if (within or 0) >= target else "❌", "plan")  # fmt: skip


def _serve_rows(t: _Table, srv: dict[str, Any]) -> None:
    if not srv:
        return
    for key in ("extractive", "local"):
        s = srv.get(key)
        if not s:
            continue
        t.row(
            f"`advisor serve` cold start ({key}): HTTP ready / first /ask answered",
            f"{_fmt(s.get('http_ready_s'), ' s')} / {_fmt(s.get('first_answer_s'), ' s')}"
            f" (CPU {_fmt(s.get('cpu_s_to_first_answer'), ' s')})",
            "first answer < 20 s",
            _ok(s.get("first_answer_s"), TARGETS["serve_first_answer_s"]),
            "serve_cold_start",
        )
        t.row(f"`advisor serve` ({key}) peak RSS", _fmt(_get(s, "rss_gb", "VmHWM"), " GB"), "< 3.5 GB",
              _ok(_get(s, "rss_gb", "VmHWM"), TARGETS["peak_rss_gb"]), "serve_cold_start")  # fmt: skip
    if srv.get("error"):
        t.row("`advisor serve` cold start", srv["error"], "", "", "serve_cold_start")


def _peak_line(peak: dict[str, Any]) -> list[str]:
    if not peak:
        return []
    return [
        f"| Peak RSS of the bench process ({peak.get('what')}) | {peak.get('bench_process_gb')} GB "
        f"| < 3.5 GB | {_ok(peak.get('bench_process_gb'), TARGETS['peak_rss_gb'])} | – |"
    ]


def _scale_section(res: dict[str, Any]) -> list[str]:
    sc = res.get("scale", {})
    if not sc.get("sizes"):
        return ["", f"Scale failed: {sc['error']}"] if sc.get("error") else []
    lines = [
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
        fp95 = big[-1]["hybrid_filtered"]["p95_ms"]
        target = TARGETS["scale_100k_filtered_p95_ms"]
        lines.append(
            f"Target at 100k chunks: filtered hybrid p95 ≤ {target:g} ms → {fp95} ms {_ok(fp95, target)}."
        )
    return lines


def _builds_section(res: dict[str, Any]) -> list[str]:
    lb = res.get("llama_builds") or {}
    if not lb.get("builds"):
        return []
    lines = ["", "## llama.cpp builds (same model and prompts, rounds interleaved)", ""]
    lines += ["| build | generation tokens/s | prompt tokens/s | system info |", "|---|---|---|---|"]
    for name, b in lb["builds"].items():
        lines.append(
            f"| {name} | {b.get('gen_tokens_per_s')} | {b.get('prompt_tokens_per_s')} | `{b.get('system_info')}` |"
        )
    lines.append(f"\nLoad average before: {lb.get('load_avg_before')}.")
    return lines


def to_markdown(res: dict[str, Any]) -> str:
    lines = _header(res)
    table = _Table(res, lines)
    _ingest_rows(table, res.get("ingest", {}))
    _noop_rows(table, res.get("noop_reingest", {}))
    _retrieval_rows(table, res.get("retrieval", {}))
    _answer_rows(table, res.get("extractive_answer", {}), res.get("local_model", {}))
    _plan_rows(table, res.get("plan", {}))
    _serve_rows(table, res.get("serve_cold_start", {}))
    if lines[-1] == "|---|---|---|---|---|":  # a scale- or build-only run measured none of these
        del lines[-3:]
    lines += _peak_line(res.get("peak_rss", {}))
    lines += _scale_section(res)
    lines += _builds_section(res)
    if res.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in res["notes"]]
    if res.get("errors"):
        lines += ["", "## Errors", ""] + [f"- {k}: see `errors.{k}` in the JSON" for k in res["errors"]]
    return "\n".join(lines) + "\n"


def write(res: dict[str, Any], out: Path) -> Path:
    """``res`` as JSON at ``out`` and as Markdown next to it; returns the Markdown's path."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md = out.with_suffix(".md")
    md.write_text(to_markdown(res), encoding="utf-8")
    return md
