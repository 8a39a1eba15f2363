# ruff: noqa: F811  (the browser fixtures are imported from test_browser and requested by name)
"""The 规划草案 tab as an official meets it (issue 15 §8), in a real Chromium: city names typed the way an
IME or a paste inserts them (input events, no key events) still list the matching cities; an ambiguous
name lists every candidate, 朝阳县 included, and one click drafts the chosen one; the draft shows each
section's status; exported files carry the Chinese product name, never timeout notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
import pytest
from test_browser import browser, page, server, shot  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def _city(page: Any) -> Any:
    page.get_by_role("tab", name="规划草案").click()
    box = page.locator("#plan-city input, #plan-city textarea").first
    box.click()
    return box


def test_city_filter_takes_text_inserted_without_key_events(page: Any) -> None:
    box = _city(page)
    page.keyboard.insert_text("洛阳")  # what an IME commit or a paste does: an input event, no keydown
    picks = page.locator("#plan-city-picks")
    picks.get_by_text("河南省 洛阳市", exact=True).wait_for(timeout=15_000)
    picks.get_by_text("河南省 洛阳市", exact=True).click()
    from playwright.sync_api import expect

    expect(box).to_have_value("河南省 洛阳市", timeout=15_000)  # one click fills the box
    expect(picks).to_be_hidden(timeout=15_000)
    # a pasted name (set and announced by an input event only) filters the same way
    box.evaluate(
        """(el) => { el.value = '昆山'; el.dispatchEvent(new InputEvent('input', {bubbles: true,
        inputType: 'insertFromPaste', data: '昆山'})); }"""
    )
    picks.get_by_text("江苏省 苏州市 昆山市", exact=True).wait_for(timeout=15_000)
    shot(page, "plan-city-picks")


def test_ambiguous_city_is_one_click_from_its_plan(page: Any) -> None:
    _city(page)
    page.keyboard.insert_text("朝阳")
    page.locator("#plan-provider").get_by_text("抽取式", exact=True).click()
    page.locator("#plan-go").click()
    status = page.locator("#plan-status")
    status.get_by_text("多个匹配").wait_for(timeout=60_000)
    picks = page.locator("#plan-city-picks")
    for name in ("辽宁省朝阳市", "北京市朝阳区", "辽宁省朝阳市朝阳县"):
        picks.get_by_text(name, exact=True).wait_for(timeout=15_000)
    shot(page, "plan-ambiguous")
    picks.get_by_text("辽宁省朝阳市朝阳县", exact=True).click()  # one click: chosen and drafted
    status.get_by_text("已完成：").wait_for(timeout=180_000)
    view = page.locator("#plan-view")
    assert view.get_by_text("朝阳市人工智能产业培育方案（草案）").count() >= 1
    assert view.get_by_text("朝阳县是朝阳市下辖的县", exact=False).count() >= 1


def test_plan_status_and_exports_name_the_product(page: Any, tmp_path: Path) -> None:
    box = _city(page)
    box.fill("河南省 洛阳市")
    page.locator("#plan-provider").get_by_text("抽取式", exact=True).click()
    page.locator("#plan-go").click()
    status = page.locator("#plan-status")
    status.get_by_text("已完成：").wait_for(timeout=180_000)
    assert status.get_by_text("起草方式：抽取式（不调用大模型）", exact=False).count() == 1
    assert status.get_by_text("本地模型", exact=False).count() == 0
    view = page.locator("#plan-view")
    assert view.get_by_text("未经大模型润色", exact=False).count() >= 7  # each section says who wrote it
    shot(page, "plan-luoyang")
    with page.expect_download() as info:
        page.locator("#plan-docx").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(str(target))
    document = docx.Document(str(target))
    footers = "\n".join(p.text for s in document.sections for p in s.footer.paragraphs)
    assert "区域AI产业顾问" in footers and "advisor" not in footers.lower()
    body = "\n".join(p.text for p in document.paragraphs)
    assert "洛阳" in body and "未经大模型润色" not in body and "超时" not in body
    with page.expect_download() as info:
        page.locator("#plan-md").click()
    md = tmp_path / info.value.suggested_filename
    info.value.save_as(str(md))
    text = md.read_text(encoding="utf-8")
    assert "洛阳" in text and "未经大模型润色" not in text and "超时" not in text
