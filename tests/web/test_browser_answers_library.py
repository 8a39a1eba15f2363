# ruff: noqa: F811  (the browser fixtures are imported from test_browser and requested by name)
"""The chat and library as an official meets them (issue 15 §8), in a real Chromium: the header stays
in view while an answer streams, sources are readable, the retrieval table shows a rank and a plain
relevance label and forgets a deleted document, and the upload form asks for 发布机构/日期/层级 with
defaults read from the document."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_browser import ask, browser, page, server, shot  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

SIGNED_MD = """# 星河市促进人工智能产业发展若干措施

## 一、算力支持

星河市设立人工智能算力券，对租用本地智算中心算力的企业按合同金额给予补助。

## 二、人才引进

对来星河市创业的人工智能领军人才团队给予项目资助。

星河市人民政府
2025年6月18日
"""


def _luminance(rgb: list[float]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(fg: list[float], bg: list[float]) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


STYLE_JS = """(el) => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  let bg = null, opacity = 1;
  for (let e = el; e; e = e.parentElement) {
    const st = getComputedStyle(e);
    opacity *= Number(st.opacity);
    const c = rgb(st.backgroundColor);
    if (!bg && c.length >= 3 && (c.length < 4 || c[3] > 0.5)) bg = c;
  }
  const st = getComputedStyle(el);
  return {size: parseFloat(st.fontSize), color: rgb(st.color), bg: bg || [255, 255, 255], opacity};
}"""


def test_header_stays_in_view_and_sources_are_readable(page: Any) -> None:
    header = page.locator("#app-header")
    for question in ("地方政府怎样用产业基金招引人工智能企业？", "深度合成服务提供者应当履行哪些义务？"):
        ask(page, question, 1 if "产业基金" in question else 2)
        top = page.evaluate("() => document.querySelector('#app-header').getBoundingClientRect().bottom")
        assert top > 0 and page.evaluate("() => window.scrollY") < 40, "the page scrolled the header away"
    assert header.is_visible()
    panel = page.locator("#chatbot").get_by_text("来源 [1]").last
    panel.click()
    quote = page.locator("#chatbot blockquote").last
    quote.wait_for()
    style = quote.evaluate(STYLE_JS)
    body = page.locator("#chatbot .message-content p").first.evaluate(STYLE_JS)
    assert style["size"] >= 15 and style["size"] >= body["size"] - 0.5, style
    assert style["opacity"] > 0.99, style
    assert _contrast(style["color"], style["bg"]) >= 7, style  # WCAG AAA for body text
    shot(page, "15-sources-readable")


def test_upload_form_retrieval_labels_and_deleted_document(page: Any, tmp_path: Path) -> None:
    page.get_by_role("tab", name="资料库").click()
    doc = tmp_path / "星河市若干措施.md"
    doc.write_text(SIGNED_MD, encoding="utf-8")
    page.locator("#upload-files input[type=file]").set_input_files([str(doc)])
    issuer = page.locator("#upload-issuer textarea, #upload-issuer input").first
    date = page.locator("#upload-date textarea, #upload-date input").first
    page.wait_for_function(
        "() => { const e = document.querySelector('#upload-issuer textarea, #upload-issuer input');"
        " return e && e.value === '星河市人民政府' }"
    )
    assert date.input_value() == "2025-06-18"
    assert page.locator("#upload-level input").first.input_value() == "市级"
    issuer.fill("星河市人民政府办公室")  # the user corrects a guess
    shot(page, "16-upload-form")
    page.locator("#upload-go").click()  # the file chosen above, with the corrected form
    results = page.locator("#upload-results")
    results.get_by_text("处理完成").wait_for(timeout=120_000)
    results.get_by_text("已入库：《星河市促进人工智能产业发展若干措施》").wait_for()
    page.wait_for_function(  # one row of the documents table carries the confirmed facts
        """() => [...document.querySelectorAll('#docs-table tr, #docs-table [role=row]')].some(r =>
             ['星河市促进人工智能产业发展若干措施', '星河市人民政府办公室', '2025-06-18', '市级']
               .every(t => r.innerText.includes(t)))"""
    )

    page.locator("#retrieval-query textarea").fill("星河市 算力券 补助")
    page.locator("#retrieval-go").click()
    hits = page.locator("#retrieval-hits")
    hits.get_by_text("星河市促进人工智能产业发展若干措施").first.wait_for()
    rows = page.evaluate(
        """() => [...document.querySelectorAll('#retrieval-hits tr')]
             .map(r => [...r.querySelectorAll('td')].map(td => td.textContent.trim()))
             .filter(cells => cells.length >= 3)"""
    )
    text = page.locator("#retrieval-hits").text_content() or ""
    assert "相关程度" in text and "得分" not in text
    assert not any(c.startswith("0.0") for r in rows for c in r), rows  # no fusion scores
    labels = [r[1] for r in rows if r[0].isdigit()]
    assert labels and set(labels) <= {"高", "中", "低"}, rows
    assert labels[0] == "高", rows
    shot(page, "17-retrieval-labels")

    dd = page.locator("#delete-doc input")
    dd.click()
    dd.fill("星河市")
    dd.press("Space")
    dd.press("Backspace")
    page.get_by_role("option").filter(has_text="星河市促进人工智能产业发展若干措施").click()
    page.locator("#delete-go").click()
    page.locator("#delete-confirm").click()
    page.locator("#delete-message").get_by_text("已删除").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('#retrieval-hits').innerText.includes('星河市促进人工智能产业发展若干措施')"
    )
    page.wait_for_function(  # the same query again, over what is left
        """() => [...document.querySelectorAll('#retrieval-hits tr')]
             .some(r => (r.querySelector('td') || {}).textContent?.trim() === '1')"""
    )
    shot(page, "18-retrieval-after-delete")
