"""Eval suites: metric functions, the ALCE-style support check, the baseline gate and the reports; and,
over the real ingested corpus, that the committed extractive baseline passes an undegraded run and fails
a degraded retriever or answerer."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from advisor.cli import main as cli_main
from advisor.evals import baseline, latest_report, run_suites
from advisor.evals import datasets as datasets_module
from advisor.evals.datasets import BASELINES_DIR, subset
from advisor.evals.judge import HeuristicJudge, citation_support, heuristic_entails
from advisor.evals.metrics import (
    MetricSpec,
    evidence_recall,
    first_rank,
    hit_at,
    ndcg_at,
    percentile,
    reciprocal_rank,
)
from advisor.evals.plans import rubric
from advisor.evals.report import to_html, to_markdown
from advisor.evals.runner import specs_by_suite
from advisor.service import Advisor
from advisor.types import Answer, Hit, Plan, PlanSection, Recommendation

# ----------------------------------------------------------------------------------------- metrics


def test_rank_metrics_are_whitespace_insensitive() -> None:
    texts = ["无关段落", "以产业基金为\n抓手，构建", "以投资促引进模式，吸引企业入驻"]
    ev = ["以产业基金为抓手", "以投资促引进模式，吸引企业入驻"]
    assert first_rank(texts, ev) == 2
    assert hit_at(2, 1) == 0.0 and hit_at(2, 3) == 1.0
    assert reciprocal_rank(2) == 0.5 and reciprocal_rank(None) == 0.0
    assert evidence_recall(texts, ev, 2) == 0.5
    assert evidence_recall(texts, ev, 3) == 1.0
    # two relevant chunks in the index, found at ranks 2 and 3
    assert ndcg_at(texts, ev, 5, n_relevant=2) == pytest.approx((1 / 1.585 + 0.5) / (1 + 1 / 1.585), rel=1e-3)
    assert ndcg_at(["x"], ev, 5, n_relevant=1) == 0.0


def test_percentile_and_tolerance() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([], 95) is None
    rate = MetricSpec("x", "x", "x", "x")
    assert not rate.regressed(0.93, 0.95)  # within 0.03
    assert rate.regressed(0.91, 0.95)
    lower = MetricSpec("y", "y", "y", "y", higher_better=False)
    assert lower.regressed(0.10, 0.05) and not lower.regressed(0.06, 0.05)
    count = MetricSpec("z", "z", "z", "z", unit="number")
    assert not count.regressed(1.85, 2.0) and count.regressed(1.7, 2.0)
    ratio = MetricSpec("r", "r", "r", "ok", agg="ratio", den="total")
    assert ratio.compute([{"ok": 1, "total": 2}, {"ok": 3, "total": 3}, {"ok": None, "total": None}]) == 0.8


def test_subset_spreads_over_file() -> None:
    cases = [{"id": i} for i in range(10)]
    assert [c["id"] for c in subset(cases, 3)] == [0, 3, 6]
    assert subset(cases, 0) == cases


# ------------------------------------------------------------------------------------------ judge

PASSAGE = "深圳经济特区人工智能产业促进条例 第十二条\n市人民政府应当设立人工智能产业专项资金，每年安排不少于10亿元。"


def test_heuristic_entailment_checks_numbers_and_places() -> None:
    assert heuristic_entails("市人民政府应当设立人工智能产业专项资金[1]", [PASSAGE])
    assert not heuristic_entails("市人民政府应当设立人工智能产业专项资金，每年20亿元", [PASSAGE])
    assert not heuristic_entails("合肥市人民政府应当设立人工智能产业专项资金", [PASSAGE])
    assert not heuristic_entails("推动传统信息技术企业向云计算服务商转型", [PASSAGE])


def test_alce_recall_and_precision() -> None:
    passages = {1: PASSAGE, 2: "红烧肉的做法：五花肉切块，冰糖炒色。"}
    claims = [
        ("市人民政府应当设立人工智能产业专项资金", [1, 2]),  # supported; [2] is irrelevant
        ("红烧肉要用冰糖炒色", [2]),  # supported
        ("应当建设国家级算力枢纽", [1]),  # unsupported
        ("没有引用的论点", []),  # unsupported
    ]
    checks, correct, total = citation_support(HeuristicJudge(), claims, passages)
    assert [c.supported for c in checks] == [True, True, False, False]
    assert checks[0].irrelevant == [2]
    assert (correct, total) == (2, 4)


# ---------------------------------------------------------------------------------- plan rubric


def test_rubric_counts_sections_and_topics() -> None:
    full = Plan(
        city="合肥市",
        province="安徽省",
        title="合肥市人工智能产业培育方案（草案）",
        sections=[
            PlanSection(key="chain", title="产业链布局", summary="聚焦能源层、算力层和应用层"),
            PlanSection(key="x", title="角色分工", summary="政府方、供给方、需求方、学研方"),
        ],
    )
    coverage, missing = rubric(full)
    assert "“产业链布局”缺要点“能源”" not in missing
    assert "“角色分工”缺要点“投资方”" in missing
    assert "缺章节“形势与机遇”" in missing
    assert 0 < coverage < 0.5


# ------------------------------------------------------------------------------- gate and reports


def _summary(rows: list[dict[str, Any]], judge: str = "heuristic") -> dict[str, Any]:
    from advisor.evals.metrics import summarise
    from advisor.evals.retrieval import specs

    return {
        "created": "2026-01-01T00:00:00+08:00",
        "provider": "extractive",
        "model": "抽取式",
        "judge": {"kind": judge, "label": judge},
        "limit": 0,
        "seconds": 1.0,
        "suites": {
            "retrieval": {
                "suite": "retrieval",
                "title": "检索评测",
                "intro": "",
                "n": len(rows),
                "seconds": 1.0,
                "metrics": summarise(specs(), rows),
                "breakdown": {},
                "cases": rows,
            }
        },
    }


def _row(i: int, hit: float) -> dict[str, Any]:
    row: dict[str, Any] = {"id": f"r{i:03d}", "question": f"问题{i}", "type": "fact", "ok": hit == 1.0}
    for mode in ("hybrid", "dense", "keyword"):
        row.update({f"{mode}.{m}": hit for m in ("hit@1", "hit@3", "hit@5", "rr", "ndcg@5", "ev@5", "doc@5")})
        row[f"{mode}.rank"] = 1 if hit else None
        row[f"{mode}.seconds"] = 0.1
    if hit != 1.0:
        row["failure"] = "前 5 未找到证据"
    return row


def test_gate_compares_only_shared_cases(tmp_path: Path) -> None:
    path = tmp_path / "extractive.json"
    base_rows = [_row(i, 1.0 if i % 2 else 0.0) for i in range(20)]  # 50% overall
    baseline.write(path, _summary(base_rows), specs_by_suite())
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["metrics"]["retrieval.hybrid.hit@5"] == 0.5

    # a subset of the odd (passing) cases, still passing: compared with the same cases, no regression
    same = _summary([_row(i, 1.0) for i in (1, 3, 5)])
    gate = baseline.compare(same, stored, specs_by_suite(), path)
    assert gate["passed"], gate["regressions"]
    # one of them now fails: a regression beyond 0.03 on the shared cases
    worse = _summary([_row(1, 1.0), _row(3, 0.0), _row(5, 1.0)])
    gate = baseline.compare(worse, stored, specs_by_suite(), path)
    assert not gate["passed"]
    assert {r["key"] for r in gate["regressions"]} >= {"hybrid.hit@5", "hybrid.mrr"}
    assert gate["new_failures"] == [{"suite": "retrieval", "id": "r003", "failure": "前 5 未找到证据"}]
    # dense-only changes are reported but never gate
    assert all(r["key"].startswith("hybrid.") for r in gate["regressions"])

    # merging a subset keeps the other cases
    baseline.write(path, _summary([_row(0, 1.0)]), specs_by_suite())
    merged = json.loads(path.read_text(encoding="utf-8"))
    assert len(merged["cases"]["retrieval"]) == 20
    assert merged["cases"]["retrieval"]["r000"]["hybrid.hit@5"] == 1.0


def test_reports_are_self_contained_and_explained(tmp_path: Path) -> None:
    summary = _summary([_row(1, 1.0), _row(2, 0.0)])
    summary["gate"] = {
        "exists": False,
        "passed": True,
        "compared": [],
        "regressions": [],
        "notes": ["无基线"],
    }
    page = to_html(summary)
    assert "<script" not in page and not re.search(r"(src|href)=['\"]?https?:", page)
    assert "检索评测" in page and "首位命中率" in page and "第 1 条结果就含有标准证据" in page
    assert "<svg" in page and "问题2" in page
    md = to_markdown(summary)
    assert md.startswith("# 评测报告") and "| 前5命中率（门禁） |" in md
    assert latest_report(tmp_path) == (None, None)


# ------------------------------------------------------------------- the gate over the real corpus

LIMIT = 5


class ShuffledRetriever(Advisor):
    """A degraded retriever: the same passages come back, in reverse order."""

    def retrieve(self, query: str, k: int = 5, filters: Any = None, mode: Any = "hybrid") -> list[Hit]:
        return super().retrieve(query, k=k, filters=filters, mode=mode)[::-1]


class UncitedAnswers(Advisor):
    """A degraded answerer: same text, but the recommendations lose their citations."""

    def ask(self, question: str, history: Any = None, provider: str | None = None) -> Answer:
        answer = super().ask(question, history=history, provider=provider)
        answer.recommendations = [
            Recommendation(**{**r.model_dump(), "citations": []}) for r in answer.recommendations
        ]
        answer.conclusion = re.sub(r"\[\d+\]", "", answer.conclusion)
        return answer


@pytest.fixture
def eval_env(
    corpus_data_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fixed_corpus_baseline: Path
) -> Path:
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(corpus_data_dir))
    monkeypatch.setenv("ADVISOR_LLM_PROVIDER", "extractive")
    monkeypatch.setattr(datasets_module, "BASELINES_DIR", fixed_corpus_baseline)
    return tmp_path / "out"


@pytest.fixture(scope="module")
def fixed_corpus_baseline(corpus_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed baseline is measured on the full corpus; these tests run on the fixed subset, where
    rankings differ, so the gate is checked against a baseline this code writes on that subset (in the
    committed baseline's format: it starts as a copy of it)."""
    assert (BASELINES_DIR / "extractive.json").is_file(), "commit evals/baselines/extractive.json"
    folder = tmp_path_factory.mktemp("baselines")
    shutil.copy(BASELINES_DIR / "extractive.json", folder / "extractive.json")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADVISOR_DATA_DIR", str(corpus_data_dir))
        mp.setenv("ADVISOR_LLM_PROVIDER", "extractive")
        mp.setattr(datasets_module, "BASELINES_DIR", folder)
        out = tmp_path_factory.mktemp("baseline-run")
        args = [
            "eval",
            "--suite",
            "all",
            "--provider",
            "extractive",
            "--limit",
            str(LIMIT),
            "--out",
            str(out),
        ]
        assert cli_main([*args, "--update-baseline"]) in (0, 1)
    return folder


def _eval(out: Path, suite: str) -> int:
    return cli_main(
        ["eval", "--suite", suite, "--provider", "extractive", "--limit", str(LIMIT), "--out", str(out)]
    )


@pytest.mark.integration
def test_undegraded_run_passes_the_committed_baseline(eval_env: Path) -> None:
    assert _eval(eval_env, "all") == 0
    summary = json.loads((eval_env / "summary.json").read_text(encoding="utf-8"))
    assert summary["gate"]["exists"] and summary["gate"]["passed"]
    assert {"retrieval", "answers", "plans", "diagnose"} <= set(summary["suites"])
    assert summary["judge"]["kind"] == "heuristic"
    md, html_path = latest_report(eval_env)
    assert md is not None and "门禁：**通过**" in md
    assert html_path is not None and Path(html_path).is_file()


@pytest.mark.integration
def test_degraded_retriever_fails_the_gate(eval_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("advisor.service.Advisor", ShuffledRetriever)
    assert _eval(eval_env, "retrieval") == 1
    gate = json.loads((eval_env / "summary.json").read_text(encoding="utf-8"))["gate"]
    assert any(r["key"] in ("hybrid.hit@1", "hybrid.mrr") for r in gate["regressions"])
    assert "门禁未通过" in (eval_env / "report.html").read_text(encoding="utf-8")


@pytest.mark.integration
def test_degraded_answerer_fails_the_gate(eval_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("advisor.service.Advisor", UncitedAnswers)
    assert _eval(eval_env, "answers") == 1
    gate = json.loads((eval_env / "summary.json").read_text(encoding="utf-8"))["gate"]
    assert "citation_recall" in {r["key"] for r in gate["regressions"]}


@pytest.mark.integration
def test_run_suites_api(corpus_advisor: Advisor, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    summary = run_suites(
        corpus_advisor, ["retrieval"], "extractive", tmp_path, progress=lambda *a: seen.append(a), limit=2
    )
    assert seen[-1] == ("检索评测", 2, 2)
    assert summary["suites"]["retrieval"]["n"] == 2
    assert (tmp_path / "report.html").is_file() and (tmp_path / "summary.json").is_file()


def test_a_clause_of_a_text_without_article_numbers_is_listed_by_its_unit() -> None:
    """An article counts as listed whichever of its sentences the cell quotes; a passage of a plan
    without article numbers is its unit in the same way, so its clause counts when the cell quotes
    another sentence of that passage — never when the passage is another one."""
    from advisor.evals.compare import matches
    from advisor.render.compare_types import Measure

    passage = "加快构建数据要素市场规则，培育市场主体。鼓励市场主体探索数据资产定价机制。"
    m = Measure(
        region="全国",
        topic="数据要素",
        action="探索数据资产定价机制",
        quote="鼓励市场主体探索数据资产定价机制。",
        doc_id="11",
        title="规划",
        article="（二）加快数据要素市场化流通",
        chunk_id="c1",
    )
    wanted = {"title": "规划", "article": "", "fragment": "加快构建数据要素市场规则"}
    assert not matches(wanted, m)  # the quote alone does not hold it …
    assert matches(wanted, m, passage)  # … its passage does
    assert not matches(wanted, m, "提升公共数据开放水平。")  # another passage
    assert not matches({**wanted, "title": "另一文件"}, m, passage)
    numbered = {"title": "规划", "article": "第五条", "fragment": "加快构建数据要素市场规则"}
    assert not matches(numbered, m, passage)  # an article is matched by its number only
