"""A claim must be supported by its own quote, not merely by the chunk the quote comes from.

The verifier used to accept any verbatim quote as long as the claim shared a fifth of its bigrams with
the whole chunk: ``cite(1, <a real sentence>, "建设火星基地和月球工厂")`` returned 1 whenever the chunk said
建设 and 基地 somewhere. Here the quote shown for a claim has to carry the claim itself."""

from __future__ import annotations

import pytest
from quote_checks import is_verbatim

from advisor.types import Hit, Recommendation
from advisor.verify.citations import Verifier
from advisor.verify.recommendations import ItemRules, verified_items

MARS = "建设火星基地和月球工厂"
# Three articles of 北京市数字经济促进条例 (corpus/policies/09-…). Together they say 建设, 基地 and 工厂: three
# of the claim's ten bigrams are in the chunk, but no one sentence holds more than two of them.
KNOWLEDGE = (
    "支持数据支撑的研发和知识生产产业发展，积极探索基于大数据和人工智能应用的跨学科知识创新和知识生产新模式，"
    "以数据驱动产、学、研、用融合。"
)
PARKS = "第二十八条 支持建设数字经济产业园区和创新基地，推动重点领域数字产业发展，推动数字产业向园区聚集，培育数字产业集群。"
FACTORY = (
    "第三十二条 经济和信息化部门应当会同通信管理部门健全工业互联网标识解析体系和新型工业网络部署，"
    "支持工业企业实施数字化改造，加快建设智能工厂、智能车间，培育推广智能化生产、网络化协同、个性化定制等新模式。"
)
BEIJING = f"{KNOWLEDGE}\n\n{PARKS}\n\n{FACTORY}"
FUND = (
    "地方政府可根据当地产业特色设立专项扶持基金。鼓励引进符合当地产业特色的企业入驻，"
    "并逐步建立完整的产业链集群。基金投向以早期项目为主。"
)
FIRST = "地方政府可根据当地产业特色设立专项扶持基金。"


def _hits() -> list[Hit]:
    return [
        Hit(
            chunk_id="bj",
            doc_id="d9",
            title="北京市数字经济促进条例",
            section="第二十八条",
            text=BEIJING,
            score=1.0,
        ),
        Hit(chunk_id="fund", doc_id="r", title="策略建议", section="4.3", text=FUND, score=0.9),
    ]


@pytest.mark.parametrize(
    "quote", [KNOWLEDGE, PARKS, FACTORY], ids=["unrelated", "shares-two-words", "shares-two-more"]
)
def test_real_sentence_does_not_support_an_unrelated_claim(quote: str) -> None:
    v = Verifier(_hits())
    assert v.cite(1, quote, MARS) is None
    assert v.stats.citations_dropped == 1 and not v.citations


def test_verbatim_quote_of_another_sentence_is_replaced_by_the_one_that_supports_the_claim() -> None:
    v = Verifier(_hits())
    n = v.cite(2, FIRST, "基金投向以早期项目为主")  # verbatim, but about the fund's set-up, not its targets
    assert n is not None
    quote = v.citations[-1].quote
    assert "早期项目" in quote and is_verbatim(quote, FUND)
    assert v.stats.quotes_repaired == 1


def test_quote_that_supports_its_claim_is_kept_as_the_model_gave_it() -> None:
    v = Verifier(_hits())
    n = v.cite(2, FIRST, "地方政府可以设立专项扶持基金")
    assert n is not None and v.citations[-1].quote == FIRST
    assert v.stats.quotes_repaired == 0 and v.stats.citations_dropped == 0


def test_verbatim_quote_under_another_key_moves_only_when_it_supports_the_claim() -> None:
    v = Verifier(_hits())
    assert v.cite(1, FIRST, MARS) is None  # FIRST is verbatim in source 2, but says nothing of Mars
    assert v.stats.keys_remapped == 0
    n = v.cite(1, FIRST, "地方政府设立专项扶持基金")
    assert n is not None and v.citations[-1].chunk_id == "fund" and v.stats.keys_remapped == 1


def test_check_claim_drops_a_claim_its_quote_does_not_support() -> None:
    hits = _hits()
    v = Verifier(hits)
    n = v.cite_hit(hits[1], FIRST)
    assert not v.check_claim(Recommendation(title="月球工厂", detail=MARS, citations=[n]))
    assert v.check_claim(Recommendation(title="设立基金", detail=FIRST, citations=[n]))
    assert v.stats.claims_dropped == 1


@pytest.mark.parametrize("quote_from_model", [True, False])
@pytest.mark.parametrize("strict", [True, False])
def test_model_item_about_something_else_than_its_quote_is_dropped(
    quote_from_model: bool, strict: bool
) -> None:
    v = Verifier(_hits())
    raw = [
        {"title": "火星基地", "detail": MARS, "source": 1, "quote": PARKS},
        {
            "title": "设立专项基金",
            "detail": "地方政府可根据当地产业特色设立专项扶持基金",
            "source": 2,
            "quote": FIRST,
        },
    ]
    recs = verified_items(raw, v, ItemRules(quote_from_model=quote_from_model, strict=strict))
    assert [r.title for r in recs] == ["设立专项基金"]
    assert v.stats.claims_dropped == 1
    for r in recs:
        (c,) = [c for c in v.citations if c.n in r.citations]
        assert "专项扶持基金" in c.quote and is_verbatim(c.quote, FUND)


def test_extractive_claims_built_from_their_sentence_always_pass() -> None:
    """Calibration: the extractive answerer's claims (a label or section heading as title, the quoted
    sentence as detail) pass check_claim for every sentence of these chunks, short ones included."""
    hits = _hits()
    for hit in hits:
        for sent in [s for s in hit.text.replace("\n", "").split("。") if s]:
            v = Verifier(hits)
            n = v.cite_hit(hit, sent)
            for title in (hit.section, hit.title, "构建区域特色AI产业培育方法论", sent[:8]):
                rec = Recommendation(title=title, detail=sent, citations=[n])
                assert v.check_claim(rec), (title, sent)


TITLE_PAGE = "国务院关于深入实施“人工智能+”行动的意见\n\n国发〔2025〕11号\n\n宋涛 甲子光年智库院长 2023 . 08\n\n2025年8月21日"


@pytest.mark.parametrize("line", ["国发〔2025〕11号", "2023 . 08", "2025年8月21日", "宋涛 甲子光年智库院长"])
def test_short_fact_under_a_label_is_supported_by_the_line_it_copies(line: str) -> None:
    """Title-page facts are shown as "文件信息：<the line>": the label shares nothing with the line, but the
    claim is mostly a verbatim copy of its quote."""
    hit = Hit(chunk_id="tp", doc_id="d", title="意见", section="", text=TITLE_PAGE, score=1.0)
    v = Verifier([hit])
    n = v.cite_hit(hit, line)
    assert v.check_claim(Recommendation(title="文件信息", detail=line, citations=[n]))
    raw = [{"title": "文件信息", "detail": line, "source": 1, "quote": line}]
    (rec,) = verified_items(raw, v, ItemRules())
    assert is_verbatim(v.citations[rec.citations[0] - 1].quote, TITLE_PAGE)
    assert v.stats.claims_dropped == 0 and v.stats.quotes_repaired == 0
