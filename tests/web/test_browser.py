"""The web app in a real browser: `advisor serve` in a subprocess, driven by Playwright + Debian Chromium.

Screenshots of every tab go to test-artifacts/browser/. Without Chromium or Playwright the tests are
skipped locally but fail on CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest

from advisor.render.labeling import ANSWER_LABEL, DOCUMENT_LABEL
from advisor.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SHOTS = PROJECT_ROOT / "test-artifacts" / "browser"
UPLOAD_MD = """# 星河市人工智能算力券实施细则

## 第一条 目的

为降低中小企业使用智能算力的成本，星河市设立人工智能算力券，支持企业租用本地智算中心算力。
<img src=x onerror="window.__xss='doc'">

## 第二条 额度

星河市每家企业每年可申领不超过五十万元的算力券，用于模型训练与推理服务。
"""


def _missing(reason: str) -> None:
    if ON_CI:
        pytest.fail(f"browser tests need {reason} on CI")
    pytest.skip(f"{reason} not available")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(corpus_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """`advisor serve` on a free port over a copy of the ingested corpus, extractive answers."""
    data = tmp_path_factory.mktemp("browser") / "data"
    shutil.copytree(corpus_data_dir, data)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        ADVISOR_DATA_DIR=str(data),
        ADVISOR_LLM_PROVIDER="extractive",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path_factory.mktemp("browser-log") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None:
                pytest.fail(f"advisor serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"advisor serve not ready after 240 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield {"url": url, "data": data, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser: Any, server: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    pg.goto(server["url"])
    pg.get_by_role("tab", name="对话").wait_for()
    pg.locator("#app-header").get_by_text("份文件").wait_for()
    try:
        yield pg
    finally:
        context.close()


def shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.evaluate(  # show the latest messages, as a user would see them
        "() => document.querySelectorAll('#chatbot *').forEach(e => {"
        " if (e.scrollHeight > e.clientHeight + 4) e.scrollTop = e.scrollHeight })"
    )
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(pg: Any, question: str, n_answers: int) -> Any:
    """Type a question, send it, wait for the n-th finished answer (its provider footer)."""
    box = pg.locator("#question textarea")
    box.fill(question)
    box.press("Enter")
    footer = pg.locator("#chatbot").get_by_text("回答方式：").nth(n_answers - 1)
    footer.wait_for()
    return footer


def test_chat_answer_with_sources_and_follow_up(page: Any) -> None:
    shot(page, "0-start")
    page.get_by_text("地方政府怎样用产业基金招引人工智能企业？", exact=True).click()  # example fills the box
    from playwright.sync_api import expect

    expect(page.locator("#question textarea")).to_have_value("地方政府怎样用产业基金招引人工智能企业？")
    page.locator("#send").click()
    chat = page.locator("#chatbot")
    chat.get_by_text("回答方式：").first.wait_for()
    assert chat.get_by_text("[1]").count() >= 1
    panel = chat.get_by_text("来源 [1]").first
    panel.wait_for()
    assert chat.get_by_text(ANSWER_LABEL).count() == 1
    assert chat.get_by_text("发布机构：").count() == 0  # panels start collapsed
    panel.click()
    chat.get_by_text("发布机构：").first.wait_for()
    shot(page, "1-chat-answer")

    ask(page, "那人才方面呢？", 2)
    assert chat.get_by_text(ANSWER_LABEL).count() == 2
    assert chat.get_by_text("那人才方面呢？").count() == 1
    shot(page, "2-chat-follow-up")

    page.locator("#new-chat").click()
    page.wait_for_function("() => !document.querySelector('#chatbot').innerText.includes('那人才方面呢')")


def test_ungrounded_answer_is_marked(page: Any) -> None:
    ask(page, "火星殖民地的啤酒酿造税率是多少？", 1)
    assert page.locator("#chatbot h3").filter(has_text="资料未覆盖").count() == 1


def test_html_in_question_stays_inert(page: Any) -> None:
    page.evaluate("() => { window.__xss = undefined }")
    payload = '<script>window.__xss="script"</script><img src=x onerror="window.__xss=\'img\'">算力'
    ask(page, payload, 1)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#chatbot img").count() == 0
    assert page.locator("#chatbot").get_by_text("<script>", exact=False).count() >= 1  # shown as typed
    assert page.dialogs == []


def test_plan_draft_and_docx_download(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="规划草案").click()
    city = page.locator("#plan-city input, #plan-city textarea").first
    city.click()
    city.fill("合肥")
    page.locator("#plan-city-picks").get_by_text("安徽省 合肥市", exact=True).click()
    page.locator("#plan-provider").get_by_text("抽取式", exact=True).click()
    page.locator("#plan-profile").get_by_text("城市概况").click()
    page.get_by_label("支柱产业").fill("新型显示、集成电路")
    shot(page, "3-plan-form")
    page.locator("#plan-go").click()
    status = page.locator("#plan-status")
    status.get_by_text("已完成：").wait_for(timeout=180_000)
    view = page.locator("#plan-view")
    assert view.get_by_text(DOCUMENT_LABEL).count() >= 1
    assert view.get_by_text("合肥市人工智能产业培育方案（草案）").count() >= 1
    from playwright.sync_api import expect

    expect(page.locator("#plan-go")).to_be_enabled(timeout=10_000)  # ready for the next draft
    shot(page, "4-plan-result")
    with page.expect_download() as info:
        page.locator("#plan-docx").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    assert target.suffix == ".docx"
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "合肥" in text and DOCUMENT_LABEL in text and "新型显示" in text


def test_plan_unknown_city_shows_the_reason(page: Any) -> None:
    page.get_by_role("tab", name="规划草案").click()
    city = page.locator("#plan-city input, #plan-city textarea").first
    city.click()
    city.fill("朝阳")
    page.locator("#plan-go").click()
    page.locator("#plan-status").get_by_text("多个匹配").wait_for()
    assert page.locator("#plan-status").get_by_text("北京市朝阳区").count() >= 1


def _upload(page: Any, files: list[Path]) -> Any:
    page.locator("#upload-files input[type=file]").set_input_files([str(f) for f in files])
    for f in files:  # the file list shows stem and extension in separate elements
        page.locator("#upload-files").get_by_text(f.stem, exact=True).first.wait_for()
    page.locator("#upload-go").click()
    results = page.locator("#upload-results")
    results.get_by_text("处理完成").wait_for(timeout=120_000)
    return results


def test_library_upload_retrieve_and_bad_files(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="资料库").click()
    table = page.locator("#docs-table")
    table.get_by_text("深圳经济特区人工智能产业促进条例").wait_for()
    shot(page, "5-library")

    good = tmp_path / "星河市算力券.md"
    good.write_text(UPLOAD_MD, encoding="utf-8")
    results = _upload(page, [good])
    results.get_by_text("已入库：《星河市人工智能算力券实施细则》").wait_for()
    table.get_by_text("星河市人工智能算力券实施细则").wait_for()
    assert page.locator("#app-header").get_by_text("13").count() >= 1

    page.locator("#retrieval-query textarea").fill("星河市 算力券 申领额度")
    page.locator("#retrieval-go").click()
    hits = page.locator("#retrieval-hits")
    hits.get_by_text("星河市人工智能算力券实施细则").first.wait_for()
    shot(page, "6-library-upload-retrieval")

    fake_pdf = tmp_path / "报告.pdf"
    fake_pdf.write_bytes(b"\x00\x01 not a pdf " * 40)
    empty = tmp_path / "空白.txt"
    empty.write_bytes(b"")
    results = _upload(page, [fake_pdf, empty])
    results.get_by_text("新入库 0 个").wait_for()
    assert results.get_by_text("不是 PDF").count() == 1
    assert results.get_by_text("文件为空").count() == 1
    shot(page, "7-library-bad-upload")

    # the uploaded document's HTML stays inert when an answer quotes it
    page.get_by_role("tab", name="对话").click()
    page.evaluate("() => { window.__xss = undefined }")
    ask(page, "星河市的算力券每家企业每年可以申领多少？", 1)
    page.locator("#chatbot").get_by_text("星河市人工智能算力券实施细则").first.wait_for()
    assert page.evaluate("() => window.__xss") is None
    assert page.locator("#chatbot img").count() == 0

    # delete it again, with confirmation
    page.get_by_role("tab", name="资料库").click()
    dd = page.locator("#delete-doc input")
    dd.click()
    dd.fill("星河市")
    dd.press("Space")
    dd.press("Backspace")
    page.get_by_role("option").filter(has_text="星河市人工智能算力券实施细则").click()
    page.locator("#delete-go").click()
    page.locator("#delete-message").get_by_text("确认从资料库删除").wait_for()
    page.locator("#delete-confirm").click()
    page.locator("#delete-message").get_by_text("已删除").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#docs-table').innerText.includes('星河市人工智能算力券实施细则')"
    )
