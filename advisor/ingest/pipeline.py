"""Ingest: load → dedupe by content hash → split → embed only new chunks → upsert → swap generation.

Order matters for crash safety: vectors are upserted first, the new generation is written and made
current last, and only then are vectors no longer referenced deleted. A killed ingest therefore leaves
the previous generation usable; the next run finds the vectors it already upserted and finishes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from advisor.index.embeddings import Embedder
from advisor.index.keyword import TOKENIZER_VERSION, index_tokens
from advisor.index.sentence_vectors import SentenceVectors
from advisor.index.snapshot import ChunkRecord, Manifest, Snapshot
from advisor.index.store import ChromaStore
from advisor.ingest.loaders import SUPPORTED, LoadError, load_document
from advisor.ingest.splitter import SPLITTER_VERSION, sentence_units, split_document
from advisor.settings import Settings
from advisor.types import Document, DocumentMeta, IngestReport, SkippedFile

Progress = Callable[[str, int, int], None]
UPSERT_EVERY = 256  # chunks embedded per upsert


def _offset_progress(
    progress: Progress | None, offset: int, total: int, stage: str = "embed"
) -> Callable[[int, int], None] | None:
    """A batch's (done, n) reports as the whole run's (stage, offset + done, total)."""
    if progress is None:
        return None
    report = progress
    return lambda done, _n: report(stage, offset + done, total)


def corpus_files(root: Path) -> list[Path]:
    """Documents under a folder; READMEs, sidecars and hidden files are not documents."""
    out = []
    for path in sorted(root.rglob("*")):
        rel_parts = path.relative_to(root).parts
        if not path.is_file() or any(p.startswith(".") for p in rel_parts):
            continue
        if path.name.lower().startswith("readme") or path.name.endswith((".meta.yaml", ".meta.yml")):
            continue
        if path.suffix.lower() in SUPPORTED:
            out.append(path)
    return out


def _expand(paths: Iterable[Path], report: IngestReport) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files.extend(corpus_files(p))
        elif p.is_file():
            files.append(p)
        else:
            report.skipped.append(SkippedFile(path=str(p), reason="文件或目录不存在"))
    return files


def _stored_files(docs: dict[str, DocumentMeta], root: Path) -> list[Path]:
    """The files the stored documents came from (corpus paths are relative to ``root``), where they
    still exist."""
    paths = [Path(m.path) if Path(m.path).is_absolute() else root / m.path for m in docs.values()]
    return [p for p in paths if p.is_file()]


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def ingest(
    settings: Settings,
    store: ChromaStore,
    embedder: Embedder,
    snapshot: Snapshot,
    paths: Iterable[Path] | None = None,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> tuple[IngestReport, Snapshot]:
    """Bring the index in line with the given files (default: the whole corpus dir, removals included)."""
    t0 = time.perf_counter()
    report = IngestReport()
    root = settings.corpus_dir
    full_sync = paths is None
    files = corpus_files(root) if full_sync else _expand(paths or [], report)
    max_bytes = int(settings.max_upload_mb * 1024 * 1024)

    settings_changed = (
        snapshot.manifest.embedder not in ("", embedder.name)
        or snapshot.manifest.chunk_tokens not in (0, settings.chunk_tokens)
        or snapshot.manifest.chunk_overlap not in (0, settings.chunk_overlap)
    )
    old_docs = {} if (rebuild or settings_changed) else dict(snapshot.docs)
    by_path = {m.path: doc_id for doc_id, m in old_docs.items()}
    # chunks cut by an older splitter: every stored text whose file is still there is split again
    resplit = bool(old_docs) and snapshot.manifest.splitter != SPLITTER_VERSION
    if resplit:
        listed = set(files)
        files += [p for p in _stored_files(old_docs, root) if p not in listed]

    loaded: dict[str, Document] = {}
    for i, path in enumerate(files):
        name = _display(path, root)
        try:
            doc = load_document(path, root=root, max_bytes=max_bytes)
        except LoadError as exc:
            report.skipped.append(SkippedFile(path=name, reason=str(exc)))
            continue
        except Exception as exc:  # a parser bug must not stop the rest of the corpus
            report.skipped.append(SkippedFile(path=name, reason=f"解析失败（{type(exc).__name__}），已跳过"))
            continue
        if Path(doc.meta.path).is_absolute() and doc.meta.level == "unknown":
            doc.meta.level = (
                "user"  # added by a user (upload or explicit path), not part of the shipped corpus
            )
        doc_id = doc.meta.doc_id
        if doc_id in loaded:
            report.skipped.append(
                SkippedFile(path=name, reason=f"与 {loaded[doc_id].meta.path} 内容相同，已去重")
            )
            continue
        if doc_id in old_docs and not full_sync and old_docs[doc_id].path != doc.meta.path:
            report.skipped.append(
                SkippedFile(path=name, reason=f"与已入库的 {old_docs[doc_id].path} 内容相同，已去重")
            )
            continue
        loaded[doc_id] = doc
        if progress:
            progress("load", i + 1, len(files))

    keep: dict[str, ChunkRecord] = {}
    new_docs = dict(old_docs)
    for doc_id, doc in loaded.items():
        replaced = by_path.get(doc.meta.path)
        if doc_id in old_docs:
            report.unchanged.append(doc.meta.path)  # same text (split again after a splitter change)
        elif replaced and replaced in new_docs:
            del new_docs[replaced]
            report.updated.append(doc.meta.path)
        else:
            report.added.append(doc.meta.path)
        new_docs[doc_id] = doc.meta  # front matter (status, valid_until …) may have changed
    if full_sync:
        for doc_id, meta in old_docs.items():
            if doc_id not in loaded and not Path(meta.path).is_absolute() and doc_id in new_docs:
                del new_docs[doc_id]
                report.removed.append(meta.path)

    retokenize = snapshot.manifest.tokenizer != TOKENIZER_VERSION
    for cid, rec in snapshot.chunks.items():
        if rec.doc_id in new_docs and rec.doc_id in old_docs and not (resplit and rec.doc_id in loaded):
            if retokenize:
                text = rec.embed_text(new_docs[rec.doc_id].title)
                rec = rec.model_copy(update={"tokens": " ".join(index_tokens(text))})
            keep[cid] = rec
    fresh: list[ChunkRecord] = []
    for doc_id, doc in loaded.items():
        if doc_id in old_docs and not resplit:
            continue
        for ch in split_document(doc, settings.chunk_tokens, settings.chunk_overlap):
            tokens = index_tokens(ch.embed_text(doc.meta.title))
            fresh.append(ChunkRecord(**ch.model_dump(), tokens=" ".join(tokens)))

    manifest = Manifest(
        embedder=embedder.name,
        tokenizer=TOKENIZER_VERSION,
        # a stored text that could not be read again keeps its old chunks, and the index its old version
        splitter=SPLITTER_VERSION
        if not resplit or set(new_docs) <= set(loaded)
        else snapshot.manifest.splitter,
        chunk_tokens=settings.chunk_tokens,
        chunk_overlap=settings.chunk_overlap,
        docs=new_docs,
    )
    wanted = {**keep, **{c.chunk_id: c for c in fresh}}
    existing = store.ids()
    nothing_changed = (
        not fresh and not retokenize and set(wanted) == set(snapshot.chunks) and new_docs == snapshot.docs
    )
    if nothing_changed and existing == set(wanted):
        stored = snapshot.sentences
        if settings.sentence_vectors and (
            stored.unsaved or stored.missing(s for c in wanted.values() for s in sentence_units(c.text))
        ):
            # an index from before sentence vectors (answers may have embedded some in memory since):
            # the chunks stand, their sentences are embedded and saved
            snapshot.sentences = _sentence_vectors(settings, embedder, snapshot, wanted, report, progress)
        report.chunks_total = len(wanted)
        report.seconds = time.perf_counter() - t0
        return report, snapshot

    to_embed = [c for c in wanted.values() if c.chunk_id not in existing]
    if to_embed:
        # Upsert as we go, so a killed run keeps what it embedded (the next run skips those ids).
        for i in range(0, len(to_embed), UPSERT_EVERY):
            part = to_embed[i : i + UPSERT_EVERY]
            t_embed = time.perf_counter()
            vectors = embedder.embed_passages(
                [c.embed_text(new_docs[c.doc_id].title) for c in part],
                progress=_offset_progress(progress, i, len(to_embed)),
            )
            report.embed_seconds += time.perf_counter() - t_embed
            store.upsert(
                [c.chunk_id for c in part],
                vectors,
                [c.text for c in part],
                [c.filter_meta(new_docs[c.doc_id]) for c in part],
            )
        report.chunks_embedded = len(to_embed)
    sentences = (
        _sentence_vectors(settings, embedder, snapshot, wanted, report, progress)
        if settings.sentence_vectors
        else SentenceVectors()
    )
    new_snapshot = Snapshot(manifest, list(wanted.values()), sentences=sentences)
    new_snapshot.save(settings.index_dir)
    orphans = sorted(existing - set(wanted))
    if orphans:
        store.delete(orphans)
    report.chunks_total = len(wanted)
    report.seconds = time.perf_counter() - t0
    return report, new_snapshot


def _sentence_vectors(
    settings: Settings,
    embedder: Embedder,
    snapshot: Snapshot,
    chunks: dict[str, ChunkRecord],
    report: IngestReport,
    progress: Progress | None,
) -> SentenceVectors:
    """The vectors of the chunks' sentences: the stored ones still in use, the new ones embedded, saved
    before the generation that uses them (so answers rank sentences by meaning without waiting)."""
    texts = [s for c in chunks.values() for s in sentence_units(c.text)]
    old = snapshot.sentences if snapshot.sentences.embedder == embedder.name else SentenceVectors()
    sentences = old.subset(texts, embedder.name)
    todo = sentences.missing(texts)
    if todo:
        t_embed = time.perf_counter()
        progress_of = _offset_progress(progress, 0, len(todo), "sentences")
        sentences.add(todo, embedder.embed_passages(todo, progress=progress_of))
        report.embed_seconds += time.perf_counter() - t_embed
    sentences.save(settings.index_dir)
    return sentences


def remove_documents(
    settings: Settings, store: ChromaStore, snapshot: Snapshot, doc_ids: Iterable[str]
) -> tuple[Snapshot, list[str]]:
    """Drop documents: write the new generation first, then delete their vectors."""
    doomed = {d for d in doc_ids if d in snapshot.docs}
    if not doomed:
        return snapshot, []
    docs = {k: v for k, v in snapshot.docs.items() if k not in doomed}
    chunks = [c for c in snapshot.chunks.values() if c.doc_id not in doomed]
    manifest = snapshot.manifest.model_copy(update={"docs": docs})
    new_snapshot = Snapshot(manifest, chunks, sentences=snapshot.sentences)
    new_snapshot.save(settings.index_dir)
    store.delete(sorted(cid for cid, c in snapshot.chunks.items() if c.doc_id in doomed))
    return new_snapshot, sorted(doomed)
