"""The unit a number question asks in, and whether a text states a number in it."""

from __future__ import annotations

from advisor.retrieval.asks import asked_unit, has_number_in


def test_the_unit_asked_for() -> None:
    assert asked_unit("某市数据交易额是多少亿元？") == "亿元"
    assert asked_unit("备案编号由几位数字组成？") == "位"
    assert asked_unit("核心产业增加值占比达到多少？") == ""


def test_a_number_in_that_unit() -> None:
    assert has_number_in("规模达到1000亿元", "亿元") and has_number_in("规模达到10万亿元", "亿元")
    assert not has_number_in("亿元规模的基金", "亿元")  # the unit without a number states nothing
    assert has_number_in("应当在十个工作日内办理", "天")  # days are also 日 and 工作日
    assert not has_number_in("应当及时办理", "天")
