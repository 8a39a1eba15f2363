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

from advisor.ingest.loaders import SUPPORTED, LoadError
from advisor.render.common import LEVEL_NAMES
from advisor.web.common import friendly_error, header_markdown, inert, safe_stem
from advisor.web.coverage import coverage_view
from advisor.web.retrieve import refresh_rows, retrieval_box
from advisor.web.upload_meta import LEVEL_CHOICES, UploadMeta, clean_date, guess_meta, stage_with_meta

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


def refresh_library_if(adv: Advisor, changed: bool) -> tuple[Any, Any, Any]:
    """:func:`refresh_library` when ``changed`` (a diagnosed draft was added), else nothing."""
    return refresh_library(adv) if changed else (gr.skip(), gr.skip(), gr.skip())


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


def ingest_upload(adv: Advisor, source: Path, name: str, meta: UploadMeta | None = None) -> UploadResult:
    """Stage one uploaded file under ``data_dir/uploads/<random>/`` and ingest it.

    The staged copy is a Markdown file whose front matter carries 发布机构/日期/层级 (``meta``, as the user
    confirmed them, else guessed from the text). It is kept only when the document entered the index;
    otherwise it is removed and the result carries the reason (bad name or type, empty, corrupt …).
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
    keep = False
    try:
        original = folder / safe
        shutil.copyfile(source, original)
        max_bytes = int(limit)
        try:
            facts = meta or guess_meta(original, max_bytes)
            dest = stage_with_meta(original, folder, original.stem, facts, max_bytes)
        except LoadError as exc:
            return UploadResult(name=shown, status="skipped", message=str(exc))
        if dest != original:
            original.unlink()
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


def upload_documents(
    adv: Advisor,
    files: Sequence[Any] | None,
    issuer: str = "",
    date: str = "",
    level: str | None = None,
) -> Iterator[tuple[str, Any, Any, Any, Any]]:
    """Ingest uploaded files one by one: yields (results, table, dropdown, header, file input).

    One file is indexed with the 发布机构/日期/层级 of the form; several files each with those guessed
    from its own text (the form shows one file's facts)."""
    items = [_upload_path(f) for f in (files or [])]
    if not items:
        yield "请先选择要上传的文件（md、txt、pdf、docx）。", gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return
    meta: UploadMeta | None = None
    if len(items) == 1:
        try:
            meta = _form_meta(adv, items[0][0], issuer, date, level)
        except ValueError as exc:
            yield f"⚠ {inert(str(exc))}", gr.skip(), gr.skip(), gr.skip(), gr.skip()
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
        results.append(ingest_upload(adv, path, name, meta))
    added = sum(r["status"] == "added" for r in results)
    summary = f"**处理完成**：{len(results)} 个文件，新入库 {added} 个。\n\n" + results_markdown(results)
    table, dropdown, header = refresh_library(adv)
    yield summary, table, dropdown, header, None


def _form_meta(adv: Advisor, path: Path, issuer: str, date: str, level: str | None) -> UploadMeta | None:
    """The form's values for one file (the title stays the document's own); None when it is unreadable
    (the upload then reports why)."""
    try:
        guessed = guess_meta(path, int(adv.settings.max_upload_mb * 1024 * 1024))
    except (LoadError, OSError):
        return None
    return guessed.model_copy(
        update={
            "issuer": str(issuer or "").strip()[:80],
            "date": clean_date(date),
            "level": level if level in LEVEL_NAMES else guessed.level,
        }
    )


def fill_upload_form(adv: Advisor, files: Sequence[Any] | None) -> tuple[Any, Any, Any, str]:
    """Defaults of 发布机构/日期/层级 guessed from the chosen file: (issuer, date, level, hint)."""
    items = [_upload_path(f) for f in (files or [])]
    if len(items) != 1:
        hint = "选择多个文件时，各文件的发布机构、日期和层级按各自正文推断。" if items else ""
        return gr.update(value=""), gr.update(value=""), gr.update(value="user"), hint
    path, _name = items[0]
    try:
        meta = guess_meta(path, int(adv.settings.max_upload_mb * 1024 * 1024))
    except (LoadError, OSError) as exc:
        return gr.update(value=""), gr.update(value=""), gr.update(value="user"), f"⚠ {inert(str(exc))}"
    hint = f"已根据《{inert(meta.title)}》的正文推断，请核对后再上传。"
    return gr.update(value=meta.issuer), gr.update(value=meta.date), gr.update(value=meta.level), hint


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
            with gr.Row(equal_height=True):
                issuer = gr.Textbox(
                    label="发布机构", placeholder="如 某某市人民政府", scale=3, elem_id="upload-issuer"
                )
                date = gr.Textbox(label="日期", placeholder="2024-03-05", scale=2, elem_id="upload-date")
                level = gr.Dropdown(
                    choices=LEVEL_CHOICES, value="user", label="层级", scale=2, elem_id="upload-level"
                )
            form_hint = gr.Markdown(elem_id="upload-hint", elem_classes=["hint"])
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
    query, k, hits = retrieval_box(adv)
    refresh_hits = functools.partial(refresh_rows, adv)

    files.change(
        functools.partial(fill_upload_form, adv),
        [files],
        [issuer, date, level, form_hint],
        api_visibility="private",
        show_progress="hidden",
    )
    upload.click(
        functools.partial(upload_documents, adv),
        [files, issuer, date, level],
        [results, table, doc, header, files],
        concurrency_id="library",
        concurrency_limit=1,
        api_visibility="private",
    ).then(refresh_hits, [query, k], [hits], api_visibility="private")
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
    ).then(refresh_hits, [query, k], [hits], api_visibility="private")
    cancel.click(cancel_delete, None, [delete_msg, confirm_row], api_visibility="private", queue=False)
    return table, doc
