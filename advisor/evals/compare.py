"""Compare suite (对标分析, issue 16): per (region, topic) cell written by reading the texts, does the
cell hold the expected clauses, only from that region's own documents, each quote verbatim — and does
it stay empty where the region's texts say nothing?

Clause recall of a cell: the share of its expected clauses (document + article, or document + a
verbatim fragment when the text has no article numbers) among the cell's measures (as many as the
comparison shows: 3, or up to 6 when the region has more articles nearly as much about the topic).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.compare import find_measures, resolve_region
from advisor.compare.build import CELL_EXTRA, CELL_LIMIT
from advisor.compare.cache import caching
from advisor.evals.datasets import DATASETS_DIR, check_split, split_of
from advisor.evals.metrics import MetricSpec, summarise

if TYPE_CHECKING:
    from advisor.render.compare_types import Measure
    from advisor.service import Advisor

FILE = "compare.jsonl"
LIMIT, EXTRA = CELL_LIMIT, CELL_EXTRA  # measures per cell, as `advisor compare` shows them
ProgressFn = Callable[[str, int, int], None]


def specs() -> list[MetricSpec]:
    return [
        MetricSpec("clause_recall", "条款召回率", f"每个应有条款的单元格中，人工读原文标出的关键条款被系统列出的比例（每格 {LIMIT} 条，该地区相关条款多时最多 {LIMIT + EXTRA} 条，与对标分析表一致；有条号的文件按条计，无条号的文件按所引段落计）。", "recall", gate=True),
        MetricSpec("leakage", "跨地区串用", "引文来自其他地区文件的措施占全部措施的比例（必须为 0）。", "leaked", unit="rate", higher_better=False, gate=True, agg="ratio", den="measures"),
        MetricSpec("verbatim", "引文逐字一致率", "措施引文与其所在段落逐字一致的比例（必须为 100%）。", "verbatim", gate=True, agg="ratio", den="measures"),
        MetricSpec("not_found_precision", "“未检索到”准确率", "系统判为“未检索到相关条款”的单元格中，确实没有相关条款的比例。", "nf_correct", gate=True, agg="ratio", den="nf_shown"),
        MetricSpec("not_found_recall", "“未检索到”召回率", "确实没有相关条款的单元格中，系统如实显示为空的比例。", "nf_correct", agg="ratio", den="nf_expected"),
        MetricSpec("cell_latency_p50", "单元格耗时中位数", "查找一个地区一个主题的措施所用时间的中位数。", "seconds", unit="seconds", higher_better=False, agg="p50"),
    ]  # fmt: skip


def load_cases(datasets_dir: Path | None = None, split: str = "all") -> list[dict[str, Any]]:
    check_split(split)
    path = (datasets_dir or DATASETS_DIR) / FILE
    if not path.is_file():
        raise FileNotFoundError(f"评测数据集不存在：{path}")
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [c for c in cases if split == "all" or split_of(c) == split]


def in_index(cases: list[dict[str, Any]], titles: set[str]) -> list[dict[str, Any]]:
    """Cells whose expected documents are all indexed (an eval over part of the corpus skips the rest)."""
    return [c for c in cases if all(e["title"] in titles for e in c.get("expected") or [])]


def matches(expected: dict[str, Any], m: Measure, unit_text: str = "") -> bool:
    """The measure lists the expected clause: the same article; in a text without article numbers, the
    same unit (the passage it quotes from, ``unit_text``), as a cell lists one measure per unit."""
    if m.title != expected["title"]:
        return False
    if expected.get("article"):
        return m.article == expected["article"]
    fragment = str(expected.get("fragment") or "")
    return fragment in m.quote or bool(fragment and fragment in unit_text)


def score_cell(adv: Advisor, case: dict[str, Any], measures: list[Measure]) -> dict[str, Any]:
    snap = adv.snapshot
    region = resolve_region(case["region"])
    expected = list(case.get("expected") or [])
    units = {m.chunk_id: snap.chunks[m.chunk_id].text for m in measures if m.chunk_id in snap.chunks}
    found = [e for e in expected if any(matches(e, m, units.get(m.chunk_id, "")) for m in measures)]
    leaked = [
        m for m in measures if (snap.docs.get(m.doc_id) is None or snap.docs[m.doc_id].region != region)
    ]
    verbatim = [m for m in measures if m.chunk_id in snap.chunks and m.quote in snap.chunks[m.chunk_id].text]
    want_empty = not case.get("expect_found", bool(expected))
    return {
        "id": case["id"],
        "split": split_of(case),
        "region": region,
        "topic": case["topic"],
        "question": f"{region}｜{case['topic']}",
        "expected": expected,
        "found": [
            {"title": m.title, "article": m.article, "action": m.action, "quote": m.quote} for m in measures
        ],
        "recall": (len(found) / len(expected)) if expected else None,
        "missed": [
            f"《{e['title']}》{e.get('article') or e.get('fragment')}" for e in expected if e not in found
        ],
        "measures": len(measures),
        "leaked": len(leaked),
        "verbatim": len(verbatim),
        "nf_shown": 1 if not measures else 0,
        "nf_expected": 1 if want_empty else 0,
        "nf_correct": 1 if (want_empty and not measures) else 0,
    }


def run(adv: Advisor, cases: list[dict[str, Any]], progress: ProgressFn | None = None) -> dict[str, Any]:
    t0 = time.perf_counter()
    retriever = caching(adv.retriever())
    rows: list[dict[str, Any]] = []
    for i, case in enumerate(cases):
        t = time.perf_counter()
        measures = find_measures(
            retriever, resolve_region(case["region"]), case["topic"], limit=LIMIT, extra=EXTRA
        )
        seconds = time.perf_counter() - t
        row = score_cell(adv, case, measures)
        row["seconds"] = round(seconds, 4)
        row["ok"] = (
            (row["recall"] in (None, 1.0)) and not row["leaked"] and row["verbatim"] == row["measures"]
        )
        row["ok"] = row["ok"] and (row["nf_expected"] == row["nf_correct"])
        if not row["ok"]:
            row["failure"] = _why(row)
        rows.append(row)
        if progress:
            progress("对标评测", i + 1, len(cases))
    return {
        "suite": "compare",
        "title": "对标评测",
        "intro": f"用 {len(rows)} 个（地区，主题）单元格检验对标分析：人工读原文标出的关键条款是否列出，"
        "引文是否只来自该地区自己的文件且逐字一致，没有相关条款的地区是否如实留空。",
        "n": len(rows),
        "seconds": round(time.perf_counter() - t0, 2),
        "metrics": summarise(specs(), rows),
        "breakdown": {},
        "cases": rows,
        "cases_html": cases_html(rows),
    }


def _why(row: dict[str, Any]) -> str:
    parts = []
    if row["leaked"]:
        parts.append(f"{row['leaked']} 条引文来自其他地区的文件")
    if row["verbatim"] != row["measures"]:
        parts.append("有引文与原文不一致")
    if row["missed"]:
        parts.append("未列出：" + "、".join(row["missed"]))
    if row["nf_expected"] and not row["nf_correct"]:
        parts.append("该地区没有相关条款，却列出了措施")
    return "；".join(parts)


def cases_html(rows: list[dict[str, Any]]) -> str:
    """The report's per-cell table (collapsed): recall, measures, leaks, verbatim, and for a failed
    cell the clauses read from the texts beside the ones listed."""
    from html import escape

    from advisor.evals.metrics import fmt

    head = "<th>编号</th><th>地区｜主题</th><th>条款召回</th><th>措施</th><th>跨地区</th><th>逐字</th><th>结果</th>"
    body = []
    for c in rows:
        wanted = "；".join(f"《{e['title']}》{e.get('article') or e.get('fragment')}" for e in c["expected"])
        listed = "；".join(f"《{m['title']}》{m['article']}" for m in c["found"])
        result = (
            "<span class=ok>✓ 通过</span>"
            if c["ok"]
            else f"<span class=no>✗ {escape(c.get('failure', ''))}</span>"
        )
        body.append(
            f"<tr><td>{escape(c['id'])}</td><td>{escape(c['question'])}</td>"
            f"<td class='num'>{fmt(c.get('recall'), 'rate')}</td>"
            f"<td title='{escape(wanted or '（应为空）')}'>{escape(listed or '（空）')}</td>"
            f"<td class='num'>{c['leaked']}</td><td class='num'>{c['verbatim']}/{c['measures']}</td><td>{result}</td></tr>"
        )
    return f"<details><summary>逐格明细（{len(rows)} 格）</summary><table><tr>{head}</tr>{''.join(body)}</table></details>"
