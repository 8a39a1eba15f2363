"""The 政策诊断 tab: a draft (uploaded or pasted) and a city in, a cited gap analysis and its files out.

The draft is read for this request only; it enters the library only when the user ticks
“同时加入资料库”. Bad input (no draft, an unreadable file, an unknown city) gets a Chinese message
saying what to do; the typed text and the chosen file stay in the form.
"""

from __future__ import annotations

import functools
import secrets
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.diagnose.draft import DiagnoseError
from advisor.places.cities import all_city_names
from advisor.render.diagnosis import diagnosis_markdown_body, diagnosis_to_markdown
from advisor.render.diagnosis_docx import diagnosis_to_docx
from advisor.render.diagnosis_types import Diagnosis
from advisor.web.common import friendly_error, inert, safe_stem

if TYPE_CHECKING:
    from advisor.service import Advisor

DRAFT_TYPES = [".docx", ".md", ".txt", ".pdf"]
PLACEHOLDER = (
    "#### 诊断报告将显示在这里\n\n"
    "1. 上传草案文件（Word、Markdown、文本或 PDF），或把草案全文粘贴到文本框；\n"
    "2. 填写城市（用于建议中的牵头单位，并在对标时排除本市和本省）；\n"
    "3. 点击“开始诊断”。报告先给出覆盖情况表和优先补充的五项，再逐项列出草案原文、依据和建议。\n\n"
    "草案只用于本次诊断，不会加入资料库（除非勾选“同时加入资料库”）。"
)
DIAGNOSE_CONCURRENCY = 2
HEADER_ID = "app-header"


EXPORT_TTL_S = 24 * 3600


def _prune_exports(root: Path, now: float) -> None:
    """Export folders older than a day are removed (the links in old pages stop working then)."""
    if not root.is_dir():
        return
    for old in root.iterdir():
        try:
            if old.is_dir() and now - old.stat().st_mtime > EXPORT_TTL_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def export_diagnosis(adv: Advisor, diagnosis: Diagnosis) -> tuple[Path, Path]:
    """The report's .docx and .md under ``data_dir/exports/<random>/`` (never a user-chosen path)."""
    root = (adv.settings.data_dir / "exports").resolve()
    _prune_exports(root, time.time())
    folder = root / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    stem = safe_stem(f"{diagnosis.city}政策草案诊断报告", "政策诊断报告")
    docx_path = folder / f"{stem}.docx"
    md_path = folder / f"{stem}.md"
    diagnosis_to_docx(diagnosis, docx_path)
    md_path.write_text(diagnosis_to_markdown(diagnosis), encoding="utf-8")
    return docx_path, md_path


def _file_path(item: Any) -> Path | None:
    if item is None:
        return None
    if isinstance(item, str | Path):
        return Path(item)
    name = getattr(item, "name", None) or (item.get("path") if isinstance(item, dict) else None)
    return Path(name) if name else None


def run_diagnosis(
    adv: Advisor, upload: Any, text: str | None, city: str | None, add_to_library: bool
) -> Diagnosis:
    """The diagnosis of the uploaded file, else of the pasted text; raises DiagnoseError for bad input."""
    path = _file_path(upload)
    pasted = str(text or "")
    if path is None and not pasted.strip():
        raise DiagnoseError("请先上传草案文件（.docx/.md/.txt/.pdf），或把草案全文粘贴到文本框")
    if not str(city or "").strip():
        raise DiagnoseError("请填写城市，例如“合肥”：建议会写明本市的牵头单位，对标时排除本市和本省")
    draft: str | Path = path if path is not None else pasted
    return adv.diagnose(draft, str(city), add_to_library=bool(add_to_library))


def diagnose_clicked(
    adv: Advisor, upload: Any, text: str | None, city: str | None, add_to_library: bool
) -> tuple[str, str, Any, Any]:
    """(status, report view, docx download, md download) for the UI; never raises."""
    off = gr.update(value=None, interactive=False)
    try:
        started = time.perf_counter()
        diagnosis = run_diagnosis(adv, upload, text, city, add_to_library)
        docx_path, md_path = export_diagnosis(adv, diagnosis)
    except DiagnoseError as exc:
        return f"⚠ {inert(str(exc))}", gr.skip(), off, off
    except Exception as exc:
        return f"⚠ {friendly_error(exc, '诊断草案')}", gr.skip(), off, off
    s = diagnosis.summary
    status = (
        f"✓ 诊断完成（{time.perf_counter() - started:.1f} 秒）：已覆盖 {s.covered} 项，部分覆盖 {s.partial} 项，"
        f"缺失 {s.missing} 项。"
        + ("草案已加入资料库。" if diagnosis.added_to_library else "草案未加入资料库。")
    )
    return (
        status,
        inert(diagnosis_markdown_body(diagnosis)),
        gr.update(value=str(docx_path), interactive=True),
        gr.update(value=str(md_path), interactive=True),
    )


def diagnose_tab(adv: Advisor) -> tuple[Any, gr.Checkbox]:
    """The tab's widgets and events (inside a ``gr.Tab``). Returns the finished-diagnosis event and the
    "add to library" box, so the page can refresh what a draft added to the library changes."""
    with gr.Row():
        with gr.Column(scale=2, min_width=320, elem_id="diag-form"):
            upload = gr.File(label="上传草案", file_types=DRAFT_TYPES, type="filepath", elem_id="diag-file")
            text = gr.Textbox(
                label="或粘贴草案全文",
                lines=8,
                max_lines=20,
                placeholder="例如：某市人工智能产业发展行动方案（征求意见稿）……",
                elem_id="diag-text",
            )
            city = gr.Dropdown(
                choices=all_city_names(),
                value=None,
                allow_custom_value=True,
                filterable=True,
                label="城市",
                info="草案适用的城市，如“合肥”",
                elem_id="diag-city",
            )
            add = gr.Checkbox(
                False, label="同时加入资料库", info="默认不加入：草案只用于本次诊断", elem_id="diag-add"
            )
            go = gr.Button("开始诊断", variant="primary", elem_id="diag-go")
        with gr.Column(scale=3, min_width=420):
            status = gr.Markdown("上传或粘贴草案、填写城市后点击“开始诊断”。", elem_id="diag-status")
            with gr.Row():
                docx = gr.DownloadButton(
                    "↓ 下载 Word（.docx）",
                    interactive=False,
                    variant="primary",
                    size="md",
                    elem_id="diag-docx",
                )
                md = gr.DownloadButton(
                    "↓ 下载 Markdown（.md）", interactive=False, size="md", elem_id="diag-md"
                )
            view = gr.Markdown(PLACEHOLDER, elem_id="diag-view", container=True, padding=True, min_height=420)
    done = go.click(
        functools.partial(diagnose_clicked, adv),
        [upload, text, city, add],
        [status, view, docx, md],
        api_visibility="private",
        concurrency_id="diagnose",
        concurrency_limit=DIAGNOSE_CONCURRENCY,
        show_progress="minimal",
    )
    return done, add


# ---------------------------------------------------------------------------------------- API


def api_diagnose(
    adv: Advisor, city: str, draft_text: str = "", draft_file: Any = None, add_to_library: bool = False
) -> tuple[str, str]:
    """/diagnose: (city, draft text or "", draft file or None, add to library) → (report Markdown with its
    provenance front matter, the .docx report)."""
    try:
        diagnosis = run_diagnosis(adv, draft_file, draft_text, city, add_to_library)
        docx_path, md_path = export_diagnosis(adv, diagnosis)
    except DiagnoseError as exc:
        raise gr.Error(str(exc)) from exc
    except Exception as exc:
        raise gr.Error(friendly_error(exc, "诊断草案")) from exc
    return md_path.read_text(encoding="utf-8"), str(docx_path)


def register_diagnose_api(adv: Advisor) -> None:
    """Register /diagnose (inside ``gr.Blocks``); it returns a file, so it needs real components."""
    with gr.Row(visible=False):
        city = gr.Textbox(label="city")
        draft_text = gr.Textbox("", label="draft_text")
        draft_file = gr.File(label="draft_file", file_types=DRAFT_TYPES, type="filepath")
        add = gr.Checkbox(False, label="add_to_library")
        markdown = gr.Textbox(label="markdown")
        docx = gr.File(label="docx")
        trigger = gr.Button("diagnose")

    def diagnose(
        city: str, draft_text: str = "", draft_file: Any = None, add_to_library: bool = False
    ) -> tuple[str, str]:
        """Diagnose a draft policy for city against the checklist (the report's methodology and national
        rules). Give the draft as draft_text or as draft_file (.docx/.md/.txt/.pdf); it is not added to
        the library unless add_to_library. Returns (report Markdown with its provenance front matter,
        the .docx report)."""
        return api_diagnose(adv, city, draft_text, draft_file, add_to_library)

    trigger.click(
        diagnose,
        [city, draft_text, draft_file, add],
        [markdown, docx],
        api_name="diagnose",
        concurrency_id="diagnose",
        concurrency_limit=DIAGNOSE_CONCURRENCY,
    )
