"""Mentions in passing (advisor.diagnose.passing): an enumeration item among other things and a
reference to another plan are not what a sentence is about; a list of the element's own items, an
item with its own action and a word right after an action word are."""

from __future__ import annotations

from advisor.diagnose.checklist import load_checklist
from advisor.diagnose.passing import acted_on, in_passing, named_body


def _terms(element_id: str) -> list[str]:
    e = next(e for e in load_checklist().elements if e.id == element_id)
    return e.strong + e.keywords


def test_a_field_in_a_list_of_other_fields_is_in_passing() -> None:
    text = "支持网络安全、数据安全、算法安全技术和软硬件产品的研发应用。"
    assert in_passing("算法安全", text, _terms("duty-algorithm"))
    text = "推动人工智能在农业、制造业、建筑、能源、金融、医疗等产业领域的应用。"
    assert in_passing("能源", text, _terms("layer-energy"))


def test_a_list_of_the_elements_own_items_is_about_it() -> None:
    text = "加快建设智算中心、数据中心、超算中心等算力基础设施。"
    assert not in_passing("智算中心", text, _terms("step-infra"))


def test_an_item_that_carries_its_own_action_is_a_measure() -> None:
    text = "鼓励行业协会参与规划编制、技术标准制定、科学普及等工作。"
    assert not in_passing("技术标准", text, _terms("duty-standards"))


def test_a_word_acted_on_outside_any_list_is_not_in_passing() -> None:
    text = "市人民政府应当制定人工智能产业发展规划，明确发展目标。"
    assert not in_passing("发展规划", text, _terms("step-market"))
    assert not in_passing("发展规划", "第三条 制定产业发展规划。", _terms("step-market"))


def test_a_reference_to_another_plan_is_in_passing() -> None:
    text = "新建道路应当按照本市交通发展规划要求，与路侧设施建设衔接。"
    assert in_passing("发展规划", text, _terms("step-market"))
    # 符合条件 names no instrument: the word after it is not a reference
    text = "符合条件的社会资本可以参与投资、建设和运营。"
    assert not in_passing("社会资本", text, _terms("role-investor"))


def test_every_occurrence_must_be_in_passing() -> None:
    text = "支持网络安全、数据安全、算法安全技术研发；落实算法安全主体责任。"
    assert not in_passing("算法安全", text, _terms("duty-algorithm"))
    assert not in_passing("算法安全", "本条无关。", _terms("duty-algorithm"))


def test_a_word_right_after_an_action_is_acted_on() -> None:
    assert acted_on("数据中心", "加快建设数据中心。")
    assert acted_on("投资", "设立投资引导机制。")
    assert not acted_on("投资", "积极培育数字经济细分领域专业投资机构。")
    assert not acted_on("数据中心", "数据中心的用语含义。")


def test_a_word_inside_a_title_is_in_passing_and_not_acted_on() -> None:
    text = "提供者应当按照《互联网信息服务深度合成管理规定》对生成内容进行标识。"
    assert in_passing("深度合成", text, _terms("duty-deep-synthesis"))
    assert not acted_on("深度合成", "依法执行《关于建设深度合成平台的规定》。")


def test_a_negated_or_modifying_action_is_no_measure() -> None:
    assert not acted_on("融资", "运营机构不得对外提供融资。")
    assert acted_on("融资", "为中小企业提供融资服务。")
    assert not acted_on("投入", "鼓励企业加大研发投入。")  # 研发 modifies 投入


def test_a_word_naming_a_government_body_is_not_a_topic() -> None:
    text = "市网信、教育、交通运输、金融监管等部门在各自职责范围内履行监管职责。"
    assert named_body("交通", text) and named_body("金融", text)
    assert named_body("金融", "地方金融监管部门应当加强监督。")
    assert not named_body("金融", "地方金融监管部门应当推动数字金融体系建设。")  # the second 金融 is a topic
    assert not named_body("高校", "设立由高校、科研机构、企业、相关部门的专家组成的委员会。")
    assert not named_body("交通", "推动交通领域数字化转型。")
