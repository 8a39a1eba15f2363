"""A count the text names without listing its items: the question asking for the items is unanswered,
while a count whose items follow (a lead-in, a heading, the sentence itself) still answers. Pure rules:
no index."""

from __future__ import annotations

from advisor.retrieval.counted import count_not_listed
from advisor.types import Hit


def _hit(text: str, section: str = "") -> Hit:
    return Hit(chunk_id="c", doc_id="d", title="某省发展规划", section=section, text=text, score=1.0)


def test_a_count_named_but_never_listed_has_no_items() -> None:
    top = [_hit("五大平台的协同正在推动园区提质增效\n\n图：平台协同示意图")]
    assert count_not_listed("规划里说的五大平台分别是哪五个？", top)
    assert count_not_listed("这五大平台都有什么？", top)


def test_a_count_whose_items_are_given_answers() -> None:
    listed = [_hit("明确园区建设的五大平台：孵化、检测、金融、人才和数据平台")]
    assert not count_not_listed("规划里说的五大平台分别是哪五个？", listed)
    in_sentence = [_hit("建设孵化平台、检测平台、金融平台、人才平台和数据平台等五大平台。")]
    assert not count_not_listed("五大平台分别是哪五个？", in_sentence)
    # a heading counts its sections' items: they follow it, one section each
    heading = [_hit("Part 03 园区建设五大平台\n\n3.1 孵化平台", section="目录")]
    assert not count_not_listed("五大平台分别是哪五个？", heading)


def test_a_question_without_a_count_or_not_asking_items_is_left_alone() -> None:
    top = [_hit("五大平台的协同正在推动园区提质增效")]
    assert not count_not_listed("五大平台的协同有什么作用", [_hit("平台协同推动提质增效")])
    assert not count_not_listed("规划提出建设几个平台？", top)  # asks the count itself
    assert not count_not_listed("规划里的三大工程分别是什么？", top)  # another count of another thing


def test_items_the_question_already_names_leave_nothing_else() -> None:
    named_two = [_hit("重点培育包括智能装备集群、新材料集群等8个先进制造业集群。")]
    asked = "除了智能装备集群、新材料集群，剩下6个集群是哪些？"
    assert count_not_listed(asked, named_two)
    named_all = [_hit("重点培育智能装备集群、新材料集群、生物医药集群和新能源集群。")]
    assert not count_not_listed(asked, named_all)
    # a sentence that names only one of them is about something else
    assert not count_not_listed(asked, [_hit("智能装备集群规模居全国前列。")])


def test_the_rest_of_a_list_closed_with_its_count_is_not_in_the_text() -> None:
    # the list is the clause before 等: the sentence's other clauses are no items of it, and the noun
    # counted may stand further on in the clause (6个…的先进制造业集群)
    two_of_six = [
        _hit("面向2025年，坚持创新引领，全力打造包括智能装备集群、新材料集群等6个国内领先的先进制造业集群。")
    ]
    assert count_not_listed("那6个先进制造业集群分别是哪几个？", two_of_six)
    assert count_not_listed("规划说要打造6个先进制造业集群，另外4个集群分别是什么？", two_of_six)
    all_six = [
        _hit("全力打造包括智能装备、新材料、生物医药、新能源、软件和数字创意等6个国内领先的先进制造业集群。")
    ]
    assert not count_not_listed("那6个先进制造业集群分别是哪几个？", all_six)
    assert not count_not_listed("规划说要打造6个先进制造业集群，另外4个集群分别是什么？", all_six)


def test_laws_and_articles_are_counted_in_their_own_measure_words() -> None:
    # 七件法规, 三部条例, 五条措施: counted like 七大能力
    amended = [_hit("根据《关于修改〈某某条例〉等七件地方性法规的决定》修正")]
    assert count_not_listed("那次一并修改的七件地方性法规分别是哪七件？", amended)
    listed = [_hit("明确五条措施：减税、降费、贴息、担保和奖励。")]
    assert not count_not_listed("五条措施分别是什么？", listed)
