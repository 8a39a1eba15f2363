"""The 政策诊断 tab in a real browser: upload a .docx draft, diagnose, download the report.

`advisor serve` runs in a subprocess over a copy of the ingested fixed corpus; Playwright drives Debian
Chromium. Screenshots go to test-artifacts/browser/. Without Chromium or Playwright the test is skipped
locally but fails on CI (CI=true).
"""

from __future__ import annotations

import os
import re
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

from advisor.render.labeling import DOCUMENT_LABEL, verify_file
from advisor.settings import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SHOTS = PROJECT_ROOT / "test-artifacts" / "browser"


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
    data = tmp_path_factory.mktemp("diag-browser") / "data"
    shutil.copytree(corpus_data_dir, data)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        ADVISOR_DATA_DIR=str(data), ADVISOR_LLM_PROVIDER="extractive", GRADIO_ANALYTICS_ENABLED="False"
    )
    log = tmp_path_factory.mktemp("diag-browser-log") / "serve.log"
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
        yield {"url": url, "data": data}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture
def page(server: dict[str, Any]) -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("the playwright package")
    if not Path(CHROMIUM).exists():
        _missing(CHROMIUM)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(
            viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
        )
        pg = context.new_page()
        pg.set_default_timeout(60_000)
        pg.goto(server["url"])
        pg.get_by_role("tab", name="政策诊断").click()
        try:
            yield pg
        finally:
            context.close()
            browser.close()


def _draft_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("星河市人工智能产业发展行动方案（征求意见稿）", level=0)
    document.add_paragraph("第一条 建设星河城市智算中心，向中小企业发放算力券。")
    document.add_paragraph("第二条 设立人工智能产业投资基金，引导社会资本投向初创企业。")
    document.add_paragraph("第三条 支持本地高校设立人工智能学院，实施人才引进计划。")
    document.save(str(path))
    return path


def _shot(pg: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _city(pg: Any, name: str, option: str) -> None:
    box = pg.locator("#diag-city input")
    box.click()
    box.fill(name)
    box.press("Space")  # the dropdown filters on key events; fill() alone sends none
    box.press("Backspace")
    pg.get_by_role("option", name=option, exact=True).click()


def test_upload_docx_diagnose_and_download(page: Any, server: dict[str, Any], tmp_path: Path) -> None:
    from playwright.sync_api import expect

    draft = _draft_docx(tmp_path / "星河草案.docx")
    page.locator("#diag-file input[type=file]").set_input_files(str(draft))
    page.locator("#diag-file").get_by_text("星河草案", exact=True).first.wait_for()
    _city(page, "合肥", "安徽省 合肥市")
    _shot(page, "diagnose-1-form")
    page.locator("#diag-go").click()
    page.locator("#diag-status").get_by_text("诊断完成").wait_for(timeout=120_000)
    view = page.locator("#diag-view")
    assert view.get_by_text("优先补充的五项").count() == 1
    assert view.get_by_text(DOCUMENT_LABEL).count() >= 1
    assert view.get_by_text("第一条 建设星河城市智算中心，向中小企业发放算力券。").count() >= 1
    assert page.locator("#diag-status").get_by_text("草案未加入资料库").count() == 1
    _shot(page, "diagnose-2-result")
    expect(page.locator("#diag-docx")).to_be_enabled()
    with page.expect_download() as info:
        page.locator("#diag-docx").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    assert target.suffix == ".docx"
    report = verify_file(target)
    assert report.produced_by_advisor and report.intact
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "合肥市" in text and "星河城市智算中心" in text and DOCUMENT_LABEL in text
    with page.expect_download() as info:
        page.locator("#diag-md").click()
    md = tmp_path / info.value.suggested_filename
    info.value.save_as(str(md))
    assert md.suffix == ".md" and verify_file(md).intact


def test_missing_draft_and_city_are_explained(page: Any) -> None:
    page.locator("#diag-go").click()
    page.locator("#diag-status").get_by_text("请先上传草案文件").wait_for()
    page.locator("#diag-text textarea").fill("第一条 建设智算中心，设立产业基金，引进高校人才。")
    page.locator("#diag-go").click()
    page.locator("#diag-status").get_by_text("请填写城市").wait_for()
    assert page.locator("#diag-text textarea").input_value().startswith("第一条")  # nothing lost
    _shot(page, "diagnose-3-errors")


def _header_docs(pg: Any) -> int:
    text = pg.locator("#app-header").inner_text()
    match = re.search(r"资料库：\s*(\d+)\s*份文件", text)
    assert match, text
    return int(match.group(1))


def test_adding_the_draft_to_the_library_refreshes_the_header_and_table(page: Any) -> None:
    from playwright.sync_api import expect

    before = _header_docs(page)
    page.locator("#diag-text textarea").fill(
        "# 星河市算力券实施细则（征求意见稿）\n\n第一条 建设城市智算中心，向中小企业发放算力券。\n"
    )
    _city(page, "合肥", "安徽省 合肥市")
    page.locator("#diag-add input[type=checkbox]").check()
    page.locator("#diag-go").click()
    page.locator("#diag-status").get_by_text("草案已加入资料库").wait_for(timeout=180_000)
    expect(page.locator("#app-header")).to_contain_text(f"{before + 1} 份文件", timeout=30_000)
    # the library tab's table lists the draft without reloading the page
    page.get_by_role("tab", name="资料库").click()
    expect(page.locator("#docs-table")).to_contain_text("星河市算力券实施细则", timeout=30_000)
    _shot(page, "diagnose-4-added-to-library")
