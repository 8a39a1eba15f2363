"""The bench's Markdown shows the tables a run measured, and no empty one."""

from __future__ import annotations

from pathlib import Path

from advisor.devtools.bench import results_path
from advisor.devtools.bench_report import to_markdown, write

MACHINE = {"cpu": "test cpu", "cores": 2, "usable_cores": 2, "ram_gb": 8, "os": "Linux", "python": "3.11"}


def test_scale_only_run_has_no_empty_metric_table() -> None:
    res = {
        "machine": {**MACHINE, "load_avg_start": [1.0, 1.0, 1.0], "load_avg_end": [1.5, 1.2, 1.1]},
        "errors": {},
        "scale": {"runs": []},
    }
    md = to_markdown(res)
    assert "| Metric | Result |" not in md
    assert "end [1.5, 1.2, 1.1]" in md


def test_a_measured_metric_keeps_its_table() -> None:
    res = {
        "machine": MACHINE,
        "errors": {},
        "ingest": {
            "documents": 3,
            "chunks": 30,
            "ingest_s": 2.0,
            "chunks_per_s": 15.0,
            "overhead_ratio": 1.1,
        },
    }
    md = to_markdown(res)
    assert "| Metric | Result |" in md
    assert "Ingest, shipped corpus (3 docs, 30 chunks)" in md


def test_out_naming_a_directory_writes_results_inside_it(tmp_path: Path) -> None:
    # a 13-minute scale run once ended in IsADirectoryError, its figures lost
    out = results_path(str(tmp_path))
    md = write({"machine": MACHINE, "errors": {}}, out)
    assert out == tmp_path / "results.json" and out.is_file() and md.is_file()
    assert results_path(str(tmp_path / "scale.json")) == tmp_path / "scale.json"
