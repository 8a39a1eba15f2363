"""The provider layer: resolution rules, the factory, generate_json, fault mapping, real local/HTTP models.

Fault tests run against tiny OpenAI-compatible HTTP servers on 127.0.0.1 (no model needed). The
``slow`` tests load the real GGUF in-process and behind ``python -m llama_cpp.server``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from advisor.generation import local_model
from advisor.generation import providers as llm
from advisor.generation.errors import LLMFailure, ProviderError
from advisor.generation.local_chat import ChatLocalWorker
from advisor.generation.providers import PROVIDERS, chat_model, model_label, resolve_provider
from advisor.generation.structured import Generation, generate_json, parse_json_object
from advisor.settings import Settings

SCHEMA: dict[str, Any] = {
    "title": "CityFact",
    "type": "object",
    "properties": {"city": {"type": "string"}, "province": {"type": "string"}},
    "required": ["city", "province"],
}
MESSAGES = [
    ("system", "你是中国行政区划助手。只输出 JSON，字段 city 和 province。"),
    ("user", "合肥市属于哪个省？"),
]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ADVISOR_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "env-data"))


def _settings(tmp_path: Path, **kw: Any) -> Settings:
    return Settings(data_dir=tmp_path / "data", **kw)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------ resolve_provider


def test_explicit_provider_beats_settings_beats_auto(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm, "local_available", lambda settings: True)
    s = _settings(tmp_path, llm_provider="extractive", llm_base_url="http://127.0.0.1:9/v1")
    assert resolve_provider(s) == "extractive"
    assert resolve_provider(s, "openai") == "openai"
    assert resolve_provider(s, " OpenAI ") == "openai"
    assert resolve_provider(_settings(tmp_path)) == "local"
    monkeypatch.setattr(llm, "local_available", lambda settings: False)
    assert resolve_provider(_settings(tmp_path)) == "extractive"
    assert resolve_provider(_settings(tmp_path), "") == "extractive"


def test_auto_needs_both_llama_cpp_and_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llm, "llama_cpp_installed", lambda: False)
    assert resolve_provider(_settings(tmp_path)) == "extractive"
    monkeypatch.setattr(llm, "llama_cpp_installed", lambda: True)
    monkeypatch.setattr(local_model, "PART_MODULES", ("no_such_model_part_1",))
    assert resolve_provider(_settings(tmp_path)) == "extractive"
    gguf = tmp_path / "m.gguf"
    gguf.write_bytes(b"GGUF")
    assert resolve_provider(_settings(tmp_path, llm_model=str(gguf))) == "local"


def test_unknown_provider_lists_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(ProviderError) as err:
        resolve_provider(_settings(tmp_path), "gpt")
    message = str(err.value)
    assert "未知的大模型提供方" in message and "'gpt'" in message
    for name in PROVIDERS:
        assert name in message
    assert "ADVISOR_LLM_PROVIDER" in message
    assert isinstance(err.value, ValueError)
    with pytest.raises(ProviderError):
        resolve_provider(_settings(tmp_path, llm_provider="chatgpt"))


def test_openai_without_base_url_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="ADVISOR_LLM_BASE_URL") as err:
        resolve_provider(_settings(tmp_path), "openai")
    assert "http://127.0.0.1:8000/v1" in str(err.value)
    with pytest.raises(ProviderError, match="不是有效的 http"):
        resolve_provider(_settings(tmp_path, llm_base_url="localhost:8000"), "openai")


def test_local_without_runtime_or_model_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(llm, "llama_cpp_installed", lambda: False)
    with pytest.raises(ProviderError, match="llama-cpp-python") as err:
        resolve_provider(_settings(tmp_path), "local")
    assert "make setup" in str(err.value)
    monkeypatch.setattr(llm, "llama_cpp_installed", lambda: True)
    monkeypatch.setattr(local_model, "PART_MODULES", ("no_such_model_part_1",))
    with pytest.raises(ProviderError, match="本地模型未安装") as err:
        resolve_provider(_settings(tmp_path, llm_provider="local"))
    assert "ADVISOR_LLM_PROVIDER=extractive / openai" in str(err.value)
    with pytest.raises(ProviderError, match="ADVISOR_LLM_MODEL"):
        resolve_provider(_settings(tmp_path, llm_model=str(tmp_path / "missing.gguf")), "local")


# ------------------------------------------------------------------ factory and labels


def test_extractive_has_no_chat_model(tmp_path: Path) -> None:
    with pytest.raises(ProviderError, match="extractive"):
        chat_model(_settings(tmp_path), "extractive")


def test_openai_model_is_configured_and_cached(tmp_path: Path) -> None:
    from langchain_openai import ChatOpenAI

    s = _settings(
        tmp_path,
        llm_base_url="http://127.0.0.1:18000/v1",
        llm_model="qwen-test",
        llm_api_key="sk-secret-123",
        llm_timeout_s=7,
    )
    model = chat_model(s, "openai")
    assert isinstance(model, ChatOpenAI)
    assert model.openai_api_base == "http://127.0.0.1:18000/v1"
    assert model.model_name == "qwen-test"
    assert model.request_timeout == 7
    assert model.max_retries == 0
    assert chat_model(s, "openai") is model
    other = chat_model(_settings(tmp_path, llm_base_url="http://127.0.0.1:18001/v1"), "openai")
    assert other is not model
    label = model_label(s, "openai")
    assert label == "qwen-test @ 127.0.0.1:18000"
    assert "sk-secret" not in label


def test_labels(tmp_path: Path) -> None:
    assert model_label(_settings(tmp_path), "local") == "Qwen2.5-Coder-1.5B-Instruct Q4_K_M (llama.cpp)"
    assert model_label(_settings(tmp_path, llm_base_url="https://user:pw@api.example.com/v1"), "openai") == (
        "default @ api.example.com"
    )
    assert model_label(_settings(tmp_path), "extractive").startswith("抽取式")


def test_local_chat_model_is_lazy(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    gguf = tmp_path / "fake.gguf"
    gguf.write_bytes(b"GGUF not really")
    s = _settings(tmp_path, llm_model=str(gguf))
    model = chat_model(s, "local")
    assert isinstance(model, ChatLocalWorker)
    assert model.worker.status()["state"] == "stopped" and model.worker.pid is None
    assert chat_model(s, "local") is model
    assert model_label(s, "local") == "fake.gguf (llama.cpp)"


def test_local_chat_model_does_not_assemble_until_used(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    if not local_model.parts_installed():
        pytest.skip("model parts not installed")
    s = _settings(tmp_path)
    model = chat_model(s, "local")
    assert isinstance(model, ChatLocalWorker)
    assert model.worker.status()["state"] == "stopped"
    assert not s.model_dir.exists()


def test_import_is_light() -> None:
    code = "import sys, advisor.generation.providers; assert 'llama_cpp' not in sys.modules; assert 'openai' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# ------------------------------------------------------------------ generate_json with fakes


def test_parse_json_object() -> None:
    assert parse_json_object('{"a": 1}') == {"a": 1}
    assert parse_json_object('好的：\n```json\n{"a": {"b": [1, 2]}}\n```\n以上。') == {"a": {"b": [1, 2]}}
    assert parse_json_object("[1, 2]") is None
    assert parse_json_object("没有 JSON") is None
    assert parse_json_object('{"a": 1') is None


def test_generate_json_with_a_fake_model_streams_and_parses() -> None:
    fake = GenericFakeChatModel(
        messages=iter([AIMessage(content='{"city": "合肥市", "province": "安徽省"}')])
    )
    deltas: list[str] = []
    gen = generate_json(fake, MESSAGES, SCHEMA, on_delta=deltas.append)
    assert isinstance(gen, Generation)
    assert gen.data == {"city": "合肥市", "province": "安徽省"}
    assert len(deltas) > 1 and "".join(deltas) == gen.text
    assert gen.ttft_s is not None and gen.seconds >= gen.ttft_s
    assert gen.format_mode == "none"


def test_generate_json_garbage_from_a_fake_model() -> None:
    fake = GenericFakeChatModel(messages=iter([AIMessage(content="抱歉，我不能回答。")]))
    with pytest.raises(LLMFailure) as err:
        generate_json(fake, [HumanMessage(content="hi")], SCHEMA)
    assert err.value.kind == "garbage"
    assert "JSON" in err.value.notice and "抽取式" in err.value.notice
    assert err.value.text == "抱歉，我不能回答。"


def test_on_delta_errors_pass_through_unchanged() -> None:
    class Cancelled(Exception):
        pass

    def cancel(_: str) -> None:
        raise Cancelled

    fake = GenericFakeChatModel(messages=iter([AIMessage(content='{"a": 1}')]))
    with pytest.raises(Cancelled):
        generate_json(fake, MESSAGES, SCHEMA, on_delta=cancel)


def test_unexpected_model_errors_become_llm_failure() -> None:
    class Broken(GenericFakeChatModel):
        def _stream(self, *a: Any, **k: Any) -> Iterator[Any]:
            raise KeyError("boom")

    with pytest.raises(LLMFailure) as err:
        generate_json(Broken(messages=iter([])), MESSAGES, SCHEMA)
    assert err.value.kind == "other"
    assert "KeyError" in err.value.notice


# ------------------------------------------------------------------ a scriptable OpenAI-compatible server


class FakeOpenAI:
    """A tiny OpenAI-compatible /v1/chat/completions server with a chosen behaviour."""

    def __init__(
        self, mode: str, content: str = '{"city": "合肥市", "province": "安徽省"}', finish: str = "stop"
    ) -> None:
        self.mode = mode
        self.content = content
        self.finish = finish
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
                outer.requests.append(body)
                outer.handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @staticmethod
    def _json(h: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        h.send_response(status)
        h.send_header("content-type", "application/json")
        h.send_header("content-length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    def handle(self, h: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        if self.mode == "500":
            self._json(h, 500, {"error": {"message": "internal failure", "type": "server_error"}})
            return
        if self.mode == "sleep":
            time.sleep(5)
        fmt = body.get("response_format") or {}
        if self.mode == "no-json-schema" and fmt.get("type") == "json_schema":
            self._json(h, 422, {"error": {"message": "response_format.type must be json_object"}})
            return
        base = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "fake-model"}
        h.send_response(200)
        h.send_header("content-type", "text/event-stream")
        h.end_headers()
        pieces = [self.content[i : i + 4] for i in range(0, len(self.content), 4)]
        for i, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if i == 0 else {"content": piece}
            chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            h.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
        end = {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": self.finish}]}
        h.wfile.write(f"data: {json.dumps(end)}\n\n".encode())
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {
                **base,
                "choices": [],
                "usage": {"prompt_tokens": 21, "completion_tokens": 9, "total_tokens": 30},
            }
            h.wfile.write(f"data: {json.dumps(usage)}\n\n".encode())
        h.wfile.write(b"data: [DONE]\n\n")
        h.wfile.flush()


@pytest.fixture
def fake_server() -> Iterator[Any]:
    servers: list[FakeOpenAI] = []

    def start(mode: str, **kw: Any) -> FakeOpenAI:
        server = FakeOpenAI(mode, **kw)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def _openai(tmp_path: Path, url: str, timeout: float = 10.0) -> Any:
    return chat_model(_settings(tmp_path, llm_base_url=url, llm_timeout_s=timeout), "openai")


def test_openai_happy_path_sends_schema_and_max_tokens(tmp_path: Path, fake_server: Any) -> None:
    server = fake_server("ok")
    deltas: list[str] = []
    gen = generate_json(
        _openai(tmp_path, server.url), MESSAGES, SCHEMA, on_delta=deltas.append, max_tokens=77
    )
    assert gen.data == {"city": "合肥市", "province": "安徽省"}
    assert "".join(deltas) == gen.text and len(deltas) > 1
    assert (gen.prompt_tokens, gen.completion_tokens, gen.tokens_estimated) == (21, 9, False)
    assert gen.model == "fake-model"
    assert gen.format_mode == "json_schema"
    body = server.requests[0]
    assert body["max_tokens"] == 77 and "max_completion_tokens" not in body
    assert body["stream"] is True
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "CityFact", "schema": SCHEMA, "strict": False},
    }
    assert body["messages"][0] == {"role": "system", "content": MESSAGES[0][1]}


def test_openai_falls_back_to_json_object_when_json_schema_is_refused(
    tmp_path: Path, fake_server: Any
) -> None:
    server = fake_server("no-json-schema")
    model = _openai(tmp_path, server.url)
    gen = generate_json(model, MESSAGES, SCHEMA)
    assert gen.format_mode == "json_object"
    assert [r["response_format"]["type"] for r in server.requests] == ["json_schema", "json_object"]
    assert server.requests[1]["response_format"]["schema"] == SCHEMA
    generate_json(model, MESSAGES, SCHEMA)  # remembered: no second refusal
    assert [r["response_format"]["type"] for r in server.requests][2:] == ["json_object"]


def test_closed_port_is_a_connection_failure(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/v1"
    start = time.perf_counter()
    with pytest.raises(LLMFailure) as err:
        generate_json(_openai(tmp_path, url), MESSAGES, SCHEMA)
    assert err.value.kind == "connection"
    assert "无法连接" in err.value.notice and "抽取式" in err.value.notice
    assert time.perf_counter() - start < 10


def test_http_500_is_an_http_failure(tmp_path: Path, fake_server: Any) -> None:
    server = fake_server("500")
    with pytest.raises(LLMFailure) as err:
        generate_json(_openai(tmp_path, server.url), MESSAGES, SCHEMA)
    assert err.value.kind == "http"
    assert "HTTP 500" in err.value.notice
    assert len(server.requests) == 1  # a plain server error is not retried


def test_slow_server_is_a_timeout(tmp_path: Path, fake_server: Any) -> None:
    server = fake_server("sleep")
    start = time.perf_counter()
    with pytest.raises(LLMFailure) as err:
        generate_json(_openai(tmp_path, server.url, timeout=1.0), MESSAGES, SCHEMA)
    assert err.value.kind == "timeout"
    assert err.value.notice == "大模型服务超时（1s），已改用抽取式回答"
    assert time.perf_counter() - start < 4.5


def test_non_json_content_is_garbage(tmp_path: Path, fake_server: Any) -> None:
    server = fake_server("ok", content="合肥市属于安徽省。")
    with pytest.raises(LLMFailure) as err:
        generate_json(_openai(tmp_path, server.url), MESSAGES, SCHEMA)
    assert err.value.kind == "garbage"
    assert err.value.text == "合肥市属于安徽省。"


def test_truncated_output_says_so(tmp_path: Path, fake_server: Any) -> None:
    server = fake_server("ok", content='{"city": "合肥', finish="length")
    with pytest.raises(LLMFailure) as err:
        generate_json(_openai(tmp_path, server.url), MESSAGES, SCHEMA, max_tokens=5)
    assert err.value.kind == "garbage"
    assert "长度上限（5 tokens）被截断" in err.value.notice


def test_json_wrapped_in_prose_is_extracted(tmp_path: Path, fake_server: Any) -> None:
    server = fake_server("ok", content='好的：{"city": "成都市", "province": "四川省"} 完毕')
    gen = generate_json(_openai(tmp_path, server.url), MESSAGES, SCHEMA)
    assert gen.data == {"city": "成都市", "province": "四川省"}


# ------------------------------------------------------------------ the real model (slow)


@pytest.fixture
def local_chat(gguf: Path, tmp_path: Path) -> ChatLocalWorker:
    model = chat_model(_settings(tmp_path, llm_model=str(gguf), llm_timeout_s=300), "local")
    assert isinstance(model, ChatLocalWorker)
    return model


@pytest.mark.slow
def test_local_generate_json(local_chat: ChatLocalWorker) -> None:
    deltas: list[str] = []
    gen = generate_json(local_chat, MESSAGES, SCHEMA, on_delta=deltas.append, max_tokens=64)
    assert gen.data is not None and set(gen.data) >= {"city", "province"}
    assert "安徽" in gen.data["province"]
    assert len(deltas) > 3 and "".join(deltas) == gen.text
    assert gen.prompt_tokens > 10 and gen.completion_tokens >= len(deltas) - 1
    assert not gen.tokens_estimated
    assert gen.ttft_s is not None and 0 < gen.ttft_s <= gen.seconds
    assert gen.model == local_model.MODEL_FILENAME
    assert gen.format_mode == "json_object"
    assert gen.finish_reason == "stop"
    info = local_chat.worker.info
    assert info["pid"] != os.getpid() and info["load_s"] > 0  # the model ran in the worker process
    assert "AVX2 = 1" in info["system_info"]


@pytest.mark.slow
def test_local_truncation_is_reported(local_chat: ChatLocalWorker) -> None:
    with pytest.raises(LLMFailure) as err:
        generate_json(local_chat, MESSAGES, SCHEMA, max_tokens=3)
    assert err.value.kind == "garbage" and "截断" in err.value.notice


@pytest.mark.slow
def test_local_invoke_reports_usage(local_chat: ChatLocalWorker) -> None:
    msg = local_chat.invoke(
        [SystemMessage(content="只用一个词回答。"), HumanMessage(content="中国的首都？")], max_tokens=8
    )
    assert isinstance(msg, AIMessage) and msg.content
    assert msg.usage_metadata is not None
    assert msg.usage_metadata["input_tokens"] > 5 and 0 < msg.usage_metadata["output_tokens"] <= 8
    assert msg.response_metadata["finish_reason"] in ("stop", "length")


@pytest.mark.slow
def test_local_generations_are_serialised(local_chat: ChatLocalWorker) -> None:
    results: list[Generation | BaseException] = []

    def run() -> None:
        try:
            results.append(generate_json(local_chat, MESSAGES, SCHEMA, max_tokens=40))
        except BaseException as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert len(results) == 2
    assert all(isinstance(r, Generation) and r.data for r in results), results


@pytest.mark.slow
@pytest.mark.integration
def test_openai_provider_against_llama_cpp_server(llama_server: str, tmp_path: Path) -> None:
    model = _openai(tmp_path, llama_server, timeout=300)
    deltas: list[str] = []
    gen = generate_json(model, MESSAGES, SCHEMA, on_delta=deltas.append, max_tokens=64)
    assert gen.data is not None and "安徽" in gen.data.get("province", "")
    assert len(deltas) > 3 and "".join(deltas) == gen.text
    # llama-cpp-python's server refuses json_schema and accepts json_object + schema
    assert gen.format_mode == "json_object"
    assert gen.completion_tokens > 0
    again = generate_json(model, [("user", "成都市属于哪个省？只输出 JSON。")], SCHEMA, max_tokens=64)
    assert again.data is not None and again.format_mode == "json_object"
