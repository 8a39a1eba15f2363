"""An index generation: the chunk records, their keyword tokens and the BM25 index, saved together.

``index/CURRENT`` names the live generation and is replaced atomically as the very last step of an
ingest, so a killed ingest leaves the previous generation (and the Chroma vectors it refers to) intact.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from advisor.index.keyword import KeywordIndex
from advisor.index.sentence_vectors import SentenceVectors
from advisor.types import Chunk, DocumentMeta, Hit

FORMAT = 1
META_FIELDS = ("title", "issuer", "doc_number", "date", "level", "region", "kind", "source", "path")


class ChunkRecord(Chunk):
    """A chunk as stored in a generation, with its keyword tokens."""

    tokens: str = Field(description="Keyword tokens joined by spaces (computed once at ingest).")

    def filter_meta(self, doc: DocumentMeta) -> dict[str, str]:
        """The metadata that filters and Chroma see for this chunk."""
        meta = {k: str(getattr(doc, k)) for k in META_FIELDS}
        meta.update(doc_id=self.doc_id, section=self.section)
        return meta


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: int = FORMAT
    embedder: str = ""
    tokenizer: int = 0
    splitter: int = 0
    chunk_tokens: int = 0
    chunk_overlap: int = 0
    docs: dict[str, DocumentMeta] = Field(default_factory=dict)


class Snapshot:
    """One generation in memory: manifest, chunks by id, keyword index, and the sentence vectors of the
    index folder (content-addressed, shared by generations)."""

    def __init__(
        self,
        manifest: Manifest,
        chunks: list[ChunkRecord],
        keyword: KeywordIndex | None = None,
        sentences: SentenceVectors | None = None,
    ):
        self.manifest = manifest
        self.sentences = sentences if sentences is not None else SentenceVectors(manifest.embedder)
        self.chunks = {c.chunk_id: c for c in chunks}
        self.keyword = keyword or KeywordIndex(
            [c.chunk_id for c in chunks],
            [c.tokens.split(" ") if c.tokens else [] for c in chunks],
            [c.filter_meta(manifest.docs[c.doc_id]) for c in chunks],
        )
        by_id = {c.chunk_id: c.text for c in chunks}
        self.keyword.attach_texts(
            [by_id.get(cid, "") for cid in self.keyword.ids], [d.title for d in manifest.docs.values()]
        )

    @property
    def docs(self) -> dict[str, DocumentMeta]:
        return self.manifest.docs

    def hit(self, chunk_id: str, score: float = 0.0, scores: dict[str, float] | None = None) -> Hit:
        """The stored chunk ``chunk_id`` as a :class:`Hit` with its document's facts."""
        rec = self.chunks[chunk_id]
        doc = self.docs[rec.doc_id]
        return Hit(
            chunk_id=chunk_id,
            doc_id=rec.doc_id,
            title=doc.title,
            section=rec.section,
            text=rec.text,
            score=score,
            meta={**hit_meta(doc), "start": rec.start, "end": rec.end},
            scores=scores or {},
        )

    def chunks_of(self, doc_id: str) -> list[ChunkRecord]:
        return sorted(
            (c for c in self.chunks.values() if c.doc_id == doc_id),
            key=lambda c: (c.start, c.end, c.chunk_id),
        )

    def save(self, index_dir: Path) -> str:
        """Write a new generation directory, then atomically point CURRENT at it."""
        index_dir.mkdir(parents=True, exist_ok=True)
        previous = current_generation(index_dir)
        number = int(previous.split("-")[1]) + 1 if previous else 1
        name = f"gen-{number:06d}"
        tmp = index_dir / f".{name}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        (tmp / "manifest.json").write_text(self.manifest.model_dump_json(indent=1), encoding="utf-8")
        with (tmp / "chunks.jsonl").open("w", encoding="utf-8") as f:
            for c in self.chunks.values():
                f.write(c.model_dump_json() + "\n")
        self.keyword.save(tmp / "keyword")
        _fsync_dir(tmp)
        # A run killed between these two replaces left ``name`` in place but never current: rename onto
        # a non-empty directory fails (ENOTEMPTY), so remove it first.
        shutil.rmtree(index_dir / name, ignore_errors=True)
        os.replace(tmp, index_dir / name)
        pointer = index_dir / ".CURRENT.tmp"
        pointer.write_text(name, encoding="utf-8")
        os.replace(pointer, index_dir / "CURRENT")
        for old in index_dir.glob("gen-*"):
            if old.name != name:
                shutil.rmtree(old, ignore_errors=True)
        for stale in index_dir.glob(".gen-*.tmp"):
            shutil.rmtree(stale, ignore_errors=True)
        return name

    @classmethod
    def load(cls, index_dir: Path) -> Snapshot:
        name = current_generation(index_dir)
        if not name:
            return cls(Manifest(), [], sentences=SentenceVectors.load(index_dir))
        gen = index_dir / name
        manifest = Manifest.model_validate_json((gen / "manifest.json").read_text(encoding="utf-8"))
        chunks: list[ChunkRecord] = []
        with (gen / "chunks.jsonl").open(encoding="utf-8") as f:
            for line in f:
                chunks.append(ChunkRecord.model_validate_json(line))
        keyword = KeywordIndex.load(gen / "keyword") if (gen / "keyword" / "rows.jsonl").exists() else None
        return cls(manifest, chunks, keyword, SentenceVectors.load(index_dir))


def current_generation(index_dir: Path) -> str:
    pointer = index_dir / "CURRENT"
    if not pointer.exists():
        return ""
    name = pointer.read_text(encoding="utf-8").strip()
    return name if (index_dir / name / "manifest.json").exists() else ""


def _fsync_dir(path: Path) -> None:
    for child in path.rglob("*"):
        if child.is_file():
            with child.open("rb") as f:
                os.fsync(f.fileno())


def hit_meta(doc: DocumentMeta) -> dict[str, Any]:
    """The document facts a hit carries (its title is a field of its own)."""
    facts = {k: getattr(doc, k) for k in META_FIELDS if k != "title"}
    return {**facts, "status": doc.status, "valid_until": doc.valid_until}  # validity: not a Chroma filter
