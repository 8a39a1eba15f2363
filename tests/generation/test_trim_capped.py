"""Strings the grammar capped at their ``maxLength`` are cut back to a whole clause."""

from __future__ import annotations

from advisor.generation.structured import trim_capped
from advisor.qa.model_answer import LOCAL_SCHEMA

CAP = LOCAL_SCHEMA["properties"]["conclusion"]["maxLength"]


def test_a_capped_string_ends_at_its_last_clause() -> None:
    capped = ("设立人工智能产业基金，" + "支持算力平台，" * CAP)[:CAP]
    data = {"answerable": True, "conclusion": capped, "recommendations": []}
    out = trim_capped(data, LOCAL_SCHEMA)
    assert out["conclusion"] == capped[: capped.rindex("，")]  # no half-written phrase after the last comma


def test_strings_under_their_cap_and_unboundaried_ones_stay() -> None:
    short = {"answerable": True, "conclusion": "设立产业基金，支持企业。", "recommendations": []}
    assert trim_capped(short, LOCAL_SCHEMA) == short
    cap = LOCAL_SCHEMA["properties"]["recommendations"]["items"]["properties"]["detail"]["maxLength"]
    long_detail = {"title": "建设算力", "detail": "甲" * cap, "actor": "地方政府", "source": 1}
    data = {"answerable": True, "conclusion": "是。", "recommendations": [long_detail]}
    assert trim_capped(data, LOCAL_SCHEMA)["recommendations"][0]["detail"] == "甲" * cap


def test_nested_recommendations_are_trimmed() -> None:
    cap = LOCAL_SCHEMA["properties"]["recommendations"]["items"]["properties"]["detail"]["maxLength"]
    detail = ("由市产业主管部门牵头建设公共算力平台，并向中小企业开放；" + "丙" * cap)[:cap]
    data = {
        "answerable": True,
        "conclusion": "是。",
        "recommendations": [{"title": "建设算力", "detail": detail}],
    }
    out = trim_capped(data, LOCAL_SCHEMA)["recommendations"][0]["detail"]
    assert out == "由市产业主管部门牵头建设公共算力平台，并向中小企业开放"


def test_a_raw_line_break_inside_a_string_still_parses() -> None:
    """llama.cpp's JSON grammar allows any character but quote and backslash inside a string."""
    from advisor.generation.structured import parse_json_object

    text = '{ "answerable": true, "conclusion": "信能比大于300，\n是分水岭", "source": 1, "recommendations": [] }'
    data = parse_json_object(text)
    assert data is not None and data["conclusion"].startswith("信能比大于300")
