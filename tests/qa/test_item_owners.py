"""Who carries out a plan's item: the bracket of bodies that ends its paragraph."""

from __future__ import annotations

from advisor.qa.item_owners import item_owners
from advisor.types import Hit


def _hit(text: str) -> Hit:
    return Hit(chunk_id="c", doc_id="d", title="某市实施方案", text=text, score=1.0)


def test_asked_who_an_item_ends_with_its_bodies_in_brackets() -> None:
    text = "（六）完善人才基地建设。发挥继续教育基地作用。加大博士后培养力度。（市教委、市人力资源社会保障局）\n\n（七）下一项。"
    hit = _hit(text)
    head = "（六）完善人才基地建设。"
    found = item_owners("这一条的牵头责任单位有哪些？", hit, head, None)
    assert found is not None and found[1] == "（市教委、市人力资源社会保障局）"
    assert item_owners("这一条要做什么？", hit, head, None) is None  # not asked who
    # … and the next item's bodies are not this one's
    assert (
        item_owners(
            "由谁负责？", _hit("（六）完善人才基地建设。发挥作用。\n（七）下一项。（市科委）"), head, None
        )
        is None
    )


def test_a_labelled_bracket_names_the_lead_and_the_others() -> None:
    hit = _hit("3. 建设算力平台。统筹建设公共算力。（牵头单位：市发展改革委；责任单位：各区政府）")
    found = item_owners("建设算力平台由谁牵头？", hit, "3. 建设算力平台。", None)
    assert found is not None and found[1].startswith("（牵头单位：市发展改革委")
