"""`advisor diagnose` on the command line and /diagnose through gradio_client against a real server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from advisor.render.labeling import DOCUMENT_LABEL, verify_file
from advisor.service import Advisor
from advisor.settings import PROJECT_ROOT, Settings
from advisor.web.app import build_app, launch_options

pytestmark = pytest.mark.integration

DRAFT = (
    "# 星河市人工智能产业发展行动方案\n\n"
    "第一条 建设城市智算中心，向中小企业发放算力券。\n\n"
    "第二条 设立人工智能产业投资基金，引导社会资本投向初创企业。\n\n"
    "第三条 支持本地高校设立人工智能学院，实施人才引进计划。\n"
)


def _cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env["ADVISOR_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "advisor.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )


def test_cli_writes_each_format_and_verify_accepts_them(corpus_data_dir: Path, tmp_path: Path) -> None:
    draft = tmp_path / "草案.md"
    draft.write_text(DRAFT, encoding="utf-8")
    for fmt in ("md", "docx", "json"):
        out = tmp_path / f"诊断.{fmt}"
        done = _cli(corpus_data_dir, "diagnose", str(draft), "--city", "合肥", "-o", str(out))
        assert done.returncode == 0, done.stderr[-2000:]
        assert verify_file(out).intact
        assert _cli(corpus_data_dir, "verify", str(out)).returncode == 0
    text = (tmp_path / "诊断.md").read_text(encoding="utf-8")
    assert DOCUMENT_LABEL in text and "〔第一条〕第一条 建设城市智算中心" in text


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nowhere.md", "--city", "合肥"], "找不到草案文件"),
        (["{draft}", "--city", "星河"], "星河"),
        (["{draft}", "--city", "合肥", "--format", "docx"], "-o"),
        (["{bad}", "--city", "合肥"], "不是 PDF"),
    ],
)
def test_cli_bad_input_exits_2_with_a_reason(
    corpus_data_dir: Path, tmp_path: Path, args: list[str], words: str
) -> None:
    draft = tmp_path / "草案.md"
    draft.write_text(DRAFT, encoding="utf-8")
    bad = tmp_path / "草案.pdf"
    bad.write_text("plain text", encoding="utf-8")
    done = _cli(corpus_data_dir, "diagnose", *[a.format(draft=draft, bad=bad) for a in args])
    assert done.returncode == 2
    assert words in done.stderr and "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def client(corpus_data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    data = tmp_path_factory.mktemp("diag-api") / "data"
    shutil.copytree(corpus_data_dir, data)
    adv = Advisor(settings=Settings(data_dir=data, llm_provider="extractive"))
    demo = build_app(adv)
    port = _free_port()
    demo.launch(
        server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, **launch_options(adv)
    )
    try:
        yield Client(
            f"http://127.0.0.1:{port}/", verbose=False, download_files=str(tmp_path_factory.mktemp("dl"))
        )
    finally:
        demo.close()


def test_api_diagnoses_pasted_text(client: Client) -> None:
    md, docx_file = client.predict("合肥", DRAFT, None, False, api_name="/diagnose")
    assert md.startswith("---\n") and DOCUMENT_LABEL in md and "合肥市" in md
    assert Path(docx_file).suffix == ".docx"
    report = verify_file(docx_file)
    assert report.produced_by_advisor and report.intact


def test_api_diagnoses_an_uploaded_file(client: Client, tmp_path: Path) -> None:
    path = tmp_path / "星河草案.txt"
    path.write_text(DRAFT, encoding="utf-8")
    md, _docx = client.predict("深圳", "", handle_file(str(path)), False, api_name="/diagnose")
    assert "〔第二条〕第二条 设立人工智能产业投资基金" in md


def test_api_bad_input_is_a_chinese_message(client: Client) -> None:
    with pytest.raises(AppError, match="上传草案文件"):
        client.predict("合肥", "   ", None, False, api_name="/diagnose")
    with pytest.raises(AppError, match="城市"):
        client.predict("", DRAFT, None, False, api_name="/diagnose")
