"""Exports of plans and answers: Markdown, DOCX (real python-docx files), JSON, and rendered pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from advisor.render.common import NOT_COVERED_HEADER, UNSUPPORTED_MARK, chinese_numeral
from advisor.render.docx import plan_to_docx
from advisor.render.jsonfile import answer_to_json, plan_to_json
from advisor.render.labeling import (
    ANSWER_LABEL,
    DOCUMENT_LABEL,
    PRODUCT,
    content_id,
    docx_visible_text,
    read_docx_custom_properties,
    strip_front_matter,
    verify_file,
)
from advisor.render.markdown import (
    answer_body_markdown,
    answer_label_markdown,
    answer_related_markdown,
    answer_sources_markdown,
    answer_to_markdown,
    plan_markdown_body,
    plan_to_markdown,
)
from advisor.types import Answer, Citation, Plan, PlanSection, Recommendation

AI_PLUS = dict(
    doc_id="a1b2c3d4e5f60718",
    title="国务院关于深入实施“人工智能+”行动的意见",
    issuer="国务院",
    doc_number="国发〔2025〕11号",
    date="2025-08-21",
    level="national",
)
SHENZHEN = dict(
    doc_id="5e6f7a8b9c0d1e2f",
    title="深圳经济特区人工智能产业促进条例",
    issuer="深圳市人民代表大会常务委员会",
    date="2022-08-30",
    level="city",
)
STANDARDS = dict(
    doc_id="0f1e2d3c4b5a6978",
    title="国家人工智能产业综合标准化体系建设指南（2024版）",
    issuer="工业和信息化部等四部门",
    doc_number="工信部联科〔2024〕113号",
    date="2024-06-05",
    level="national",
)
DIGITAL = dict(
    doc_id="9a8b7c6d5e4f3a2b",
    title="“十四五”数字经济发展规划",
    issuer="国务院",
    doc_number="国发〔2021〕29号",
    date="2021-12-12",
    level="national",
)
JIAZI = dict(
    doc_id="77aa88bb99cc00dd",
    title="地方政府培育人工智能产业的策略建议",
    issuer="甲子光年智库",
    date="2023-08",
    level="think-tank",
)


def _cite(n: int, doc: dict, section: str, quote: str) -> Citation:
    return Citation(n=n, chunk_id=f"{doc['doc_id']}-{n:03d}", section=section, quote=quote, **doc)


def sample_citations() -> list[Citation]:
    return [
        _cite(
            1,
            AI_PLUS,
            "三、强化基础支撑能力 > （九）强化智能算力统筹",
            "优化国家智算资源布局，完善全国一体化算力网，充分发挥“东数西算”国家枢纽作用，加大数、算、电、网等资源协同。",
        ),
        _cite(
            2,
            AI_PLUS,
            "三、强化基础支撑能力 > （十二）加强人才队伍建设",
            "推进人工智能全学段教育和全社会通识教育，完善学科专业布局，加大高层次人才培养力度",
        ),
        _cite(
            3,
            SHENZHEN,
            "第一章 总则 > 第十条",
            "对人工智能产业实行包容审慎监管。针对人工智能新技术、新产业、新业态、新模式等特点制定相应的监管规则和标准，实行分类分级监管。",
        ),
        _cite(
            4,
            STANDARDS,
            "二、建设目标",
            "到2026年，标准与产业科技创新的联动水平持续提升，新制定国家标准和行业标准50项以上",
        ),
        _cite(5, DIGITAL, "二、总体要求", "数据要素是数字经济深化发展的核心引擎。"),
        _cite(
            6,
            JIAZI,
            "4.2 地方政府培育AI产业四项具体举措",
            "政府方更注重在AI安全层、能源层和算力层的布局与推动",
        ),
        _cite(
            7,
            SHENZHEN,
            "第二章 基础研究与技术开发 > 第十二条",
            "推动人工智能产品和服务的普及应用，提高全社会人工智能的应用意识和能力，推进经济社会智能化发展。",
        ),
    ]


def _rec(title: str, detail: str, actor: str, horizon: str, cites: list[int], supported: bool = True):
    return Recommendation(
        title=title, detail=detail, actor=actor, horizon=horizon, citations=cites, supported=supported
    )


def sample_plan() -> Plan:
    sections = [
        PlanSection(
            key="situation",
            title="形势与机遇",
            summary="国家层面正深入实施“人工智能+”行动，智能算力、数据要素与标准体系建设同步推进，为中部城市承接产业布局、培育应用场景提供了窗口期。",
            recommendations=[
                _rec(
                    "把握全国一体化算力网布局机遇",
                    "对接国家枢纽节点，争取区域智算资源调度试点，统筹数、算、电、网协同。",
                    "市发展改革委",
                    "近期（1年内）",
                    [1],
                ),
                _rec(
                    "以数据要素为牵引谋划产业布局",
                    "梳理公共数据资源目录，明确可开放、可授权运营的数据集。",
                    "市数据资源局",
                    "近期（1年内）",
                    [5],
                ),
            ],
        ),
        PlanSection(
            key="base",
            title="产业基础与差距",
            summary="本市在智能语音、集成电路等领域已有一定积累，但模型层企业数量、算力自给率与高层次人才储备仍需补强。",
            recommendations=[
                _rec(
                    "开展人工智能产业链摸底",
                    "按基础层、框架层、模型层、应用层建立企业清单和短板清单，每半年更新。",
                    "市经济和信息化局",
                    "近期（1年内）",
                    [4],
                ),
            ],
            notes=["本市规模以上人工智能企业数量与营收（请填写统计部门最新数据）"],
        ),
        PlanSection(
            key="positioning",
            title="发展定位与目标",
            summary="立足既有优势，建议以“场景开放＋算力支撑＋标准引领”为主线，形成区域特色人工智能产业集群。",
            recommendations=[
                _rec(
                    "明确政府在产业链中的角色分工",
                    "政府重点布局安全、能源与算力等公共基础层，供给方与需求方分别在模型层和应用层发力。",
                    "市人民政府办公厅",
                    "近期（1年内）",
                    [6],
                ),
                _rec(
                    "设定到2027年的量化目标",
                    "包括智能算力规模、重点企业数量与标杆应用场景数量等指标。",
                    "市发展改革委",
                    "中期（1—3年）",
                    [],
                    supported=False,
                ),
            ],
        ),
        PlanSection(
            key="tasks",
            title="重点任务",
            summary="围绕基础研究、技术攻关与应用推广三条线同步发力。",
            recommendations=[
                _rec(
                    "推动人工智能产品和服务普及应用",
                    "在政务服务、制造、医疗、教育等领域发布首批应用场景清单，以场景带动企业集聚。",
                    "市科技局",
                    "中期（1—3年）",
                    [7],
                ),
                _rec(
                    "参与国家与行业标准制定",
                    "支持本地龙头企业牵头或参与人工智能国家标准、行业标准制定，开展标准宣贯。",
                    "市市场监管局",
                    "中期（1—3年）",
                    [4],
                ),
            ],
        ),
        PlanSection(
            key="compute_data",
            title="算力与数据要素",
            summary="算力与数据是人工智能产业的基础层，应统筹建设、集约利用。",
            recommendations=[
                _rec(
                    "建设城市智算资源调度平台",
                    "整合政府、高校与企业算力资源，推动智能算力供需匹配与普惠使用。",
                    "市数据资源局",
                    "中期（1—3年）",
                    [1, 6],
                ),
                _rec(
                    "培育数据要素市场",
                    "探索公共数据授权运营，建设行业高质量数据集。",
                    "市数据资源局",
                    "中期（1—3年）",
                    [5],
                ),
            ],
        ),
        PlanSection(
            key="talent",
            title="人才与生态",
            summary="人才是产业竞争的关键，需要产教融合与引育并举。",
            recommendations=[
                _rec(
                    "推进人工智能产教融合",
                    "支持本地高校完善人工智能学科专业布局，与龙头企业共建实训基地。",
                    "市教育局、市人力资源社会保障局",
                    "长期（3年以上）",
                    [2],
                ),
            ],
        ),
        PlanSection(
            key="safeguards",
            title="保障措施",
            summary="完善包容审慎的监管方式，守住安全底线。",
            recommendations=[
                _rec(
                    "实行包容审慎与分类分级监管",
                    "针对新技术、新业态制定相应监管规则，对生成合成内容落实标识要求。",
                    "市委网信办、市市场监管局",
                    "近期（1年内）",
                    [3],
                ),
            ],
            notes=["本市人工智能产业专项资金规模（请财政部门确认）"],
        ),
    ]
    return Plan(
        city="合肥市",
        province="安徽省",
        title="合肥市人工智能产业发展规划建议",
        sections=sections,
        citations=sample_citations(),
        notes=["本建议基于现有政策文件与智库报告自动生成，统计数据需由相关部门核实补充。"],
        provider="extractive",
        model="",
        created="2025-09-15T10:30:00+08:00",
    )


def sample_answer(grounded: bool = True) -> Answer:
    cites = sample_citations()[:2]
    if not grounded:
        return Answer(
            question="合肥市2024年人工智能产业营收是多少？",
            text="现有资料未覆盖该问题。",
            conclusion="现有资料中没有合肥市2024年人工智能产业营收的数据，无法回答。",
            grounded=False,
            provider="extractive",
            related=["“十四五”数字经济发展规划"],
        )
    return Answer(
        question="地方政府如何布局智能算力？",
        text="结论……",
        conclusion="应对接全国一体化算力网，统筹数、算、电、网资源，并以人才培养作支撑[1][2]。",
        recommendations=[
            _rec("对接国家算力枢纽", "争取区域智算资源调度试点。", "市发展改革委", "", [1]),
            _rec("加强人才培养", "完善学科专业布局。", "", "", [2]),
        ],
        citations=cites,
        provider="local",
        model="qwen2.5-coder-1.5b-instruct",
        notice="本地模型响应超时，已改用抽取式回答。",
    )


# ------------------------------------------------------------------ Markdown


def test_chinese_numerals():
    assert [chinese_numeral(n) for n in (1, 7, 10, 11, 20, 23)] == [
        "一",
        "七",
        "十",
        "十一",
        "二十",
        "二十三",
    ]


def test_plan_markdown_front_matter_label_and_appendix():
    plan = sample_plan()
    md = plan_to_markdown(plan)
    assert md.startswith("---\n")
    fm_text, body = md[4:].split("\n---\n", 1)
    meta = yaml.safe_load(fm_text)
    assert meta["ai_generated"] is True
    assert meta["label"] == DOCUMENT_LABEL
    assert meta["product"] == PRODUCT
    assert meta["content_id"] == content_id(body) == content_id(md)
    assert meta["generated_at"] == "2025-09-15T10:30:00+08:00"
    assert meta["corpus_docs"] == sorted({c.doc_id for c in plan.citations})
    # the explicit label is the first visible line
    assert body.lstrip("\n").splitlines()[0] == f"> {DOCUMENT_LABEL}"
    assert "# 合肥市人工智能产业发展规划建议" in body
    assert "安徽省合肥市" in body and "2025年9月15日" in body and "草案" in body
    for i, s in enumerate(plan.sections, start=1):
        assert f"## {chinese_numeral(i)}、{s.title}" in body
    assert "## 七、保障措施" in body
    assert "1. **把握全国一体化算力网布局机遇**：" in body
    # 牵头/时限 stay inside the same list item, after a hard line break
    assert re.search(
        r"^1\. \*\*把握全国一体化算力网布局机遇\*\*：.+\[1\]\\\n   牵头：市发展改革委；时限：近期（1年内）$",
        body,
        re.M,
    )
    assert re.search(
        r"^\d+\. \*\*设定到2027年的量化目标\*\*[^\n]*" + re.escape(UNSUPPORTED_MARK) + r"\\?$", body, re.M
    )
    assert "- 待补充：本市规模以上人工智能企业数量与营收" in body
    appendix = body.split("## 依据文件", 1)[1]
    for c in plan.citations:
        assert f"[{c.n}]" in appendix and c.quote in appendix
    # each document listed once, with its facts
    assert appendix.count("《深圳经济特区人工智能产业促进条例》") == 1
    assert "国发〔2025〕11号" in appendix and "国家级" in appendix and "智库报告" in appendix
    assert "（见：一、形势与机遇，五、算力与数据要素）" in appendix
    assert "本建议基于现有政策文件" in body.split("## 说明", 1)[1]


def test_plan_markdown_is_deterministic():
    plan = sample_plan()
    assert plan_to_markdown(plan) == plan_to_markdown(plan)  # created is fixed → identical exports


def test_answer_markdown_grounded():
    md = answer_to_markdown(sample_answer())
    assert "**结论**：应对接全国一体化算力网" in md
    assert "1. **对接国家算力枢纽**：争取区域智算资源调度试点。（牵头：市发展改革委）[1]" in md
    assert "2. **加强人才培养**：完善学科专业布局。[2]" in md
    assert (
        "- [1] 《国务院关于深入实施“人工智能+”行动的意见》 三、强化基础支撑能力 > （九）强化智能算力统筹 — “优化国家智算资源布局"
        in md
    )
    assert "> 提示：本地模型响应超时，已改用抽取式回答。" in md
    assert md.rstrip().endswith(f"> {ANSWER_LABEL}")
    assert NOT_COVERED_HEADER not in md
    assert not md.startswith("---")


def test_answer_markdown_not_grounded():
    md = answer_to_markdown(sample_answer(grounded=False))
    assert md.startswith(f"### {NOT_COVERED_HEADER}")
    assert "无法回答" in md and "《“十四五”数字经济发展规划》" in md
    assert md.rstrip().endswith(f"> {ANSWER_LABEL}")


@pytest.mark.parametrize("grounded", [True, False])
def test_answer_markdown_is_its_parts_joined(grounded: bool):
    answer = sample_answer(grounded=grounded)
    body, sources = answer_body_markdown(answer), answer_sources_markdown(answer)
    related, label = answer_related_markdown(answer), answer_label_markdown()
    parts = [p for p in (body, sources, related, label) if p]
    assert answer_to_markdown(answer) == "\n\n".join(parts) + "\n"
    assert "**依据**" not in body and ANSWER_LABEL not in body and "可参考的相关资料" not in body
    assert label == f"> {ANSWER_LABEL}"
    if grounded:
        assert sources.startswith("**依据**") and all(c.quote[:8] in sources for c in answer.citations)
        assert related == ""
    else:
        assert sources == "" and related.startswith("**可参考的相关资料**")


def test_plan_markdown_file_is_front_matter_and_body():
    plan = sample_plan()
    body = plan_markdown_body(plan)
    assert plan_to_markdown(plan).endswith("\n" + body)
    assert strip_front_matter(plan_to_markdown(plan)).lstrip("\n") == body


def test_answer_markdown_file_with_front_matter_verifies(tmp_path: Path):
    path = tmp_path / "answer.md"
    path.write_text(answer_to_markdown(sample_answer(), front_matter=True), encoding="utf-8")
    report = verify_file(path)
    assert report.produced_by_advisor and report.intact and report.explicit_label
    assert report.metadata["label"] == ANSWER_LABEL
    assert report.metadata["model"] == "qwen2.5-coder-1.5b-instruct"


# ------------------------------------------------------------------ JSON


def test_plan_json_has_label_and_provenance_and_round_trips():
    plan = sample_plan()
    data = json.loads(plan_to_json(plan))
    assert list(data)[:2] == ["ai_label", "provenance"]
    assert data["ai_label"] == DOCUMENT_LABEL
    assert data["provenance"]["ai_generated"] is True
    assert data["provenance"]["kind"] == "plan"
    restored = Plan.model_validate({k: v for k, v in data.items() if k not in ("ai_label", "provenance")})
    assert restored == plan


def test_answer_json_has_provenance():
    data = json.loads(answer_to_json(sample_answer()))
    assert data["ai_label"] == ANSWER_LABEL
    assert data["provenance"]["label"] == ANSWER_LABEL
    assert data["provenance"]["corpus_docs"] == [AI_PLUS["doc_id"]]
    assert data["question"] == "地方政府如何布局智能算力？"


def test_no_option_to_drop_the_label():
    import inspect

    for fn in (plan_to_markdown, plan_to_docx, plan_to_json, answer_to_json):
        params = inspect.signature(fn).parameters
        assert not any("label" in p or "provenance" in p for p in params)
    assert list(inspect.signature(answer_to_markdown).parameters) == ["answer", "front_matter"]


# ------------------------------------------------------------------ DOCX


def _header_footer_texts(section) -> list[str]:
    return [
        "\n".join(p.text for p in part.paragraphs)
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.even_page_header,
        )
    ]


def test_docx_structure_labels_and_properties(tmp_path: Path):
    plan = sample_plan()
    path = plan_to_docx(plan, tmp_path / "sub" / "plan.docx")
    assert Path(path).is_file()
    d = docx.Document(path)

    texts = [p.text for p in d.paragraphs]
    assert DOCUMENT_LABEL in texts
    assert plan.title in texts
    assert "（ 草  案 ）" in texts
    h1 = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    assert h1[:7] == [f"{chinese_numeral(i)}、{s.title}" for i, s in enumerate(plan.sections, 1)]
    assert h1[7:] == ["依据文件", "说明"]
    h2 = [p.text for p in d.paragraphs if p.style.name == "Heading 2"]
    assert "（一）把握全国一体化算力网布局机遇[1]" in h2
    assert f"（二）设定到2027年的量化目标{UNSUPPORTED_MARK}" in h2
    first_h1 = next(p for p in d.paragraphs if p.style.name == "Heading 1")
    assert first_h1.paragraph_format.page_break_before is True  # title page on its own
    body = "\n".join(texts)
    for c in plan.citations:
        assert f"[{c.n}] " in body and c.quote in body
    assert "牵头：市发展改革委　时限：近期（1年内）" in body

    # explicit label on every page: header of every section, first page included
    for section in d.sections:
        assert section.different_first_page_header_footer is False
        for text in _header_footer_texts(section)[:1] + _header_footer_texts(section)[2:]:
            assert DOCUMENT_LABEL in text
        footer_xml = section.footer._element.xml
        assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml
        assert abs(section.page_width.cm - 21.0) < 0.01

    # CJK fonts set explicitly (w:eastAsia) on the styles
    normal_fonts = d.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal_fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert d.styles["Normal"].font.size.pt == 12
    assert d.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Noto Sans CJK SC"

    # implicit label: core properties …
    cp = d.core_properties
    assert cp.title == plan.title
    assert cp.author == PRODUCT
    assert cp.keywords == "AI生成;草案"
    assert DOCUMENT_LABEL in cp.comments
    assert cp.category and cp.subject and cp.created is not None
    assert cp.created.year == 2025
    # … and custom properties, read back from docProps/custom.xml
    custom = read_docx_custom_properties(d)
    assert custom["ai_generated"] is True
    assert custom["product"] == PRODUCT
    assert custom["label"] == DOCUMENT_LABEL
    assert custom["provider"] == "extractive"
    assert custom["generated_at"] == "2025-09-15T10:30:00+08:00"
    assert custom["corpus_docs"] == sorted({c.doc_id for c in plan.citations})
    assert custom["content_id"] == content_id(docx_visible_text(d)) == cp.identifier
    assert set(custom) >= {"version", "model", "content_id"}


def test_docx_custom_properties_survive_resave(tmp_path: Path):
    path = plan_to_docx(sample_plan(), tmp_path / "plan.docx")
    resaved = tmp_path / "resaved.docx"
    docx.Document(path).save(resaved)
    report = verify_file(resaved)
    assert report.produced_by_advisor and report.intact is True


# ------------------------------------------------------------------ rendering


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_docx_renders_with_label_on_every_page(tmp_path: Path):
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice (LibreOffice) is required in CI to render the DOCX export")
        pytest.skip("soffice (LibreOffice) not installed")
    for tool in ("pdftoppm", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} (poppler-utils) is required to check the rendered pages")
    path = Path(plan_to_docx(sample_plan(), tmp_path / "plan.docx"))
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "plan.pdf"
    assert pdf.is_file()
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    for i, page in enumerate(pages, start=1):
        compact = page.replace(" ", "")
        assert DOCUMENT_LABEL.replace(" ", "") in compact, f"label missing on page {i}"
        assert f"第{i}页/共{len(pages)}页" in compact, f"page number missing on page {i}"
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == len(pages)
