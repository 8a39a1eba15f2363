"""The 资料库 tab: the indexed documents, uploads into the index, deleting a document (and, from
:mod:`advisor.web.retrieve`, the retrieval test box)."""

from __future__ import annotations

import functools
import secrets
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from advisor.ingest.loaders import SUPPORTED
from advisor.render.common import LEVEL_NAMES
from advisor.web.common import friendly_error, header_markdown, inert, safe_stem
from advisor.web.coverage import coverage_view
from advisor.web.retrieve import retrieval_box

if TYPE_CHECKING:
    from advisor.service import Advisor

DOC_HEADERS = ["标题", "发布机构", "日期", "层级", "地区", "段落数"]
_LEVEL_ORDER = {"national": 0, "provincial": 1, "city": 2, "county": 3, "think-tank": 4, "user": 5}
_ICONS = {"added": "✓", "unchanged": "ℹ", "skipped": "⚠", "error": "✗"}


def documents_rows(adv: Advisor) -> list[list[Any]]:
    """One row per indexed document: 标题, 发布机构, 日期, 层级, 地区, 段落数 (newest first by level)."""
    snap = adv.snapshot
    counts = Counter(c.doc_id for c in snap.chunks.values())
    docs = sorted(snap.docs.values(), key=lambda m: m.date, reverse=True)
    docs.sort(key=lambda m: _LEVEL_ORDER.get(m.level, 9))
    return [
        [m.title, m.issuer, m.date, LEVEL_NAMES.get(m.level, "未标注"), m.region, counts.get(m.doc_id, 0)]
        for m in docs
    ]


def document_choices(adv: Advisor) -> list[tuple[str, str]]:
    """(label, doc_id) for the delete dropdown."""
    out = []
    for m in sorted(adv.snapshot.docs.values(), key=lambda m: m.title):
        extra = "，".join(x for x in (m.issuer, m.date) if x)
        out.append((f"{m.title}（{extra}）" if extra else m.title, m.doc_id))
    return out


def refresh_library(adv: Advisor) -> tuple[list[list[Any]], Any, str]:
    """(documents table, delete dropdown, header) after the index changed."""
    return (
        documents_rows(adv),
        gr.update(choices=document_choices(adv), value=None),
        header_markdown(adv),
    )


# ---------------------------------------------------------------------------------------- uploads


class UploadResult(dict[str, str]):
    """{"name", "status" (added/updated/unchanged/skipped/error), "message"} for one uploaded file."""


def safe_upload_name(name: str) -> str:
    """A safe file name for an upload, or :class:`ValueError` with the reason (no paths, known type)."""
    raw = str(name or "")
    if not raw.strip():
        raise ValueError("文件名为空")
    folded = unicodedata.normalize("NFKC", raw)
    if any(c in text for text in (raw, folded) for c in ("/", "\\", "\x00")) or folded.strip() in (".", ".."):
        raise ValueError("文件名不合法（含路径或特殊字符），已拒绝")
    normal = unicodedata.normalize("NFC", raw).strip()
    stem, dot, ext = normal.rpartition(".")
    if not dot or f".{ext.lower()}" not in SUPPORTED:
        shown = f".{ext}" if dot else "（无扩展名）"
        raise ValueError(f"不支持的文件类型 {shown}：支持 md、txt、pdf、docx")
    safe = safe_stem(stem, "上传文件")
    return f"{safe}.{ext.lower()}"


def _doc_for_path(adv: Advisor, path: Path) -> str | None:
    wanted = str(path.resolve())
    for doc_id, meta in adv.snapshot.docs.items():
        if meta.path == wanted:
            return doc_id
    return None


def ingest_upload(adv: Advisor, source: Path, name: str) -> UploadResult:
    """Stage one uploaded file under ``data_dir/uploads/<random>/<safe name>`` and ingest it.

    The staged copy is kept only when the document entered the index; otherwise it is removed and the
    result carries the reason (bad name or type, empty, corrupt, duplicate …).
    """
    shown = str(name or "").replace("\\", "/").rsplit("/", 1)[-1] or "（无名文件）"
    try:
        safe = safe_upload_name(name)
    except ValueError as exc:
        return UploadResult(name=shown, status="error", message=str(exc))
    try:
        size = source.stat().st_size
    except OSError:
        return UploadResult(name=shown, status="error", message="上传的文件已不存在，请重新上传")
    limit = adv.settings.max_upload_mb * 1024 * 1024
    if size > limit:
        return UploadResult(
            name=shown,
            status="error",
            message=f"文件过大（{size / 1048576:.1f} MB，上限 {adv.settings.max_upload_mb:.0f} MB）",
        )
    folder = (adv.settings.data_dir / "uploads").resolve() / secrets.token_hex(6)
    folder.mkdir(parents=True, exist_ok=False)
    dest = folder / safe
    keep = False
    try:
        shutil.copyfile(source, dest)
        report = adv.ingest(paths=[dest])
        if report.skipped:
            return UploadResult(name=shown, status="skipped", message=report.skipped[0].reason)
        doc_id = _doc_for_path(adv, dest)
        chunks = len(adv.snapshot.chunks_of(doc_id)) if doc_id else 0
        title = adv.snapshot.docs[doc_id].title if doc_id else safe
        if report.added or report.updated:
            keep = True
            return UploadResult(name=shown, status="added", message=f"已入库：《{title}》，{chunks} 个段落")
        if report.unchanged:
            keep = True
            return UploadResult(name=shown, status="unchanged", message="已在资料库中，内容未变")
        return UploadResult(name=shown, status="skipped", message="没有可入库的内容")
    except Exception as exc:
        return UploadResult(name=shown, status="error", message=friendly_error(exc, "入库"))
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def results_markdown(results: Sequence[UploadResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"- {_ICONS.get(r['status'], '•')} **{inert(r['name'])}**：{inert(r['message'])}")
    return "\n".join(lines)


def _upload_path(item: Any) -> tuple[Path, str]:
    """(path, original name) of a gradio upload value (a path string or a FileData-like object)."""
    if isinstance(item, dict):
        path = item.get("path") or item.get("name") or ""
        return Path(str(path)), str(item.get("orig_name") or Path(str(path)).name)
    path = str(getattr(item, "path", None) or item)
    return Path(path), str(getattr(item, "orig_name", None) or Path(path).name)


def upload_documents(adv: Advisor, files: Sequence[Any] | None) -> Iterator[tuple[str, Any, Any, Any, Any]]:
    """Ingest uploaded files one by one: yields (results, table, dropdown, header, file input)."""
    items = [_upload_path(f) for f in (files or [])]
    if not items:
        yield "请先选择要上传的文件（md、txt、pdf、docx）。", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    results: list[UploadResult] = []
    for i, (path, name) in enumerate(items, start=1):
        progress = f"◐ 正在处理 {i}/{len(items)}：{inert(name)}…"
        yield (
            "\n".join(filter(None, [results_markdown(results), progress])),
            gr.skip(),
            gr.skip(),
            gr.skip(),
            gr.skip(),
        )
        results.append(ingest_upload(adv, path, name))
    added = sum(r["status"] == "added" for r in results)
    summary = f"**处理完成**：{len(results)} 个文件，新入库 {added} 个。\n\n" + results_markdown(results)
    table, dropdown, header = refresh_library(adv)
    yield summary, table, dropdown, header, None


# ---------------------------------------------------------------------------------------- deleting


def ask_delete(adv: Advisor, doc_id: str | None) -> tuple[str, Any]:
    """Ask for confirmation: (message, confirm row visibility)."""
    meta = adv.snapshot.docs.get(doc_id or "")
    if meta is None:
        return "请先在下拉框中选择要删除的文件。", gr.update(visible=False)
    chunks = len(adv.snapshot.chunks_of(meta.doc_id))
    return (
        f"确认从资料库删除《{inert(meta.title)}》（{chunks} 个段落）？删除后问答与规划将不再引用它。",
        gr.update(visible=True),
    )


def confirm_delete(adv: Advisor, doc_id: str | None) -> tuple[str, Any, Any, Any, Any]:
    """Delete the chosen document: (message, table, dropdown, header, confirm row)."""
    hidden = gr.update(visible=False)
    meta = adv.snapshot.docs.get(doc_id or "")
    if meta is None:
        return "该文件已不在资料库中。", *refresh_library(adv), hidden
    try:
        removed = adv.delete_document(meta.doc_id)
    except Exception as exc:
        return friendly_error(exc, "删除文件"), *refresh_library(adv), hidden
    uploads = (adv.settings.data_dir / "uploads").resolve()
    path = Path(meta.path)
    if removed and path.is_absolute() and path.resolve().parent.parent == uploads:
        shutil.rmtree(path.resolve().parent, ignore_errors=True)
    message = f"已删除《{inert(meta.title)}》。" if removed else "该文件已不在资料库中。"
    return message, *refresh_library(adv), hidden


def cancel_delete() -> tuple[str, Any]:
    return "已取消。", gr.update(visible=False)


# ---------------------------------------------------------------------------------------- layout


def library_tab(adv: Advisor, header: gr.Markdown) -> tuple[gr.Dataframe, gr.Dropdown]:
    """The tab's widgets and events (inside a ``gr.Tab``); returns the table and the delete dropdown,
    which the page refreshes on load."""
    table = gr.Dataframe(
        value=documents_rows(adv),
        headers=DOC_HEADERS,
        datatype=["str", "str", "str", "str", "str", "number"],
        interactive=False,
        wrap=True,
        max_height=430,
        label="已入库文件",
        column_widths=["34%", "28%", "10%", "9%", "11%", "8%"],
        elem_id="docs-table",
    )
    coverage_view(adv)  # which regions and levels the corpus covers (issue 16)
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=360):
            files = gr.File(
                file_count="multiple",
                file_types=list(SUPPORTED),
                label="上传文件（md、txt、pdf、docx，可多选）",
                height=150,
                elem_id="upload-files",
            )
            upload = gr.Button("上传并入库", variant="primary", elem_id="upload-go")
            results = gr.Markdown(elem_id="upload-results")
        with gr.Column(scale=2, min_width=320):
            with gr.Group():
                doc = gr.Dropdown(
                    choices=document_choices(adv),
                    value=None,
                    label="删除文件",
                    info="从资料库移除一份文件及其全部段落",
                    elem_id="delete-doc",
                )
                delete = gr.Button("删除所选文件", variant="stop", size="md", elem_id="delete-go")
            with gr.Row(visible=False) as confirm_row:
                confirm = gr.Button("确认删除", variant="stop", size="md", elem_id="delete-confirm")
                cancel = gr.Button("取消", size="md", elem_id="delete-cancel")
            delete_msg = gr.Markdown(elem_id="delete-message")
    retrieval_box(adv)

    upload.click(
        functools.partial(upload_documents, adv),
        [files],
        [results, table, doc, header, files],
        concurrency_id="library",
        concurrency_limit=1,
        api_visibility="private",
    )
    delete.click(
        functools.partial(ask_delete, adv), [doc], [delete_msg, confirm_row], api_visibility="private"
    )
    confirm.click(
        functools.partial(confirm_delete, adv),
        [doc],
        [delete_msg, table, doc, header, confirm_row],
        concurrency_id="library",
        concurrency_limit=1,
        api_visibility="private",
    )
    cancel.click(cancel_delete, None, [delete_msg, confirm_row], api_visibility="private", queue=False)
    return table, doc
