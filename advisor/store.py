"""The dense store: a Chroma collection, embedded (PersistentClient) or remote (HttpClient).

Chroma never embeds anything itself here: vectors always come from our ``Embedder``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

_BATCH = 1000  # below Chroma's max batch size


class StoreError(RuntimeError):
    """The vector store is unreachable or unusable; the message says what to do."""


def chroma_where(filters: dict[str, Any] | None) -> dict[str, Any] | None:
    """Translate ``{"level": "national", "region": ["北京市", "全国"]}`` into a Chroma ``where``."""
    if not filters:
        return None
    clauses: list[dict[str, Any]] = []
    for key, value in filters.items():
        if value in (None, "", [], ()):
            continue
        if isinstance(value, list | tuple | set):
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
        try:
            if url:
                parsed = urlparse(url)
                if not parsed.hostname:
                    raise StoreError(f"ADVISOR_CHROMA_URL 格式错误：{url!r}；应为 http://主机:端口")
                self._client = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                assert path is not None
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            self._col = self._client.get_or_create_collection(
                collection, metadata={"hnsw:space": "cosine"}, embedding_function=None
            )
        except StoreError:
            raise
        except Exception as exc:
            where = url or str(path)
            raise StoreError(
                f"无法连接向量库 Chroma（{where}）：{type(exc).__name__}。"
                "请确认 Chroma 服务已启动（chroma run --path DIR --port PORT），或清空 ADVISOR_CHROMA_URL 改用内嵌模式"
            ) from exc

    def count(self) -> int:
        return int(self._col.count())

    def ids(self) -> set[str]:
        out: set[str] = set()
        offset = 0
        while True:
            got = self._col.get(include=[], limit=_BATCH * 5, offset=offset)
            out.update(got["ids"])
            if len(got["ids"]) < _BATCH * 5:
                return out
            offset += len(got["ids"])

    def upsert(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        for i in range(0, len(ids), _BATCH):
            self._col.upsert(
                ids=list(ids[i : i + _BATCH]),
                embeddings=vectors[i : i + _BATCH],
                documents=list(texts[i : i + _BATCH]),
                metadatas=list(metadatas[i : i + _BATCH]),
            )

    def delete(self, ids: Sequence[str]) -> None:
        for i in range(0, len(ids), _BATCH):
            self._col.delete(ids=list(ids[i : i + _BATCH]))

    def get(self, ids: Sequence[str]) -> dict[str, tuple[str, dict[str, Any]]]:
        """id -> (text, metadata) for the ids that exist."""
        out: dict[str, tuple[str, dict[str, Any]]] = {}
        for i in range(0, len(ids), _BATCH):
            got = self._col.get(ids=list(ids[i : i + _BATCH]), include=["documents", "metadatas"])
            for cid, doc, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False
            ):
                out[cid] = (doc or "", dict(meta or {}))
        return out

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first."""
        n = max(1, min(n, self.count()))
        res = self._col.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        ids = res["ids"][0] if res["ids"] else []
        dists = (res.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=False)]
