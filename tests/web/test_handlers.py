"""The web app's handlers, called directly (no browser): chat streaming, plan drafting, the library."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import gradio as gr
import pytest

from advisor.places.cities import CityError
from advisor.render.common import NOT_COVERED_HEADER
from advisor.render.labeling import ANSWER_LABEL, DOCUMENT_LABEL
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.types import Citation, Plan, PlanSection, Recommendation
from advisor.web.api import api_ask, api_retrieve
from advisor.web.chat import clear_chat, respond, submit_question
from advisor.web.common import (
    APP_TITLE,
    header_markdown,
    inert,
    provider_arg,
    provider_choices,
    ready,
    ready_button,
)
from advisor.web.library import (
    DOC_HEADERS,
    ask_delete,
    confirm_delete,
    document_choices,
    documents_rows,
    ingest_upload,
    safe_upload_name,
    upload_documents,
)
from advisor.web.plan import profile_from_fields, run_plan, submit_plan
from advisor.web.retrieve import retrieval_rows

UPLOAD_MD = """# 星河市人工智能算力券实施细则

## 第一条 目的

为降低中小企业使用智能算力的成本，星河市设立人工智能算力券，支持企业租用本地智算中心算力。

## 第二条 额度

每家企业每年可申领不超过五十万元的算力券，用于模型训练与推理服务。
"""


def _is_skip(value: Any) -> bool:
    return bool(value == gr.skip())


def _run_chat(adv: Advisor, question: str, chat: list[Any], turns: list[Any], provider: str = "auto"):
    box, chat2, request, button = submit_question(adv, question, chat, provider)
    assert box == {"__type__": "update", "value": "", "interactive": False}
    assert button["interactive"] is False
    updates = list(respond(adv, request, chat2, turns))
    return chat2, updates


# ---------------------------------------------------------------------------------------------- helpers


def test_inert_shows_html_as_typed() -> None:
    assert inert("<script>alert(1)</script>&amp;") == "&lt;script>alert(1)&lt;/script>&amp;amp;"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("auto", None), ("", None), (None, None), ("自动", None), ("extractive", "extractive"), ("local", "local"),
     ("OpenAI", "openai"), ("本地模型", "local")],
)  # fmt: skip
def test_provider_arg(choice: str | None, expected: str | None) -> None:
    assert provider_arg(choice) == expected


def test_provider_choices_mark_unconfigured(tmp_path: Path) -> None:
    adv = Advisor(settings=Settings(data_dir=tmp_path, llm_provider="extractive"))
    labels = dict((v, k) for k, v in provider_choices(adv))
    assert labels["auto"] == "自动（抽取式）"
    assert "未配置" in labels["openai"]


def test_header_shows_stats(corpus_advisor: Advisor) -> None:
    md = header_markdown(corpus_advisor)
    n = len(corpus_advisor.snapshot.docs)
    assert APP_TITLE in md and f"**{n}** 份文件" in md


def test_header_on_empty_index(tmp_path: Path) -> None:
    adv = Advisor(settings=Settings(data_dir=tmp_path, llm_provider="extractive"))
    assert "资料库为空" in header_markdown(adv)


# ---------------------------------------------------------------------------------------------- 对话


def test_blank_question_is_not_submitted(corpus_advisor: Advisor) -> None:
    out = submit_question(corpus_advisor, "   ", [], "auto")
    assert all(_is_skip(v) for v in out)


def test_submitted_question_becomes_a_request(corpus_advisor: Advisor) -> None:
    _box, chat, request, _button = submit_question(corpus_advisor, "算力券", [], "auto")
    assert request["question"] == "算力券" and request["provider"] == "auto"
    assert chat == [{"role": "user", "content": "算力券"}]


def test_answer_streams_then_shows_sources_and_label(corpus_advisor: Advisor) -> None:
    question = "地方政府怎样用产业基金招引人工智能企业？"
    chat, updates = _run_chat(corpus_advisor, question, [], [])
    assert len(updates) == 2  # pending, then the final extractive answer at once
    first_chat, _ = updates[0]
    assert first_chat[-1]["metadata"]["status"] == "pending"
    final_chat, turns = updates[-1]
    answer = final_chat[len(chat) :]
    body, *panels, footer = answer
    assert "[1]" in body["content"] and "**依据**" not in body["content"]
    assert panels and all(p["metadata"]["title"].startswith("来源 [") for p in panels)
    # the label names the section, so panels from the same document can be told apart
    cited = sorted(corpus_advisor.ask(question).citations, key=lambda c: c.n)
    for p, c in zip(panels, cited, strict=True):
        assert c.section.split(" > ")[-1][:10] in p["metadata"]["title"]
        assert "——" not in p["metadata"]["title"]
    assert all(p["metadata"]["status"] == "done" for p in panels)
    assert "发布机构：" in panels[0]["content"] and "> " in panels[0]["content"]
    assert ANSWER_LABEL in footer["content"] and "回答方式：抽取式" in footer["content"]
    assert turns[0] == {"role": "user", "content": question}
    assert turns[1]["role"] == "assistant" and turns[1]["content"]


def test_follow_up_passes_the_conversation(corpus_advisor: Advisor, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real = corpus_advisor.ask_stream

    def spy(question: str, history: Any = None, provider: Any = None) -> Iterator[Any]:
        seen.append(list(history or []))
        yield from real(question, history=history, provider=provider)

    monkeypatch.setattr(corpus_advisor, "ask_stream", spy)
    chat, updates = _run_chat(corpus_advisor, "深圳对人工智能产业有哪些支持措施？", [], [])
    chat, turns = updates[-1]
    chat2, updates2 = _run_chat(corpus_advisor, "那人才方面呢？", chat, turns)
    assert seen[0] == []
    assert seen[1][0] == {"role": "user", "content": "深圳对人工智能产业有哪些支持措施？"}
    final, turns2 = updates2[-1]
    assert len(turns2) == 4
    assert final[: len(chat2)] == chat2  # earlier messages kept


def test_fallback_is_announced(corpus_advisor: Advisor, fake_llm: Callable[..., Any]) -> None:
    settings = corpus_advisor.settings.model_copy(update={"llm_base_url": "http://127.0.0.1:9/v1"})
    invented = {
        "answerable": True,
        "conclusion": "编造的结论",
        "source": 9,
        "quote": "不存在",
        "recommendations": [],
    }
    adv = Advisor(settings=settings, llm=fake_llm(invented))
    request = {"id": "x", "question": "生成式人工智能服务提供者需要履行哪些义务？", "provider": "openai"}
    updates = list(respond(adv, request, [], []))
    first, _ = updates[1]  # the extractive answer is shown before the model is asked
    final, _ = updates[-1]
    body, footer = final[0]["content"], final[-1]["content"]
    assert body == first[0]["content"]  # the rejected improvement took nothing back
    assert "提示" not in body and "回答方式：抽取式" in footer
    assert "未通过引用核验" in footer  # the reason is in the status line, never in the answer


def test_ungrounded_answer_is_marked(corpus_advisor: Advisor) -> None:
    _, updates = _run_chat(corpus_advisor, "火星殖民地的啤酒酿造税率是多少？", [], [])
    final, _ = updates[-1]
    text = "\n".join(m["content"] for m in final[1:])
    assert NOT_COVERED_HEADER in text and ANSWER_LABEL in text


def test_bad_question_gives_a_friendly_message(corpus_advisor: Advisor) -> None:
    request = {"id": "x", "question": "？？？！！！", "provider": "auto"}
    final, turns = list(respond(corpus_advisor, request, [], []))[-1]
    assert final[-1]["content"].startswith("⚠ 问题里没有可识别的文字")
    assert turns == []


def test_unconfigured_provider_explains_what_to_set(corpus_advisor: Advisor) -> None:
    request = {"id": "x", "question": "算力券怎么用？", "provider": "openai"}
    final, _ = list(respond(corpus_advisor, request, [], []))[-1]
    assert "ADVISOR_LLM_BASE_URL" in final[-1]["content"]


def test_unexpected_failure_never_shows_a_traceback(
    corpus_advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Iterator[Any]:
        raise RuntimeError("secret internal detail")
        yield  # pragma: no cover

    monkeypatch.setattr(corpus_advisor, "ask_stream", broken)
    final, _ = list(respond(corpus_advisor, {"id": "x", "question": "算力", "provider": "auto"}, [], []))[-1]
    text = final[-1]["content"]
    assert "抱歉" in text and "RuntimeError" in text
    assert "Traceback" not in text and "secret internal detail" not in text


def test_html_in_question_is_inert(corpus_advisor: Advisor) -> None:
    question = '<script>window.x=1</script><img src=x onerror="window.x=2">算力'
    _, chat, _, _ = submit_question(corpus_advisor, question, [], "auto")
    assert "<script" not in chat[0]["content"] and "<img" not in chat[0]["content"]
    assert "&lt;script>" in chat[0]["content"]


def test_clear_chat_and_ready() -> None:
    assert clear_chat() == ([], [], "")
    assert all(u["interactive"] is True for u in (*ready(), ready_button()))


# ---------------------------------------------------------------------------------------------- 规划草案


def _fake_plan(city: str = "合肥市") -> Plan:
    cite = Citation(
        n=1,
        chunk_id="c1",
        doc_id="d1",
        title="国务院关于深入实施“人工智能+”行动的意见",
        quote="加强智能算力互联互通",
    )
    return Plan(
        city=city,
        province="安徽省",
        title=f"{city}人工智能产业培育方案（草案）",
        sections=[
            PlanSection(
                key="compute",
                title="算力基础设施",
                summary="统筹建设智能算力。",
                recommendations=[
                    Recommendation(title="建设城市智算中心", detail="<b>分期</b>建设", citations=[1])
                ],
            )
        ],
        citations=[cite],
        provider="extractive",
    )


@pytest.fixture
def plain_advisor(tmp_path: Path) -> Advisor:
    return Advisor(settings=Settings(data_dir=tmp_path / "data", llm_provider="extractive"))


def test_submit_plan_needs_a_city(plain_advisor: Advisor) -> None:
    local, wide, status, _view, _button = submit_plan(plain_advisor, "  ", "auto", *[""] * 8)
    assert _is_skip(local) and _is_skip(wide) and "请先输入或选择城市" in status


def test_submit_plan_routes_and_keeps_the_form(plain_advisor: Advisor) -> None:
    values = ["新型显示、集成电路", "", "", "", "", "", "", "2024年数据"]
    local, wide, _status, view, button = submit_plan(plain_advisor, "合肥", "extractive", *values)
    assert _is_skip(local) and button["interactive"] is False
    assert wide["city"] == "合肥" and wide["fields"] == values[:7] and wide["notes"] == "2024年数据"
    assert view == ""


def test_profile_from_fields() -> None:
    assert profile_from_fields([""] * 7) is None
    profile = profile_from_fields(["新型显示、集成电路", "中国科学技术大学"], notes="2024年")
    assert profile is not None
    assert profile["pillar_industries"] == ["新型显示", "集成电路"]
    assert profile["universities"] == ["中国科学技术大学"] and profile["notes"] == "2024年"


def test_run_plan_shows_progress_and_offers_files(
    plain_advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, Any] = {}

    def fake_plan(
        city: str, profile: Any = None, provider: Any = None, progress: Any = None, **_: Any
    ) -> Plan:
        calls.update(city=city, profile=profile, provider=provider)
        for i, title in enumerate(["总体要求", "算力基础设施"], start=1):
            progress(i, 2, title)
        return _fake_plan()

    monkeypatch.setattr(plain_advisor, "plan", fake_plan)
    request = {"id": "r", "city": "合肥", "provider": "extractive", "fields": ["新型显示"], "notes": ""}
    updates = list(run_plan(plain_advisor, request, heartbeat_s=0.05))
    statuses = [u[0] for u in updates]
    assert any("已完成 1/2 节（总体要求）" in s for s in statuses)
    assert any("已完成 2/2 节（算力基础设施）" in s for s in statuses)
    status, body, docx_btn, md_btn = updates[-1]
    assert status.startswith("✓ 已完成：1 个章节、1 条建议、1 条依据")
    assert calls == {"city": "合肥", "profile": calls["profile"], "provider": "extractive"}
    assert calls["profile"]["pillar_industries"] == ["新型显示"]
    assert DOCUMENT_LABEL in body and "&lt;b>分期" in body and "ai_generated" not in body
    exports = (plain_advisor.settings.data_dir / "exports").resolve()
    docx_path, md_path = Path(docx_btn["value"]), Path(md_btn["value"])
    assert docx_btn["interactive"] and md_btn["interactive"]
    assert docx_path.parent.parent == exports and md_path.parent == docx_path.parent
    assert docx_path.name == "合肥市人工智能产业培育方案（草案）.docx"
    assert DOCUMENT_LABEL in "\n".join(p.text for p in docx.Document(str(docx_path)).paragraphs)
    assert md_path.read_text(encoding="utf-8").startswith("---\n")  # implicit label in the file


def test_run_plan_city_error_lists_candidates(
    plain_advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ambiguous(city: str, **kwargs: Any) -> Plan:
        raise CityError(
            "“朝阳”有多个匹配：北京市朝阳区、辽宁省朝阳市。请写全称。", ["北京市朝阳区", "辽宁省朝阳市"]
        )

    monkeypatch.setattr(plain_advisor, "plan", ambiguous)
    status, body, docx_btn, _ = list(run_plan(plain_advisor, {"id": "r", "city": "朝阳"}, heartbeat_s=0.05))[
        -1
    ]
    assert status.startswith("⚠ “朝阳”有多个匹配") and "**北京市朝阳区**" in status
    assert body == "" and docx_btn["interactive"] is False


def test_run_plan_unexpected_error_is_friendly(
    plain_advisor: Advisor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(city: str, **kwargs: Any) -> Plan:
        raise KeyError("internal")

    monkeypatch.setattr(plain_advisor, "plan", broken)
    status = list(run_plan(plain_advisor, {"id": "r", "city": "合肥"}, heartbeat_s=0.05))[-1][0]
    assert status.startswith("⚠ 抱歉") and "Traceback" not in status


def test_real_plan_for_hefei(corpus_copy: Callable[..., Advisor]) -> None:
    pytest.importorskip("advisor.planning.plan")
    adv = corpus_copy()
    request = {"id": "r", "city": "合肥", "provider": "extractive", "fields": [], "notes": ""}
    updates = list(run_plan(adv, request))
    status, body, docx_btn, _ = updates[-1]
    assert status.startswith("✓ 已完成"), status
    assert any("正在起草" in u[0] for u in updates)
    assert "合肥" in body
    text = "\n".join(p.text for p in docx.Document(docx_btn["value"]).paragraphs)
    assert "合肥" in text and DOCUMENT_LABEL in text


# ---------------------------------------------------------------------------------------------- 资料库


def test_documents_table(corpus_advisor: Advisor) -> None:
    rows = documents_rows(corpus_advisor)
    snap = corpus_advisor.snapshot
    assert len(rows) == len(snap.docs)
    assert sum(r[5] for r in rows) == len(snap.chunks)
    assert all(len(r) == len(DOC_HEADERS) for r in rows)
    assert rows[0][3] == "国家级"
    assert {v for _, v in document_choices(corpus_advisor)} == set(snap.docs)


def test_retrieval_rows(corpus_advisor: Advisor) -> None:
    rows = retrieval_rows(corpus_advisor, "算力基础设施", 3)
    assert [r[0] for r in rows] == [1, 2, 3]
    assert all(r[1] in ("高", "中", "低") and r[2] and r[3] for r in rows)  # a label, not a fusion score
    assert retrieval_rows(corpus_advisor, "  ", 3) == []


@pytest.mark.parametrize(
    ("name", "error"),
    [("../../x.md", "不合法"), ("a/b.md", "不合法"), ("a／b.md", "不合法"), ("..\\x.md", "不合法"), ("x.exe", "不支持"), ("README", "不支持"),
     ("", "为空")],
)  # fmt: skip
def test_safe_upload_name_refuses(name: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        safe_upload_name(name)


def test_safe_upload_name_cleans() -> None:
    assert safe_upload_name("合肥 算力<政策>.MD") == "合肥_算力_政策.md"
    assert safe_upload_name("..hidden.txt") == "hidden.txt"
    assert safe_upload_name("《条例》（2024）.docx") == "《条例》（2024）.docx"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _index_state(adv: Advisor) -> tuple[set[str], int, int]:
    return set(adv.snapshot.docs), len(adv.snapshot.chunks), adv.store.count()


def test_upload_ingests_and_is_found(corpus_copy: Callable[..., Advisor], tmp_path: Path) -> None:
    adv = corpus_copy()
    before = len(adv.snapshot.docs)
    src = _write(tmp_path, "星河市算力券.md", UPLOAD_MD)
    updates = list(upload_documents(adv, [str(src)]))
    assert "正在处理 1/1：星河市算力券.md" in updates[0][0]
    results, table, dropdown, header, files = updates[-1]
    assert "✓ **星河市算力券.md**：已入库：《星河市人工智能算力券实施细则》" in results
    assert len(table) == before + 1 and f"**{before + 1}** 份文件" in header
    assert any("星河市" in label for label, _ in dropdown["choices"]) and files is None
    (doc_id,) = [d for d, m in adv.snapshot.docs.items() if m.title.startswith("星河市")]
    staged = Path(adv.snapshot.docs[doc_id].path)
    uploads = (adv.settings.data_dir / "uploads").resolve()
    assert staged.is_file() and staged.parent.parent == uploads and staged.name == "星河市算力券.md"
    rows = retrieval_rows(adv, "星河市 算力券 额度", 3)
    assert rows[0][2] == "星河市人工智能算力券实施细则"

    # the same content again (another name): deduplicated, nothing staged, index unchanged
    state = _index_state(adv)
    again = _write(tmp_path, "copy.md", UPLOAD_MD)
    results = list(upload_documents(adv, [str(again)]))[-1][0]
    assert "⚠ **copy.md**" in results and "去重" in results
    assert _index_state(adv) == state
    assert len(list(uploads.iterdir())) == 1

    # delete asks first, then removes the document and its staged file
    message, row = ask_delete(adv, doc_id)
    assert "确认从资料库删除《星河市人工智能算力券实施细则》" in message and row["visible"] is True
    message, table, _, header, row = confirm_delete(adv, doc_id)
    assert message.startswith("已删除") and row["visible"] is False
    assert doc_id not in adv.snapshot.docs and len(table) == before and not staged.exists()


def test_bad_uploads_report_per_file_and_leave_the_index(
    corpus_copy: Callable[..., Advisor], tmp_path: Path
) -> None:
    adv = corpus_copy()
    state = _index_state(adv)
    fake_pdf = _write(tmp_path, "报告.pdf", b"\x00\x01binary garbage" * 50)
    empty = _write(tmp_path, "空白.txt", b"")
    traversal = _write(tmp_path, "x.md", UPLOAD_MD)
    results = [
        ingest_upload(adv, fake_pdf, "报告.pdf"),
        ingest_upload(adv, empty, "空白.txt"),
        ingest_upload(adv, traversal, "../../x.md"),
    ]
    assert [r["status"] for r in results] == ["skipped", "skipped", "error"]
    assert "不是 PDF" in results[0]["message"]
    assert "文件为空" in results[1]["message"]
    assert "不合法" in results[2]["message"] and results[2]["name"] == "x.md"
    assert _index_state(adv) == state
    uploads = adv.settings.data_dir / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())
    assert not (adv.settings.data_dir.parent / "x.md").exists()

    # through the upload handler: one line per file with its reason
    summary = list(upload_documents(adv, [str(fake_pdf), str(empty)]))[-1][0]
    assert "新入库 0 个" in summary and "**报告.pdf**" in summary and "**空白.txt**" in summary


def test_upload_nothing_selected(plain_advisor: Advisor) -> None:
    (message, *_rest) = list(upload_documents(plain_advisor, []))[-1]
    assert "请先选择" in message


def test_delete_without_choice(corpus_advisor: Advisor) -> None:
    message, row = ask_delete(corpus_advisor, None)
    assert "请先" in message and row["visible"] is False


# ---------------------------------------------------------------------------------------------- API functions


def test_api_ask_returns_markdown_and_citations(corpus_advisor: Advisor) -> None:
    md, meta_json = api_ask(corpus_advisor, "生成式人工智能服务提供者需要履行哪些义务？")
    meta = json.loads(meta_json)
    assert ANSWER_LABEL in md and "[1]" in md
    assert meta["provider"] == "extractive" and meta["grounded"] is True
    assert meta["citations"][0]["n"] == 1 and meta["citations"][0]["quote"]
    assert meta["refinement"] == "none" and meta["authorship"]["结论"] == "extractive"


def test_api_ask_errors_are_gradio_errors(corpus_advisor: Advisor) -> None:
    with pytest.raises(gr.Error, match="history_json"):
        api_ask(corpus_advisor, "算力", "[not json")
    with pytest.raises(gr.Error, match="问题为空"):
        api_ask(corpus_advisor, "  ")


def test_api_retrieve(corpus_advisor: Advisor) -> None:
    hits = json.loads(api_retrieve(corpus_advisor, "算力", 2))
    assert len(hits) == 2 and {"title", "section", "text", "score", "meta"} <= set(hits[0])
