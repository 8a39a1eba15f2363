"""Plan suite: rubric coverage, citations, city specificity and unsupported numbers of city plans.

The rubric is written here, from the report's methodology, independently of the plan generator's own
section templates (``advisor.planning.sections``): seven required sections, found by key or title, each with
topics that must appear in that section's own text (title, summary, recommendations, notes).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from advisor.evals.answers import check_citations, passage_of, rec_text
from advisor.evals.datasets import doc_stems, split_of
from advisor.evals.judge import Judge, citation_support
from advisor.evals.metrics import MetricSpec, contains, norm, summarise
from advisor.planning.plan import SECTION_FALLBACK
from advisor.render.markdown import plan_to_markdown
from advisor.types import Plan, PlanSection, Recommendation
from advisor.verify.citations import unsupported_numbers

if TYPE_CHECKING:
    from advisor.service import Advisor

ProgressFn = Callable[[str, int, int], None]

# (key, title, title aliases, required topics)
RUBRIC: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("situation", "形势与机遇", ("形势", "机遇", "背景"), ("机遇", "产业升级", "产业集群")),
    ("strategy", "总体思路与定位", ("思路", "定位", "总体要求"), ("产业特色", "发展规划")),
    ("chain", "产业链布局", ("产业链", "布局"), ("能源", "算力", "应用")),
    (
        "tasks",
        "重点任务",
        ("重点任务", "主要任务", "实施路径"),
        ("市场培育", "基础设施", "资本介入", "技术研发", "产业基金", "投促孵化"),
    ),
    ("roles", "角色分工", ("角色", "分工", "主体"), ("政府方", "供给方", "需求方", "学研方", "投资方")),
    ("safeguards", "保障措施与安全合规", ("保障", "安全", "合规"), ("安全", "生成式人工智能", "标识")),
    ("roadmap", "推进步骤与指标", ("步骤", "指标", "进度", "路线"), ("近期", "中期", "远期", "指标")),
)
_TITLE = re.compile(r"《([^》]{2,60})》")
_PROVINCE_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|自治区|特别行政区|省|市)$")


def specs() -> list[MetricSpec]:
    return [
        MetricSpec("rubric_coverage", "结构完整度", "方案是否具备 7 个必备章节，且各章节写到规定要点（如产业链布局须谈能源、算力、应用）。", "rubric", gate=True),
        MetricSpec("recs_cited", "建议有据率", "每条建议至少带 1 条引用的比例。", "recs_cited_n", agg="ratio", den="recs", gate=True),
        MetricSpec("citations_per_rec", "每条建议的引用数", "平均每条建议引用几处原文。", "cites_n", agg="ratio", den="recs", unit="number"),
        MetricSpec("citation_validity", "引用有效率", "引用编号都能对上依据列表、且引文能在原文段落中逐字找到的比例（应为 100%）。", "cit_ok", agg="ratio", den="cit_total", gate=True),
        MetricSpec("citation_recall", "论点有据率", "每条建议被其所引段落支持的比例（ALCE 引用召回率）。", "claims_supported", agg="ratio", den="claims", gate=True, judged=True),
        MetricSpec("specificity", "城市针对性", "方案点名本市和所在省、用上报告中本省的内容、引用本地政策文件、不编造文件名的程度。", "specificity", gate=True),
        MetricSpec("province_content", "本省内容使用率", "报告中关于本省的原话（有时）被方案引用的比例。", "province_content"),
        MetricSpec("policy_docs", "本地政策引用率", "资料库中本地（本市或本省）政策文件（有时）被方案引用的比例。", "policy_docs"),
        MetricSpec("numbers_clean", "数字无编造率", "方案中所有数字都能在其引用段落或城市概况中找到的方案占比。", "numbers_clean", gate=True),
        MetricSpec("unsupported_numbers", "无出处数字（平均个数）", "每份方案中找不到出处的数字个数（越少越好）。", "unsupported_n", unit="number", higher_better=False),
        MetricSpec("llm_fallback", "未经大模型润色的章节比例", "请了大模型润色、但因超时、出错、排队繁忙或未通过核验而保留抽取式内容的章节占比（抽取式本身为 0）。", "fallback_sections", agg="ratio", den="sections", higher_better=False),
        MetricSpec("profile_diff", "城市概况差异度", "同一城市换用另一份城市概况（支柱产业、园区、高校、算力、基金不同）时，方案中措施（标题与做法，城市名除外）发生变化的比例；目标 ≥ 40%。", "profile_diff"),
        MetricSpec("latency_p50", "生成耗时中位数", "生成一份方案所用时间的中位数。", "seconds", unit="seconds", higher_better=False, agg="p50"),
    ]  # fmt: skip


def section_text(s: PlanSection) -> str:
    parts = [s.title, s.summary, *s.notes]
    parts += [f"{r.title} {r.detail} {r.actor} {r.horizon}" for r in s.recommendations]
    return "\n".join(parts)


def plan_text(plan: Plan) -> str:
    """The plan's own words (no quotes): title, notes, every section."""
    return "\n".join([plan.title, *plan.notes, *(section_text(s) for s in plan.sections)])


def find_section(plan: Plan, key: str, aliases: tuple[str, ...]) -> PlanSection | None:
    for s in plan.sections:
        if s.key == key:
            return s
    for s in plan.sections:
        if any(a in s.title for a in aliases):
            return s
    return None


def rubric(plan: Plan) -> tuple[float, list[str]]:
    """(coverage 0–1, missing items): items are the 7 sections and their required topics."""
    items = 0
    missing: list[str] = []
    for key, title, aliases, topics in RUBRIC:
        items += 1 + len(topics)
        sec = find_section(plan, key, aliases)
        if sec is None:
            missing.append(f"缺章节“{title}”")
            missing += [f"“{title}”缺要点“{t}”" for t in topics]
            continue
        text = section_text(sec)
        missing += [f"“{title}”缺要点“{t}”" for t in topics if not contains(text, t)]
    return (items - len(missing)) / items, missing


def _short_province(province: str) -> str:
    return _PROVINCE_SUFFIX.sub("", province) or province


def plan_numbers(plan: Plan) -> str:
    """Text whose numbers must be sourced: the plan's own words, without fixed horizon labels."""
    parts = [plan.title, *plan.notes]
    for s in plan.sections:
        parts += [s.summary, *s.notes, *(f"{r.title} {r.detail} {r.actor}" for r in s.recommendations)]
    return "\n".join(parts)


def judged_text(rec: Recommendation, plan: Plan) -> str:
    """What the support judge checks of a recommendation: its text without what the user gave and the
    plan vouches for — the city as the action's subject and the profile's own items (marked as the
    city's in the plan) — so a place or asset name the user supplied is not counted as unsupported."""
    text = rec_text(rec)
    given = [
        str(v) for values in plan.profile.values() for v in (values if isinstance(values, list) else [values])
    ]
    names = [plan.city, plan.province, _short_province(plan.city), _short_province(plan.province), *given]
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = text.replace(name, "")
    return re.sub(
        r"(依托|结合本市|发挥本市|发挥|针对本市|针对)[、，]*(推进。|的优势推进。|的短板推进。|的优势|的短板)?[，。]?",
        "",
        text,
    )


def rec_keys(plan: Plan) -> list[str]:
    """Each recommendation's title and detail with the place names taken out (so that two cities'
    plans differ only where what they recommend differs)."""
    names = sorted(
        {plan.city, plan.province, _short_province(plan.city), _short_province(plan.province)},
        key=len,
        reverse=True,
    )
    out = []
    for s in plan.sections:
        for r in s.recommendations:
            text = f"{r.title}｜{r.detail}"
            for name in names:
                if name:
                    text = text.replace(name, "※")
            out.append(norm(text))
    return out


def differ_share(a: Plan, b: Plan) -> float:
    """Share of recommendations of either plan that the other does not have (mean of both directions)."""
    ka, kb = rec_keys(a), rec_keys(b)
    if not ka or not kb:
        return 0.0
    sa, sb = set(ka), set(kb)
    return (sum(k not in sb for k in ka) / len(ka) + sum(k not in sa for k in kb) / len(kb)) / 2


def _profile_diff(adv: Advisor, case: dict[str, Any], cases: list[dict[str, Any]]) -> float | None:
    """For a case with a profile: how much its (extractive) plan changes when the same city is given
    the next case's different profile; None for a case without a profile."""
    profiled = [c for c in cases if c.get("profile")]
    if not case.get("profile") or case not in profiled or len(profiled) < 2:
        return None
    other = profiled[(profiled.index(case) + 1) % len(profiled)]
    try:
        own = adv.plan(case["city"], profile=case["profile"], provider="extractive")
        swapped = adv.plan(case["city"], profile=other["profile"], provider="extractive")
    except Exception:
        return None
    return round(differ_share(own, swapped), 4)


def run(
    adv: Advisor,
    cases: list[dict[str, Any]],
    provider: str,
    judge: Judge,
    progress: ProgressFn | None = None,
    peers: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``peers``: the cases whose profiles a case's profile is swapped with for ``profile_diff`` (the
    whole dataset, so that a case scores the same whichever split is run); default ``cases``."""
    t0 = time.perf_counter()
    stems = doc_stems(adv)
    titles = [norm(m.title) for m in adv.snapshot.docs.values()]
    rows: list[dict[str, Any]] = []
    for i, case in enumerate(cases):
        t = time.perf_counter()
        try:
            plan = adv.plan(case["city"], profile=case.get("profile"), provider=provider)
        except Exception as exc:  # a crash is a failed case, not a failed run
            rows.append(
                {
                    "id": case["id"],
                    "split": split_of(case),
                    "question": f"{case['city']}（{case.get('province', '')}）",
                    "city": case["city"],
                    "seconds": round(time.perf_counter() - t, 3),
                    "ok": False,
                    "failure": f"生成失败：{type(exc).__name__}: {exc}"[:300],
                    "rubric": 0.0,
                    "specificity": 0.0,
                    "numbers_clean": 0.0,
                }
            )
            if progress:
                progress("方案评测", i + 1, len(cases))
            continue
        seconds = time.perf_counter() - t
        row = _score(adv, case, plan, seconds, judge, stems, titles)
        row["profile_diff"] = _profile_diff(adv, case, peers if peers is not None else cases)
        rows.append(row)
        if progress:
            progress("方案评测", i + 1, len(cases))
    return {
        "suite": "plans",
        "title": "方案评测",
        "intro": f"为 {len(cases)} 个城市（省会、直辖市、西部城市、县级市等）生成人工智能产业培育方案，检查章节是否齐全、"
        "每条建议是否有可查的引用、是否结合本市本省实际，以及是否出现没有出处的数字。",
        "n": len(rows),
        "seconds": round(time.perf_counter() - t0, 2),
        "metrics": summarise(specs(), rows),
        "breakdown": {},
        "cases": rows,
    }


def _score(
    adv: Advisor,
    case: dict[str, Any],
    plan: Plan,
    seconds: float,
    judge: Judge,
    stems: dict[str, str],
    titles: list[str],
) -> dict[str, Any]:
    text = plan_text(plan)
    recs = [r for s in plan.sections for r in s.recommendations]
    refs = [n for r in recs for n in r.citations]
    cit_ok, cit_total, problems = check_citations(adv, plan.citations, refs)
    passages = {c.n: passage_of(adv, c) for c in plan.citations}
    checks, _, _ = citation_support(
        judge, [(judged_text(r, plan), list(r.citations)) for r in recs], passages
    )
    coverage, missing = rubric(plan)

    # city specificity
    checks_spec: dict[str, float] = {}
    city_short = case["city"]
    checks_spec["city"] = float(contains(text, city_short))
    province = case.get("province", "")
    checks_spec["province"] = float(contains(text, _short_province(province))) if province else 1.0
    cited_chunks = [
        adv.snapshot.chunks[c.chunk_id].text for c in plan.citations if c.chunk_id in adv.snapshot.chunks
    ]
    context = "\n".join([text, *(c.quote for c in plan.citations), *cited_chunks])
    expect_pc = list(case.get("expect_province_content") or [])
    province_content = None
    if expect_pc:
        province_content = sum(1 for s in expect_pc if contains(context, s)) / len(expect_pc)
        checks_spec["province_content"] = province_content
    expect_docs = list(case.get("expect_policy_docs") or [])
    cited_stems = {stems.get(c.doc_id, "") for c in plan.citations}
    policy_docs = None
    if expect_docs:
        policy_docs = sum(1 for d in expect_docs if d in cited_stems) / len(expect_docs)
        checks_spec["policy_docs"] = policy_docs
    invented = [
        t
        for t in dict.fromkeys(_TITLE.findall(text))
        if not any(norm(t) in d or d in norm(t) for d in titles)
    ]
    checks_spec["no_invented_titles"] = float(not invented)
    specificity = sum(checks_spec.values()) / len(checks_spec)

    # numbers
    # the title of a real corpus document (《…（2024-2026年）》) is a name, not a claimed figure
    real_titles = [f"《{t}》" for t in dict.fromkeys(_TITLE.findall(text)) if t not in invented]
    sources = cited_chunks + [str(v) for v in plan.profile.values()] + real_titles
    unsupported = sorted(unsupported_numbers(plan_numbers(plan), sources))

    failures = []
    if missing:
        failures.append("结构缺项：" + "；".join(missing[:6]) + ("…" if len(missing) > 6 else ""))
    if problems:
        failures.append("引用问题：" + "；".join(problems[:3]))
    if unsupported:
        failures.append(f"无出处数字：{'、'.join(unsupported[:8])}")
    misses = [k for k, v in checks_spec.items() if v < 1.0]
    if misses:
        names = {
            "city": "未点名本市",
            "province": "未点名本省",
            "province_content": f"未用上报告中本省内容（{'、'.join(expect_pc)}）",
            "policy_docs": f"未引用本地政策（{'、'.join(expect_docs)}）",
            "no_invented_titles": f"出现资料库中没有的文件名：{'、'.join(invented[:3])}",
        }
        failures.append("针对性：" + "；".join(names[m] for m in misses))
    unsupported_claims = [c.claim for c in checks if not c.supported]
    return {
        "id": case["id"],
        "split": split_of(case),
        "question": f"{case['city']}（{province}）" + ("，附城市概况" if case.get("profile") else ""),
        "city": case["city"],
        "kind": case.get("kind", ""),
        "seconds": round(seconds, 3),
        "sections": len(plan.sections),
        "recs": len(recs),
        "recs_cited_n": sum(1 for r in recs if r.citations),
        "cites_n": len(refs),
        "cit_ok": cit_ok,
        "cit_total": cit_total,
        "problems": problems,
        "claims": len(checks),
        "claims_supported": sum(1 for c in checks if c.supported),
        "unsupported_claims": unsupported_claims,
        "rubric": round(coverage, 4),
        "rubric_missing": missing,
        "specificity": round(specificity, 4),
        "specificity_checks": checks_spec,
        "province_content": province_content,
        "policy_docs": policy_docs,
        "invented_titles": invented,
        "unsupported": unsupported,
        "unsupported_n": len(unsupported),
        "numbers_clean": float(not unsupported),
        "fallback_notes": [n for n in plan.log if n.endswith(SECTION_FALLBACK)],
        "fallback_sections": sum(1 for n in plan.log if n.endswith(SECTION_FALLBACK)),
        "ok": not failures,
        "failure": "；".join(failures),
        "answer": {
            "text": plan_to_markdown(plan),
            "grounded": True,
            "notice": "",
            "provider": plan.provider,
            "hits": [],
        },
    }
