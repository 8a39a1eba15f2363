"""Compare eval runs of one index made in different processes: the figures must be identical.

    python evals/compare_runs.py evals/out/seed1 evals/out/seed2 [more runs …]
    python evals/compare_runs.py --subset evals/out evals/out/seed1 [more runs …]

Each argument is an ``advisor eval --out`` directory (or its ``summary.json``). Every run is compared with
the first: all metrics in ``summary["metrics"]``, and every per-case field of every suite (answer texts,
hits, ranks, verdicts). Exit status 0 when they agree, 1 when anything differs (each difference is
printed), 2 on bad usage.

With ``--subset`` the later runs evaluated part of the first run's cases (``--split test``): every case
they hold must be in the first run and identical there; metrics, which cover different cases, are not
compared. CI uses it so that the extra process costs a quarter of a full run.

Ignored, because they measure the clock rather than the system's output:

- metrics whose unit is ``seconds`` (``*.latency_p50``, ``answers.latency_p95``, ``answers.ttft_p50``);
- per-case timings: the fields ``seconds`` and ``ttft_s`` and the per-mode ``<mode>.seconds``;
- the ``generated_at:`` line of a plan's front matter, and the date in its ``**日期**`` line (the
  ``content_id`` hash covers that date, so it is ignored too);
- the run's metadata outside ``metrics`` and ``suites`` (``created``, ``seconds``, ``environment`` with its
  load average, ``git``, and ``gate``, which is derived from the metrics).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

TIMING_FIELDS = {"seconds", "ttft_s"}
_VOLATILE = (
    (re.compile(r"^generated_at:.*$", re.M), "generated_at: -"),
    (re.compile(r"^content_id:.*$", re.M), "content_id: -"),
    (re.compile(r"\*\*日期\*\*：[^　\n]*"), "**日期**：-"),
)


def load(path: Path) -> dict[str, Any]:
    file = path / "summary.json" if path.is_dir() else path
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data


def _is_timing(key: str) -> bool:
    return key in TIMING_FIELDS or key.endswith(".seconds")


def _clean(value: Any) -> Any:
    """``value`` without timing fields and with generation times blanked, recursively."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not _is_timing(str(k))}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, str):
        for pattern, repl in _VOLATILE:
            value = pattern.sub(repl, value)
    return value


def timing_metrics(summary: dict[str, Any]) -> set[str]:
    """Flat metric keys (``suite.key``) whose unit is seconds."""
    return {
        f"{suite}.{key}"
        for suite, result in (summary.get("suites") or {}).items()
        for key, spec in (result.get("metrics") or {}).items()
        if spec.get("unit") == "seconds"
    }


def differences(a: dict[str, Any], b: dict[str, Any], *, subset: bool = False) -> list[str]:
    """Human-readable differences between two summaries, metrics first; [] when they agree.

    ``subset``: ``b`` holds part of ``a``'s cases; only those are compared, and metrics are not."""
    out: list[str] = []
    skip = timing_metrics(a) | timing_metrics(b)
    ma, mb = a.get("metrics") or {}, b.get("metrics") or {}
    for key in [] if subset else sorted(set(ma) | set(mb)):
        if key not in skip and ma.get(key) != mb.get(key):
            out.append(f"metric {key}: {ma.get(key)!r} != {mb.get(key)!r}")
    sa, sb = a.get("suites") or {}, b.get("suites") or {}
    for suite in sorted(set(sb) if subset else set(sa) | set(sb)):
        ca = {c.get("id"): _clean(c) for c in (sa.get(suite) or {}).get("cases", [])}
        cb = {c.get("id"): _clean(c) for c in (sb.get(suite) or {}).get("cases", [])}
        for cid in sorted(set(cb) if subset else set(ca) | set(cb), key=str):
            x, y = ca.get(cid), cb.get(cid)
            if x == y:
                continue
            if x is None or y is None:
                out.append(f"{suite} case {cid}: only in one run")
                continue
            fields = sorted(k for k in set(x) | set(y) if x.get(k) != y.get(k))
            out.append(f"{suite} case {cid}: differs in {', '.join(fields)}")
    return out


def main(argv: list[str]) -> int:
    subset = bool(argv) and argv[0] == "--subset"
    argv = argv[1:] if subset else argv
    if len(argv) < 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    paths = [Path(p) for p in argv]
    missing = [str(p) for p in paths if not (p / "summary.json" if p.is_dir() else p).is_file()]
    if missing:
        print(f"no summary.json in: {', '.join(missing)}", file=sys.stderr)
        return 2
    first = load(paths[0])
    failed = False
    for path in paths[1:]:
        later = load(path)
        found = differences(first, later, subset=subset)
        if subset and not any((r or {}).get("cases") for r in (later.get("suites") or {}).values()):
            found.append("no cases to compare")
        if found:
            failed = True
            print(f"{paths[0]} vs {path}: {len(found)} difference(s)")
            for line in found[:50]:
                print(f"  {line}")
    if failed:
        return 1
    if subset:
        print(f"identical: every case of {len(paths) - 1} partial run(s) matches {paths[0]} (timings aside)")
        return 0
    n = len(set(first.get("metrics") or {}) - timing_metrics(first))
    print(f"identical: {n} metrics and every case of {len(paths)} runs (timings aside)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
