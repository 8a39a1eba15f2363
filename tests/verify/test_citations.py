"""Verifier.cite_best: the model names a source, the verifier chooses the quote (plan sections)."""

from __future__ import annotations

from quote_checks import is_verbatim

from advisor.types import Hit
from advisor.verify.citations import Verifier, best_span

FUND = (
    "地方政府可根据当地产业特色设立专项扶持基金。鼓励引进符合当地产业特色的企业入驻，"
    "并逐步建立完整的产业链集群。基金投向以早期项目为主。"
)
COMPUTE = "建设绿色低碳的智算中心，推进数据中心节能改造。统筹算力、电力和网络协同布局。"


def _hits() -> list[Hit]:
    return [
        Hit(chunk_id="c1", doc_id="d1", title="策略建议", section="4.3", text=FUND, score=1.0),
        Hit(chunk_id="c2", doc_id="d2", title="算力规划", section="二", text=COMPUTE, score=0.9),
    ]


def test_quote_is_the_sentence_that_best_supports_the_claim() -> None:
    v = Verifier(_hits())
    n = v.cite_best(1, "设立产业基金 引进符合当地产业特色的企业入驻，建立完整的产业链集群")
    assert n == 1
    (c,) = v.citations
    assert c.chunk_id == "c1"
    assert is_verbatim(c.quote, FUND)
    assert "企业入驻" in c.quote and "早期项目" not in c.quote
    assert v.stats.citations_checked == 1 and v.stats.citations_dropped == 0


def test_invented_key_is_removed_and_counted() -> None:
    v = Verifier(_hits())
    assert v.cite_best(7, "设立专项扶持基金") is None
    assert v.cite_best("三", "设立专项扶持基金") is None
    assert v.stats.invented_keys_removed == 2 and not v.citations


def test_claim_the_source_does_not_support_is_dropped() -> None:
    v = Verifier(_hits())
    assert v.cite_best(1, "建设火星基地和月球工厂") is None
    assert v.stats.citations_dropped == 1 and not v.citations


def test_near_copy_under_the_wrong_key_is_remapped_to_its_source() -> None:
    v = Verifier(_hits())
    n = v.cite_best(1, "推进数据中心节能改造")  # a sentence of source 2, cited as 1
    assert n == 1 and v.citations[0].chunk_id == "c2"
    assert v.stats.keys_remapped == 1


def test_claim_merging_two_sentences_is_quoted_by_both() -> None:
    claim = "设立专项扶持基金，引进符合当地产业特色的企业入驻，建立完整的产业链集群"
    span, score = best_span(claim, FUND)
    assert (
        span
        == "地方政府可根据当地产业特色设立专项扶持基金。鼓励引进符合当地产业特色的企业入驻，并逐步建立完整的产业链集群。"
    )
    assert score > 0.8 and span in FUND


def test_claim_from_one_sentence_is_quoted_by_that_sentence_alone() -> None:
    span, _ = best_span("引进符合当地产业特色的企业入驻", FUND)
    assert span == "鼓励引进符合当地产业特色的企业入驻，并逐步建立完整的产业链集群。"
    assert best_span("火星基地", FUND) == ("", 0.0)


def test_a_quote_from_the_next_article_of_a_chunk_is_cited_as_that_article() -> None:
    text = "第十六条 运营机构应当制定质量评估规范。\n\n## 第五章  数据交易行为\n\n第十七条 数据交易包括交易准备等行为。"
    hit = Hit(
        chunk_id="c3",
        doc_id="d3",
        title="某办法",
        section="第四章  数据交易标的 > 第十六条",
        text=text,
        score=1.0,
    )
    v = Verifier([hit])
    later = v.cite_hit(hit, "数据交易包括交易准备等行为。")
    first = v.cite_hit(hit, "运营机构应当制定质量评估规范。")
    sections = {c.n: c.section for c in v.citations}
    assert sections[later] == "第五章  数据交易行为 > 第十七条"
    assert sections[first] == "第四章  数据交易标的 > 第十六条"
