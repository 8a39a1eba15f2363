"""The store contract: the embedded Chroma and a real Chroma server (``chroma run``) behave the same.

Every test that takes the ``store`` fixture runs twice, once per backend. The server is a real
``chroma run`` process on a free 127.0.0.1 port, started once per session.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import numpy as np
import pytest

from advisor.index.store import Allowed, ChromaStore, StoreError, chroma_where
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.integration

DIM = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_binary() -> str:
    exe = Path(sys.executable).with_name("chroma")
    found = str(exe) if exe.exists() else shutil.which("chroma")
    if not found:
        pytest.skip("the `chroma` command is not installed")
    return found


def start_chroma(path: Path, log: Path, timeout_s: float = 60.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``chroma run`` on a free port and wait (bounded) until its heartbeat answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [chroma_binary(), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    stop_chroma(proc)
    raise RuntimeError(f"chroma run did not answer within {timeout_s:g}s: {log.read_text()[-2000:]}")


def stop_chroma(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(params=["embedded", "server"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Settings fields for one backend; each test gets its own collection."""
    collection = f"contract-{uuid.uuid4().hex[:12]}"
    if request.param == "server":
        return {"url": request.getfixturevalue("chroma_server"), "collection": collection}
    return {"path": str(tmp_path / "chroma"), "collection": collection}


@pytest.fixture
def store(backend: dict[str, str]) -> ChromaStore:
    if "url" in backend:
        return ChromaStore(url=backend["url"], collection=backend["collection"])
    return ChromaStore(path=Path(backend["path"]), collection=backend["collection"])


def rows(
    n: int, seed: int = 0, prefix: str = "c"
) -> tuple[list[str], np.ndarray, list[str], list[dict[str, str]]]:
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ids = [f"{prefix}{i:05d}" for i in range(n)]
    levels = ["national", "provincial", "city"]
    metas = [
        {"level": levels[i % 3], "region": "全国" if i % 3 == 0 else f"地区{i % 5}", "doc_id": f"d{i % 4}"}
        for i in range(n)
    ]
    return ids, vecs, [f"第{i}段文字" for i in range(n)], metas


# --- empty collection -----------------------------------------------------------------------------------


def test_empty_collection(store: ChromaStore) -> None:
    assert store.count() == 0
    assert store.ids() == set()
    assert store.get(["nope"]) == {}
    assert store.vectors(["nope"]) == {}
    assert store.query(np.ones(DIM, dtype=np.float32), 5) == []
    assert store.query(np.ones(DIM, dtype=np.float32), 5, where={"level": "national"}) == []
    store.delete(["nope"])  # deleting what is not there is fine
    store.delete([])
    assert store.count() == 0


# --- upsert, count, ids, get ----------------------------------------------------------------------------


def test_upsert_count_ids_get(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(12)
    store.upsert(ids, vecs, texts, metas)
    assert store.count() == 12
    assert store.ids() == set(ids)
    got = store.get([ids[3], "missing", ids[7]])
    assert set(got) == {ids[3], ids[7]}
    assert got[ids[3]] == (texts[3], metas[3])
    stored = store.vectors(ids[:2])
    assert np.allclose(stored[ids[0]], vecs[0], atol=1e-5)


def test_upsert_is_idempotent_and_replaces(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(6)
    store.upsert(ids, vecs, texts, metas)
    store.upsert(ids, vecs, texts, metas)
    assert store.count() == 6
    new_metas = [{**m, "level": "county"} for m in metas]
    store.upsert(ids[:2], vecs[:2], ["改写一", "改写二"], new_metas[:2])
    assert store.count() == 6
    got = store.get(ids[:3])
    assert got[ids[0]] == ("改写一", new_metas[0])
    assert got[ids[2]] == (texts[2], metas[2])


def test_upsert_rejects_mismatched_lengths(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(3)
    with pytest.raises(ValueError, match="differ in length"):
        store.upsert(ids, vecs[:2], texts, metas)


def test_delete(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(10)
    store.upsert(ids, vecs, texts, metas)
    store.delete([*ids[:4], "never-there"])
    assert store.count() == 6
    assert store.ids() == set(ids[4:])
    found = {cid for cid, _ in store.query(vecs[0], 10)}
    assert found == set(ids[4:])


# --- query ----------------------------------------------------------------------------------------------


def test_query_nearest_first_with_similarity(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(30)
    store.upsert(ids, vecs, texts, metas)
    hits = store.query(vecs[5], 5)
    assert len(hits) == 5
    assert hits[0][0] == ids[5]
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    sims = [s for _, s in hits]
    assert sims == sorted(sims, reverse=True)
    exact = vecs @ vecs[5]
    assert [cid for cid, _ in hits] == [ids[i] for i in np.argsort(-exact)[:5]]


def test_query_more_than_stored(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(4)
    store.upsert(ids, vecs, texts, metas)
    assert {cid for cid, _ in store.query(vecs[0], 50)} == set(ids)


def test_query_with_where_filters(store: ChromaStore) -> None:
    ids, vecs, texts, metas = rows(30)
    store.upsert(ids, vecs, texts, metas)
    by_id = dict(zip(ids, metas, strict=True))

    national = store.query(vecs[1], 30, where=chroma_where({"level": "national"}))
    assert national and all(by_id[c]["level"] == "national" for c, _ in national)
    assert len(national) == sum(m["level"] == "national" for m in metas)

    either = store.query(vecs[1], 30, where=chroma_where({"level": ["city", "provincial"]}))
    assert {by_id[c]["level"] for c, _ in either} == {"city", "provincial"}
    assert len(either) == 20

    both = store.query(vecs[1], 30, where=chroma_where({"level": "provincial", "doc_id": "d1"}))
    expected = {
        i for i, m in zip(ids, metas, strict=True) if m["level"] == "provincial" and m["doc_id"] == "d1"
    }
    assert {c for c, _ in both} == expected

    assert store.query(vecs[1], 30, where=chroma_where({"level": "no-such-level"})) == []


def _allowed(ids: list[str], metas: list[dict[str, str]], filters: dict[str, str]) -> Allowed:
    admitted = [i for i, m in zip(ids, metas, strict=True) if all(m.get(k) == v for k, v in filters.items())]
    members = set(admitted)
    return Allowed(
        count=len(admitted), total=len(ids), contains=members.__contains__, ids=lambda: list(admitted)
    )


@pytest.mark.parametrize("path", ["oversample", "exact", "where"])
def test_query_with_allowed_rows_matches_where(
    store: ChromaStore, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast paths for filtered queries (over-sample then keep admitted rows; exact scoring of few
    rows) give what Chroma's own ``where`` gives."""
    import advisor.index.store as store_module

    if path != "oversample":
        monkeypatch.setattr(store_module, "OVERSAMPLE_MAX", 0)
    if path == "where":
        monkeypatch.setattr(store_module, "EXACT_MAX", 0)
    ids, vecs, texts, metas = rows(300, seed=5)
    store.upsert(ids, vecs, texts, metas)
    for filters in ({"level": "national"}, {"level": "city", "doc_id": "d2"}, {"region": "地区4"}):
        allowed = _allowed(ids, metas, filters)
        for probe in (0, 17, 123):
            got = store.query(vecs[probe], 10, where=chroma_where(filters), allowed=allowed)
            ref = store.query(vecs[probe], 10, where=chroma_where(filters))
            assert [c for c, _ in got] == [c for c, _ in ref], (path, filters, probe)
            assert np.allclose([s for _, s in got], [s for _, s in ref], atol=1e-4)
    nothing = _allowed(ids, metas, {"level": "none"})
    assert store.query(vecs[0], 10, where={"level": "none"}, allowed=nothing) == []


def test_filtered_query_past_near_copies_of_excluded_rows_scores_in_memory(
    store: ChromaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the query's neighbourhood is all rows the filter excludes (near-copies of one text), the
    admitted rows are scored exactly from vectors held in memory, never with Chroma's slow ``where``;
    a write drops the vectors held, so a new row is found."""
    import advisor.index.store as store_module

    monkeypatch.setattr(store_module, "OVERSAMPLE_MAX", 200)
    monkeypatch.setattr(store_module, "EXACT_MAX", 0)
    rng = np.random.default_rng(3)
    centre = rng.normal(size=8)
    copies = centre + rng.normal(scale=0.05, size=(300, 8))  # excluded, all around the query
    others = rng.normal(size=(60, 8))
    vecs = np.vstack([copies, others]).astype(np.float32)
    ids = [f"c{i}" for i in range(300)] + [f"n{i}" for i in range(60)]
    metas = [{"doc_id": "copy", "level": "city"}] * 300 + [{"doc_id": "other", "level": "national"}] * 60
    store.upsert(ids, vecs, ["x"] * len(ids), metas)
    allowed = _allowed(ids, metas, {"level": "national"})
    wheres: list[object] = []
    query = store._query
    monkeypatch.setattr(store, "_query", lambda v, n, where: wheres.append(where) or query(v, n, where))
    got = store.query(
        centre.astype(np.float32), 10, where=chroma_where({"level": "national"}), allowed=allowed
    )
    assert wheres and all(w is None for w in wheres)
    ref = query(centre.astype(np.float32), 10, chroma_where({"level": "national"}))
    assert [c for c, _ in got] == [c for c, _ in ref]
    assert np.allclose([s for _, s in got], [s for _, s in ref], atol=1e-4)
    store.upsert(["n-near"], centre.reshape(1, -1).astype(np.float32), ["x"], [metas[-1]])
    ids.append("n-near")
    metas.append(metas[-1])
    again = store.query(
        centre.astype(np.float32),
        10,
        where=chroma_where({"level": "national"}),
        allowed=_allowed(ids, metas, {"level": "national"}),
    )
    assert again[0][0] == "n-near" and all(w is None for w in wheres)


def test_chroma_where_translation() -> None:
    assert chroma_where(None) is None
    assert chroma_where({"level": "", "region": []}) is None
    assert chroma_where({"level": "national"}) == {"level": "national"}
    assert chroma_where({"region": ("北京市", "全国")}) == {"region": {"$in": ["北京市", "全国"]}}
    assert chroma_where({"level": "city", "region": ["深圳市"]}) == {
        "$and": [{"level": "city"}, {"region": {"$in": ["深圳市"]}}]
    }


# --- large batches --------------------------------------------------------------------------------------


def test_large_batch_beyond_chroma_limit(store: ChromaStore) -> None:
    """6,000 rows: more than our batch size and Chroma's max batch (5,461), and more than one id page."""
    ids, vecs, texts, metas = rows(6000, seed=3)
    store.upsert(ids, vecs, texts, metas)
    assert store.count() == 6000
    assert store.ids() == set(ids)
    got = store.get(ids)
    assert len(got) == 6000 and got[ids[5999]][0] == texts[5999]
    assert len(store.vectors(ids)) == 6000
    assert store.query(vecs[4321], 1)[0][0] == ids[4321]
    store.delete(ids[:5500])
    assert store.ids() == set(ids[5500:])


# --- errors ---------------------------------------------------------------------------------------------


def test_unreachable_server_raises_store_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(StoreError) as err:
        ChromaStore(url=url)
    message = str(err.value)
    assert url in message and "chroma run" in message and "ADVISOR_CHROMA_URL" in message


def test_bad_url_raises_store_error() -> None:
    with pytest.raises(StoreError, match="ADVISOR_CHROMA_URL"):
        ChromaStore(url="127.0.0.1:8000")


def test_server_lost_mid_session_raises_store_error(tmp_path: Path) -> None:
    proc, url = start_chroma(tmp_path / "srv", tmp_path / "srv.log")
    try:
        store = ChromaStore(url=url, collection="lost-server")
        ids, vecs, texts, metas = rows(3)
        store.upsert(ids, vecs, texts, metas)
        assert store.count() == 3
    finally:
        stop_chroma(proc)
    for call in (store.count, store.ids, lambda: store.query(vecs[0], 2)):
        with pytest.raises(StoreError, match="无法连接向量库 Chroma 服务"):
            call()


# --- end to end through Advisor -------------------------------------------------------------------------

SMALL_DOCS = (
    "06-ai-generated-content-labeling-measures-2025.md",
    "02-generative-ai-interim-measures-2023.md",
)


def test_advisor_ingests_and_retrieves_through_server(chroma_server: str, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in SMALL_DOCS:
        shutil.copy(PROJECT_ROOT / "corpus" / "policies" / name, corpus / name)
    settings = Settings(
        data_dir=tmp_path / "data",
        corpus_dir=corpus,
        chroma_url=chroma_server,
        collection=f"e2e-{uuid.uuid4().hex[:8]}",
        llm_provider="extractive",
    )
    adv = Advisor(settings=settings)
    report = adv.ingest()
    assert not report.skipped and len(report.added) == 2
    assert report.chunks_embedded == report.chunks_total > 0
    assert not (settings.data_dir / "chroma").exists()  # vectors live on the server

    hits = adv.retrieve("生成合成内容的显式标识应当如何添加？", k=3)
    assert hits and hits[0].title == "人工智能生成合成内容标识办法"
    filtered = adv.retrieve("服务提供者的义务", k=5, filters={"doc_id": hits[0].doc_id})
    assert filtered and {h.doc_id for h in filtered} == {hits[0].doc_id}

    # A second process-like Advisor over the same server and data dir sees the same index, no work.
    again = Advisor(settings=settings)
    assert again.stats()["vectors"] == again.stats()["chunks"] == report.chunks_total
    assert again.ingest().chunks_embedded == 0
