"""Sentence vectors: written by ingest for every chunk sentence (real embedder, real Chroma), kept by
content across generations, filled in for an index written before them, and used to rank sentences."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from advisor.index.sentence_vectors import FILE, SentenceVectors
from advisor.index.snapshot import Snapshot
from advisor.ingest.splitter import sentence_units
from advisor.qa.sentences import rank_sentences
from advisor.service import Advisor
from advisor.settings import Settings
from advisor.types import Hit

DOC = """---
title: 某市数据安全管理办法
issuer: 某市人民政府
date: 2024-05-01
level: city
region: 某市
kind: 办法
---
# 某市数据安全管理办法

第一条 为加强本市数据安全管理，制定本办法。

第二条 数据处理者应当留存网络日志，留存时间不少于六个月。数据处理者应当建立健全用户注册、内容审核等管理制度。

第三条 市网信部门负责统筹协调全市数据安全工作。
"""

MORE = "第四条 区人民政府应当每年向市人民政府报告数据安全工作情况。\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "a.md").write_text(DOC, encoding="utf-8")
    return root


def _advisor(tmp_path: Path, corpus: Path) -> Advisor:
    return Advisor(settings=Settings(data_dir=tmp_path / "data", corpus_dir=corpus))


def _all_units(snap: Snapshot) -> list[str]:
    return [u for c in snap.chunks.values() for u in sentence_units(c.text)]


def test_ingest_stores_a_vector_for_every_chunk_sentence_and_keeps_them_by_content(
    tmp_path: Path, corpus: Path
) -> None:
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    on_disk = SentenceVectors.load(adv.settings.index_dir)
    units = _all_units(adv.snapshot)
    assert len(units) >= 4 and on_disk.missing(units) == []
    assert on_disk.embedder == adv.embedder.name
    # each stored vector is the embedder's unit passage vector of that very sentence
    expected = adv.embedder.embed_passages(units[:2])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert np.allclose(on_disk.matrix(units[:2]), expected, atol=2e-3)

    before = on_disk.matrix(units)
    (corpus / "a.md").write_text(DOC + "\n" + MORE, encoding="utf-8")
    report = _advisor(tmp_path, corpus).ingest()
    assert report.updated == ["a.md"]
    after = SentenceVectors.load(adv.settings.index_dir)
    new_units = _all_units(Snapshot.load(adv.settings.index_dir))
    assert after.missing(new_units) == [] and any("每年向市人民政府报告" in u for u in new_units)
    kept = [u for u in units if u in new_units]
    assert kept and np.array_equal(after.matrix(kept), before[[units.index(u) for u in kept]])
    assert len(after) == len(set(new_units))  # the vectors of sentences no chunk has were dropped


def test_an_index_written_before_sentence_vectors_gets_them_on_the_next_ingest(
    tmp_path: Path, corpus: Path
) -> None:
    adv = _advisor(tmp_path, corpus)
    adv.ingest()
    (adv.settings.index_dir / FILE).unlink()
    generation = (adv.settings.index_dir / "CURRENT").read_text(encoding="utf-8")
    fresh = _advisor(tmp_path, corpus)
    assert len(fresh.snapshot.sentences) == 0
    # answering before the next ingest embeds what it needs in memory and still answers
    assert fresh.ask("数据处理者的网络日志要留存多久？").grounded
    report = fresh.ingest()
    assert report.chunks_embedded == 0 and report.unchanged == ["a.md"]
    assert (adv.settings.index_dir / "CURRENT").read_text(encoding="utf-8") == generation
    assert SentenceVectors.load(adv.settings.index_dir).missing(_all_units(fresh.snapshot)) == []


def test_a_damaged_file_is_read_as_no_vectors(tmp_path: Path) -> None:
    (tmp_path / FILE).write_bytes(b"not a numpy archive")
    assert len(SentenceVectors.load(tmp_path)) == 0
    shutil.rmtree(tmp_path)
    assert len(SentenceVectors.load(tmp_path)) == 0


def test_the_sentence_that_answers_in_other_words_ranks_first_by_meaning(corpus_advisor: Advisor) -> None:
    """No word of the English question is in the sentence that answers it; its meaning is."""
    text = (
        "第二条 数据处理者应当建立健全用户注册、内容审核等管理制度。"
        "数据处理者应当留存网络日志，留存时间不少于六个月。"
        "市网信部门负责统筹协调全市数据安全工作。"
    )
    hit = Hit(
        chunk_id="c1", doc_id="d1", title="某市数据安全管理办法", section="第二条", text=text, score=1.0
    )
    question = "For how long do data handlers have to keep their records of online activity?"
    meaning = corpus_advisor.retriever().meaning
    ranked = rank_sentences(question, [hit], None, meaning)
    assert "六个月" in ranked[0][2]


def test_sentence_vectors_can_be_switched_off(tmp_path: Path, corpus: Path) -> None:
    """For a very large corpus: ingest embeds chunks only, answers rank sentences by words."""
    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus, sentence_vectors=False)
    adv = Advisor(settings=settings)
    adv.ingest()
    assert not (settings.index_dir / FILE).exists()
    assert adv.retriever().meaning is None
    answer = adv.ask("数据处理者的网络日志要留存多久？")
    assert answer.grounded and "六个月" in answer.text
    assert len(adv.snapshot.sentences) == 0  # nothing was embedded behind the setting's back
