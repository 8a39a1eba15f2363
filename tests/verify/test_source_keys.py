"""A model's source key either names one of the sources it was given or is removed and counted: it is
never rounded, clamped, parsed leniently or remapped to source 1 — even when the quote is verbatim from
source 1 and supports the claim, so a guess would look right."""

from __future__ import annotations

from typing import Any

import pytest
from quote_checks import is_verbatim

from advisor.types import Hit, Recommendation
from advisor.verify.citations import Verifier, source_index
from advisor.verify.recommendations import ItemRules, verified_items

FUND = "地方政府可根据当地产业特色设立专项扶持基金。鼓励引进符合当地产业特色的企业入驻，并逐步建立完整的产业链集群。"
QUOTE = "地方政府可根据当地产业特色设立专项扶持基金。"
CLAIM = "地方政府可根据产业特色设立专项扶持基金"
COMPUTE = "建设绿色低碳的智算中心，推进数据中心节能改造。"

INVENTED: list[Any] = [
    3,  # one past the last source
    42,
    0,
    -1,
    "-1",
    "0",
    "三",
    "source 1",
    "1; DROP",
    "1,2",
    "1.0",
    1.0,
    1.5,
    True,
    None,
    "",
    [1],
    {"source": 1},
]
IDS = [repr(k) for k in INVENTED]


def _hits() -> list[Hit]:
    return [
        Hit(chunk_id="c1", doc_id="d1", title="策略建议", section="4.3", text=FUND, score=1.0),
        Hit(chunk_id="c2", doc_id="d2", title="算力规划", section="二", text=COMPUTE, score=0.9),
    ]


def _nothing_cited(v: Verifier) -> None:
    assert not v.citations
    assert v.stats.invented_keys_removed == 1 and v.stats.citations_checked == 1
    assert v.stats.keys_remapped == 0


@pytest.mark.parametrize("key", INVENTED, ids=IDS)
def test_invented_key_is_not_an_index(key: Any) -> None:
    assert source_index(key, 2) is None


@pytest.mark.parametrize("key", INVENTED, ids=IDS)
def test_cite_removes_an_invented_key_even_with_a_verbatim_quote(key: Any) -> None:
    v = Verifier(_hits())
    assert v.cite(key, QUOTE, CLAIM) is None
    _nothing_cited(v)


@pytest.mark.parametrize("key", INVENTED, ids=IDS)
def test_cite_best_removes_an_invented_key(key: Any) -> None:
    v = Verifier(_hits())
    assert v.cite_best(key, CLAIM) is None
    _nothing_cited(v)


@pytest.mark.parametrize("quote_from_model", [True, False])
@pytest.mark.parametrize("key", INVENTED, ids=IDS)
def test_model_item_with_an_invented_key_is_dropped(key: Any, quote_from_model: bool) -> None:
    v = Verifier(_hits())
    raw = [{"title": "设立专项基金", "detail": CLAIM, "source": key, "quote": QUOTE}]
    assert verified_items(raw, v, ItemRules(quote_from_model=quote_from_model)) == []
    _nothing_cited(v)
    assert v.stats.claims_dropped == 1


def test_answer_conclusion_with_an_invented_key_is_not_cited() -> None:
    """The answer path (qa/model_answer): cite the conclusion, then check_claim."""
    v = Verifier(_hits())
    n = v.cite("1; DROP", QUOTE, CLAIM)
    assert n is None
    assert not v.check_claim(Recommendation(title=CLAIM, citations=[]))
    assert not v.citations


@pytest.mark.parametrize(
    ("key", "chunk"), [(1, "c1"), ("1", "c1"), (" [1] ", "c1"), ("[1]", "c1"), (2, "c2"), ("２", "c2")]
)
def test_given_keys_name_their_source(key: Any, chunk: str) -> None:
    v = Verifier(_hits())
    quote, claim = (QUOTE, CLAIM) if chunk == "c1" else ("推进数据中心节能改造", "推进数据中心节能改造")
    n = v.cite(key, quote, claim)
    assert n is not None
    c = v.citations[-1]
    assert c.chunk_id == chunk and is_verbatim(c.quote, FUND if chunk == "c1" else COMPUTE)
    assert v.stats.invented_keys_removed == 0 and v.stats.keys_remapped == 0


def test_a_mix_of_keys_keeps_exactly_the_given_ones() -> None:
    v = Verifier(_hits())
    raw = [
        {"title": "设立专项基金", "detail": CLAIM, "source": key, "quote": QUOTE}
        for key in [1, 0, 3, "1", None]
    ]
    recs = verified_items(raw, v, ItemRules())
    assert len(recs) == 2 and all(v.citations[r.citations[0] - 1].chunk_id == "c1" for r in recs)
    assert v.stats.invented_keys_removed == 3 and v.stats.claims_dropped == 3
