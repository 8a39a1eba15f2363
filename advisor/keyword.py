"""Chinese keyword retrieval: jieba tokens scored with BM25 (``bm25s``, sparse matrices, no per-query
Python loop over chunks). Tokens are computed once per chunk and stored, so rebuilding the index after
an ingest never re-tokenizes the corpus."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

_USER_WORDS = [
    "人工智能", "大模型", "生成式人工智能", "深度合成", "算力", "智算中心", "专精特新", "卡脖子", "强链补链",
    "产业基金", "投促孵化", "产业链", "数字经济", "数据要素", "信能比", "AIGC", "AGI", "ChatGPT", "学研方",
    "供给方", "需求方", "投资方", "政府方", "基础模型层", "中间层", "应用层", "算力层", "能源层", "安全层",
    "平台层", "芯屏端软智网", "招大引强", "科技服务", "算法推荐", "标识", "隐式标识", "显式标识",
]  # fmt: skip
_STOP = set(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "是",
        "为",
        "对",
        "以",
        "或",
        "将",
        "并",
        "其",
        "之",
        "由",
        "从",
        "把",
        "被",
        "向",
        "这",
        "那",
        "有",
        "也",
        "就",
        "都",
        "而",
        "要",
        "可",
        "什么",
        "怎么",
        "怎样",
        "如何",
        "哪些",
        "哪个",
        "吗",
        "呢",
        "吧",
        "啊",
        "么",
        "请问",
        "一下",
        "我们",
        "我",
        "你",
        "您",
        "他们",
        "它",
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "in",
        "for",
        "on",
        "is",
        "are",
        "what",
        "how",
        "which",
        "does",
        "do",
        "with",
        "by",
        "as",
        "be",
    ]
)
_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)
_lock = threading.Lock()


@cache
def _jieba() -> Any:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in _USER_WORDS:
        jieba.add_word(word)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased, without stop words and punctuation."""
    jb = _jieba()
    with _lock:
        words = jb.lcut_for_search(text.lower())
    return [w for w in (w.strip() for w in words) if w and w not in _STOP and not _PUNCT.match(w)]


class KeywordIndex:
    """BM25 over chunk tokens; ``ids[i]`` is the chunk id of document row i."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[Sequence[str]], meta: Sequence[dict[str, str]]):
        import bm25s

        self.ids = list(ids)
        self.meta = list(meta)
        self._row = {cid: i for i, cid in enumerate(self.ids)}
        self._vocab: set[str] = set()
        self._bm25: Any = None
        self._df: np.ndarray | None = None
        if self.ids:
            self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self._bm25.index([list(t) if t else ["∅"] for t in tokens], show_progress=False)
            self._vocab = set(self._bm25.vocab_dict)

    def __len__(self) -> int:
        return len(self.ids)

    def idf(self, token: str) -> float:
        """Inverse document frequency; a token absent from the corpus gets the maximum."""
        n = len(self.ids)
        if self._bm25 is None:
            return 0.0
        if self._df is None:
            self._df = np.diff(np.asarray(self._bm25.scores["indptr"]))
        tid = self._bm25.vocab_dict.get(token)
        df = int(self._df[tid]) if tid is not None and tid < len(self._df) else 0
        return float(np.log(1 + (n - df + 0.5) / (df + 0.5)))

    def search(self, query: str, k: int, filters: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        if self._bm25 is None:
            return []
        q = [t for t in tokenize(query) if t in self._vocab]
        if not q:
            return []
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return []
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([q], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def _mask(self, filters: dict[str, Any] | None) -> np.ndarray | None:
        if not filters:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        for key, value in filters.items():
            if value in (None, "", [], ()):
                continue
            allowed = {str(v) for v in value} if isinstance(value, list | tuple | set) else {str(value)}
            mask &= np.fromiter(
                (m.get(key, "") in allowed for m in self.meta), dtype=bool, count=len(self.ids)
            )
        return mask

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        with (directory / "rows.jsonl").open("w", encoding="utf-8") as f:
            for cid, meta in zip(self.ids, self.meta, strict=True):
                f.write(json.dumps({"id": cid, "meta": meta}, ensure_ascii=False) + "\n")
        if self._bm25 is not None:
            self._bm25.save(str(directory / "bm25"), show_progress=False)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex:
        import bm25s

        ids: list[str] = []
        meta: list[dict[str, str]] = []
        with (directory / "rows.jsonl").open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                ids.append(row["id"])
                meta.append(row["meta"])
        self = cls.__new__(cls)
        self.ids, self.meta = ids, meta
        self._row = {cid: i for i, cid in enumerate(ids)}
        self._bm25 = None
        self._df = None
        self._vocab = set()
        if ids:
            self._bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
            self._vocab = set(self._bm25.vocab_dict)
        return self


def tokens_for(texts: Iterable[str]) -> list[list[str]]:
    return [tokenize(t) for t in texts]
