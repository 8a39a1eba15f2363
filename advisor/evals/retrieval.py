"""Retrieval suite: does the top-k contain the passage holding the evidence? Hybrid, dense and keyword."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.evals.datasets import doc_stems, docs_of, split_of
from advisor.evals.metrics import (
    MetricSpec,
    evidence_recall,
    first_rank,
    hit_at,
    ndcg_at,
    norm,
    reciprocal_rank,
    summarise,
)

if TYPE_CHECKING:
    from advisor.retrieval.hybrid import Mode
    from advisor.service import Advisor

MODES: tuple[Mode, ...] = ("hybrid", "dense", "keyword")
MODE_LABELS = {"hybrid": "混合检索", "dense": "仅向量", "keyword": "仅关键词"}
K = 5  # hits per query, as the issue defines hit@k (k ≤ 5); same candidate pool as the answerer (top_k 6)
TYPE_LABELS = {
    "fact": "事实",
    "paraphrase": "换种说法",
    "multi": "两问合一",
    "english": "英文提问",
    "mixed": "中英混合",
    "metadata": "文件信息",
    "list": "列举",
    "compare": "跨文件比较",
    "numeric": "数字",
}

ProgressFn = Callable[[str, int, int], None]


def specs() -> list[MetricSpec]:
    out: list[MetricSpec] = []
    for mode in MODES:
        gate = mode == "hybrid"
        g = MODE_LABELS[mode]
        out += [
            MetricSpec(f"{mode}.hit@1", "首位命中率", "第 1 条结果就含有标准证据的问题占比。", f"{mode}.hit@1", gate=gate, group=g),
            MetricSpec(f"{mode}.hit@3", "前3命中率", "前 3 条结果中有含标准证据段落的问题占比。", f"{mode}.hit@3", gate=gate, group=g),
            MetricSpec(f"{mode}.hit@5", "前5命中率", "前 5 条结果中有含标准证据段落的问题占比（主指标）。", f"{mode}.hit@5", gate=gate, group=g),
            MetricSpec(f"{mode}.mrr", "平均倒数排名（MRR）", "证据段落排得越靠前越高：第1名记1分，第2名0.5分，第3名0.33分……未找到记0。", f"{mode}.rr", gate=gate, group=g),
            MetricSpec(f"{mode}.ndcg@5", "排序质量（nDCG@5）", "前 5 条中含证据的段落越多、越靠前越高，满分 100%。", f"{mode}.ndcg@5", gate=gate, group=g),
            MetricSpec(f"{mode}.evidence_recall@5", "证据召回率", "每题全部标准证据中，在前 5 条里找到的比例（两问合一的题需两处都找到）。", f"{mode}.ev@5", gate=gate, group=g),
            MetricSpec(f"{mode}.doc@5", "文件命中率", "前 5 条中有来自正确文件的段落的问题占比（较宽松）。", f"{mode}.doc@5", group=g),
        ]  # fmt: skip
    out.append(
        MetricSpec(
            "hybrid.latency_p50",
            "检索耗时中位数",
            "混合检索一次所用时间的中位数（含把问题转成向量的时间）。",
            "hybrid.seconds",
            unit="seconds",
            higher_better=False,
            agg="p50",
            group=MODE_LABELS["hybrid"],
        )
    )
    return out


def _hit_view(h: Any, evidence: list[str]) -> dict[str, Any]:
    text = h.text
    return {
        "title": h.title,
        "section": h.section,
        "text": text[:300] + ("…" if len(text) > 300 else ""),
        "relevant": first_rank([text], evidence) is not None,
    }


def run(
    adv: Advisor,
    cases: list[dict[str, Any]],
    progress: ProgressFn | None = None,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    stems = doc_stems(adv)
    chunk_texts = [c.text for c in adv.snapshot.chunks.values()]
    rows: list[dict[str, Any]] = []
    for i, case in enumerate(cases):
        evidence = list(case.get("evidence") or [])
        ev_norm = [norm(e) for e in evidence]
        n_relevant = sum(1 for t in chunk_texts if any(e in norm(t) for e in ev_norm))
        docs = docs_of(case)
        row: dict[str, Any] = {
            "id": case["id"],
            "split": split_of(case),
            "question": case["question"],
            "type": case.get("type", ""),
            "doc": case.get("doc", ""),
            "evidence": evidence,
            "indexed": n_relevant > 0,
        }
        for mode in MODES:
            t = time.perf_counter()
            hits = adv.retrieve(case["question"], k=K, mode=mode)
            row[f"{mode}.seconds"] = round(time.perf_counter() - t, 4)
            texts = [h.text for h in hits]
            rank = first_rank(texts, evidence)
            row[f"{mode}.rank"] = rank
            for k in (1, 3, 5):
                row[f"{mode}.hit@{k}"] = hit_at(rank, k)
            row[f"{mode}.rr"] = reciprocal_rank(rank)
            row[f"{mode}.ndcg@5"] = round(ndcg_at(texts, evidence, 5, n_relevant), 4)
            row[f"{mode}.ev@5"] = round(evidence_recall(texts, evidence, 5), 4)
            row[f"{mode}.doc@5"] = float(any(stems.get(h.doc_id) in docs for h in hits[:5]))
            if mode == "hybrid":
                row["hits"] = [_hit_view(h, evidence) for h in hits[:5]]
        row["ok"] = row["hybrid.hit@5"] == 1.0 and row["hybrid.ev@5"] == 1.0
        if not row["ok"]:
            row["failure"] = _diagnose(row)
        rows.append(row)
        if progress:
            progress("检索评测", i + 1, len(cases))
    sp = specs()
    by_type: dict[str, dict[str, Any]] = {}
    for typ in sorted({r["type"] for r in rows}):
        sub = [r for r in rows if r["type"] == typ]
        by_type[TYPE_LABELS.get(typ, typ)] = {
            "n": len(sub),
            **{
                mode: {
                    k: s.compute(sub)
                    for k, s in ((s.key.split(".", 1)[1], s) for s in sp if s.key.startswith(mode + "."))
                    if k in ("hit@1", "hit@5", "mrr")
                }
                for mode in MODES
            },
        }
    return {
        "suite": "retrieval",
        "title": "检索评测",
        "intro": f"用 {len(rows)} 个带“标准证据”的问题检验资料检索：系统找回的段落里是否包含能回答问题的原文。"
        "分别测试混合检索（产品实际使用）、仅向量检索和仅关键词检索，以说明两者融合的必要性；门禁只看混合检索。",
        "n": len(rows),
        "seconds": round(time.perf_counter() - t0, 2),
        "metrics": summarise(sp, rows),
        "breakdown": {"by_type": by_type},
        "cases": rows,
    }


def _diagnose(row: dict[str, Any]) -> str:
    if not row["indexed"]:
        return "证据原文不在任何索引块中（切分或清洗改变了原文）"
    ranks = {m: row[f"{m}.rank"] for m in MODES}
    if row["hybrid.hit@5"] == 1.0:
        total = len(row["evidence"])
        found = round(row["hybrid.ev@5"] * total)
        return f"只找到部分证据（{total} 处标准证据中有 {total - found} 处未进入前 5）"
    where = "；".join(
        f"{MODE_LABELS[m]}第 {r} 名" if r else f"{MODE_LABELS[m]}前 {K} 未找到" for m, r in ranks.items()
    )
    return f"前 5 未找到证据（{where}）"
