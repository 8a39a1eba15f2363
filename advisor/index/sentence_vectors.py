"""The embedder's vectors of every chunk sentence, so an answer can rank sentences by meaning without
embedding anything but the question.

Keyed by the sentence's own text (content-addressed), one file serves every generation: a killed
ingest leaves vectors that are merely unused, never wrong. The file is replaced atomically.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

FILE = "sentences.npz"


def _key(sentence: str) -> str:
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:20]


class SentenceVectors:
    """Unit vectors of sentences, by text, for one embedder."""

    def __init__(self, embedder: str = "", vectors: dict[str, np.ndarray] | None = None):
        self.embedder = embedder
        self._rows: dict[str, np.ndarray] = dict(vectors or {})
        self._lock = threading.Lock()
        self.unsaved = False  # vectors added since the file was read or written

    def __len__(self) -> int:
        return len(self._rows)

    def missing(self, sentences: Iterable[str]) -> list[str]:
        """The sentences (each once, in order) that have no vector yet."""
        return [s for s in dict.fromkeys(sentences) if _key(s) not in self._rows]

    def add(self, sentences: Sequence[str], vectors: np.ndarray) -> None:
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit = (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float16)
        with self._lock:
            self._rows.update((_key(s), v) for s, v in zip(sentences, unit, strict=True))
            self.unsaved = True

    def fill(
        self,
        sentences: Iterable[str],
        embed: Callable[[Sequence[str]], np.ndarray],
    ) -> int:
        """Embed the sentences that have no vector; returns how many were embedded."""
        todo = self.missing(sentences)
        if todo:
            self.add(todo, np.asarray(embed(todo), dtype=np.float32))
        return len(todo)

    def matrix(self, sentences: Sequence[str]) -> np.ndarray:
        """One unit vector per sentence (float32 rows); every sentence must have one."""
        return np.vstack([self._rows[_key(s)] for s in sentences]).astype(np.float32)

    def subset(self, sentences: Iterable[str], embedder: str) -> SentenceVectors:
        """A new store with only these sentences' vectors (what stored chunks still say)."""
        wanted = {_key(s) for s in sentences}
        return SentenceVectors(embedder, {k: v for k, v in self._rows.items() if k in wanted})

    def save(self, index_dir: Path) -> None:
        index_dir.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._rows)
        tmp = index_dir / f".{FILE}.tmp"
        with tmp.open("wb") as f:
            np.savez(
                f,
                embedder=np.array(self.embedder),
                keys=np.array(keys, dtype="U20"),
                vectors=np.vstack([self._rows[k] for k in keys]) if keys else np.zeros((0, 0), np.float16),
            )
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, index_dir / FILE)
        self.unsaved = False

    @classmethod
    def load(cls, index_dir: Path) -> SentenceVectors:
        """The saved vectors; none when there is no file or it cannot be read (they are recomputed)."""
        path = index_dir / FILE
        if not path.exists():
            return cls()
        try:
            with np.load(path) as data:
                keys = [str(k) for k in data["keys"]]
                vectors = data["vectors"]
                return cls(str(data["embedder"]), dict(zip(keys, vectors, strict=True)))
        except (OSError, ValueError, KeyError):
            return cls()
