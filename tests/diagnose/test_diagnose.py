"""Diagnosis over a real index (the tests' fixed corpus, the real embedder): statuses, quotes, basis,
suggestions, peers, privacy of the draft, and the labelled exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import docx
import pytest

from advisor.diagnose.draft import DiagnoseError
from advisor.render.diagnosis import diagnosis_to_json, diagnosis_to_markdown
from advisor.render.diagnosis_docx import diagnosis_to_docx
from advisor.render.diagnosis_types import Diagnosis
from advisor.render.labeling import DOCUMENT_LABEL, verify_file
from advisor.service import Advisor

pytestmark = pytest.mark.integration

# A draft written for this test: talent, a fund, a computing centre and application scenarios; nothing
# on deep synthesis, algorithms, content labels, generative-AI filing or standards.
DRAFT = """# 星河市人工智能产业发展行动方案（征求意见稿）

## 一、总体要求

到2027年，全市人工智能核心产业规模达到300亿元，培育龙头企业10家。

## 二、重点任务

第一条 建设星河城市智算中心，统筹公共算力资源，向中小企业发放算力券。

第二条 设立人工智能产业投资基金，首期规模20亿元，引导社会资本投向初创企业。

第三条 支持本地高校设立人工智能学院，实施人才引进计划，引进领军人才和创新团队。

第四条 每年发布人工智能应用场景清单，在政务、制造、医疗领域开展示范应用。

## 三、保障措施

第五条 建立由市政府主要领导牵头的人工智能产业发展领导小组，统筹协调重大事项。
"""

ABSENT = ("duty-deep-synthesis", "duty-algorithm", "duty-labeling", "duty-standards", "duty-genai")
PRESENT = ("step-infra", "step-capital", "role-academia", "role-demand", "role-government", "layer-compute")


@pytest.fixture(scope="module")
def diagnosis(corpus_advisor: Advisor) -> Diagnosis:
    return corpus_advisor.diagnose(DRAFT, "深圳")


def test_statuses_follow_what_the_draft_says(diagnosis: Diagnosis) -> None:
    for element_id in ABSENT:
        assert diagnosis.item(element_id).status == "缺失", element_id
    for element_id in PRESENT:
        item = diagnosis.item(element_id)
        assert item.status != "缺失", element_id
        assert item.draft_quotes, element_id
    infra = diagnosis.item("step-infra")
    assert any("智算中心" in q.text and q.location == "第一条" for q in infra.draft_quotes)
    gov = diagnosis.item("role-government")
    assert any(q.location == "第五条" for q in gov.draft_quotes)


def test_every_quote_is_verbatim(diagnosis: Diagnosis, corpus_advisor: Advisor) -> None:
    for item in diagnosis.items:
        for q in item.draft_quotes:
            assert DRAFT[q.start : q.end] == q.text  # the pasted draft is loaded unchanged
    chunks = corpus_advisor.snapshot.chunks
    assert diagnosis.citations
    for c in diagnosis.citations:
        assert c.quote and c.quote in chunks[c.chunk_id].text
    assert [c.n for c in diagnosis.citations] == list(range(1, len(diagnosis.citations) + 1))


def test_gaps_get_cited_suggestions_and_peers_from_other_regions(diagnosis: Diagnosis) -> None:
    numbers = {c.n for c in diagnosis.citations}
    gaps = [i for i in diagnosis.items if i.status != "已覆盖"]
    assert gaps
    for item in gaps:
        assert item.suggestions, item.element_id
        for sug in item.suggestions:
            assert sug.actor and sug.horizon and "星河" not in sug.text and "深圳" in sug.text
            assert sug.citations and set(sug.citations) <= numbers
    for item in diagnosis.items:
        if item.status == "已覆盖":
            assert not item.suggestions and not item.peers
        assert item.basis and set(item.basis) <= numbers
    peers = [p for i in gaps for p in i.peers]
    assert peers, "the fixed corpus has Beijing's and Zhejiang's texts to learn from"
    assert all(p.region not in ("深圳市", "广东省") for p in peers)
    assert all(p.n in numbers for p in peers)
    by_n = {c.n: c for c in diagnosis.citations}
    assert all(by_n[p.n].quote == p.quote for p in peers)


def test_summary_table_and_top_gaps(diagnosis: Diagnosis) -> None:
    s = diagnosis.summary
    assert s.covered + s.partial + s.missing == len(diagnosis.items) == sum(r.total for r in s.table)
    assert 0 < len(s.top_gaps) <= 5
    top = [diagnosis.item(g) for g in s.top_gaps]
    assert all(i.status != "已覆盖" for i in top)
    assert [i.priority for i in top] == sorted(i.priority for i in top)


def test_the_draft_stays_private(corpus_copy: Callable[..., Advisor], tmp_path: Path) -> None:
    adv = corpus_copy()
    docs, chunks = len(adv.snapshot.docs), len(adv.snapshot.chunks)
    path = tmp_path / "星河草案.md"
    path.write_text(DRAFT, encoding="utf-8")
    adv.diagnose(path, "合肥")
    assert (len(adv.snapshot.docs), len(adv.snapshot.chunks)) == (docs, chunks)
    assert not any("星河" in d.title for d in adv.snapshot.docs.values())
    assert not any("星河" in h.text for h in adv.retrieve("星河城市智算中心 算力券", k=10))
    added = adv.diagnose(path, "合肥", add_to_library=True)
    assert added.added_to_library
    assert len(adv.snapshot.docs) == docs + 1
    assert any("星河" in h.text for h in adv.retrieve("星河城市智算中心 算力券", k=10))


def test_bad_requests_are_explained(corpus_advisor: Advisor) -> None:
    with pytest.raises(DiagnoseError, match="城市"):
        corpus_advisor.diagnose(DRAFT, "  ")
    with pytest.raises(DiagnoseError, match="星河"):
        corpus_advisor.diagnose(DRAFT, "星河")
    with pytest.raises(DiagnoseError, match="草案为空"):
        corpus_advisor.diagnose("", "合肥")


def test_exports_carry_labels_and_verify(diagnosis: Diagnosis, tmp_path: Path) -> None:
    md = tmp_path / "r.md"
    md.write_text(diagnosis_to_markdown(diagnosis), encoding="utf-8")
    js = tmp_path / "r.json"
    js.write_text(diagnosis_to_json(diagnosis), encoding="utf-8")
    dx = Path(diagnosis_to_docx(diagnosis, tmp_path / "r.docx"))
    for path in (md, js, dx):
        report = verify_file(path)
        assert report.produced_by_advisor and report.intact and report.explicit_label, (path, report.message)
    body = md.read_text(encoding="utf-8")
    assert DOCUMENT_LABEL in body and "| 分组 |" in body and "优先补充的五项" in body
    assert body.index("一、诊断摘要") < body.index("二、逐项诊断")
    data = json.loads(js.read_text(encoding="utf-8"))
    data.pop("ai_label"), data.pop("provenance")
    assert Diagnosis.model_validate(data) == diagnosis
    document = docx.Document(str(dx))
    assert all(DOCUMENT_LABEL in s.header.paragraphs[0].text for s in document.sections)
    md.write_text(body.replace("缺失", "已补"), encoding="utf-8")
    assert verify_file(md).intact is False


ENGLISH = """# Xinghe AI Industry Action Plan (draft)

Article 1. The city will build an intelligent computing center and set up an industrial investment fund.

Article 2. Universities will train AI talent, and the city will attract talent from abroad.
"""


def test_an_english_draft_is_matched_through_the_glossary(corpus_advisor: Advisor) -> None:
    diag = corpus_advisor.diagnose(ENGLISH, "合肥")
    infra = diag.item("step-infra")
    assert infra.status != "缺失"
    assert any("intelligent computing center" in q.text for q in infra.draft_quotes)
    assert diag.item("step-capital").status != "缺失"
    for element_id in ("duty-labeling", "duty-deep-synthesis", "layer-energy"):
        assert diag.item(element_id).status == "缺失"
    with pytest.raises(DiagnoseError, match="中文地名"):
        corpus_advisor.diagnose(ENGLISH, "Hefei")


def test_a_definition_is_not_coverage(corpus_advisor: Advisor) -> None:
    text = (
        "# 星河市促进高新技术产业发展办法\n\n"
        "第一条 本办法所称高新技术产业，是指能够推进新兴产业发展的知识密集型产业。\n\n"
        "第二条 设立高新技术产业投资基金，支持企业研究开发。\n"
    )
    diag = corpus_advisor.diagnose(text, "合肥")
    assert diag.item("measure-foresight").status == "缺失"
    assert not any(q.location == "第一条" for i in diag.items for q in i.draft_quotes)
    assert diag.item("step-capital").status != "缺失"


def test_a_mention_in_passing_is_not_coverage(corpus_advisor: Advisor) -> None:
    text = (
        "# 星河市数字技能人才培养方案\n\n"
        "第一条 围绕大数据、云计算、集成电路、算法安全等数字领域，每年培训数字技能人才一万人次。\n\n"
        "第二条 人才培养项目应当按照本市人才发展规划要求组织实施。\n\n"
        "第三条 支持高校与企业共建实训基地，开展订单式人才培养。\n"
    )
    diag = corpus_advisor.diagnose(text, "合肥")
    assert diag.item("duty-algorithm").status == "缺失"  # 算法安全 only as one field among others
    assert diag.item("step-market").status == "缺失"  # 发展规划 only as a reference to another plan
    assert diag.item("role-academia").status != "缺失"
