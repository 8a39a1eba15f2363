"""A topic a region's texts name in other words is found through the clauses other texts name it in:
real ingest (Chroma on a temp dir, the real embedder) of three small regions' regulations."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.compare.bridges import bridge_words, exemplars
from advisor.compare.cache import caching
from advisor.compare.measures import find_measures
from advisor.compare.topics import topic as to_topic
from advisor.service import Advisor
from advisor.settings import Settings

# Articles on everything else a regulation covers: the article on the topic must stand out among them.
FILLER = [
    "市人民政府应当统筹推进算力基础设施建设，支持建设智能计算中心和边缘计算节点。",
    "鼓励企业开放数据资源，依法开展数据交易，培育数据要素市场。",
    "对引进的高层次人才，在住房、子女入学、医疗保障等方面给予支持。",
    "设立人工智能产业投资基金，引导社会资本投向初创企业。",
    "市有关部门应当定期发布应用场景清单，组织供需对接活动。",
    "支持龙头企业牵头组建创新联合体，承担重大科技攻关任务。",
    "鼓励高等学校设置人工智能相关专业，扩大研究生培养规模。",
    "建立人工智能产品质量检测认证体系，推动标准制定和实施。",
    "加强网络安全等级保护，落实关键信息基础设施安全保护责任。",
    "推动智能网联汽车道路测试，有序开放测试道路和区域。",
    "支持医疗机构应用辅助诊断系统，提升基层医疗服务能力。",
    "推进智慧教育平台建设，促进优质教育资源共享。",
    "鼓励金融机构开发知识产权质押融资产品，降低企业融资成本。",
    "推动制造业企业开展智能化改造，建设智能工厂和数字化车间。",
    "加强能源保障，对数据中心实行用电价格优惠政策。",
    "支持举办国际性人工智能会议和展览，促进对外交流合作。",
    "建立人工智能伦理审查机制，防范算法歧视和隐私泄露风险。",
    "推进政务服务智能化，提高行政审批效率和群众满意度。",
    "支持建设开源社区和公共训练数据集，降低中小企业研发门槛。",
    "鼓励企业参与制定国际标准，提升产业国际竞争力。",
    "完善土地供应政策，优先保障重大产业项目用地需求。",
    "加强知识产权保护，依法查处侵犯商业秘密的行为。",
    "推动农业生产智能化，推广智能农机和精准灌溉技术。",
    "鼓励发展智能家居和可穿戴设备等消费电子产品。",
]
TOLERANCE = (
    "本市有关单位和个人在推进改革中出现失误，但勤勉尽责、未牟取私利的，不作负面评价。"  # 甲市: no 容错
)
EXEMPLAR = (  # 乙市 names the topic
    "建立创新容错机制。对改革创新、先行先试未取得预期效果但符合程序规定、勤勉尽责、未谋取私利的，可以免除责任。"
)
# 甲市's articles near it in meaning, so that meaning alone does not single it out
NEAR = [
    "深化科技体制改革，完善科技人员考核评价制度。",
    "建立健全责任追究制度，对失职渎职行为依法追究责任。",
    "推进改革试点，及时总结推广改革经验。",
    "对科研项目实行包干制，赋予科研人员更大经费使用自主权。",
]
NUMERALS = "一二三四五六七八九十"


def _numeral(n: int) -> str:
    return (
        NUMERALS[n - 1]
        if n <= 10
        else f"{'' if n < 20 else NUMERALS[n // 10 - 1]}十{'' if n % 10 == 0 else NUMERALS[n % 10 - 1]}"
    )


def _regulation(region: str, extra: list[str]) -> str:
    body = "\n\n".join(f"第{_numeral(i + 1)}条 {text}" for i, text in enumerate([*FILLER, *extra]))
    return (
        f"---\ntitle: {region}科技创新条例\nissuer: {region}人民代表大会常务委员会\ndate: 2023-01-01\n"
        f"level: city\nregion: {region}\nkind: 条例\n---\n# {region}科技创新条例\n\n{body}\n"
    )


@pytest.fixture(scope="module")
def lib(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("bridges")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, region, extra in [
        ("a", "甲市", [*NEAR, TOLERANCE]),
        ("b", "乙市", [EXEMPLAR]),
        ("c", "丙市", []),
    ]:
        (corpus / f"{name}.md").write_text(_regulation(region, extra), encoding="utf-8")
    adv = Advisor(
        settings=Settings(data_dir=root / "data", corpus_dir=Path(corpus), llm_provider="extractive")
    )
    adv.ingest()
    return caching(adv.retriever())


@pytest.mark.integration
def test_a_region_saying_the_topic_in_other_words_has_it(lib) -> None:  # type: ignore[no-untyped-def]
    t = to_topic("容错免责")
    found = exemplars(lib.snapshot, t, "甲市")
    assert len(found) == 1 and found[0][1].endswith(EXEMPLAR)  # 乙市's article, the one naming it
    measures = find_measures(lib, "甲市", "容错免责")
    assert len(measures) == 1 and measures[0].quote.endswith(TOLERANCE)
    assert all(m.region == "甲市" and m.quote in lib.snapshot.chunks[m.chunk_id].text for m in measures)


@pytest.mark.integration
def test_a_region_not_saying_it_at_all_stays_empty(lib) -> None:  # type: ignore[no-untyped-def]
    assert find_measures(lib, "丙市", "容错免责") == []


@pytest.mark.integration
def test_only_rare_phrases_near_the_topic_bridge(lib) -> None:  # type: ignore[no-untyped-def]
    t = to_topic("容错免责")
    doc = next(d for d, meta in lib.snapshot.docs.items() if meta.region == "乙市")
    words = bridge_words(lib.snapshot, t, doc, EXEMPLAR, TOLERANCE)
    assert "勤勉尽责" in words
    assert not {"本市有关", "有关单位"} & words  # not in the exemplar
    everywhere = bridge_words(lib.snapshot, t, doc, EXEMPLAR + "市人民政府应当", "市人民政府应当")
    assert not everywhere  # every region's text says it
    # a phrase listed beside the topic's word is another item of the list, not what the topic is
    listed = "完善容错免责、先行先试、预期效果评估等制度。"
    assert "先行先试" in listed and not bridge_words(
        lib.snapshot, t, doc, listed, "推进先行先试和预期效果评估。"
    )
