"""The dense store: a Chroma collection, embedded (PersistentClient) or remote (HttpClient).

Chroma never embeds anything itself here: vectors always come from our ``Embedder``. Both modes pass
the same contract tests (``tests/test_store_contract.py``). A server that cannot be reached, at start or
later, raises :class:`StoreError` with a message that says what to do.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlparse

import numpy as np

_BATCH = 4000  # rows per upsert/get/delete call; below Chroma's max batch size (5461 in 1.5)
_PAGE = 5000  # ids per page when listing the collection
OVERSAMPLE_MAX = 3000  # a filtered query may ask HNSW for up to this many unfiltered neighbours …
EXACT_MAX = 2000  # … then score up to this many admitted rows exactly, more from vectors held in memory
# Chroma persists its HNSW graph only after ``sync_threshold`` (default 1000) vectors were written since the
# last save. Vectors not yet saved live in its log, and every process that opens the collection inserts
# them into the graph again, in parallel and in a per-process random order: a corpus of a few hundred
# chunks got a different graph, and different approximate neighbours, in every process. Saving after
# every write of two or more vectors leaves at most one vector to replay, so every process searches the
# same graph. (The extra saves are free for large ingests, whose 4,000-row batches already pass 1000.)
SYNC_THRESHOLD = 2

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)


class StoreError(RuntimeError):
    """The vector store is unreachable or unusable; the message says what to do."""


def _unreachable(exc: BaseException) -> bool:
    """True for transport faults (refused, reset, timeout), as opposed to bad requests."""
    try:
        import httpx

        if isinstance(exc, httpx.TransportError):
            return True
    except ImportError:  # pragma: no cover - httpx ships with chromadb
        pass
    return isinstance(exc, ConnectionError | TimeoutError) or "Could not connect" in str(exc)


def _guard(method: F) -> F:
    """Turn a lost connection to the Chroma server into a :class:`StoreError`."""

    @functools.wraps(method)
    def wrapper(self: ChromaStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as exc:
            if self.url and _unreachable(exc):
                raise StoreError(self._down_message(exc)) from exc
            raise

    return cast(F, wrapper)


@dataclass(frozen=True)
class Allowed:
    """The rows a metadata filter admits, known exactly from the keyword index's filter columns."""

    count: int
    total: int
    contains: Callable[[str], bool]
    ids: Callable[[], list[str]]


def chroma_where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """Translate ``{"level": "national", "region": ["北京市", "全国"]}`` into a Chroma ``where``."""
    if not filters:
        return None
    clauses: list[dict[str, Any]] = []
    for key, value in filters.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, set | frozenset):
            clauses.append({key: {"$in": sorted(str(v) for v in value)}})
        elif isinstance(value, list | tuple):
            clauses.append({key: {"$in": [str(v) for v in value]}})
        else:
            clauses.append({key: str(value)})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaStore:
    """Thin wrapper with the few operations ingest and retrieval need (see the contract tests)."""

    def __init__(self, path: Path | None = None, url: str = "", collection: str = "advisor") -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        self.url = url
        self.where = url or str(path)
        self._memory: tuple[list[str], np.ndarray] | None = None  # see _exact_in_memory
        try:
            if url:
                parsed = urlparse(url)
                if parsed.scheme not in ("http", "https") or not parsed.hostname:
                    raise StoreError(f"ADVISOR_CHROMA_URL 格式错误：{url!r}；应为 http://主机:端口")
                self._client = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                if path is None:
                    raise StoreError("内嵌 Chroma 需要数据目录：请设置 ADVISOR_DATA_DIR")
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self._col = self._client.get_or_create_collection(
                collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
            self._save_every_write()
        except StoreError:
            raise
        except Exception as exc:
            if url:
                raise StoreError(self._down_message(exc)) from exc
            raise StoreError(
                f"无法打开内嵌向量库 Chroma（{path}）：{type(exc).__name__}: {exc}。"
                "请检查数据目录的权限与磁盘空间，或用 `advisor ingest --rebuild` 重建索引"
            ) from exc

    def _save_every_write(self) -> None:
        """Set the collection's ``sync_threshold`` to :data:`SYNC_THRESHOLD` (new collections, and those
        made before it was set: the next process to open such a collection saves its graph)."""
        try:
            hnsw = (self._col.configuration or {}).get("hnsw") or {}
            if hnsw.get("sync_threshold", SYNC_THRESHOLD) != SYNC_THRESHOLD:
                self._col.modify(configuration={"hnsw": {"sync_threshold": SYNC_THRESHOLD}})
        except Exception as exc:  # a server that refuses the setting still serves queries
            log.warning("Chroma: sync_threshold not set (%s: %s)", type(exc).__name__, exc)

    def _down_message(self, exc: BaseException) -> str:
        return (
            f"无法连接向量库 Chroma 服务（{self.url}）：{type(exc).__name__}。"
            "请确认服务已启动（chroma run --path DIR --host 127.0.0.1 --port PORT）且地址正确，"
            "或清空 ADVISOR_CHROMA_URL 改用内嵌模式"
        )

    @_guard
    def count(self) -> int:
        return int(self._col.count())

    @_guard
    def ids(self) -> set[str]:
        """Every id in the collection (paged, so it works for any size)."""
        out: set[str] = set()
        offset = 0
        while True:
            got = self._col.get(include=[], limit=_PAGE, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < _PAGE:
                return out
            offset += len(got["ids"])

    @_guard
    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        """Insert or replace rows; idempotent, batched below Chroma's limit."""
        if not (len(ids) == len(vectors) == len(texts) == len(metadatas)):
            raise ValueError("upsert: ids, vectors, texts and metadatas differ in length")
        vectors = np.asarray(vectors, dtype=np.float32)
        self._memory = None
        for i in range(0, len(ids), _BATCH):
            self._col.upsert(
                ids=list(ids[i : i + _BATCH]),
                embeddings=vectors[i : i + _BATCH],
                documents=list(texts[i : i + _BATCH]),
                metadatas=list(metadatas[i : i + _BATCH]),
            )

    @_guard
    def delete(self, ids: Sequence[str]) -> None:
        """Delete rows by id; ids that do not exist are ignored."""
        ids = list(ids)
        self._memory = None
        for i in range(0, len(ids), _BATCH):
            self._col.delete(ids=ids[i : i + _BATCH])

    @_guard
    def get(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """id -> (text, metadata) for the ids that exist."""
        ids = list(ids)
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for i in range(0, len(ids), _BATCH):
            got = self._col.get(ids=ids[i : i + _BATCH], include=["documents", "metadatas"])
            for cid, doc, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False
            ):
                out[cid] = (doc or "", dict(meta or {}))
        return out

    @_guard
    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """id -> stored vector for the ids that exist."""
        ids = list(ids)
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(ids), _BATCH):
            got = self._col.get(ids=ids[i : i + _BATCH], include=["embeddings"])
            embs = got["embeddings"]
            if embs is None:
                continue
            for cid, vec in zip(got["ids"], embs, strict=True):
                out[cid] = np.asarray(vec, dtype=np.float32)
        return out

    @_guard
    def query(
        self,
        vector: np.ndarray,
        n: int,
        where: dict[str, Any] | None = None,
        allowed: Allowed | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first; [] for an empty collection.

        Chroma returns fewer rows when the collection (or the filtered subset) is smaller than ``n``, so
        no ``count()`` round-trip is needed per query.

        With a filter, pass ``allowed`` (what the filter admits, from the keyword index) as well: Chroma's
        filtered search costs about 0.5–1 s at 100k chunks whatever the filter, while an unfiltered HNSW
        query for a few thousand neighbours takes milliseconds. So a broad filter over-samples unfiltered
        neighbours and keeps the admitted ones; a narrow one scores its few rows exactly; a broad one
        whose neighbourhood holds too few admitted rows scores them all from vectors held in memory.
        """
        n = max(1, n)
        if where is None or allowed is None:
            return self._query(vector, n, where)
        if allowed.count == 0:
            return []
        want = min(n, allowed.count)
        over = n + -(-n * allowed.total * 2 // allowed.count)  # ceil: expect ≥ 2n admitted rows
        # A broad filter: the nearest unfiltered neighbours, over-sampled, usually hold enough admitted
        # rows. When they do not (the query's neighbourhood is near-copies of excluded texts), every
        # admitted row is scored exactly: a few fetched ones, or all of them from vectors held in memory.
        if over <= OVERSAMPLE_MAX:
            hits = [(cid, s) for cid, s in self._query(vector, over, None) if allowed.contains(cid)]
            if len(hits) >= want:
                return hits[:n]
        if allowed.count <= EXACT_MAX:
            return self._exact(vector, n, allowed.ids())
        return self._exact_in_memory(vector, n, allowed)

    def _query(self, vector: np.ndarray, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        res = self._col.query(
            query_embeddings=cast(Any, np.asarray(vector, dtype=np.float32).reshape(1, -1)),
            n_results=n,
            where=where,
            include=["distances"],
        )
        ids = res["ids"][0] if res["ids"] else []
        dists = (res.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=False)]

    def _exact_in_memory(self, vector: np.ndarray, n: int, allowed: Allowed) -> list[tuple[str, float]]:
        """Exact cosine ranking of the admitted rows, from every vector held in memory once loaded (about
        150 MB at 100k chunks; dropped when this store writes, reloaded when the collection's size
        changed)."""
        if self._memory is None or len(self._memory[0]) != self._col.count():  # another process wrote
            self._memory = self._load_memory()
        keys, unit = self._memory
        q = np.asarray(vector, dtype=np.float32)
        sims = unit @ (q / (np.linalg.norm(q) or 1.0))
        out: list[tuple[str, float]] = []
        for i in np.argsort(-sims, kind="stable"):  # equal similarities: by chunk id, as the other paths
            if allowed.contains(keys[i]):
                out.append((keys[i], float(sims[i])))
                if len(out) >= n:
                    break
        return out

    def _load_memory(self) -> tuple[list[str], np.ndarray]:
        stored = self.vectors(sorted(self.ids()))
        keys = sorted(stored)
        matrix = np.vstack([stored[k] for k in keys]) if keys else np.zeros((0, 1), dtype=np.float32)
        unit = matrix / (np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-12)
        return keys, unit.astype(np.float32)

    def _exact(self, vector: np.ndarray, n: int, ids: Sequence[str]) -> list[tuple[str, float]]:
        """Exact cosine ranking of the given rows (their stored vectors are fetched)."""
        stored = self.vectors(ids)
        if not stored:
            return []
        keys = sorted(stored)
        matrix = np.vstack([stored[k] for k in keys])
        q = np.asarray(vector, dtype=np.float32)
        sims = (matrix @ q) / (np.linalg.norm(matrix, axis=1) * (np.linalg.norm(q) or 1.0) + 1e-12)
        order = np.argsort(-sims, kind="stable")[:n]  # equal similarities: by chunk id
        return [(keys[i], float(sims[i])) for i in order]
