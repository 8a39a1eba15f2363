"""对标分析 as users meet it: the `advisor compare` command, the /compare API through gradio_client
against a real server, and the 对标分析 tab in a real browser (Playwright + Debian Chromium)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError

from advisor.compare import EMPTY_CELL
from advisor.render.labeling import DOCUMENT_LABEL
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.web.app import build_app, launch_options

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SHOTS = PROJECT_ROOT / "test-artifacts" / "browser"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def data_dir(corpus_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("compare-surfaces") / "data"
    shutil.copytree(corpus_data_dir, data)
    return data


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(ADVISOR_DATA_DIR=str(data), ADVISOR_LLM_PROVIDER="extractive")
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", "compare", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
    )


def test_cli_writes_csv_and_markdown(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "对标.csv"
    done = _cli(data_dir, "深圳", "广东", "--topics", "人才,应用场景", "--format", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8").lstrip("\ufeff"))))
    assert rows[1][:6] == ["地区", "主题", "措施", "文件", "条款", "原文"]
    shenzhen = [r for r in rows[2:] if r[0] == "深圳市"]
    assert shenzhen and all(r[3] and r[5] for r in shenzhen)
    assert [r[2] for r in rows[2:] if r[0] == "广东省"] == [EMPTY_CELL, EMPTY_CELL]

    md = _cli(data_dir, "深圳", "--topics", "应用场景")
    assert md.returncode == 0, md.stderr[-2000:]
    assert "| 主题 | 深圳市 |" in md.stdout and DOCUMENT_LABEL in md.stdout


def test_cli_takes_every_topics_option(data_dir: Path, tmp_path: Path) -> None:
    """--topics given twice compares both (and each may hold several), not only the last one."""
    out = tmp_path / "对标.json"
    done = _cli(data_dir, "深圳", "--topics", "人才", "--topics", "应用场景,自动驾驶", "-o", str(out))
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(out.read_text(encoding="utf-8"))["topics"] == ["人才", "应用场景", "自动驾驶"]


def test_cli_explains_bad_regions(data_dir: Path) -> None:
    done = _cli(data_dir, "吉林", "深圳")
    assert done.returncode == 2
    assert "吉林省" in done.stderr and "吉林省吉林市" in done.stderr
    assert "Traceback" not in done.stderr
    docx_without_file = _cli(data_dir, "深圳", "--format", "docx")
    assert docx_without_file.returncode == 2 and "-o" in docx_without_file.stderr


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    adv = Advisor(settings=Settings(data_dir=data_dir, llm_provider="extractive"))
    demo = build_app(adv)
    port = _free_port()
    demo.launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options(adv)
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        demo.close()


def test_api_compare_returns_table_json_and_files(server: str, tmp_path: Path) -> None:
    client = Client(server, verbose=False, download_files=str(tmp_path))
    markdown, data, docx_path, csv_path = client.predict(
        "深圳,北京,广东", "人才、应用场景", api_name="/compare"
    )
    assert "| 主题 | 深圳市 | 北京市 | 广东省 |" in markdown and DOCUMENT_LABEL in markdown
    parsed = json.loads(data)
    assert parsed["regions"] == ["深圳市", "北京市", "广东省"] and parsed["topics"] == ["人才", "应用场景"]
    assert all(not c["measures"] for c in parsed["cells"] if c["region"] == "广东省")
    assert docx.Document(docx_path).tables[0].rows[0].cells[1].text == "深圳市"
    assert "深圳市" in Path(csv_path).read_text(encoding="utf-8")
    with pytest.raises(AppError, match="吉林省"):
        client.predict("吉林", "", api_name="/compare")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if ON_CI:
            pytest.fail("browser tests need playwright on CI")
        pytest.skip("playwright not available")
    if not Path(CHROMIUM).exists():
        if ON_CI:
            pytest.fail(f"browser tests need {CHROMIUM} on CI")
        pytest.skip(f"{CHROMIUM} not available")
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*args, "--disable-sync", "--no-first-run"]
        )
        try:
            yield b
        finally:
            b.close()


@pytest.mark.browser
def test_compare_tab_in_a_browser(browser: Any, server: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(server)
        page.get_by_role("tab", name="对标分析").click()
        go = page.locator("#cmp-go")
        go.click()  # no region yet: an explanation, nothing else
        expect(page.locator("#cmp-status")).to_contain_text("请至少选择或输入一个地区")
        regions = page.locator("#cmp-regions input")
        for name in ("深圳市", "广东"):
            regions.fill(name)
            regions.press("Enter")
        regions.press("Escape")  # close the options list
        page.locator("#cmp-status").click()
        page.locator("#cmp-topics").get_by_label("人才").uncheck()
        page.locator("#cmp-extra").locator("textarea, input").first.fill("自动驾驶")
        go.click()
        expect(page.locator("#cmp-status")).to_contain_text("对标完成", timeout=120_000)
        view = page.locator("#cmp-view")
        expect(view.locator("table").first).to_be_visible()
        headers = view.locator("table").first.locator("th").all_inner_texts()
        assert headers[:3] == ["主题", "深圳市", "广东省"]
        assert "自动驾驶" in view.inner_text() and "人才 |" not in view.inner_text()
        assert view.get_by_text(EMPTY_CELL).count() >= 1
        assert "<br>" not in view.inner_text()  # several measures in a cell are lines, not markup
        with page.expect_download() as dl:
            page.locator("#cmp-docx").click()
        path = dl.value.path()
        assert (
            path
            and docx.Document(str(path)).sections[0].page_width
            > docx.Document(str(path)).sections[0].page_height
        )
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "compare-tab.png"), full_page=True)
        page.get_by_role("tab", name="资料库").click()
        page.locator("#coverage").get_by_text("资料库覆盖的地区与层级").click()
        expect(page.locator("#coverage-table")).to_contain_text("深圳市")
        page.screenshot(path=str(SHOTS / "library-coverage.png"), full_page=True)
    finally:
        context.close()
