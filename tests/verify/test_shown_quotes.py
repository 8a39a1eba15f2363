"""End to end on the corpus, extractive: every quote shown is verbatim from its chunk, every claim's
numbers are in the quotes shown for it (or their source line, or the city profile), and the verifier
drops none of the extractive claims — they are built from the sentences they quote, so the support and
number rules must never reject one (the calibration of ``CLAIM_SHARE``/``CLAIM_BIGRAMS``)."""

from __future__ import annotations

import re

import pytest
from quote_checks import is_verbatim, missing_numbers

from advisor.service import Advisor
from advisor.types import Citation

QUESTIONS = [
    "《生成式人工智能服务管理暂行办法》什么时候开始施行？",
    "生成式人工智能服务管理暂行办法是哪些部门联合发布的？",
    "数字中国建设整体布局规划提出到2025年要实现什么目标？",
    "人工智能生成合成内容标识办法什么时候施行？",
    "深度合成服务提供者应当履行哪些义务？",
    "地方政府怎样用产业基金招引成熟AI企业？",
    "“十四五”数字经济发展规划中数字经济核心产业增加值占GDP比重的目标是多少？",
    "深圳经济特区人工智能产业促进条例对人工智能企业有哪些支持措施？",
    "北京市数字经济促进条例关于数据要素市场有什么规定？",
    "算法推荐服务提供者应当建立健全哪些管理制度？",
    "报告提出的地方政府培育AI产业的四项具体举措分别是什么？",
    "国家人工智能产业综合标准化体系建设指南提出到2026年新制定多少项标准？",
]
PLANS = [("深圳", None), ("西宁", {"支柱产业": "盐湖化工、新能源", "算力": "某数据中心 3000 机架（示意）"})]


def _source_line(c: Citation) -> str:
    return f"{c.title} {c.section} {c.date} {c.doc_number}"


def _check(
    adv: Advisor, claims: list[tuple[str, list[int]]], citations: list[Citation], *vouched: str
) -> None:
    by_n = {c.n: c for c in citations}
    for c in citations:
        assert is_verbatim(c.quote, adv.snapshot.chunks[c.chunk_id].text), c.quote
    for text, ns in claims:
        assert ns and all(n in by_n for n in ns), text
        shown = [by_n[n].quote for n in ns] + [_source_line(by_n[n]) for n in ns]
        assert not missing_numbers(text, *shown, *vouched), (text, shown)


@pytest.mark.integration
@pytest.mark.parametrize("question", QUESTIONS)
def test_extractive_answers_show_every_claims_numbers_in_its_quotes(
    corpus_advisor: Advisor, question: str
) -> None:
    ans = corpus_advisor.ask(question, provider="extractive")
    if not ans.grounded:
        assert not ans.citations
        return
    claims = [
        (re.sub(r"\[\d+\]", "", ans.conclusion), [int(n) for n in re.findall(r"\[(\d+)\]", ans.conclusion)])
    ]
    claims += [(f"{r.title} {r.detail}", r.citations) for r in ans.recommendations]
    _check(corpus_advisor, claims, ans.citations)
    assert ans.verification.claims_dropped == 0 and ans.verification.numbers_rejected == 0


@pytest.mark.integration
@pytest.mark.parametrize(("city", "profile"), PLANS)
def test_extractive_plans_show_every_claims_numbers_in_its_quotes(
    corpus_advisor: Advisor, city: str, profile: dict[str, str] | None
) -> None:
    plan = corpus_advisor.plan(city, profile=profile, provider="extractive")
    claims = [(f"{r.title} {r.detail}", r.citations) for s in plan.sections for r in s.recommendations]
    assert claims
    _check(corpus_advisor, claims, plan.citations, *(profile or {}).values())
    assert plan.verification.claims_dropped == 0 and plan.verification.numbers_rejected == 0
