"""Enumerations: the items after a lead-in that ends in a colon, verbatim, across a chunk boundary."""

from __future__ import annotations

import re
import time

import pytest

from advisor.qa.enumeration import (
    LEAD_IN_CHARS,
    is_lead_in,
    item_title,
    items_after,
    items_under_heading,
    lead_in_before,
    marked_run_after,
    ordinal_items,
    with_items,
    with_lead_ins,
)
from advisor.qa.extractive import extractive_answer
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT
from advisor.text import clean
from advisor.types import Hit


def _hit(text: str) -> Hit:
    return Hit(chunk_id="c1", doc_id="d1", title="某条例", section="第九条", text=text, score=1.0)


def test_items_stop_at_the_next_article_or_plain_paragraph() -> None:
    text = (
        "第九条 市人民政府设立专项资金，主要用于下列事项：\n\n（一）支持企业研发；\n\n（二）引进人才；\n\n"
        "（三）其他事项。\n\n第十条 另一条文。"
    )
    items = [s for _, s in items_after(_hit(text), "第九条 市人民政府设立专项资金，主要用于下列事项：", None)]
    assert items == ["（一）支持企业研发；", "（二）引进人才；", "（三）其他事项。"]
    unmarked = "应当履行下列职责：\n\n制定规范；\n\n建立制度；\n\n委员会的日常工作由主管部门承担。"
    assert [s for _, s in items_after(_hit(unmarked), "应当履行下列职责：", None)] == [
        "制定规范；",
        "建立制度；",
    ]


def test_a_sentence_that_announces_nothing_has_no_items() -> None:
    text = "第一条 为了促进发展，制定本条例。\n\n（一）无关。"
    assert not is_lead_in("第一条 为了促进发展，制定本条例。")
    assert items_after(_hit(text), "第一条 为了促进发展，制定本条例。", None) == []


@pytest.mark.integration
def test_items_continue_into_the_next_chunk(corpus_advisor: Advisor) -> None:
    """深圳条例's list of forbidden activities: the lead-in's chunk holds the first items, the next chunk
    the rest."""
    snap = corpus_advisor.snapshot
    lead = "不得从事下列行为："
    rec = next(c for c in snap.chunks.values() if lead in c.text and "人工智能研究和应用活动" in c.text)
    hit = snap.hit(rec.chunk_id)
    sentence = hit.text[: hit.text.index(lead) + len(lead)].split("\n")[-1]
    found = items_after(hit, sentence, snap)
    doc_text = "".join(c.text for c in snap.chunks_of(rec.doc_id))
    assert len(found) == 7 and len({h.chunk_id for h, _ in found}) == 2
    assert all(item in h.text and item in doc_text for h, item in found)  # verbatim, from its own chunk
    assert found[-1][1].startswith("（七）") and found[-1][0].chunk_id != rec.chunk_id


def test_a_heading_the_question_repeats_lists_the_paragraphs_under_it() -> None:
    text = (
        "#### （二）工作原则。\n\n坚持统筹推进、分类施策。要求甲。\n\n- 坚持开放合作、互利共赢。要求乙。\n\n"
        "图：示意图\n\n坚持底线思维、守牢安全。要求丙。\n\n#### （三）主要目标。\n\n到2030年，目标明确。"
    )
    found = items_under_heading("这份方案提出了哪几条工作原则？", [_hit(text)], None)
    assert found is not None
    hit, heading, items = found
    assert heading == "（二）工作原则。"
    assert [s for _, s in items] == [
        "坚持统筹推进、分类施策。",
        "坚持开放合作、互利共赢。",
        "坚持底线思维、守牢安全。",
    ]
    assert all(s in hit.text for _, s in items)
    assert item_title(items[0][1], hit, heading) == "工作原则"
    assert (
        items_under_heading("这份方案有哪些主要任务？", [_hit(text)], None) is None
    )  # heading not asked about


def test_one_paragraph_listing_the_items_under_a_numbered_heading_is_the_list() -> None:
    """Under （六）行业应用标准 one sentence lists the fields itself: that is the list asked; under a slide's
    label (山东省) one such sentence is no list of what the question asks."""
    text = "#### （六）行业应用标准\n\n开展智慧城市、科学智算、智慧农业、智慧能源等领域标准研究。\n\n#### （七）安全标准\n\n规范安全要求。"
    found = items_under_heading("行业应用标准覆盖了哪些领域？", [_hit(text)], None)
    assert found is not None and found[1] == "（六）行业应用标准"
    assert [s for _, s in found[2]] == ["开展智慧城市、科学智算、智慧农业、智慧能源等领域标准研究。"]
    label = (
        "山东省\n\n加大5G基站、数据中心、工业互联网、物联网等数字新型基础设施建设力度。\n\n浙江省\n\n其他。"
    )
    assert items_under_heading("山东省在哪些领域推广电子签名？", [_hit(label)], None) is None


def test_a_short_unpunctuated_line_is_a_heading_and_labels_become_titles() -> None:
    text = (
        "推进路径重点关注环节\n\n规划引导：制定发展规划。\n\n要素保障：建设算力设施。\n\n后续安排重点关注环节"
    )
    found = items_under_heading("实施方案的推进路径重点关注哪两个环节？", [_hit(text)], None)
    assert found is not None
    _, heading, items = found
    assert heading == "推进路径重点关注环节"
    assert [s for _, s in items] == ["规划引导：制定发展规划。", "要素保障：建设算力设施。"]
    assert [item_title(s, h, heading) for h, s in items] == ["规划引导", "要素保障"]


def test_a_chunk_that_opens_mid_list_finds_its_lead_in(corpus_advisor: Advisor) -> None:
    """A chunk that starts with a list item ("（五）…") leads back to the lead-in of its list in the chunk
    before, whose items then include that chunk's own."""
    snap = corpus_advisor.snapshot
    found = 0
    for chunk_id in snap.chunks:
        hit = snap.hit(chunk_id)
        lead = lead_in_before(hit, snap)
        if lead is None:
            continue
        found += 1
        before, sentence = lead
        assert is_lead_in(sentence) and sentence in before.text and before.doc_id == hit.doc_id
        items = [s for _, s in items_after(before, sentence, snap, limit=40)]
        first = hit.text.strip().split("\n")[0].strip()
        assert any(first.startswith(i[:8]) for i in items), (sentence, first, items)
    assert found >= 3


def test_a_list_question_answered_by_the_list_whose_later_item_was_retrieved(corpus_advisor: Advisor) -> None:
    """Only a chunk that opens mid-list was retrieved: the answer is led by the list's lead-in from the
    chunk before, and quotes the items of both chunks."""
    snap = corpus_advisor.snapshot
    later = next(snap.hit(c) for c in snap.chunks if lead_in_before(snap.hit(c), snap))
    before, lead = lead_in_before(later, snap) or (later, "")
    first_item = later.text.strip().split("\n")[0].strip()
    ans = extractive_answer(snap, "包括哪些？", "包括哪些？", [later], time.perf_counter())
    assert clean(lead) in ans.conclusion
    assert first_item in ans.text
    assert any(c.chunk_id == before.chunk_id and c.quote != lead for c in ans.citations)  # its items too


def test_a_slide_lead_in_is_followed_by_its_line_even_without_a_full_stop() -> None:
    text = "推进传统产业优化升级：\n\n加快信息技术与实体经济融合应用，实施数字化改造行动\n\n推动数字化绿色化协同发展："
    items = [s for _, s in items_after(_hit(text), "推进传统产业优化升级：", None)]
    assert items == ["加快信息技术与实体经济融合应用，实施数字化改造行动"]
    heading_only = "推进传统产业优化升级：\n\n打造数字产业集群\n\n其他内容。"
    assert items_after(_hit(heading_only), "推进传统产业优化升级：", None) == []


def test_an_item_leads_back_to_the_lead_in_above_it_in_its_chunk(corpus_advisor: Advisor) -> None:
    text = "第六条 服务提供者应当采取下列措施：\n\n（一）核验元数据；\n\n（二）添加提示标识；\n\n（三）提醒用户声明。"
    lead = lead_in_before(_hit(text), corpus_advisor.snapshot, "（二）添加提示标识；")
    assert lead is not None and lead[1] == "第六条 服务提供者应当采取下列措施："
    assert lead_in_before(_hit(text), corpus_advisor.snapshot, "第六条 服务提供者应当采取下列措施：") is None


def test_a_paragraph_that_lists_in_prose_gives_each_items_opening_sentence() -> None:
    text = (
        "要全面推进数字化。一是做强数字经济。培育核心产业。二是发展数字政务。推进一网通办。"
        "三是打造数字文化。\n要强化关键能力。一是构筑创新体系。"
    )
    items = [s for _, s in ordinal_items(_hit(text), "要全面推进数字化。", None)]
    assert items == [
        "一是做强数字经济。",
        "二是发展数字政务。",
        "三是打造数字文化。",
    ]  # not the next paragraph's
    assert ordinal_items(_hit(text), "培育核心产业。", None) == []  # no list starts after it


def test_a_clause_of_a_lead_in_runs_on_to_its_colon() -> None:
    from advisor.qa.spans import whole_sentence

    text = "第五十八条 工作人员有下列情形之一的，依法给予处分；构成犯罪的，依法追究刑事责任：\n（一）甲事项；\n（二）乙事项。"
    lead = whole_sentence(_hit(text), "第五十八条 工作人员有下列情形之一的，依法给予处分；")
    assert lead.endswith("依法追究刑事责任：")
    assert [s for _, s in items_after(_hit(text), lead, None)] == ["（一）甲事项；", "（二）乙事项。"]


def test_a_run_of_alike_lines_is_a_slides_list() -> None:
    """A slide lists without markers: short lines without punctuation that end alike (…体系). A line of
    another kind (a quoted region's label, a sentence) ends the run; lines that do not end alike are no
    list."""
    from advisor.qa.enumeration import parallel_lines

    text = (
        "推动数字化绿色化协同发展：\n\n在推进数字化转型过程中，实现绿色化发展。\n\n"
        "建设泛在智联的数字基础设施体系\n建立高效利用的数据要素资源体系\n培育先进安全的数字产业体系\n"
        "打造协同高效的数字政府服务体系\n\n> 山东省\n加大数字新型基础设施建设力度。"
    )
    items = [line for _, line in parallel_lines(_hit(text), "培育先进安全的数字产业体系")]
    assert items == [
        "建设泛在智联的数字基础设施体系",
        "建立高效利用的数据要素资源体系",
        "打造协同高效的数字政府服务体系",
    ]
    assert parallel_lines(_hit(text), "在推进数字化转型过程中，实现绿色化发展。") == []
    unlike = "建设数字基础设施体系\n打造产业集群\n培育龙头企业"
    assert parallel_lines(_hit(unlike), "打造产业集群") == []


@pytest.mark.integration
def test_a_sentence_that_lists_the_items_answers_before_a_family_of_sections(corpus_advisor: Advisor) -> None:
    # the question names the report's methodology (a family of sections 3.1–3.5), but asks for the roles
    # one sentence of §3.1 lists: the roles are the answer, not the family's headings
    answer = corpus_advisor.ask("按报告的培育方法论，新一代人工智能产业体系里的核心角色有哪几类？")
    assert all(role in answer.text for role in ("供给方", "需求方", "学研方", "投资方", "政府方")), (
        answer.text
    )


def test_a_list_may_end_with_and() -> None:
    from advisor.retrieval.figures import lists_items

    assert lists_items("着力培养数字战略科学家、数字领军人才、数字技术人才和技能人才")
    assert not lists_items("根据风险等级、应用场景、影响范围实施分级分类监管")  # three criteria


def test_a_long_heading_is_matched_by_its_words_not_its_word_order() -> None:
    from advisor.qa.enumeration import HEADING_COVERAGE, heading_match

    heading = "实施路径重点关注环节"
    assert heading_match(heading, "在实施路径上，地方政府要重点抓哪几个环节？") >= HEADING_COVERAGE
    assert heading_match(heading, "产业链布局要关注什么？") < HEADING_COVERAGE
    # a heading of three words: every pair counts, its word order too
    assert heading_match("（二）数据要素市场", "数据市场的要素有哪些？") < HEADING_COVERAGE


def test_a_lead_in_quoted_as_a_point_goes_on_through_its_items() -> None:
    items = [
        "（一）公共数据经授权运营加工形成的数据产品；",
        "（二）国有企业采购的数据服务；",
        "（三）其他数据工具。",
    ]
    lead = "第十四条 鼓励以下情形的数据交易标的在场所内进行交易："
    text = "\n".join([lead, *items, "第十五条 运营机构应当建立交易规则。"])
    hit = Hit(chunk_id="c", doc_id="d", title="某办法", section="第十四条", text=text, score=1.0)
    quoted = with_items(hit, lead)
    assert quoted in text and quoted.startswith(lead)
    assert all(i in quoted for i in items) and "第十五条" not in quoted
    assert with_items(hit, "第十五条 运营机构应当建立交易规则。") == "第十五条 运营机构应当建立交易规则。"
    # a long list is cut after the last item that fits, never inside one
    long_items = [f"（{n}）{'数据交易标的的具体情形说明' * 3}；" for n in "一二三四五六七八"]
    text = "\n".join([lead, *long_items])
    hit = hit.model_copy(update={"text": text})
    quoted = with_items(hit, lead)
    assert len(quoted) <= LEAD_IN_CHARS and quoted.endswith("；") and long_items[0] in quoted


def test_a_run_of_marked_paragraphs_after_a_head_without_colon_is_its_list() -> None:
    text = "到2025年，数字经济迈向全面扩展期。\n\n——数据要素市场体系初步建立。数据资源体系基本建成。\n\n——产业数字化转型迈上新台阶。\n\n展望2035年，迈向繁荣成熟期。"
    hit = _hit(text)
    got = [item for _, item in marked_run_after(hit, "到2025年，数字经济迈向全面扩展期。", None)]
    assert got == ["——数据要素市场体系初步建立。数据资源体系基本建成。", "——产业数字化转型迈上新台阶。"]
    single = "总体目标如下。\n——只有一项。\n普通段落。"
    assert marked_run_after(_hit(single), "总体目标如下。", None) == []


def test_a_list_question_over_goals_without_colon_lists_every_goal(corpus_advisor: Advisor) -> None:
    """Real corpus: the plan's 2025 goals are paragraphs marked —— after a sentence without a colon."""
    path = next((PROJECT_ROOT / "corpus" / "policies").glob("11-*.md"))
    goals = re.findall(r"(?m)^——([^。]+)。", path.read_text(encoding="utf-8"))
    assert len(goals) >= 4
    answer = corpus_advisor.ask(
        "十四五数字经济规划说到2025年数字经济迈向全面扩展期，具体包括哪几项？", provider="extractive"
    )
    assert answer.grounded
    assert all(g in answer.text for g in goals)


def test_an_item_is_no_lead_of_its_sibling_items() -> None:
    text = "第四条 应当遵守以下规定：\n（一）坚持正确方向；\n（二）采取有效措施；\n（三）尊重知识产权；\n（四）尊重他人合法权益；"
    assert marked_run_after(_hit(text), "（二）采取有效措施；", None) == []


def test_an_item_quoted_alone_gets_its_whole_lead_in_before_it_once() -> None:
    lead = (
        "第六十一条 有关部门及其工作人员有下列行为之一的，由有权机关责令改正；"
        "情节严重的，对直接负责的主管人员依法给予处分："
    )
    text = f"第六十条 前一条。\n\n{lead}\n\n（一）未按规定编制目录的；\n\n（二）未按规定履行公共数据共享和开放职责的；"
    hit = _hit(text)
    points = [
        (hit, "（二）未按规定履行公共数据共享和开放职责的；", "第六十一条"),
        (hit, "（一）未按规定编制目录的；", ""),
    ]
    led = with_lead_ins(points, None)
    assert [s for _, s, _ in led] == [lead, points[0][1], points[1][1]]  # the whole sentence, before, once
    # … a sentence that is no item, or an item whose lead-in is already shown, gets none
    assert [s for _, s, _ in with_lead_ins([(hit, "第六十条 前一条。", "")], None)] == ["第六十条 前一条。"]
    assert [s for _, s, _ in with_lead_ins([(hit, lead, ""), points[0]], None)] == [lead, points[0][1]]
