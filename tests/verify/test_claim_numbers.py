"""Every number of a claim must be in the quote shown for it (or the quote's source line, or a text the
caller vouches for: a plan's city profile) — not merely somewhere in the cited chunk, and never in
another source. A local answer once showed "阈值是300[1]" over a quote without 300.

Where the cited chunk has the number next to the quote, the verifier grows the quote to take it in
(still verbatim); otherwise the claim is dropped."""

from __future__ import annotations

import pytest
from quote_checks import is_verbatim, missing_numbers

from advisor.types import Hit, Recommendation
from advisor.verify.citations import Verifier
from advisor.verify.recommendations import ItemRules, verified_items

SUBSIDY = (
    "对租用本地智能算力的中小企业给予算力费用补贴。补贴比例为实际支出的30%。"
    "每家企业每年补贴总额不超过300万元。补贴资金由市财政统筹安排。"
)
RENT = "对租用本地智能算力的中小企业给予算力费用补贴。"
# The 300 of this chunk is four sentences away from the sentence the claim is about.
FAR = (
    "算力券用于支持企业购买智能算力服务。算力券由市产业主管部门统一发放。企业应当如实报送算力使用情况。"
    "违规使用的，收回已发放的算力券。申报材料由区级部门初审。单个项目的奖励上限为300万元。"
)
VOUCHER = "算力券用于支持企业购买智能算力服务。"
OTHER = "智能算力服务平台接入门槛为300PFlops以上，算力券面额为50万元。"


def _hits() -> list[Hit]:
    return [
        Hit(chunk_id="sub", doc_id="a", title="算力补贴办法", section="第五条", text=SUBSIDY, score=1.0),
        Hit(chunk_id="far", doc_id="b", title="算力券实施细则", section="第三条", text=FAR, score=0.9),
        Hit(chunk_id="oth", doc_id="c", title="算力平台指引", section="二", text=OTHER, score=0.8),
    ]


def _shown(v: Verifier, n: int) -> str:
    return next(c.quote for c in v.citations if c.n == n)


def _holds(v: Verifier, rec: Recommendation) -> None:
    """What a surviving claim must satisfy, checked independently of the verifier."""
    for n in rec.citations:
        c = next(c for c in v.citations if c.n == n)
        chunk = next(h.text for h in v.hits if h.chunk_id == c.chunk_id)
        assert is_verbatim(c.quote, chunk)
    quotes = [c.quote for c in v.citations if c.n in rec.citations]
    lines = [f"{c.title} {c.section} {c.date}" for c in v.citations if c.n in rec.citations]
    assert not missing_numbers(f"{rec.title} {rec.detail}", *quotes, *lines, *v.vouched)


@pytest.mark.parametrize(
    ("claim", "number"),
    [("中小企业租用本地智能算力，补贴比例为实际支出的30%", "30"), ("算力费用补贴的阈值是300万元", "300")],
)
def test_quote_grows_to_take_in_a_number_next_to_it(claim: str, number: str) -> None:
    v = Verifier(_hits())
    n = v.cite(1, RENT, claim)
    assert n is not None
    quote = _shown(v, n)
    assert RENT in quote and number in quote and is_verbatim(quote, SUBSIDY)
    rec = Recommendation(title=claim, citations=[n])
    assert v.check_claim(rec)
    _holds(v, rec)


def test_number_far_from_the_quote_drops_the_claim() -> None:
    v = Verifier(_hits())
    claim = "算力券用于支持企业购买智能算力服务，阈值是300万元"
    n = v.cite(2, VOUCHER, claim)
    assert n is not None and "300" not in _shown(v, n)  # the chunk has 300, but not near this sentence
    assert not v.check_claim(Recommendation(title=claim, citations=[n]))
    assert v.stats.numbers_rejected == 1 and v.stats.claims_dropped == 1


def test_number_of_another_given_source_drops_the_claim() -> None:
    v = Verifier(_hits())
    claim = "算力券用于支持企业购买智能算力服务，面额为50万元"  # 50 is only in source 3
    n = v.cite(2, VOUCHER, claim)
    assert n is not None
    assert not v.check_claim(Recommendation(title=claim, citations=[n]))
    assert v.stats.numbers_rejected == 1


def test_extractive_quote_without_the_claims_number_is_rejected() -> None:
    hits = _hits()
    v = Verifier(hits)
    n = v.cite_hit(hits[0], RENT)
    assert not v.check_claim(Recommendation(title="补贴30%", detail=RENT, citations=[n]))
    assert v.check_claim(Recommendation(title="第五条", detail=RENT, citations=[n]))  # 5 is not a number here
    m = v.cite_hit(hits[0], "补贴比例为实际支出的30%。")
    assert v.check_claim(Recommendation(title="补贴比例", detail="补贴比例为实际支出的30%", citations=[m]))


def test_conclusion_of_a_model_answer_shows_its_number() -> None:
    """The answer path: cite the conclusion, then check_claim (as qa/model_answer does)."""
    v = Verifier(_hits())
    for key, quote, claim, kept in [
        (1, RENT, "中小企业算力费用补贴的阈值是300万元", True),  # grown to the sentence with 300
        (1, RENT, "阈值是300万元", False),  # RENT is not about it (a shared number does not tie them)
        (2, VOUCHER, "算力券的阈值是300万元", False),  # 300 too far away
        (2, VOUCHER, "算力券面额为50万元", False),  # 50 only in another source
    ]:
        n = v.cite(key, quote, claim)
        rec = Recommendation(title=claim, citations=[n] if n else [])
        assert v.check_claim(rec) is kept, claim
        if kept:
            _holds(v, rec)


@pytest.mark.parametrize("quote_from_model", [True, False])
def test_model_items_keep_only_numbers_their_quote_shows(quote_from_model: bool) -> None:
    v = Verifier(_hits())
    raw = [
        {
            "title": "算力补贴",
            "detail": "对租用智能算力的中小企业给予算力费用补贴，比例30%",
            "source": 1,
            "quote": RENT,
        },
        {
            "title": "算力券",
            "detail": "算力券用于支持企业购买智能算力服务，上限300万元",
            "source": 2,
            "quote": VOUCHER,
        },
        {
            "title": "算力券面额",
            "detail": "算力券用于支持企业购买智能算力服务，面额50万元",
            "source": 2,
            "quote": VOUCHER,
        },
    ]
    recs = verified_items(raw, v, ItemRules(quote_from_model=quote_from_model))
    assert [r.title for r in recs] == ["算力补贴"]
    assert v.stats.numbers_rejected == 2
    for r in recs:
        _holds(v, r)
        assert "30" in _shown(v, r.citations[0])


def test_plan_items_may_take_numbers_from_the_city_profile_and_nowhere_else() -> None:
    v = Verifier(_hits())
    profile = ("常住人口 940 万人", "算力：某数据中心 3000 机架（示意）")
    raw = [
        {
            "title": "算力补贴",
            "detail": "面向3000机架的算力规模，对租用智能算力的中小企业给予算力费用补贴",
            "source": 1,
        },
        {
            "title": "算力补贴",
            "detail": "面向5000机架的算力规模，对租用智能算力的中小企业给予算力费用补贴",
            "source": 1,
        },
    ]
    recs = verified_items(raw, v, ItemRules(quote_from_model=False, strict=True, extra_sources=profile))
    assert [r.detail[:6] for r in recs] == ["面向3000"]
    assert v.stats.numbers_rejected == 1
    # the plan section checks its recommendations again after adding the extractive ones
    assert all(v.check_claim(r) for r in recs)
    for r in recs:
        _holds(v, r)


def test_a_number_of_the_cited_documents_source_line_may_be_stated() -> None:
    hits = [_hits()[0].model_copy(update={"meta": {"date": "2024-03-01"}})]
    v = Verifier(hits)
    n = v.cite(1, RENT, "2024年起对租用本地智能算力的中小企业给予算力费用补贴")
    assert n is not None and _shown(v, n) == RENT
    assert v.check_claim(
        Recommendation(title="2024年起对租用本地智能算力的中小企业给予算力费用补贴", citations=[n])
    )


def test_number_at_the_end_of_a_line_is_found() -> None:
    """A number followed by a line break ("2023 . 08\\n\\n") is still that number in the chunk."""
    text = "对租用本地智能算力的中小企业给予算力费用补贴\n补贴上限为300\n\n补贴资金由市财政统筹安排。"
    hit = Hit(chunk_id="x", doc_id="x", title="细则", section="", text=text, score=1.0)
    v = Verifier([hit])
    claim = "对租用本地智能算力的中小企业给予算力费用补贴，上限为300"
    n = v.cite(1, "对租用本地智能算力的中小企业给予算力费用补贴", claim)
    assert n is not None and "300" in _shown(v, n) and is_verbatim(_shown(v, n), text)
    assert v.check_claim(Recommendation(title=claim, citations=[n]))
