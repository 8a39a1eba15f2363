"""evals/compare_runs.py: CI's determinism check across processes, in full and on a split."""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from typing import Any

SPEC = importlib.util.spec_from_file_location(
    "compare_runs", Path(__file__).resolve().parents[2] / "evals" / "compare_runs.py"
)
assert SPEC and SPEC.loader
compare_runs = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(compare_runs)


def _summary() -> dict[str, Any]:
    cases = [
        {"id": "a1", "split": "dev", "answer": "甲", "seconds": 0.1},
        {"id": "a2", "split": "test", "answer": "乙", "seconds": 0.2},
    ]
    return {
        "metrics": {"answers.fact_recall": 0.5, "answers.latency_p50": 0.1},
        "suites": {"answers": {"metrics": {"latency_p50": {"unit": "seconds"}}, "cases": cases}},
    }


def _test_only(summary: dict[str, Any]) -> dict[str, Any]:
    part = copy.deepcopy(summary)
    suite = part["suites"]["answers"]
    suite["cases"] = [c for c in suite["cases"] if c["split"] == "test"]
    part["metrics"]["answers.fact_recall"] = 1.0  # over other cases: not comparable
    return part


def test_identical_runs_agree_whatever_their_timings() -> None:
    other = _summary()
    other["suites"]["answers"]["cases"][0]["seconds"] = 9.0
    other["metrics"]["answers.latency_p50"] = 9.0
    assert compare_runs.differences(_summary(), other) == []


def test_a_full_comparison_reports_a_changed_answer_and_metric() -> None:
    other = _summary()
    other["suites"]["answers"]["cases"][1]["answer"] = "丙"
    other["metrics"]["answers.fact_recall"] = 0.4
    found = compare_runs.differences(_summary(), other)
    assert any("answers.fact_recall" in f for f in found)
    assert any("a2" in f and "answer" in f for f in found)


def test_a_split_run_is_compared_on_its_own_cases_only() -> None:
    full, part = _summary(), _test_only(_summary())
    assert compare_runs.differences(full, part, subset=True) == []
    assert compare_runs.differences(full, part) != []  # in full, the missing dev case and metric differ
    part["suites"]["answers"]["cases"][0]["answer"] = "丙"
    assert compare_runs.differences(full, part, subset=True) == ["answers case a2: differs in answer"]


def test_a_case_the_full_run_lacks_is_a_difference(tmp_path: Path) -> None:
    part = _test_only(_summary())
    part["suites"]["answers"]["cases"].append({"id": "a9", "split": "test", "answer": "丁"})
    assert compare_runs.differences(_summary(), part, subset=True) == ["answers case a9: only in one run"]


def test_the_command_fails_on_a_subset_without_cases(tmp_path: Path) -> None:
    import json

    full, empty = tmp_path / "full.json", tmp_path / "empty.json"
    full.write_text(json.dumps(_summary()), encoding="utf-8")
    empty.write_text(json.dumps({"metrics": {}, "suites": {"answers": {"cases": []}}}), encoding="utf-8")
    assert compare_runs.main(["--subset", str(full), str(empty)]) == 1
    assert compare_runs.main(["--subset", str(full), str(full)]) == 0
