"""The upload form's defaults (issue 15 §8): 发布机构, 日期 and 层级 read from the uploaded text with the
real loaders; what the user confirms is what the index stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.ingest.loaders import LoadError, load_document
from advisor.web.upload_meta import UploadMeta, clean_date, guess_level, guess_meta, stage_with_meta

LIMIT = 5 * 1024 * 1024


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_signature_block_gives_issuer_date_and_level(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "措施.txt",
        "青川县促进数字经济发展若干措施\n\n一、支持企业上云。\n\n青川县人民政府办公室\n2024年11月3日\n",
    )
    meta = guess_meta(path, LIMIT)
    assert (meta.issuer, meta.date, meta.level) == ("青川县人民政府办公室", "2024-11-03", "county")


def test_title_names_the_issuer(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "意见.md",
        "# 湖南省人民政府关于加快人工智能产业发展的意见\n\n各市州人民政府：\n\n现提出如下意见。\n",
    )
    meta = guess_meta(path, LIMIT)
    assert meta.issuer == "湖南省人民政府" and meta.level == "provincial" and meta.date == ""


def test_front_matter_wins_over_guesses(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "报告.md",
        "---\ntitle: 某研究报告\nissuer: 某某研究院\ndate: 2023-05\nlevel: think-tank\n---\n\n正文。某市人民政府\n",
    )
    meta = guess_meta(path, LIMIT)
    assert (meta.issuer, meta.date, meta.level) == ("某某研究院", "2023-05", "think-tank")


@pytest.mark.parametrize(
    ("issuer", "level"),
    [
        ("国务院办公厅", "national"),
        ("工业和信息化部", "national"),
        ("浙江省经济和信息化厅", "provincial"),
        ("合肥市人民政府", "city"),
        ("某某科技公司", "user"),
    ],
)
def test_level_from_the_issuer(issuer: str, level: str) -> None:
    assert guess_level(issuer) == level


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2024年3月5日", "2024-03-05"), ("2024-3", "2024-03"), ("2024", "2024"), (" ", "")],
)
def test_dates_as_people_type_them(typed: str, stored: str) -> None:
    assert clean_date(typed) == stored


@pytest.mark.parametrize("typed", ["去年", "2024-13-01", "24/3/5"])
def test_bad_dates_say_how_to_write_them(typed: str) -> None:
    with pytest.raises(ValueError, match="日期"):
        clean_date(typed)


def test_staged_copy_carries_the_confirmed_facts_and_the_same_text(tmp_path: Path) -> None:
    source = _write(tmp_path, "细则.txt", "星河市算力券实施细则\n\n第一条 为降低算力成本，制定本细则。\n")
    meta = UploadMeta(title="", issuer="星河市数据局", date="2025-01-02", level="city")
    (tmp_path / "out").mkdir()
    staged = stage_with_meta(source, tmp_path / "out", "细则", meta, LIMIT)
    assert staged.suffix == ".md"
    doc, original = load_document(staged), load_document(source)
    assert (doc.meta.issuer, doc.meta.date, doc.meta.level) == ("星河市数据局", "2025-01-02", "city")
    assert doc.text == original.text and doc.meta.doc_id == original.meta.doc_id
    assert doc.meta.title == original.meta.title


def test_unreadable_file_reports_the_loader_reason(tmp_path: Path) -> None:
    empty = tmp_path / "空白.txt"
    empty.write_bytes(b"")
    with pytest.raises(LoadError):
        guess_meta(empty, LIMIT)
