"""The checklist is data whose every quote is verbatim in the corpus and found in the ingested index."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from advisor.diagnose.basis import element_basis, find_source
from advisor.diagnose.checklist import CHECKLIST_FILE, load_checklist
from advisor.ingest.loaders import load_document
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT
from advisor.text import squash

CORPUS = PROJECT_ROOT / "corpus"


def _corpus_texts() -> dict[str, str]:
    out = {}
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix in (".md", ".txt") and path.name != "README.md":
            doc = load_document(path)
            out[doc.meta.title] = doc.text
    return out


def test_checklist_covers_what_the_issue_asks_for() -> None:
    checklist = load_checklist()
    groups: dict[str, list[str]] = {}
    for e in checklist.elements:
        groups.setdefault(e.group, []).append(e.name)
    assert len(groups["实施步骤"]) == 4 and len(groups["具体举措"]) == 4 and len(groups["关键角色"]) == 5
    names = "".join(e.name for e in checklist.elements)
    for word in (
        "市场培育",
        "基础设施",
        "资本介入",
        "技术研发",
        "前瞻",
        "卡脖子",
        "投促孵化",
        "科技服务平台",
    ):
        assert word in names, word
    for layer in ("能源层", "算力层", "应用层", "安全层"):
        assert layer in names, layer
    national = {s.doc for e in checklist.elements if e.group == "国家合规义务" for s in e.sources}
    assert {
        "生成式人工智能服务管理暂行办法",
        "互联网信息服务深度合成管理规定",
        "互联网信息服务算法推荐管理规定",
        "人工智能生成合成内容标识办法",
        "国家人工智能产业综合标准化体系建设指南（2024版）",
    } <= national
    for e in checklist.elements:
        assert e.id and e.description and e.actor and e.horizon and "{city}" in e.suggestion
        assert set(e.strong) and set(e.keywords), e.id


def test_every_quote_is_verbatim_in_its_corpus_file() -> None:
    texts = _corpus_texts()
    data = yaml.safe_load(CHECKLIST_FILE.read_text(encoding="utf-8"))
    quotes = [(e["id"], s) for e in data["elements"] for s in e["sources"]]
    assert len(quotes) >= 23
    for element_id, source in quotes:
        assert source["doc"] in texts, f"{element_id}: no corpus document titled {source['doc']}"
        assert source["quote"] in texts[source["doc"]], (
            f"{element_id}: quote not verbatim: {source['quote'][:30]}"
        )


def test_every_quote_is_found_in_a_chunk_of_the_index(corpus_advisor: Advisor) -> None:
    snapshot = corpus_advisor.snapshot
    for element in load_checklist().elements:
        cites = element_basis(snapshot, element)
        assert len(cites) == len(element.sources), element.id
        for cite, source in zip(cites, element.sources, strict=True):
            chunk = snapshot.chunks[cite.chunk_id]
            assert cite.quote in chunk.text
            assert squash(source.quote) == squash(cite.quote)
            assert snapshot.docs[cite.doc_id].title == source.doc


def test_a_document_missing_from_the_index_gives_no_basis(corpus_advisor: Advisor) -> None:
    element = load_checklist().elements[0]
    stranger = element.sources[0].model_copy(update={"doc": "不存在的文件"})
    assert find_source(corpus_advisor.snapshot, stranger) is None


def test_a_broken_checklist_is_reported_with_its_path(tmp_path: Path) -> None:
    bad = tmp_path / "checklist.yaml"
    bad.write_text("groups: [a]\nelements:\n  - id: x\n    group: b\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_checklist.__wrapped__(bad)
