"""The matching rules of advisor.diagnose.match on short drafts written for these tests, with an
embedder whose vectors fit every element alike (so no sentence is confirmed by meaning): what a
sentence must show to be evidence of an element."""

from __future__ import annotations

import numpy as np

from advisor.diagnose.checklist import load_checklist
from advisor.diagnose.draft import draft_from_text
from advisor.diagnose.match import Match, match_all, shared_terms


class FlatEmbedder:
    """Every text gets the same vector: relative similarity is 0 for every element."""

    name = "flat"

    def embed_query_vector(self, text: str) -> np.ndarray:
        return np.ones(8, dtype=np.float32)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 8), dtype=np.float32)


def _match(body: str) -> dict[str, Match]:
    elements = load_checklist().elements
    draft = draft_from_text(f"# 星河市试行办法\n\n{body}", "星河市试行办法")
    return {m.element.id: m for m in match_all(elements, draft, FlatEmbedder())}  # type: ignore[arg-type]


def test_a_distinctive_strong_word_is_evidence_on_its_own() -> None:
    assert _match("第一条 建设城市智算中心。")["step-infra"].status != "缺失"


def test_two_domain_words_are_not_the_elements_aspect() -> None:
    m = _match("第一条 数据资源规模加快提升，数字安全保障能力全面提升，数字治理体系更加完善。")
    assert m["layer-security"].status == "缺失"  # 安全 and 治理 name the domain, nothing acts on them
    assert m["eval-monitoring"].status == "缺失"


def test_a_qualified_generic_head_is_not_the_element() -> None:
    m = _match("第一条 推动重大科技基础设施建设与前沿研究深度融合。")
    assert m["step-infra"].status == "缺失"  # science facilities, not digital infrastructure
    assert _match("第一条 加快数字基础设施建设。")["step-infra"].status != "缺失"


def test_a_scope_exclusion_is_not_evidence() -> None:
    m = _match("第二条 高等学校、科研机构研发、应用人工智能技术，未向公众提供服务的，不适用本办法。")
    assert m["step-rnd"].status == "缺失" and m["layer-application"].status == "缺失"


def test_a_prohibition_is_not_a_measure() -> None:
    m = _match("第三条 运营机构不得对外提供融资、融资担保。")
    assert m["step-capital"].status == "缺失" and m["role-investor"].status == "缺失"
    assert _match("第三条 设立专项资金，为初创企业提供融资担保。")["step-capital"].status != "缺失"


def test_words_of_several_elements_do_not_single_one_out() -> None:
    shared = shared_terms(load_checklist().elements)
    assert {"融资", "云计算", "关键技术"} <= shared and "智算中心" not in shared
    assert "算力" not in shared  # the compute layer's own word (step-infra has 算力基础设施, 算力中心 …)
    assert _match("第五条 推动算力、数据资源集约化发展。")["layer-compute"].status != "缺失"


def test_a_measure_on_a_shared_word_does_not_single_out_an_element() -> None:
    m = _match("第四条 对去标识化技术进行安全评估。")
    assert m["duty-genai"].status == "缺失"  # 安全评估 is also the security layer's word


def test_a_regulated_service_must_be_named_for_its_duty() -> None:
    m = _match("第一条 信息系统的运营单位应当按照有关规定进行备案。")
    assert m["duty-genai"].status == "缺失"  # filing of information systems, not of a generative-AI service
    named = _match("第一条 支持本市企业研发大模型。\n\n第二条 服务提供者应当按照有关规定进行备案。")
    assert named["duty-genai"].status != "缺失"
    assert _match("第一条 车辆应当设置明显的标识。")["duty-labeling"].status == "缺失"
    generated = _match("第一条 服务提供者应当对生成内容进行标识。")
    assert generated["duty-labeling"].status != "缺失"


def test_a_guiding_principle_is_not_a_measure() -> None:
    m = _match("第四条 坚持科技创新服务民生改善，服务超大城市治理。")
    assert m["layer-application"].status == "缺失"
    assert (
        _match("第四条 推进人工智能在城市治理、医疗等领域的融合应用。")["layer-application"].status != "缺失"
    )
