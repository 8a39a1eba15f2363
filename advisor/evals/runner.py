"""Run the eval suites, write ``summary.json`` + ``report.md`` + ``report.html``, gate against a baseline.

Python API (also used by the web app's 评测 tab)::

    run_suites(advisor, ["retrieval", "answers", "plans"], "extractive", Path("evals/out"), progress=None)
        -> dict   # the summary, also written to out_dir/summary.json
    latest_report(Path("evals/out")) -> (markdown or None, path of report.html or None)

``progress(label, done, total)`` is called after every case (label: 检索评测 / 问答评测 / 方案评测).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from advisor.evals import answers as answers_suite
from advisor.evals import baseline as baseline_mod
from advisor.evals import compare as compare_suite
from advisor.evals import datasets
from advisor.evals import diagnose as diagnose_suite
from advisor.evals import plans as plans_suite
from advisor.evals import retrieval as retrieval_suite
from advisor.evals.judge import make_judge
from advisor.evals.metrics import MetricSpec, by_split, fmt
from advisor.evals.report import write_reports
from advisor.index.embeddings import Embedder
from advisor.settings import PROJECT_ROOT

if TYPE_CHECKING:
    from advisor.service import Advisor

SUITES = ("retrieval", "answers", "plans", "diagnose", "compare")
ProgressFn = Callable[[str, int, int], None]
SUMMARY = "summary.json"
REPORT_MD = "report.md"
REPORT_HTML = "report.html"


def specs_by_suite() -> dict[str, list[MetricSpec]]:
    return {
        "retrieval": retrieval_suite.specs(),
        "answers": answers_suite.specs(),
        "plans": plans_suite.specs(),
        "diagnose": diagnose_suite.specs(),
        "compare": compare_suite.specs(),
    }


def expand_suites(suites: Sequence[str] | str) -> list[str]:
    names = [suites] if isinstance(suites, str) else list(suites)
    out: list[str] = []
    for name in names:
        for n in SUITES if name == "all" else [name]:
            if n not in SUITES:
                raise ValueError(
                    f"未知的评测套件 {n!r}：可选 retrieval / answers / plans / diagnose / compare / all"
                )
            if n not in out:
                out.append(n)
    return out


class _MemoEmbedder(Embedder):
    """Remembers query vectors for the length of a run: hybrid and dense retrieval of one question, and
    the plan queries shared by every city, are embedded once. Results are identical to the inner model's."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self._memo: dict[str, np.ndarray] = {}

    def _embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.embed_passages(texts)

    def _embed_query(self, text: str) -> np.ndarray:
        vec = self._memo.get(text)
        if vec is None:
            vec = self._memo[text] = self.inner.embed_query_vector(text)
        return vec

    @property
    def dim(self) -> int:
        return self.inner.dim


@contextlib.contextmanager
def _memo_queries(adv: Advisor) -> Iterator[None]:
    inner = adv.embedder
    if isinstance(inner, _MemoEmbedder) or not hasattr(adv, "_embedder"):
        yield
        return
    adv._embedder = _MemoEmbedder(inner)
    try:
        yield
    finally:
        adv._embedder = inner


def _git() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def _environment(adv: Advisor) -> dict[str, Any]:
    env: dict[str, Any] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    with contextlib.suppress(OSError, AttributeError):
        env["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    try:
        env["index"] = adv.stats()
    except Exception as exc:  # the index stats are informative only
        env["index"] = {"error": str(exc)}
    return env


def _indexed_stems(advisor: Advisor) -> set[str]:
    """File stems of the indexed documents (how the datasets name a document)."""
    return {Path(m.path).stem for m in advisor.snapshot.docs.values() if m.path}


def run_suites(
    advisor: Advisor,
    suites: list[str],
    provider: str,
    out_dir: Path,
    progress: ProgressFn | None = None,
    *,
    limit: int = 0,
    judge: str | None = None,
    baselines_dir: Path | None = None,
    datasets_dir: Path | None = None,
    split: str = "all",
) -> dict[str, Any]:
    """Run ``suites`` with ``provider``, write the summary and both reports into ``out_dir``, compare with
    ``baselines_dir/<provider>.json`` (``summary["gate"]``) and return the summary.

    ``limit`` > 0 evaluates that many cases per dataset, spread evenly over each file. ``judge``:
    ``heuristic`` (default) or an LLM provider (``local`` / ``openai``) for support and relevance.
    ``split``: ``all`` (default), ``dev`` or ``test`` — the dataset lines evaluated. Every suite's result
    also carries ``splits.dev`` / ``splits.test`` (case count and every metric over that split's cases).
    Raises ``ValueError`` for an unknown suite, provider or split and for an empty index.
    """
    from advisor.generation.providers import model_label, resolve_provider

    names = expand_suites(suites)
    datasets.check_split(split)
    chosen = resolve_provider(advisor.settings, provider)
    if not advisor.snapshot.chunks:
        raise ValueError("索引为空：请先运行 `advisor ingest` 把资料库入库，再运行评测")
    judge_obj = make_judge(advisor, judge)
    out_dir = Path(out_dir)
    t0 = time.perf_counter()
    results: dict[str, dict[str, Any]] = {}
    # Each suite gets a fresh query-vector memo, so latencies stay honest across suites.
    indexed = _indexed_stems(advisor)

    def load(name: str) -> list[dict[str, Any]]:
        return datasets.subset(datasets.in_index(datasets.load(name, datasets_dir, split), indexed), limit)

    if "retrieval" in names:
        cases = load("retrieval")
        with _memo_queries(advisor):
            results["retrieval"] = retrieval_suite.run(advisor, cases, progress)
    if "answers" in names:
        answerable, ooc = load("answers"), load("out_of_corpus")
        with _memo_queries(advisor):
            results["answers"] = answers_suite.run(advisor, answerable, ooc, chosen, judge_obj, progress)
    if "plans" in names:
        cases = load("plans")
        with _memo_queries(advisor):
            peers = datasets.load("plans", datasets_dir)  # every split: a case's profile swap is fixed
            results["plans"] = plans_suite.run(advisor, cases, chosen, judge_obj, progress, peers)
    if "diagnose" in names:
        drafts = datasets.subset(diagnose_suite.load(datasets_dir, split), limit)
        results["diagnose"] = diagnose_suite.run(advisor, drafts, progress, datasets_dir)
    if "compare" in names:
        titles = {m.title for m in advisor.snapshot.docs.values()}
        cells = compare_suite.in_index(compare_suite.load_cases(datasets_dir, split), titles)
        results["compare"] = compare_suite.run(advisor, datasets.subset(cells, limit), progress)
    all_specs = specs_by_suite()
    for name, result in results.items():
        result["splits"] = by_split(all_specs[name], result["cases"], datasets.SPLITS)
    summary: dict[str, Any] = {
        "version": 1,
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "provider": chosen,
        "model": model_label(advisor.settings, chosen),
        "judge": judge_obj.describe(),
        "limit": limit,
        "split": split,
        "git": _git(),
        "seconds": round(time.perf_counter() - t0, 2),
        "environment": _environment(advisor),
        "suites": results,
        "metrics": {
            f"{suite}.{key}": m["value"] for suite, r in results.items() for key, m in r["metrics"].items()
        },
    }
    bpath = baseline_mod.baseline_path(baselines_dir or datasets.BASELINES_DIR, chosen)
    summary["gate"] = baseline_mod.compare(summary, baseline_mod.load(bpath), all_specs, bpath)
    write_outputs(summary, out_dir)
    return summary


def write_outputs(summary: dict[str, Any], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    write_reports(summary, out_dir / REPORT_MD, out_dir / REPORT_HTML)


def update_baseline(summary: dict[str, Any], baselines_dir: Path | None = None) -> Path:
    """Merge the run's per-case values into ``<baselines_dir>/<provider>.json``; returns its path."""
    path = baseline_mod.baseline_path(baselines_dir or datasets.BASELINES_DIR, summary["provider"])
    baseline_mod.write(path, summary, specs_by_suite())
    return path


def latest_report(out_dir: Path) -> tuple[str | None, str | None]:
    """(Markdown of the last report in ``out_dir``, path of its report.html) — None for what is missing."""
    out_dir = Path(out_dir)
    md = out_dir / REPORT_MD
    html = out_dir / REPORT_HTML
    return (
        md.read_text(encoding="utf-8") if md.is_file() else None,
        str(html.resolve()) if html.is_file() else None,
    )


class _Bars:
    """One tqdm bar per suite on stderr."""

    def __init__(self) -> None:
        self._bars: dict[str, Any] = {}

    def __call__(self, label: str, done: int, total: int) -> None:
        from tqdm import tqdm

        bar = self._bars.get(label)
        if bar is None:
            bar = self._bars[label] = tqdm(total=total, desc=label, unit="例", file=sys.stderr, leave=True)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()


# per suite, the metrics the dev/test headline lines show
SPLIT_HEADLINE = {
    "retrieval": ("hybrid.hit@5", "hybrid.mrr"),
    "answers": (
        "fact_recall",
        "fact_recall_english",
        "false_refusal",
        "refusal_accuracy",
        "near_domain_refusal",
    ),
    "plans": ("rubric_coverage", "specificity", "numbers_clean"),
    "diagnose": (
        "gap_precision",
        "gap_recall",
        "false_missing",
        "draft_quotes_verbatim",
        "corpus_quotes_verbatim",
    ),
    "compare": ("clause_recall", "leakage", "verbatim", "not_found_precision"),
}


def headline(summary: dict[str, Any]) -> list[str]:
    """Short plain-text lines: every gated metric of every suite run, then the key metrics per split."""
    lines = []
    for suite, r in summary["suites"].items():
        vals = [
            f"{(m['group'] + '·') if m['group'] else ''}{m['label']} {fmt(m['value'], m['unit'])}"
            for m in r["metrics"].values()
            if m["gate"] or m["unit"] == "seconds"
        ]
        lines.append(f"{r['title']}（{r['n']} 例，{r['seconds']:.0f} 秒）：" + "，".join(vals))
        for split, part in (r.get("splits") or {}).items():
            if not part["n"]:
                continue
            shown = [
                f"{r['metrics'][k]['label']} {fmt(part['metrics'].get(k), r['metrics'][k]['unit'])}"
                for k in SPLIT_HEADLINE.get(suite, ())
                if k in r["metrics"]
            ]
            lines.append(f"  {datasets.SPLIT_LABELS[split]}（{part['n']} 例）：" + "，".join(shown))
    return lines


def run_cli(args: argparse.Namespace) -> int:
    """``advisor eval``: exit 0 when no gated metric regressed beyond tolerance (or no baseline), 1 on a
    regression, 2 on bad usage (raised as ValueError and reported by the CLI)."""
    from advisor.service import Advisor

    suites = expand_suites(getattr(args, "suite", "all") or "all")
    out = Path(getattr(args, "out", None) or "evals/out")
    adv = Advisor()
    summary = run_suites(
        adv,
        suites,
        getattr(args, "provider", None) or "extractive",
        out,
        progress=_Bars(),
        limit=int(getattr(args, "limit", 0) or 0),
        judge=getattr(args, "judge", None),
        baselines_dir=getattr(args, "baselines_dir", None),
        split=getattr(args, "split", None) or "all",
    )
    for line in headline(summary):
        print(line)
    print(f"报告：{(out / REPORT_HTML).resolve()}（另有 {REPORT_MD}、{SUMMARY}）")
    if getattr(args, "update_baseline", False):
        path = update_baseline(summary, getattr(args, "baselines_dir", None))
        print(f"已更新基线：{path}")
        return 0
    gate = summary["gate"]
    for note in gate["notes"]:
        print(f"注意：{note}", file=sys.stderr)
    if not gate["passed"]:
        for item in gate["regressions"]:
            print(
                f"退步：{item['suite']}.{item['key']} {item['label']} 基线 {fmt(item['baseline'], item['unit'])}"
                f" → 本次 {fmt(item['current'], item['unit'])}（容差 {item['tolerance']}，{item['n']} 例）",
                file=sys.stderr,
            )
        return 1
    if gate["exists"]:
        print(f"门禁通过：与基线 {Path(gate['baseline']).name} 相比没有超出容差的退步")
    return 0
