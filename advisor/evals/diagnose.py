"""The 政策诊断 suite: real policy texts with chapters removed, each element's coverage decided by reading.

``evals/datasets/diagnose.jsonl``: one line per draft (``draft`` path under ``evals/datasets``, ``city``,
``split``, ``covered`` and ``missing`` element ids, ``source``). A *gap* is an element the draft does not
address; the diagnosis flags it when it says 缺失. Metrics: gap precision and recall, false 缺失 (an
element the draft covers called 缺失), the share of draft quotes that are verbatim spans of the draft
(re-read independently of the diagnosis), the share of corpus quotes (basis and peer measures) that are
verbatim in their chunk of the index, and whether every status is explained by quotes (已覆盖/部分覆盖
quote the draft, 缺失 quotes nothing from it, every element shows its basis).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.evals.datasets import DATASETS_DIR, check_split
from advisor.evals.metrics import MetricSpec, summarise
from advisor.ingest.loaders import load_document
from advisor.render.diagnosis_types import Diagnosis
from advisor.text import squash

if TYPE_CHECKING:
    from advisor.service import Advisor

FILE = "diagnose.jsonl"
ProgressFn = Callable[[str, int, int], None]


def specs() -> list[MetricSpec]:
    return [
        MetricSpec("gap_precision", "缺项查准率", "判为“缺失”的要素中，草案确实没有写到的比例。", "tp", agg="ratio", den="pred_gaps", gate=True),
        MetricSpec("gap_recall", "缺项查全率", "草案确实没有写到的要素中，被判为“缺失”的比例。", "tp", agg="ratio", den="true_gaps", gate=True),
        MetricSpec("false_missing", "误判缺失率", "草案写到了的要素被判为“缺失”的比例（应很少）。", "false_missing", agg="ratio", den="covered", higher_better=False, gate=True),
        MetricSpec("draft_quotes_verbatim", "草案引文逐字率", "引用的草案句子能在草案原文中逐字找到、且位置正确的比例（应为 100%）。", "draft_ok", agg="ratio", den="draft_quotes", gate=True),
        MetricSpec("corpus_quotes_verbatim", "依据引文逐字率", "依据与对标做法的引文能在资料库原文段落中逐字找到的比例（应为 100%）。", "corpus_ok", agg="ratio", den="corpus_quotes", gate=True),
        MetricSpec("explained", "判断有据率", "每个要素的判断都有对应引文支撑（已覆盖/部分覆盖引草案原文，缺失不引草案，均列依据）的比例。", "explained_n", agg="ratio", den="elements", gate=True),
        MetricSpec("peers_per_gap", "每个缺项的对标做法数", "每个缺失或部分覆盖的要素平均列出几条其他地区的做法。", "peers_n", agg="ratio", den="gaps_shown", unit="number"),
        MetricSpec("latency_p50", "诊断耗时中位数", "诊断一份草案所用时间的中位数。", "seconds", unit="seconds", higher_better=False, agg="p50"),
    ]  # fmt: skip


def load(datasets_dir: Path | None = None, split: str = "all") -> list[dict[str, Any]]:
    check_split(split)
    path = (datasets_dir or DATASETS_DIR) / FILE
    if not path.is_file():
        raise FileNotFoundError(f"评测数据集不存在：{path}")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in rows if split == "all" or r.get("split") == split]


def score(
    adv: Advisor, case: dict[str, Any], diag: Diagnosis, draft_text: str, seconds: float
) -> dict[str, Any]:
    """One row: gap counts, quote checks and the elements whose status disagrees with the label."""
    missing, covered = set(case["missing"]), set(case["covered"])
    pred = {i.element_id for i in diag.items if i.status == "缺失"}
    chunks = adv.snapshot.chunks
    draft_quotes = [q for i in diag.items for q in i.draft_quotes]
    draft_ok = sum(q.text == draft_text[q.start : q.end] and bool(q.text.strip()) for q in draft_quotes)
    corpus_ok = sum(
        c.chunk_id in chunks and bool(c.quote.strip()) and squash(c.quote) in squash(chunks[c.chunk_id].text)
        for c in diag.citations
    )
    explained = sum(bool(i.basis) and (bool(i.draft_quotes) != (i.status == "缺失")) for i in diag.items)
    missed = sorted(missing - pred)
    wrong = sorted(pred & covered)
    gaps_shown = [i for i in diag.items if i.status != "已覆盖"]
    failure = "；".join(
        part
        for part in (
            f"漏判缺项：{'、'.join(missed)}" if missed else "",
            f"误判缺失：{'、'.join(wrong)}" if wrong else "",
            "草案引文不逐字" if draft_ok < len(draft_quotes) else "",
            "依据引文不逐字" if corpus_ok < len(diag.citations) else "",
        )
        if part
    )
    why = "；".join(
        f"{i.element_id}：判为{i.status}"
        + (f"（草案“{i.draft_quotes[0].location}：{i.draft_quotes[0].text[:40]}”）" if i.draft_quotes else "")
        for i in diag.items
        if i.element_id in set(missed) | set(wrong)
    )
    return {
        "id": case["id"],
        "question": f"《{diag.draft_title}》（{case['city']}）",
        "split": case.get("split", ""),
        "city": case["city"],
        "tp": len(pred & missing),
        "pred_gaps": len(pred),
        "true_gaps": len(missing),
        "false_missing": len(wrong),
        "covered": len(covered),
        "draft_quotes": len(draft_quotes),
        "draft_ok": draft_ok,
        "corpus_quotes": len(diag.citations),
        "corpus_ok": corpus_ok,
        "elements": len(diag.items),
        "explained_n": explained,
        "peers_n": sum(len(i.peers) for i in gaps_shown),
        "gaps_shown": len(gaps_shown),
        "seconds": round(seconds, 3),
        "statuses": {i.element_id: i.status for i in diag.items},
        "ok": not failure,
        "failure": failure,
        "why": why,
    }


def run(
    adv: Advisor,
    cases: list[dict[str, Any]],
    progress: ProgressFn | None = None,
    datasets_dir: Path | None = None,
) -> dict[str, Any]:
    root = datasets_dir or DATASETS_DIR
    t0 = time.perf_counter()
    rows = []
    for k, case in enumerate(cases, 1):
        path = root / case["draft"]
        start = time.perf_counter()
        diag = adv.diagnose(path, case["city"])
        seconds = time.perf_counter() - start
        rows.append(score(adv, case, diag, load_document(path).text, seconds))
        if progress:
            progress("诊断评测", k, len(cases))
    return {
        "suite": "diagnose",
        "title": "诊断评测",
        "intro": f"{len(cases)} 份由真实政策文本删去若干章节而成的草案（逐条阅读标注了写到与没写到的要素），"
        "检查诊断能否找出缺项、会不会把写到的要素判为缺失，以及草案引文与依据引文是否逐字。",
        "n": len(rows),
        "seconds": round(time.perf_counter() - t0, 2),
        "metrics": summarise(specs(), rows),
        "breakdown": {},
        "cases": rows,
    }
