"""AI-content labels: wording, content number, provenance, and verify_file on real files."""

from __future__ import annotations

import json
import shutil
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest

from advisor.render.docx import plan_to_docx
from advisor.render.jsonfile import answer_to_json, plan_to_json
from advisor.render.labeling import (
    ANSWER_LABEL,
    CUSTOM_PROPS_RT,
    DOCUMENT_LABEL,
    LABEL_FILE,
    PRODUCT,
    VERSION,
    content_id,
    label_answer_markdown,
    load_labels,
    provenance,
    verify_file,
)
from advisor.render.markdown import plan_to_markdown
from advisor.types import Answer, Citation, Plan, PlanSection, Recommendation

EDITED = "内容在生成后被修改过"


def _citations() -> list[Citation]:
    return [
        Citation(
            n=1,
            chunk_id="c1",
            doc_id="a1b2c3d4e5f60718",
            title="国务院关于深入实施“人工智能+”行动的意见",
            section="（九）强化智能算力统筹",
            quote="优化国家智算资源布局，完善全国一体化算力网",
            issuer="国务院",
            doc_number="国发〔2025〕11号",
            date="2025-08-21",
            level="national",
        ),
        Citation(
            n=2,
            chunk_id="c2",
            doc_id="5e6f7a8b9c0d1e2f",
            title="深圳经济特区人工智能产业促进条例",
            section="第十条",
            quote="对人工智能产业实行包容审慎监管。",
            issuer="深圳市人民代表大会常务委员会",
            date="2022-08-30",
            level="city",
        ),
        Citation(
            n=3,
            chunk_id="c3",
            doc_id="a1b2c3d4e5f60718",
            title="国务院关于深入实施“人工智能+”行动的意见",
            section="（十二）加强人才队伍建设",
            quote="推进产教融合、跨学科培养和国际合作。",
        ),
    ]


def make_plan(created: str = "2025-09-15T10:30:00+08:00") -> Plan:
    return Plan(
        city="苏州市",
        province="江苏省",
        title="苏州市人工智能产业发展规划建议",
        sections=[
            PlanSection(
                key="compute",
                title="算力基础",
                summary="统筹区域智算资源，推动算力普惠。",
                recommendations=[
                    Recommendation(
                        title="建设智算资源调度平台",
                        detail="对接全国一体化算力网。",
                        actor="市发展改革委",
                        horizon="近期（1年内）",
                        citations=[1],
                    )
                ],
            ),
            PlanSection(
                key="governance",
                title="保障措施",
                summary="实行包容审慎监管，培养专业人才。",
                recommendations=[
                    Recommendation(title="分类分级监管", actor="市委网信办", citations=[2]),
                    Recommendation(title="产教融合培养人才", actor="市教育局", citations=[3]),
                ],
                notes=["本市算力规模（请填写）"],
            ),
        ],
        citations=_citations(),
        notes=["统计数据需由相关部门核实。"],
        provider="openai",
        model="qwen-plus",
        created=created,
    )


def make_answer() -> Answer:
    return Answer(
        question="如何统筹智能算力？",
        text="结论：对接全国一体化算力网[1]。",
        conclusion="对接全国一体化算力网[1]。",
        citations=_citations()[:1],
        provider="extractive",
    )


# ------------------------------------------------------------------ wording and content number


def test_labels_come_from_prompt_file():
    text = LABEL_FILE.read_text(encoding="utf-8")
    assert ANSWER_LABEL in text and DOCUMENT_LABEL in text
    assert load_labels() == {"answer": ANSWER_LABEL, "document": DOCUMENT_LABEL}
    assert "人工智能" in ANSWER_LABEL and "人工智能" in DOCUMENT_LABEL
    assert ANSWER_LABEL != DOCUMENT_LABEL
    assert PRODUCT == "advisor 区域AI产业顾问"
    assert VERSION


def test_content_id_normalisation():
    base = "# 标题\n\n第一段内容。\n第二段：café"
    cid = content_id(base)
    assert len(cid) == 64
    assert content_id(base.replace("\n", "\r\n")) == cid
    assert content_id("# 标题  \n\n第一段内容。\t\n第二段：café\n\n") == cid
    assert content_id(unicodedata.normalize("NFD", base)) == cid
    assert content_id("---\ncontent_id: x\nlabel: y\n---\n\n" + base) == cid
    assert content_id(base.replace("第一段", "第1段")) != cid


def test_provenance_fields():
    plan = make_plan()
    prov = provenance(plan, "正文")
    assert prov["ai_generated"] is True
    assert prov["label"] == DOCUMENT_LABEL
    assert prov["product"] == PRODUCT and prov["version"] == VERSION
    assert prov["provider"] == "openai" and prov["model"] == "qwen-plus"
    assert prov["content_id"] == content_id("正文")
    assert prov["corpus_docs"] == ["5e6f7a8b9c0d1e2f", "a1b2c3d4e5f60718"]  # sorted, unique
    assert prov["generated_at"] == "2025-09-15T10:30:00+08:00"

    answer_prov = provenance(make_answer(), "x")
    assert answer_prov["label"] == ANSWER_LABEL
    generated = datetime.fromisoformat(answer_prov["generated_at"])
    assert generated.tzinfo is not None  # ISO 8601 with a time zone

    naive = provenance(make_plan(created="2025-09-15T10:30:00"), "x")
    assert datetime.fromisoformat(naive["generated_at"]).tzinfo is not None
    assert datetime.fromisoformat(provenance(make_plan(created="不是日期"), "x")["generated_at"]).tzinfo


def test_label_answer_markdown_appends_once():
    md = "**结论**：对接全国一体化算力网[1]。"
    labeled = label_answer_markdown(md)
    assert labeled.rstrip().endswith(f"> {ANSWER_LABEL}")
    assert labeled.startswith(md)
    assert label_answer_markdown(labeled) == labeled


# ------------------------------------------------------------------ verify_file: genuine files


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_verify_genuine_markdown(tmp_path: Path):
    report = verify_file(_write(tmp_path / "plan.md", plan_to_markdown(make_plan())))
    assert report.format == "md"
    assert report.produced_by_advisor is True
    assert report.intact is True
    assert report.explicit_label is True
    assert report.metadata["content_id"]
    assert "未被修改" in report.message


def test_verify_genuine_markdown_with_windows_line_endings(tmp_path: Path):
    path = tmp_path / "plan.md"
    path.write_bytes(plan_to_markdown(make_plan()).replace("\n", "\r\n").encode("utf-8"))
    assert verify_file(path).intact is True


def test_verify_genuine_docx(tmp_path: Path):
    report = verify_file(plan_to_docx(make_plan(), tmp_path / "plan.docx"))
    assert report.format == "docx"
    assert report.produced_by_advisor is True
    assert report.intact is True
    assert report.explicit_label is True
    assert report.metadata["product"] == PRODUCT
    assert report.metadata["corpus_docs"] == ["5e6f7a8b9c0d1e2f", "a1b2c3d4e5f60718"]
    assert report.metadata["core_properties"]["author"] == PRODUCT


def test_verify_genuine_json(tmp_path: Path):
    for name, text in (
        ("plan.json", plan_to_json(make_plan())),
        ("answer.json", answer_to_json(make_answer())),
    ):
        report = verify_file(_write(tmp_path / name, text))
        assert (report.format, report.produced_by_advisor, report.intact, report.explicit_label) == (
            "json",
            True,
            True,
            True,
        ), report.message
    # re-indenting the JSON is not an edit
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    _write(tmp_path / "compact.json", json.dumps(data, ensure_ascii=False))
    assert verify_file(tmp_path / "compact.json").intact is True


# ------------------------------------------------------------------ verify_file: edited files


def test_verify_edited_markdown(tmp_path: Path):
    md = plan_to_markdown(make_plan())
    assert "统筹区域智算资源，推动算力普惠。" in md
    report = verify_file(_write(tmp_path / "plan.md", md.replace("推动算力普惠", "推动算力共享")))
    assert report.produced_by_advisor is True
    assert report.intact is False
    assert EDITED in report.message


def test_verify_edited_docx(tmp_path: Path):
    path = plan_to_docx(make_plan(), tmp_path / "plan.docx")
    d = docx.Document(path)
    paragraph = next(p for p in d.paragraphs if p.text == "统筹区域智算资源，推动算力普惠。")
    paragraph.runs[0].text = "统筹区域智算资源，优先保障本地企业。"
    edited = tmp_path / "edited.docx"
    d.save(edited)
    report = verify_file(edited)
    assert report.produced_by_advisor is True
    assert report.intact is False
    assert report.explicit_label is True
    assert EDITED in report.message


def test_verify_docx_with_label_removed(tmp_path: Path):
    path = plan_to_docx(make_plan(), tmp_path / "plan.docx")
    d = docx.Document(path)
    for p in d.paragraphs:
        if DOCUMENT_LABEL in p.text:
            for run in p.runs:
                run.text = ""
    for section in d.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            for p in part.paragraphs:
                for run in p.runs:
                    run.text = ""
    stripped = tmp_path / "stripped.docx"
    d.save(stripped)
    report = verify_file(stripped)
    assert report.produced_by_advisor is True
    assert report.explicit_label is False
    assert report.intact is False
    assert "显式标识" in report.message


def test_verify_docx_notices_a_first_page_without_label(tmp_path: Path):
    path = plan_to_docx(make_plan(), tmp_path / "plan.docx")
    d = docx.Document(path)
    section = d.sections[0]
    section.different_first_page_header_footer = True
    for part in (section.first_page_header, section.first_page_footer):
        for p in part.paragraphs:
            for run in p.runs:
                run.text = ""
    out = tmp_path / "first-page.docx"
    d.save(out)
    report = verify_file(out)
    assert report.intact is True  # the body is unchanged …
    assert report.explicit_label is True  # … and still shows the label on the title page,
    assert "页眉页脚中未找到" in report.message  # but not every page header does


def test_verify_docx_falls_back_to_core_properties(tmp_path: Path):
    """An editor that drops docProps/custom.xml still leaves the core properties to check."""
    path = plan_to_docx(make_plan(), tmp_path / "plan.docx")
    d = docx.Document(path)
    rels = d.part.package.rels
    for rid, rel in list(rels.items()):
        if rel.reltype == CUSTOM_PROPS_RT:
            rels.pop(rid)
    out = tmp_path / "no-custom.docx"
    d.save(out)
    with zipfile.ZipFile(out) as z:
        assert "docProps/custom.xml" not in z.namelist()
    report = verify_file(out)
    assert report.produced_by_advisor is True
    assert report.intact is True


def test_verify_edited_json(tmp_path: Path):
    data = json.loads(plan_to_json(make_plan()))
    data["sections"][0]["summary"] = "统筹区域智算资源。"
    report = verify_file(_write(tmp_path / "plan.json", json.dumps(data, ensure_ascii=False, indent=2)))
    assert report.produced_by_advisor is True
    assert report.intact is False
    assert EDITED in report.message


# ------------------------------------------------------------------ verify_file: foreign and bad files


def test_verify_plain_docx_without_labels(tmp_path: Path):
    d = docx.Document()
    d.add_heading("苏州市人工智能产业发展情况", level=1)
    d.add_paragraph("这是一份人工撰写的材料。")
    path = tmp_path / "plain.docx"
    d.save(path)
    report = verify_file(path)
    assert report.format == "docx"
    assert report.produced_by_advisor is False
    assert report.intact is None
    assert report.explicit_label is False
    assert "未发现" in report.message


def test_verify_plain_markdown_without_labels(tmp_path: Path):
    report = verify_file(_write(tmp_path / "notes.md", "# 会议纪要\n\n人工撰写的内容。\n"))
    assert report.produced_by_advisor is False
    assert report.intact is None
    assert report.explicit_label is False
    assert "未发现" in report.message


def test_verify_markdown_with_front_matter_removed(tmp_path: Path):
    md = plan_to_markdown(make_plan())
    body = md.split("\n---\n", 1)[1]
    report = verify_file(_write(tmp_path / "copied.md", body))
    assert report.produced_by_advisor is False
    assert report.explicit_label is True
    assert "隐式标识" in report.message


def test_verify_non_docx_with_docx_extension(tmp_path: Path):
    fake = _write(tmp_path / "report.docx", "这不是 Word 文件")
    report = verify_file(fake)
    assert report.format == "docx"
    assert report.produced_by_advisor is False
    assert report.intact is None
    assert "不是有效的 DOCX 文件" in report.message

    zipped = tmp_path / "archive.docx"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("readme.txt", "hello")
    report = verify_file(zipped)
    assert report.produced_by_advisor is False
    assert "无法读取" in report.message


def test_verify_bad_inputs(tmp_path: Path):
    missing = verify_file(tmp_path / "missing.md")
    assert missing.produced_by_advisor is False and "不存在" in missing.message
    unsupported = verify_file(_write(tmp_path / "a.pdf", "%PDF"))
    assert unsupported.format == "unknown" and "不支持" in unsupported.message
    bad_json = verify_file(_write(tmp_path / "bad.json", "{not json"))
    assert bad_json.produced_by_advisor is False and "JSON" in bad_json.message
    listed = verify_file(_write(tmp_path / "list.json", "[1, 2]"))
    assert listed.produced_by_advisor is False
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    assert "UTF-8" in verify_file(binary).message
    broken = _write(tmp_path / "broken.md", "---\n: : [\n---\n正文\n")
    assert verify_file(broken).produced_by_advisor is False


@pytest.mark.slow
def test_docx_stays_intact_after_libreoffice_resave(tmp_path: Path):
    """Opening and saving in LibreOffice keeps the custom properties and the visible text."""
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("soffice (LibreOffice) not installed")
    src = Path(plan_to_docx(make_plan(), tmp_path / "plan.docx"))
    out_dir = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out_dir),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    report = verify_file(out_dir / "plan.docx")
    assert report.produced_by_advisor is True
    assert report.intact is True, report.message
    assert report.explicit_label is True
