"""Keyword index and dense store stay in agreement: orphans from killed ingests, vectors deleted by another
client of a shared server, and a real ``advisor ingest`` killed with SIGKILL while embedding."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from advisor.index.embeddings import Embedder
from advisor.index.reconcile import diff, index_lock, reconcile
from advisor.index.snapshot import ChunkRecord, Manifest, Snapshot
from advisor.index.store import ChromaStore
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.types import DocumentMeta

pytestmark = pytest.mark.integration


@pytest.fixture(params=["embedded", "server"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    url = request.getfixturevalue("chroma_server") if request.param == "server" else ""
    return Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        chroma_url=url,
        collection=f"rec-{uuid.uuid4().hex[:10]}",
        llm_provider="extractive",
    )


def open_store(settings: Settings) -> ChromaStore:
    return ChromaStore(
        path=settings.data_dir / "chroma", url=settings.chroma_url, collection=settings.collection
    )


def agree(settings: Settings, store: ChromaStore, snapshot: Snapshot) -> None:
    """Dense ids == generation chunk ids == keyword ids, in memory and on disk."""
    ids = store.ids()
    assert ids == set(snapshot.chunks)
    assert set(snapshot.keyword.ids) == ids
    on_disk = Snapshot.load(settings.index_dir)
    assert set(on_disk.chunks) == ids and set(on_disk.keyword.ids) == ids


# --- with a hand-made generation (fast, no embedder) ----------------------------------------------------


def seed_index(settings: Settings) -> tuple[ChromaStore, Snapshot]:
    docs = {
        d: DocumentMeta(doc_id=d, title=f"文档{d}", level="national", region="全国", path=f"{d}.md")
        for d in ("docA", "docB")
    }
    words = {"docA": "算力 调度", "docB": "数据 要素"}
    chunks = [
        ChunkRecord(
            chunk_id=f"{d}-{i}", doc_id=d, text=f"{d} 第{i}段", start=i * 10, end=i * 10 + 5, tokens=words[d]
        )
        for d in docs
        for i in range(4)
    ]
    snapshot = Snapshot(Manifest(embedder="fake", docs=docs), chunks)
    snapshot.save(settings.index_dir)
    store = open_store(settings)
    vecs = np.random.default_rng(0).normal(size=(len(chunks), 8)).astype(np.float32)
    store.upsert(
        [c.chunk_id for c in chunks],
        vecs,
        [c.text for c in chunks],
        [c.filter_meta(docs[c.doc_id]) for c in chunks],
    )
    return store, snapshot


def test_in_agreement_is_a_no_op(settings: Settings) -> None:
    store, snapshot = seed_index(settings)
    assert reconcile(settings, store, snapshot) is snapshot
    agree(settings, store, snapshot)


def test_orphan_vectors_are_deleted(settings: Settings) -> None:
    store, snapshot = seed_index(settings)
    store.upsert(
        ["orphan-1", "orphan-2"],
        np.ones((2, 8), dtype=np.float32),
        ["中断的入库留下的", "另一个"],
        [{"doc_id": "gone"}, {"doc_id": "gone"}],
    )
    assert diff(store, snapshot) == ({"orphan-1", "orphan-2"}, set())
    assert reconcile(settings, store, snapshot) is snapshot
    agree(settings, store, snapshot)


def test_chunks_deleted_by_another_client_drop_their_document(settings: Settings) -> None:
    store, snapshot = seed_index(settings)
    other_client = open_store(settings)  # e.g. another process sharing the server
    other_client.delete(["docA-2"])
    assert diff(store, snapshot) == (set(), {"docA-2"})

    fixed = reconcile(settings, store, snapshot)
    assert set(fixed.docs) == {"docB"}
    assert set(fixed.chunks) == {f"docB-{i}" for i in range(4)}
    agree(settings, store, fixed)
    assert fixed.keyword.search("算力调度", 5) == []  # docA's words are gone from the keyword side too
    assert fixed.keyword.search("数据要素", 5)


def test_index_lock_is_reentrant(settings: Settings) -> None:
    with index_lock(settings), index_lock(settings):
        store, snapshot = seed_index(settings)
        reconcile(settings, store, snapshot)  # takes the lock again inside
    with index_lock(settings):  # released properly
        pass


class SeededEmbedder(Embedder):
    """The embedder ``seed_index`` names in its manifest (an ingest with another would rebuild). The
    tests that use it embed no chunk; an ingest does embed the seeded chunks' sentences (the seeded index
    has no sentence vectors), which get fixed vectors."""

    name = "fake"

    def _embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(texts), 8), dtype=np.float32)

    def _embed_query(self, text: str) -> np.ndarray:
        raise AssertionError("keyword search only")


FIRST_USE: dict[str, Callable[[Advisor], Any]] = {
    "store": lambda adv: adv.store,
    "ingest": lambda adv: adv.ingest(paths=[]),
    "delete_document": lambda adv: adv.delete_document("no-such-document"),
    "retrieve": lambda adv: {h.doc_id for h in adv.retrieve("算力调度 数据要素", k=8, mode="keyword")},
    "stats": lambda adv: adv.stats(),
}


@pytest.mark.parametrize(
    "first_use",
    [
        "store",
        "ingest",
        "delete_document",
        "retrieve",
        "stats",
    ],
)
def test_advisor_reconciles_on_first_use_with_a_server(
    first_use: str, chroma_server: str, tmp_path: Path
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=tmp_path / "corpus",
        chroma_url=chroma_server,
        collection=f"rec-{uuid.uuid4().hex[:10]}",
        llm_provider="extractive",
    )
    store, _ = seed_index(settings)
    store.delete(["docA-1"])  # another client deleted a vector
    store.upsert(["orphan"], np.ones((1, 8), dtype=np.float32), ["孤立"], [{"doc_id": "gone"}])
    adv = Advisor(settings=settings, embedder=SeededEmbedder())
    result = FIRST_USE[first_use](adv)  # the first call of this process reconciles, and sees the result
    if first_use == "retrieve":
        assert result == {"docB"}
    if first_use == "stats":
        assert (result["documents"], result["chunks"], result["vectors"]) == (1, 4, 4)
    assert set(adv.snapshot.docs) == {"docB"}
    assert set(Snapshot.load(settings.index_dir).docs) == {"docB"}
    agree(settings, adv.store, adv.snapshot)  # the orphan is gone too


# --- with real documents, the real embedder and a real `advisor ingest` process --------------------------


def write_docs(folder: Path, names: range, chars: int = 2400) -> None:
    """Small documents cut from the shipped policies (distinct texts, real Chinese)."""
    sources = sorted((PROJECT_ROOT / "corpus" / "policies").glob("[0-9]*.md"))
    folder.mkdir(parents=True, exist_ok=True)
    for i in names:
        text = sources[i % len(sources)].read_text(encoding="utf-8").split("---", 2)[-1]
        start = (i // len(sources)) * chars
        body = text[start : start + chars]
        folder.joinpath(f"doc-{i:02d}.md").write_text(f"# 测试文档{i}\n\n{body}\n", encoding="utf-8")


def ingest_process(settings: Settings, stderr_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(
        ADVISOR_DATA_DIR=str(settings.data_dir),
        ADVISOR_CORPUS_DIR=str(settings.corpus_dir),
        ADVISOR_CHROMA_URL=settings.chroma_url,
        ADVISOR_COLLECTION=settings.collection,
        ADVISOR_LLM_PROVIDER="extractive",
    )
    with stderr_path.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "ingest", "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
        )


@pytest.mark.slow
def test_sigkill_during_ingest_then_agree_and_finish(settings: Settings, tmp_path: Path) -> None:
    # A first, complete ingest: the generation a killed run must leave intact.
    write_docs(settings.corpus_dir, range(2))
    first = Advisor(settings=settings).ingest()
    assert first.chunks_total > 0 and not first.skipped

    # More documents; kill -9 the ingest once embedding is under way (progress bar on stderr).
    write_docs(settings.corpus_dir, range(2, 12))
    stderr_path = tmp_path / "ingest.err"
    proc = ingest_process(settings, stderr_path)
    deadline = time.monotonic() + 600
    started = False
    while time.monotonic() < deadline and proc.poll() is None:
        if re.search(r"嵌入:\s*\d+%", stderr_path.read_text(encoding="utf-8", errors="replace")):
            started = True
            break
        time.sleep(0.05)
    assert started, f"embedding never started: {stderr_path.read_text(errors='replace')[-1000:]}"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL

    # Restart: the previous generation is intact, and after reconciling both sides agree.
    adv = Advisor(settings=settings)
    assert set(adv.snapshot.docs) == set(Snapshot.load(settings.index_dir).docs)
    assert len(adv.snapshot.chunks) == first.chunks_total
    snapshot = reconcile(settings, adv.store, adv.snapshot)
    agree(settings, adv.store, snapshot)
    assert adv.retrieve("人工智能", k=3)

    # The next ingest (a fresh process, as a user would run it) completes and converges.
    done = ingest_process(settings, tmp_path / "ingest2.err")
    out, _ = done.communicate(timeout=900)
    assert done.returncode == 0, (tmp_path / "ingest2.err").read_text(errors="replace")[-2000:]
    report = json.loads(out)
    assert report["skipped"] == [] and len(report["added"]) == 10
    final = Advisor(settings=settings)
    agree(settings, final.store, final.snapshot)
    assert len(final.snapshot.docs) == 12
    assert final.ingest().chunks_embedded == 0  # and it stays converged


@pytest.mark.slow
def test_documents_dropped_by_reconcile_are_restored_by_ingest(settings: Settings) -> None:
    write_docs(settings.corpus_dir, range(3))
    adv = Advisor(settings=settings)
    total = adv.ingest().chunks_total
    victim = sorted(adv.snapshot.chunks.values(), key=lambda c: c.chunk_id)[0]
    open_store(settings).delete([victim.chunk_id])  # another client deletes one vector

    adv = Advisor(settings=settings)
    snapshot = reconcile(settings, adv.store, adv.snapshot)
    assert victim.doc_id not in snapshot.docs
    agree(settings, adv.store, snapshot)

    adv = Advisor(settings=settings)
    report = adv.ingest()
    assert report.chunks_total == total and len(report.added) == 1
    agree(settings, adv.store, adv.snapshot)
