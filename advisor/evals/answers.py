"""Answer suite: answerable questions (facts, citations, support, relevance) and out-of-corpus questions
(refusal), both through ``Advisor.ask`` with the chosen provider."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.evals.datasets import SPLITS, doc_stems, docs_of, split_of
from advisor.evals.judge import Judge, citation_support
from advisor.evals.metrics import MetricSpec, contains, markers, strip_markers, summarise
from advisor.types import Answer, Citation, Recommendation
from advisor.verify.citations import numbers_in, verbatim_span

if TYPE_CHECKING:
    from advisor.service import Advisor

ProgressFn = Callable[[str, int, int], None]
REFUSAL_PATTERNS = re.compile(
    r"没有能直接回答|语料中没有|资料中没有|资料未涉及|未涉及|未找到|没有找到|无法回答|不包含|没有相关|未提及|没有提及|无相关"
)
CATEGORY_LABELS = {
    "near-domain": "近域：资料里的实体与术语、资料没有的事实",
    "off-topic": "与主题无关",
    "near-miss": "相近但资料没有",
    "specific-number": "问具体数字",
    "other-city": "资料未覆盖的城市",
}
TYPE_LABELS = {
    "fact": "事实",
    "paraphrase": "换种说法",
    "metadata": "文件信息（发文机关、文号、日期）",
    "list": "列举（跨并列章节）",
    "compare": "跨文件比较",
    "numeric": "数字",
    "english": "英文提问",
    "mixed": "中英混合",
}


def specs() -> list[MetricSpec]:
    return [
        MetricSpec("fact_recall", "要点覆盖率", "标准答案要点（数字、关键术语）原样出现在回答中的比例。", "fact_recall", gate=True),
        MetricSpec("all_facts", "要点全对率", "全部要点都出现在回答中的问题占比。", "all_facts", gate=True),
        MetricSpec("citation_validity", "引用有效率", "引用编号都能对上依据列表、且每条引文都能在原文段落中逐字找到的比例（应为 100%）。", "cit_ok", agg="ratio", den="cit_total", gate=True),
        MetricSpec("citation_recall", "论点有据率", "结论和每条建议被其所引段落支持的比例（ALCE 引用召回率）。", "claims_supported", agg="ratio", den="claims", gate=True, judged=True),
        MetricSpec("citation_precision", "引用精准率", "引用中确有必要且与论点相关的比例（ALCE 引用精确率）。", "cites_correct", agg="ratio", den="cites_total", gate=True, judged=True),
        MetricSpec("doc_cited", "引对文件率", "回答引用了标准答案所在文件的问题占比。", "doc_cited", gate=True),
        MetricSpec("relevance", "切题度", "回答覆盖问题中关键词（或评审模型认为切题）的程度。", "relevance", gate=True, judged=True),
        MetricSpec("refusal_accuracy", "拒答准确率", "资料中没有答案的问题里，系统明确说明“资料中没有”且不编造数字的比例。", "refusal_ok", gate=True),
        MetricSpec("false_refusal", "误拒率", "资料中有答案的问题却被系统拒答的比例（越低越好）。", "refused_answerable", higher_better=False, gate=True),
        MetricSpec("fact_recall_english", "英文提问要点覆盖率", "用英文提问（资料是中文）时，标准答案要点出现在回答中的比例。", "fact_recall_en"),
        MetricSpec("near_domain_refusal", "近域问题拒答准确率", "用资料里的实体和术语、但所问事实资料里没有的问题中，系统明确拒答且不编造数字的比例。", "refusal_ok_near"),
        MetricSpec("llm_fallback", "大模型失败改用抽取式的比例", "大模型超时、出错或回答未通过引用核验，改用抽取式回答的提问占比（抽取式本身为 0）。", "fallback", higher_better=False),
        MetricSpec("latency_p50", "回答耗时中位数", "一次提问从提交到得到完整回答的时间中位数。", "seconds", unit="seconds", higher_better=False, agg="p50"),
        MetricSpec("latency_p95", "回答耗时 P95", "95% 的提问在此时间内完成。", "seconds", unit="seconds", higher_better=False, agg="p95"),
        MetricSpec("ttft_p50", "首字时间中位数", "调用大模型时，从发出请求到模型吐出第一个字的时间中位数（抽取式不调用大模型，不计）。", "ttft_s", unit="seconds", higher_better=False, agg="p50"),
        MetricSpec("prompt_tokens", "提示词长度（平均）", "调用大模型时输入的平均 token 数（抽取式不调用大模型，为 0）。", "prompt_tokens", unit="tokens", higher_better=False),
    ]  # fmt: skip


def is_refusal(answer: Answer) -> bool:
    return (not answer.grounded) or bool(REFUSAL_PATTERNS.search(answer.conclusion or ""))


def claims_of(answer: Answer) -> list[tuple[str, list[int]]]:
    """(claim text, cited numbers): the conclusion, then each recommendation."""
    out: list[tuple[str, list[int]]] = []
    if answer.conclusion.strip():
        out.append((strip_markers(answer.conclusion), markers(answer.conclusion)))
    out += [(rec_text(r), list(r.citations)) for r in [*answer.points, *answer.recommendations]]
    return out


def rec_text(r: Recommendation) -> str:
    return strip_markers(f"{r.title}：{r.detail}" if r.detail else r.title)


def passage_of(adv: Advisor, c: Citation) -> str:
    """The full chunk a citation points to, with its document title and section (for entailment)."""
    chunk = adv.snapshot.chunks.get(c.chunk_id)
    return f"{c.title} {c.section}\n{chunk.text}" if chunk is not None else ""


def check_citations(adv: Advisor, citations: list[Citation], refs: list[int]) -> tuple[int, int, list[str]]:
    """(valid units, units, problems): every listed citation must quote its chunk verbatim; every
    ``[n]`` reference must name a listed citation."""
    problems: list[str] = []
    ok = 0
    for c in citations:
        chunk = adv.snapshot.chunks.get(c.chunk_id)
        if chunk is None:
            problems.append(f"[{c.n}] 指向的段落不在索引中")
        elif verbatim_span(c.quote, chunk.text) is None:
            problems.append(f"[{c.n}] 引文不是原文：“{c.quote[:40]}”")
        else:
            ok += 1
    known = {c.n for c in citations}
    for n in refs:
        if n in known:
            ok += 1
        else:
            problems.append(f"正文引用了不存在的编号 [{n}]")
    return ok, len(citations) + len(refs), problems


def _answer_view(answer: Answer) -> dict[str, Any]:
    return {
        "text": answer.text,
        "grounded": answer.grounded,
        "notice": answer.notice,
        "provider": answer.provider,
        "hits": [
            {
                "title": h.title,
                "section": h.section,
                "text": h.text[:300] + ("…" if len(h.text) > 300 else ""),
            }
            for h in answer.hits[:6]
        ],
    }


def run(
    adv: Advisor,
    answerable: list[dict[str, Any]],
    out_of_corpus: list[dict[str, Any]],
    provider: str,
    judge: Judge,
    progress: ProgressFn | None = None,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    stems = doc_stems(adv)
    rows: list[dict[str, Any]] = []
    todo = [("answerable", c) for c in answerable] + [("ooc", c) for c in out_of_corpus]
    for i, (kind, case) in enumerate(todo):
        t = time.perf_counter()
        answer = adv.ask(case["question"], provider=provider)
        seconds = time.perf_counter() - t
        refused = is_refusal(answer)
        refs = [n for _, cites in claims_of(answer) for n in cites]
        cit_ok, cit_total, problems = check_citations(adv, answer.citations, refs)
        row: dict[str, Any] = {
            "id": case["id"],
            "split": split_of(case),
            "kind": kind,
            "question": case["question"],
            "seconds": round(seconds, 3),
            "prompt_tokens": answer.tokens.get("prompt") if answer.tokens else None,
            "ttft_s": answer.timings.get("ttft_s") or None,
            "refused": refused,
            "cit_ok": cit_ok,
            "cit_total": cit_total,
            "problems": problems,
            "answer": _answer_view(answer),
            "fallback": float(provider != "extractive" and answer.provider == "extractive"),
        }
        if provider == "extractive":
            row["prompt_tokens"] = 0
        if not refused:
            passages = {c.n: passage_of(adv, c) for c in answer.citations}
            checks, correct, total = citation_support(judge, claims_of(answer), passages)
            row.update(
                claims=len(checks),
                claims_supported=sum(1 for c in checks if c.supported),
                cites_correct=correct,
                cites_total=total,
                unsupported_claims=[c.claim for c in checks if not c.supported],
            )
            body = " ".join([answer.conclusion, *(rec_text(r) for r in answer.recommendations)])
            row["relevance"] = judge.relevance(case["question"], body)
        if kind == "answerable":
            facts = list(case.get("facts") or [])
            found = [f for f in facts if contains(answer.text, f)]
            docs = docs_of(case)
            recall = len(found) / len(facts) if facts else None
            row.update(
                type=case.get("type", ""),
                facts=facts,
                missing_facts=[f for f in facts if f not in found],
                fact_recall=recall,
                fact_recall_en=recall if case.get("type") == "english" else None,
                all_facts=float(len(found) == len(facts)),
                refused_answerable=float(refused),
                doc=case.get("doc", ""),
                doc_cited=float(any(stems.get(c.doc_id) in docs for c in answer.citations)),
            )
            row["ok"] = (not refused) and row["all_facts"] == 1.0 and not problems
            if not row["ok"]:
                row["failure"] = _diagnose_answerable(row)
        else:
            stated = numbers_in(strip_markers(answer.conclusion)) - numbers_in(case["question"])
            row.update(
                category=case.get("category", ""),
                why=case.get("why", ""),
                refusal_ok=float(refused and not stated),
            )
            row["refusal_ok_near"] = row["refusal_ok"] if row["category"] == "near-domain" else None
            row["ok"] = bool(row["refusal_ok"]) and not problems
            if not row["ok"]:
                row["failure"] = (
                    "未拒答：资料中没有答案，系统却给出了回答"
                    if not refused
                    else f"拒答中出现了具体数字：{'、'.join(sorted(stated))}"
                    if stated
                    else "；".join(problems)
                )
        rows.append(row)
        if progress:
            progress("问答评测", i + 1, len(todo))
    by_type: dict[str, dict[str, Any]] = {}
    for typ in sorted({r.get("type", "") for r in rows if r["kind"] == "answerable"}):
        sub = [r for r in rows if r["kind"] == "answerable" and r.get("type", "") == typ]
        by_type[TYPE_LABELS.get(typ, typ or "未分类")] = {
            "n": len(sub),
            "fact_recall": _mean(sub, "fact_recall"),
            "false_refusal": _mean(sub, "refused_answerable"),
            **{
                f"fact_recall.{sp}": _mean([r for r in sub if r["split"] == sp], "fact_recall")
                for sp in SPLITS
            },
        }
    by_category: dict[str, dict[str, Any]] = {}
    for cat in sorted({r.get("category", "") for r in rows if r["kind"] == "ooc"}):
        sub = [r for r in rows if r["kind"] == "ooc" and r.get("category") == cat]
        by_category[CATEGORY_LABELS.get(cat, cat)] = {
            "n": len(sub),
            "refusal_accuracy": _mean(sub, "refusal_ok"),
            **{
                f"refusal_accuracy.{sp}": _mean([r for r in sub if r["split"] == sp], "refusal_ok")
                for sp in SPLITS
            },
        }
    return {
        "suite": "answers",
        "title": "问答评测",
        "intro": f"用 {len(answerable)} 个资料中有答案的问题和 {len(out_of_corpus)} 个资料中没有答案的问题向系统提问，"
        "检查回答是否包含标准要点、引用是否真实可查、论点是否有引文支持，以及该拒答时是否拒答。",
        "n": len(rows),
        "seconds": round(time.perf_counter() - t0, 2),
        "metrics": summarise(specs(), rows),
        "breakdown": {"by_answer_type": by_type, "by_category": by_category},
        "cases": rows,
    }


def _mean(rows: list[dict[str, Any]], field: str) -> float | None:
    vals = [float(r[field]) for r in rows if r.get(field) is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def _diagnose_answerable(row: dict[str, Any]) -> str:
    if row["refused"]:
        return "误拒：资料中有答案，系统却说资料不足"
    parts = []
    if row["missing_facts"]:
        parts.append(f"缺少要点：{'、'.join(row['missing_facts'])}")
    if row["problems"]:
        parts.append("引用问题：" + "；".join(row["problems"][:3]))
    return "；".join(parts)
