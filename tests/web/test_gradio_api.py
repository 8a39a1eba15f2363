"""The Gradio API as a product: /ask, /plan and /retrieve through gradio_client against a real server,
the queue for the local model, and what the server is allowed to serve."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.utils import Status

from advisor.render.labeling import ANSWER_LABEL, DOCUMENT_LABEL
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.types import Answer
from advisor.web import app as app_module
from advisor.web.app import build_app, launch_options
from advisor.web.common import LOCAL_GROUP

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def launch(adv: Advisor, **extra: Any) -> tuple[Any, str]:
    demo = build_app(adv)
    port = free_port()
    demo.launch(
        server_name="127.0.0.1",
        server_port=port,
        prevent_thread_lock=True,
        quiet=True,
        **{**launch_options(adv), **extra},
    )
    return demo, f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="module")
def api_advisor(corpus_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Advisor:
    data = tmp_path_factory.mktemp("api") / "data"
    shutil.copytree(corpus_data_dir, data)
    return Advisor(
        settings=Settings(data_dir=data, corpus_dir=PROJECT_ROOT / "corpus", llm_provider="extractive")
    )


@pytest.fixture(scope="module")
def server(api_advisor: Advisor) -> Iterator[str]:
    demo, url = launch(api_advisor)
    try:
        yield url
    finally:
        demo.close()


@pytest.fixture(scope="module")
def client(server: str, tmp_path_factory: pytest.TempPathFactory) -> Client:
    return Client(server, verbose=False, download_files=str(tmp_path_factory.mktemp("downloads")))


def test_only_the_stable_endpoints_are_public(client: Client) -> None:
    info = client.view_api(print_info=False, return_format="dict")
    assert info is not None
    endpoints = info["named_endpoints"]
    assert set(endpoints) == {"/ask", "/plan", "/retrieve", "/compare", "/diagnose"}
    assert info["unnamed_endpoints"] == {}
    names = {k: [p["parameter_name"] for p in v["parameters"]] for k, v in endpoints.items()}
    assert names == {
        "/ask": ["question", "history_json", "provider"],
        "/plan": ["city", "profile_json", "provider"],
        "/retrieve": ["query", "k"],
        "/compare": ["regions", "topics"],
        "/diagnose": ["city", "draft_text", "draft_file", "add_to_library"],
    }
    optional = {k: [p["parameter_has_default"] for p in v["parameters"]] for k, v in endpoints.items()}
    assert optional["/ask"] == [False, True, True] and optional["/plan"] == [False, True, True]
    assert len(endpoints["/ask"]["returns"]) == 2 and len(endpoints["/plan"]["returns"]) == 2


def test_ask(client: Client) -> None:
    md, meta_json = client.predict("生成式人工智能服务提供者需要履行哪些义务？", api_name="/ask")
    meta = json.loads(meta_json)
    assert ANSWER_LABEL in md and "[1]" in md
    assert meta["grounded"] is True and meta["provider"] == "extractive"
    assert {"n", "title", "quote", "section"} <= set(meta["citations"][0])


def test_ask_follow_up_with_history(client: Client) -> None:
    history = [
        {"role": "user", "content": "深圳对人工智能产业有哪些支持措施？"},
        {"role": "assistant", "content": "深圳鼓励建设算力基础设施。"},
    ]
    md, meta_json = client.predict(
        "那人才方面呢？", json.dumps(history, ensure_ascii=False), "extractive", api_name="/ask"
    )
    assert ANSWER_LABEL in md
    assert json.loads(meta_json)["provider"] == "extractive"


def test_ask_bad_input_is_a_clear_error(client: Client) -> None:
    with pytest.raises(AppError, match="问题为空"):
        client.predict("   ", api_name="/ask")
    with pytest.raises(AppError, match="history_json"):
        client.predict("算力", "{oops", "", api_name="/ask")


def test_retrieve(client: Client) -> None:
    hits = json.loads(client.predict("算力基础设施", 3, api_name="/retrieve"))
    assert len(hits) == 3 and hits[0]["score"] >= hits[-1]["score"]


def test_plan_returns_markdown_and_docx(client: Client) -> None:
    pytest.importorskip("advisor.planning.plan")
    profile = json.dumps(
        {"支柱产业": "新型显示、集成电路", "高校与科研院所": "中国科学技术大学"}, ensure_ascii=False
    )
    md, docx_file = client.predict("合肥", profile, "extractive", api_name="/plan")
    assert md.startswith("---\n") and "ai_generated: true" in md and DOCUMENT_LABEL in md
    assert "合肥" in md and "新型显示" in md
    path = Path(docx_file)
    assert path.suffix == ".docx" and path.is_file()
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "合肥" in text and DOCUMENT_LABEL in text


def test_plan_city_error_lists_candidates(client: Client) -> None:
    pytest.importorskip("advisor.planning.plan")
    with pytest.raises(AppError, match="多个匹配"):
        client.predict("朝阳", api_name="/plan")
    with pytest.raises(AppError, match="profile_json"):
        client.predict("合肥", "[1,", api_name="/plan")


def test_served_paths_are_restricted(server: str, api_advisor: Advisor) -> None:
    data = api_advisor.settings.data_dir.resolve()
    manifest = next((data / "index").glob("gen-*/manifest.json"))
    for path in (manifest, Path("/etc/passwd"), PROJECT_ROOT / "pyproject.toml", data / "exports"):
        r = httpx.get(f"{server}gradio_api/file={path}", timeout=10)
        assert r.status_code in (403, 404), (path, r.status_code)
    opts = launch_options(api_advisor)
    assert opts["allowed_paths"] == [str(data / "exports")]
    assert str(data / "index") in opts["blocked_paths"] and str(data / "uploads") in opts["blocked_paths"]


def test_ui_events_are_private_and_grouped(api_advisor: Advisor) -> None:
    demo = build_app(api_advisor)
    fns = list(demo.fns.values())
    public = {f.api_name for f in fns if f.api_visibility == "public"}
    assert {"ask", "plan", "retrieve"} <= public <= {"ask", "plan", "retrieve", "compare", "diagnose"}
    local = [f for f in fns if f.concurrency_id == LOCAL_GROUP]
    assert all(f.concurrency_limit == 1 for f in local)  # whatever holds the local model runs alone
    # plans run side by side too: the extractive draft needs no model, the refinement queues in the
    # worker and is skipped while others wait there
    assert [f.concurrency_id for f in fns if f.fn is not None and "run_plan" in repr(f.fn)] == ["plan"]
    # answers run side by side (the extractive answer comes at once; the worker queues the model's work)
    assert all(f.concurrency_id == "answer" for f in fns if f.api_name == "ask")
    wide = {f.concurrency_id: f.concurrency_limit for f in fns if f.concurrency_id in ("answer", "plan")}
    assert wide["answer"] > 1 and wide["plan"] > 1


def test_answers_run_side_by_side_with_the_local_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the local model as default, /ask requests still run side by side: each gets its verified
    extractive answer at once, and the model's improvements queue in the worker (not in Gradio)."""
    adv = Advisor(settings=Settings(data_dir=tmp_path / "data", llm_provider="extractive"))
    running = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow_ask(question: str, history: Any = None, provider: Any = None) -> Answer:
        with lock:
            running["now"] += 1
            running["max"] = max(running["max"], running["now"])
        time.sleep(1.0)
        with lock:
            running["now"] -= 1
        return Answer(question=question, text=f"答：{question}\n\n> {ANSWER_LABEL}", provider="local")

    monkeypatch.setattr(adv, "ask", slow_ask)
    monkeypatch.setattr(app_module, "_default_is_local", lambda _adv: True)
    demo, url = launch(adv)
    try:
        demo_fns = [f for f in demo.fns.values() if f.api_name == "ask"]
        assert demo_fns[0].concurrency_id == "answer" and demo_fns[0].concurrency_limit > 1
        client = Client(url, verbose=False)
        jobs = [client.submit(f"问题{i}", api_name="/ask") for i in range(3)]
        ranks: list[int] = []
        deadline = time.monotonic() + 60
        while not all(j.done() for j in jobs) and time.monotonic() < deadline:
            for j in jobs:
                st = j.status()
                if st.code == Status.IN_QUEUE and st.rank is not None:
                    ranks.append(st.rank)
            time.sleep(0.05)
        results = [j.result(timeout=30) for j in jobs]
    finally:
        demo.close()
    assert [r[0].split("\n")[0] for r in results] == ["答：问题0", "答：问题1", "答：问题2"]
    assert running["max"] == 3  # nobody waited behind another request for the extractive answer
    assert not ranks or max(ranks) == 0
