"""Extractive first, the model's improvement after (issue 15): the first event is the verified
extractive answer; a model improvement replaces it only when it verifies; a failed or off-topic one
leaves it untouched; the model's "not answerable" on a weakly grounded question becomes a refusal.
Real corpus index, real retrieval and verification; only the chat model is a deterministic fake."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from advisor.qa.events import Polishing, Shown
from advisor.qa.extractive import extractive_answer
from advisor.qa.improve import merge
from advisor.qa.model_answer import WEAK_COVERAGE
from advisor.render.markdown import answer_status
from advisor.retrieval.grounding import assess, question_terms
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.types import Answer
from advisor.verify.citations import verbatim_span

pytestmark = pytest.mark.integration

STRONG = "生成式人工智能服务提供者需要履行哪些义务？"  # the sources answer it squarely
WEAK = "北京市对算力券有什么规定？"  # they touch it only in part
BROAD = "地方政府怎样用产业基金招引成熟AI企业？"  # its sources also hold sentences on other matters


def _adv(data_dir: Path, llm: Any) -> Advisor:
    settings = Settings(
        data_dir=data_dir, corpus_dir=PROJECT_ROOT / "corpus", llm_base_url="http://127.0.0.1:9/v1"
    )
    return Advisor(settings=settings, llm=llm)


def _sentence(text: str, avoid: list[str] | None = None) -> str:
    for s in re.split(r"(?<=[。；])", text):
        s = s.strip()
        if len(s) > 12 and not any(t in s for t in avoid or []):
            return s
    pytest.fail(f"no usable sentence in {text[:80]!r}")


def _events(adv: Advisor, question: str) -> list[Any]:
    return list(adv.ask_stream(question, provider="openai"))


def _coverage(adv: Advisor, question: str) -> float:
    r = adv.retriever()
    return assess(question, r.retrieve(question, k=adv.settings.top_k), r.snapshot.keyword).coverage


def _valid(adv: Advisor, ans: Answer) -> None:
    assert ans.citations
    for c in ans.citations:
        assert verbatim_span(c.quote, adv.snapshot.chunks[c.chunk_id].text) is not None, c.quote
    for n in map(int, re.findall(r"\[(\d+)\]", ans.text)):
        assert n in {c.n for c in ans.citations}


def test_extractive_first_then_the_verified_improvement(corpus_data_dir: Path, fake_llm: Callable) -> None:
    probe = _adv(corpus_data_dir, None)
    assert _coverage(probe, STRONG) >= WEAK_COVERAGE
    hits = probe.retrieve(STRONG, k=probe.settings.top_k)
    quote = _sentence(hits[0].text)
    reply = {
        "answerable": True,
        "conclusion": "服务提供者须依法履行网络信息内容生产者责任，并对生成内容进行标识。",
        "source": 1,
        "quote": quote,
        "recommendations": [
            {"title": "落实主体责任", "detail": quote, "actor": "服务提供者", "source": 1, "quote": quote}
        ],
    }
    adv = _adv(corpus_data_dir, fake_llm(reply))
    events = _events(adv, STRONG)
    first, last = events[0], events[-1]
    assert isinstance(first, Shown) and not first.final and not first.provisional
    assert first.answer.provider == "extractive" and first.answer.citations
    assert set(first.answer.authorship.values()) == {"extractive"}
    assert isinstance(last, Shown) and last.final
    assert sum(isinstance(e, Shown) for e in events) == 2  # shown once, replaced once
    ans = last.answer
    assert ans.refinement == "refined" and ans.provider == "openai"
    assert ans.authorship["结论"] == "model" and ans.authorship["建议"] == "model"
    assert ans.conclusion.startswith("服务提供者须依法履行")
    assert "大模型撰写" in answer_status(ans) and "结论" in answer_status(ans)
    assert ans.timings["first_s"] < 1.0
    _valid(adv, ans)
    # what the model rewrote is still there as a quoted 要点: an improvement takes no fact away
    shown_quote = first.answer.citations[0].quote
    assert any(p.detail == shown_quote for p in ans.points), (shown_quote, ans.points)
    assert all(c.quote in ans.text for c in first.answer.citations if c.quote in first.answer.conclusion)


def test_a_failed_improvement_takes_nothing_back(corpus_data_dir: Path, fake_llm: Callable) -> None:
    adv = _adv(corpus_data_dir, fake_llm("这不是JSON"))
    events = _events(adv, STRONG)
    shown = [e for e in events if isinstance(e, Shown)]
    assert len(shown) == 2 and shown[-1].final
    assert shown[-1].answer.text == shown[0].answer.text  # untouched
    assert shown[-1].answer.refinement == "failed" and not shown[-1].answer.notice
    assert "出错" in answer_status(shown[-1].answer)
    assert not any(isinstance(e, Polishing) and "这不是JSON" in e.text for e in events)


def test_off_topic_recommendations_are_dropped(corpus_data_dir: Path, fake_llm: Callable) -> None:
    probe = _adv(corpus_data_dir, None)
    hits = probe.retrieve(BROAD, k=probe.settings.top_k)
    terms = question_terms(BROAD)
    given = 4  # the local and openai budgets both show at least this many sources
    off = next(
        (i for i in range(2, given) if _sentence_or_none(hits[i].text, terms)),
        None,
    )
    if off is None:
        pytest.fail("no passage outside the top two without the question's terms")
    stray = _sentence_or_none(hits[off].text, terms)
    good = _sentence(hits[0].text)
    reply = {
        "answerable": True,
        "conclusion": "",
        "source": 1,
        "quote": "",
        "recommendations": [
            {"title": "落实主体责任", "detail": good, "actor": "服务提供者", "source": 1, "quote": good},
            {"title": "另起炉灶", "detail": stray, "actor": "市政府", "source": off + 1, "quote": stray},
        ],
    }
    ans = _adv(corpus_data_dir, fake_llm(reply)).ask(BROAD, provider="openai")
    assert ans.refinement == "refined" and ans.verification.off_topic_dropped == 1
    assert [r.title for r in ans.recommendations] == ["落实主体责任"]
    assert stray not in ans.text


def _sentence_or_none(text: str, avoid: list[str]) -> str | None:
    for s in re.split(r"(?<=[。；])", text):
        s = s.strip()
        if len(s) > 12 and not any(t.lower() in s.lower() for t in avoid):
            return s
    return None


def test_model_declines_a_weakly_grounded_question(corpus_data_dir: Path, fake_llm: Callable) -> None:
    probe = _adv(corpus_data_dir, None)
    assert _coverage(probe, WEAK) < WEAK_COVERAGE
    reply = {"answerable": False, "conclusion": "无", "source": 1, "quote": "", "recommendations": []}
    events = _events(_adv(corpus_data_dir, fake_llm(reply)), WEAK)
    first, last = events[0], events[-1]
    assert isinstance(first, Shown) and first.provisional  # shown as related excerpts, not as the answer
    assert last.final and not last.answer.grounded and last.answer.refinement == "declined"
    assert last.answer.related and not last.answer.citations
    # the excerpt the user read while the model judged stays, said not to answer: nothing is taken away
    shown_quotes = [c.quote for c in first.answer.citations]
    assert [c.quote for c in last.answer.excerpts] == shown_quotes[: len(last.answer.excerpts)]
    assert last.answer.excerpts and "相关原文摘录" in last.answer.text
    assert all(c.quote[:20] in last.answer.text for c in last.answer.excerpts)


def test_model_decline_on_a_well_grounded_question_keeps_the_answer(
    corpus_data_dir: Path, fake_llm: Callable
) -> None:
    reply = {"answerable": False, "conclusion": "无", "source": 1, "quote": "", "recommendations": []}
    events = _events(_adv(corpus_data_dir, fake_llm(reply)), STRONG)
    first, last = events[0], events[-1]
    assert not first.provisional and last.final
    assert last.answer.grounded and last.answer.text == first.answer.text
    assert last.answer.refinement == "declined" and "资料不足" in answer_status(last.answer)


def test_unverifiable_answer_to_a_weak_question_is_refused(corpus_data_dir: Path, fake_llm: Callable) -> None:
    reply = {
        "answerable": True,
        "conclusion": "北京市对每家企业发放不超过九百万元的算力券。",
        "source": 1,
        "quote": "北京市对每家企业发放不超过九百万元的算力券。",
        "recommendations": [],
    }
    ans = _adv(corpus_data_dir, fake_llm(reply)).ask(WEAK, provider="openai")
    assert not ans.grounded and ans.refinement == "rejected" and "九百万" not in ans.text


def test_an_improvement_keeps_every_shown_quote_and_where_it_sits(corpus_advisor: Advisor) -> None:
    """The shown answer may quote chunks the model never saw (a list's later items, a title page's
    date); a verified improvement keeps each of those quotes and the location its conclusion named."""
    r = corpus_advisor.retriever()
    hits = r.retrieve(STRONG, k=corpus_advisor.settings.top_k)
    shown = extractive_answer(r.snapshot, STRONG, STRONG, hits, time.perf_counter())
    first = shown.citations[0]
    assert len({c.chunk_id for c in shown.citations}) >= 2
    seen = [h for h in hits if h.chunk_id == first.chunk_id]  # the model was shown one passage only
    reply = {
        "answerable": True,
        "conclusion": first.quote,
        "source": 1,
        "quote": first.quote,
        "recommendations": [
            {
                "title": "落实主体责任",
                "detail": first.quote,
                "actor": "服务提供者",
                "source": 1,
                "quote": first.quote,
            }
        ],
    }
    merged, _ = merge(shown, reply, seen, 1, STRONG, time.perf_counter())
    assert merged is not None and merged.authorship["结论"] == "model"
    for c in shown.citations:
        assert c.quote in merged.text, c.quote
    where = re.match(r"据《[^》]*》（(.+?)）：", shown.conclusion)
    if where:
        assert where.group(1).rsplit("：", 1)[-1] in merged.text


def test_an_output_that_only_repeats_source_headers_is_a_failure_not_a_refusal(
    corpus_data_dir: Path, fake_llm: Callable
) -> None:
    """A small model sometimes answers with a source's title, issuer and section: that is no judgment
    on the sources, so the weakly grounded answer already shown stays."""
    probe = _adv(corpus_data_dir, None)
    assert _coverage(probe, WEAK) < WEAK_COVERAGE
    top = probe.retrieve(WEAK, k=probe.settings.top_k)[0]
    header = f"《{top.title}》（{top.meta.get('issuer', '')}，{top.meta.get('date', '')}） {top.section}"
    reply = {
        "answerable": True,
        "conclusion": header,
        "source": 1,
        "recommendations": [{"title": top.title, "detail": header, "actor": "市政府", "source": 1}],
    }
    events = _events(_adv(corpus_data_dir, fake_llm(reply)), WEAK)
    first, last = events[0], events[-1]
    assert last.final and last.answer.refinement == "failed"
    assert last.answer.grounded and last.answer.text == first.answer.text
