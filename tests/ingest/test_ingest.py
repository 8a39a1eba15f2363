"""Ingest with real Chroma and the real embedder on small documents: idempotence, updates, removals,
bad files, duplicates, and a crash between the vector upsert and the generation swap."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.index.snapshot import Snapshot, current_generation
from advisor.ingest.splitter import SPLITTER_VERSION
from advisor.retrieval.hybrid import Mode
from advisor.service import Advisor
from advisor.settings import Settings

DOC_A = """---
title: 某市人工智能产业促进办法
issuer: 某市人民政府
date: 2024-05-01
level: city
region: 某市
kind: 办法
---
# 某市人工智能产业促进办法

## 第一章 总则

第一条 为促进本市人工智能产业发展，制定本办法。

第二条 市人民政府设立人工智能产业基金，重点支持智算中心建设和应用场景开放。

## 第二章 支持措施

第三条 对新建智算中心，按照有关规定给予用地和用能保障。
"""

MODES: tuple[Mode, ...] = ("hybrid", "dense", "keyword")

DOC_B = "关于数据要素的说明\n\n数据要素市场化配置改革要稳步推进，探索数据资产入表。\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.md").write_text(DOC_A, encoding="utf-8")
    (root / "b.txt").write_text(DOC_B, encoding="gbk")
    (root / "README.md").write_text("# not a document", encoding="utf-8")
    return root


def _advisor(tmp_path: Path, corpus: Path) -> Advisor:
    return Advisor(settings=Settings(data_dir=tmp_path / "data", corpus_dir=corpus))


def _consistent(adv: Advisor) -> None:
    snap = Snapshot.load(adv.settings.index_dir)
    assert set(snap.chunks) == adv.store.ids()
    assert set(snap.keyword.ids) == set(snap.chunks)


def test_ingest_is_idempotent(tmp_path: Path, corpus: Path) -> None:
    adv = _advisor(tmp_path, corpus)
    first = adv.ingest()
    assert sorted(first.added) == ["a.md", "b.txt"] and first.chunks_embedded == first.chunks_total > 0
    again = _advisor(tmp_path, corpus).ingest()
    assert again.chunks_embedded == 0 and sorted(again.unchanged) == ["a.md", "b.txt"]
    assert not again.added and not again.updated
    _consistent(adv)
    hits = adv.retrieve("产业基金支持什么", k=2)
    assert hits[0].title == "某市人工智能产业促进办法" and "第二条" in hits[0].section


@pytest.mark.parametrize("explicit", [False, True], ids=["full-sync", "explicit-paths"])
def test_an_index_chunked_by_an_older_splitter_is_split_again(
    tmp_path: Path, corpus: Path, explicit: bool
) -> None:
    """Chunk boundaries and sections are part of the index: after an upgrade that changes them, the next
    ingest (even of other files) splits every stored text again and loses none."""
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    gen = adv.settings.index_dir / current_generation(adv.settings.index_dir)
    manifest = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    (gen / "manifest.json").write_text(json.dumps({**manifest, "splitter": SPLITTER_VERSION - 1}), "utf-8")
    rows = [json.loads(line) for line in (gen / "chunks.jsonl").read_text(encoding="utf-8").splitlines()]
    stale = "\n".join(json.dumps({**r, "section": "旧切分"}, ensure_ascii=False) for r in rows)
    (gen / "chunks.jsonl").write_text(stale + "\n", encoding="utf-8")

    again = _advisor(tmp_path, corpus)
    report = again.ingest(paths=[]) if explicit else again.ingest()
    snap = Snapshot.load(adv.settings.index_dir)
    assert sorted(report.unchanged) == ["a.md", "b.txt"] and not report.removed
    assert snap.manifest.splitter == SPLITTER_VERSION
    assert {m.path for m in snap.docs.values()} == {"a.md", "b.txt"}
    assert "旧切分" not in {c.section for c in snap.chunks.values()}
    assert any(c.section.endswith("第二条") for c in snap.chunks.values())
    _consistent(again)


def test_changed_document_replaces_its_chunks(tmp_path: Path, corpus: Path) -> None:
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    (corpus / "a.md").write_text(DOC_A.replace("用地和用能保障", "算力券补贴"), encoding="utf-8")
    report = adv.ingest()
    assert report.updated == ["a.md"] and report.unchanged == ["b.txt"]
    assert 0 < report.chunks_embedded < report.chunks_total
    texts = " ".join(c.text for c in adv.snapshot.chunks.values())
    assert "算力券补贴" in texts and "用地和用能保障" not in texts
    assert len(adv.snapshot.docs) == 2
    _consistent(adv)


def test_removed_document_is_deleted(tmp_path: Path, corpus: Path) -> None:
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    b_id = next(d for d, m in adv.snapshot.docs.items() if m.path == "b.txt")
    b_chunks = {c.chunk_id for c in adv.snapshot.chunks_of(b_id)}
    assert b_chunks and b_chunks <= adv.store.ids()
    for mode in MODES:  # found before the removal, by each kind of search
        assert adv.retrieve("数据资产入表", k=1, mode=mode)[0].doc_id == b_id
    (corpus / "b.txt").unlink()
    report = adv.ingest()
    assert report.removed == ["b.txt"]
    assert [d.path for d in adv.snapshot.docs.values()] == ["a.md"]
    assert not b_chunks & adv.store.ids()  # its vectors are deleted, not just unreferenced
    for mode in MODES:
        assert all(h.doc_id != b_id for h in adv.retrieve("数据资产入表", k=5, mode=mode))
    reopened = _advisor(tmp_path, corpus)  # nor does a new Advisor over the same index
    assert all(h.doc_id != b_id for h in reopened.retrieve("数据资产入表", k=5))
    _consistent(adv)


def test_bad_files_are_skipped_and_the_rest_ingests(tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.md").write_bytes(b"")
    (corpus / "fake.pdf").write_bytes(b"not a pdf")
    (corpus / "bin.md").write_bytes(b"\x00\xff" * 50)
    (corpus / "notzip.docx").write_bytes(b"plain")
    (corpus / "copy.md").write_text(DOC_A, encoding="utf-8")
    report = _advisor(tmp_path, corpus).ingest()
    reasons = {s.path: s.reason for s in report.skipped}
    bad = {"empty.md", "fake.pdf", "bin.md", "notzip.docx"}
    duplicate = set(reasons) - bad
    assert set(reasons) >= bad and len(duplicate) == 1  # a.md and copy.md: one kept, one deduplicated
    assert "去重" in reasons[duplicate.pop()]
    assert sorted(report.added) in (["a.md", "b.txt"], ["b.txt", "copy.md"])
    assert report.chunks_total > 0


def test_explicit_paths_do_not_remove_other_documents(tmp_path: Path, corpus: Path) -> None:
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    extra = tmp_path / "upload.md"
    extra.write_text("# 上传文件\n\n园区应建设公共算力服务平台。", encoding="utf-8")
    report = adv.ingest([extra])
    assert report.added == [str(extra.resolve())] and not report.removed
    assert len(adv.snapshot.docs) == 3
    assert adv.ingest().removed == []  # a later corpus sync keeps uploads
    assert adv.delete_document(next(d for d, m in adv.snapshot.docs.items() if m.title == "上传文件"))
    assert len(adv.snapshot.docs) == 2
    _consistent(adv)


def test_crash_before_generation_swap_keeps_previous_index(
    tmp_path: Path, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    before = set(Snapshot.load(adv.settings.index_dir).chunks)
    (corpus / "c.md").write_text("# 新文件\n\n鼓励高校开放算力资源。", encoding="utf-8")

    def crash(self: Snapshot, index_dir: Path) -> str:
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(Snapshot, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        _advisor(tmp_path, corpus).ingest()
    monkeypatch.undo()
    survivor = _advisor(tmp_path, corpus)
    assert set(survivor.snapshot.chunks) == before  # previous generation still live and searchable
    assert survivor.retrieve("产业基金", k=1)
    report = survivor.ingest()  # the next run completes without re-embedding what was upserted
    assert report.added == ["c.md"] and report.chunks_embedded == 0
    _consistent(survivor)
