"""Baselines: per-case values of the gated metrics, so a run on any subset of cases (``--limit``) is
compared with the baseline restricted to the same cases. Tolerances: ``metrics.RATE_TOLERANCE``
(absolute, for rates) and ``metrics.NUMBER_TOLERANCE`` (relative, for counts)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from advisor.evals.metrics import NUMBER_TOLERANCE, RATE_TOLERANCE, MetricSpec

VERSION = 1


def baseline_path(baselines_dir: Path, provider: str) -> Path:
    return baselines_dir / f"{provider}.json"


def load(path: Path) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _case_values(rows: list[dict[str, Any]], specs: list[MetricSpec]) -> dict[str, dict[str, Any]]:
    fields = sorted({f for s in specs if s.gate for f in s.fields()})
    return {r["id"]: {"ok": bool(r.get("ok")), **{f: r.get(f) for f in fields}} for r in rows}


def write(
    path: Path,
    summary: dict[str, Any],
    specs_by_suite: dict[str, list[MetricSpec]],
) -> dict[str, Any]:
    """Merge this run's cases into the baseline at ``path`` (cases not run are kept) and save it."""
    old = load(path) or {}
    cases: dict[str, dict[str, Any]] = dict(old.get("cases") or {})
    for suite, result in summary["suites"].items():
        merged = dict(cases.get(suite) or {})
        merged.update(_case_values(result["cases"], specs_by_suite[suite]))
        cases[suite] = merged
    metrics: dict[str, float | None] = {}
    for suite, rows_by_id in cases.items():
        rows = list(rows_by_id.values())
        for s in specs_by_suite.get(suite, []):
            if s.gate:
                v = s.compute(rows)
                metrics[f"{suite}.{s.key}"] = None if v is None else round(v, 4)
    data = {
        "version": VERSION,
        "provider": summary["provider"],
        "model": summary.get("model", ""),
        "judge": {k: v for k, v in summary["judge"].items() if k in ("kind", "provider", "label")},
        "updated": summary["created"],
        "git": summary.get("git", ""),
        "tolerance": {"rate_absolute": RATE_TOLERANCE, "number_relative": NUMBER_TOLERANCE},
        "metrics": metrics,
        "cases": {s: dict(sorted(c.items())) for s, c in sorted(cases.items())},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return data


def compare(
    summary: dict[str, Any],
    baseline: dict[str, Any] | None,
    specs_by_suite: dict[str, list[MetricSpec]],
    path: Path,
) -> dict[str, Any]:
    """Gate result: every gated metric over the cases both runs share; regressed beyond tolerance fails."""
    gate: dict[str, Any] = {
        "baseline": str(path),
        "exists": baseline is not None,
        "passed": True,
        "compared": [],
        "regressions": [],
        "new_failures": [],
        "notes": [],
    }
    if baseline is None:
        gate["notes"].append(f"没有基线文件 {path.name}：本次不做比较（用 --update-baseline 生成）")
        return gate
    same_judge = (baseline.get("judge") or {}).get("kind") == summary["judge"].get("kind")
    if not same_judge:
        gate["notes"].append("评审方式与基线不同：依赖评审的指标只展示、不参与门禁")
    for suite, result in summary["suites"].items():
        base_cases: dict[str, dict[str, Any]] = (baseline.get("cases") or {}).get(suite) or {}
        current = {r["id"]: r for r in result["cases"]}
        common = [i for i in current if i in base_cases]
        if not common:
            gate["notes"].append(f"{result['title']}：基线中没有相同的用例，未比较")
            continue
        if len(common) < len(current):
            gate["notes"].append(
                f"{result['title']}：{len(current) - len(common)} 个用例不在基线中，未参与比较"
            )
        for s in specs_by_suite[suite]:
            if not s.gate:
                continue
            b = s.compute([base_cases[i] for i in common])
            c = s.compute([current[i] for i in common])
            skipped = s.judged and not same_judge
            regressed = (not skipped) and s.regressed(c, b)
            item = {
                "suite": suite,
                "key": s.key,
                "label": s.label,
                "group": s.group,
                "unit": s.unit,
                "baseline": None if b is None else round(b, 4),
                "current": None if c is None else round(c, 4),
                "delta": None if b is None or c is None else round(c - b, 4),
                "tolerance": s.tolerance_text(),
                "regressed": regressed,
                "skipped": skipped,
                "n": len(common),
            }
            gate["compared"].append(item)
            if regressed:
                gate["regressions"].append(item)
        gate["new_failures"] += [
            {"suite": suite, "id": i, "failure": current[i].get("failure", "")}
            for i in common
            if base_cases[i].get("ok") and not current[i].get("ok")
        ]
    gate["passed"] = not gate["regressions"]
    return gate
