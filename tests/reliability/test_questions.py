"""Hostile and unusual questions: empty, huge, control characters, punctuation only, mixed languages,
Traditional Chinese, and HTML/script that must stay inert in a real browser."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from advisor.qa.answer import QuestionError
from advisor.service import Advisor
from advisor.web.api import api_ask
from advisor.web.chat import respond, submit_question
from reliability import CORPUS, GROUNDED_QUESTION, copy_index, serve

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _chat(adv: Advisor, question: str) -> list[dict[str, Any]]:
    """The final chat messages the UI would show for ``question`` (through the real handlers)."""
    request = {"id": "r", "question": question, "provider": "auto"}
    updates = list(respond(adv, request, [], []))
    assert updates, "the handler must always answer"
    return updates[-1][0]


# ------------------------------------------------------------------------------ unusable questions


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("", "问题为空"),
        ("   \n\t  \u3000 ", "问题为空"),
        ("\x00\x01\x02\x1b\x7f", "问题为空"),
        ("\u200b\u200e\ufeff", "问题为空"),
        ("？？？！！！。。。", "没有可识别的文字"),
        ("……——!!!???()【】《》", "没有可识别的文字"),
        ("   ？ ! 。  ", "没有可识别的文字"),
    ],
)
def test_unusable_question_gets_a_clear_message_everywhere(
    corpus_advisor: Advisor, question: str, reason: str
) -> None:
    with pytest.raises(QuestionError, match=reason):
        corpus_advisor.ask(question)
    if not question.strip():  # the UI does not even send it: a warning asks for a question
        assert all(v == gr.skip() for v in submit_question(corpus_advisor, question, [], "auto"))
    else:
        final = _chat(corpus_advisor, question)
        assert final[-1]["content"].startswith("⚠") and reason in final[-1]["content"]
        assert "Traceback" not in final[-1]["content"]
    with pytest.raises(gr.Error, match=reason):
        api_ask(corpus_advisor, question)


# ------------------------------------------------------------------------------ huge and dirty input


def test_100k_character_question_is_truncated_with_a_notice(corpus_advisor: Advisor) -> None:
    pasted = (CORPUS / "policies" / "08-shenzhen-sez-ai-industry-promotion-regulations-2022.md").read_text(
        encoding="utf-8"
    )
    question = (GROUNDED_QUESTION + "参考下文：" + pasted * 100)[:100_000]  # a whole document pasted in
    assert len(question) == 100_000
    limit = corpus_advisor.settings.max_question_chars
    start = time.perf_counter()
    answer = corpus_advisor.ask(question)
    assert time.perf_counter() - start < 120
    assert re.search(rf"问题过长（\d{{5,6}} 字），只使用了前 {limit} 字", answer.notice), answer.notice
    assert len(answer.question) == limit
    assert answer.grounded == bool(answer.citations)  # an answer or a plain refusal, never an error
    assert "> 提示：问题过长" in answer.text  # the notice is visible in the answer itself
    assert any("问题过长" in m["content"] for m in _chat(corpus_advisor, question))


def test_control_characters_are_removed_and_the_answer_is_the_same(corpus_advisor: Advisor) -> None:
    dirty = "地方政府\x00怎样用\x1b产业基金\u200b招引\x07人工智能\u202e企业\r\n？\x0b"
    clean = corpus_advisor.ask(GROUNDED_QUESTION)
    answer = corpus_advisor.ask(dirty)
    assert not any(ord(ch) < 32 or ch in "\x7f\u200b\u202e" for ch in answer.question)
    assert answer.grounded and answer.citations
    assert answer.citations[0].chunk_id == clean.citations[0].chunk_id
    hits = corpus_advisor.retrieve(dirty, k=3)
    assert hits[0].chunk_id == corpus_advisor.retrieve(GROUNDED_QUESTION, k=3)[0].chunk_id


@pytest.mark.parametrize(
    "question",
    [
        "AI产业基金 how to 招引人工智能企业？",
        "地方政府 should 怎样用产业基金招引AI企业？",
        "生成式AI服务提供者 (service providers) 需要履行哪些义务？",
    ],
)
def test_mixed_chinese_english_is_answered_with_citations(corpus_advisor: Advisor, question: str) -> None:
    answer = corpus_advisor.ask(question)
    assert answer.grounded, answer.text
    assert answer.citations and all(c.quote for c in answer.citations)


def test_english_key_terms_are_answered_from_the_chinese_corpus(corpus_advisor: Advisor) -> None:
    """The corpus is Chinese: English key terms reach it through the glossary, and the answer quotes the
    Chinese text (an independent check of each quote against its chunk)."""
    answer = corpus_advisor.ask("How should 地方政府 use industry funds to attract companies?")
    assert answer.grounded and answer.citations, answer.text
    assert any("基金" in c.quote for c in answer.citations)
    for c in answer.citations:
        assert "".join(c.quote.split()) in "".join(corpus_advisor.snapshot.chunks[c.chunk_id].text.split())


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("地方政府怎樣用產業基金招引人工智能企業？", "地方政府怎样用产业基金招引人工智能企业？"),
        ("如何推動人工智能與實體經濟融合？", "如何推动人工智能与实体经济融合？"),
        ("生成式人工智能服務提供者需要履行哪些義務？", "生成式人工智能服务提供者需要履行哪些义务？"),
    ],
)
def test_traditional_chinese_retrieves_and_answers_like_simplified(
    corpus_advisor: Advisor, traditional: str, simplified: str
) -> None:
    t_hits = corpus_advisor.retrieve(traditional, k=5)
    s_hits = corpus_advisor.retrieve(simplified, k=5)
    assert t_hits and t_hits[0].chunk_id == s_hits[0].chunk_id
    t_answer, s_answer = corpus_advisor.ask(traditional), corpus_advisor.ask(simplified)
    assert s_answer.grounded
    assert t_answer.grounded, t_answer.text  # grounding sees the same (Simplified) words as retrieval
    assert [c.chunk_id for c in t_answer.citations] == [c.chunk_id for c in s_answer.citations]
    assert t_answer.question == traditional  # the user's own words are kept for display


def test_html_in_a_question_is_inert_in_every_handler_output(corpus_advisor: Advisor) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    for question in (payload + GROUNDED_QUESTION, payload + "火星啤酒税率"):
        _, chat, *_ = submit_question(corpus_advisor, question, [], "auto")
        final = _chat(corpus_advisor, question)
        for message in [*chat, *final]:
            text = message["content"]
            assert "<script" not in text and "<img" not in text, text


# ------------------------------------------------------------------------------ in a real browser


@pytest.fixture(scope="module")
def browser_page(
    corpus_data_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Any, list[str]]]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if ON_CI:
            pytest.fail("playwright must be installed on CI")
        pytest.skip("playwright not installed")
    if not Path(CHROMIUM).exists():
        if ON_CI:
            pytest.fail(f"{CHROMIUM} must be installed on CI")
        pytest.skip(f"{CHROMIUM} not installed")
    base = tmp_path_factory.mktemp("rel-questions")
    data = copy_index(corpus_data_dir, base / "data")
    with serve(data, base / "serve.log") as served, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
            page.set_default_timeout(90_000)
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(served.url)
            page.locator("#app-header").get_by_text("份文件").wait_for()
            yield page, dialogs
        finally:
            browser.close()


XSS_FLAGS = "() => [window.__xss_script, window.__xss_img, window.__xss_svg, window.__xss_a]"


@pytest.mark.browser
@pytest.mark.parametrize(
    "question",
    [
        # grounded: the payload sits next to a real question
        '<script>alert(1);window.__xss_script=1</script><img src=x onerror="alert(2);window.__xss_img=1">'
        + GROUNDED_QUESTION,
        # refused: the payload's words come back in the "not covered" notice
        '火星啤酒<svg onload="window.__xss_svg=1"></svg><img src=x onerror="window.__xss_img=2">税率'
        '<a href="javascript:window.__xss_a=1" id="xss-link">点我</a>',
    ],
    ids=["grounded", "refused"],
)
def test_script_and_img_payloads_do_not_execute_in_the_browser(
    browser_page: tuple[Any, list[str]], question: str, artifacts: Path
) -> None:
    page, dialogs = browser_page
    page.evaluate("() => { delete window.__xss_script; delete window.__xss_img; delete window.__xss_svg }")
    footers = page.locator("#chatbot").get_by_text("回答方式：")
    before = footers.count()
    box = page.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    footers.nth(before).wait_for()
    page.wait_for_timeout(800)  # give any injected handler time to fire
    links = page.locator("#chatbot a#xss-link")
    if links.count():
        links.first.click()
    assert page.evaluate(XSS_FLAGS) == [None, None, None, None]
    assert dialogs == []
    chat = page.locator("#chatbot")
    assert chat.locator("img[src='x'], svg[onload], script, a#xss-link").count() == 0
    assert chat.get_by_text("<img src=x", exact=False).count() >= 1  # shown as typed, not rendered
    (artifacts / "reliability").mkdir(exist_ok=True)
    page.screenshot(path=str(artifacts / "reliability" / f"xss-{before}.png"), full_page=True)
