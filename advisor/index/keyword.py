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

from advisor.index.store import Allowed

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
FILTER_KEYS = ("level", "region", "kind", "doc_id", "issuer")  # what retrieval can filter on
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


def word_bounds(text: str) -> set[int]:
    """The offsets in ``text`` where a jieba word (precise mode) starts or ends."""
    jb = _jieba()
    with _lock:
        words = jb.lcut(text)
    bounds, at = {0}, 0
    for w in words:
        at += len(w)
        bounds.add(at)
    return bounds


def is_word(token: str) -> bool:
    """Whether jieba knows ``token`` as a word (its dictionary or ours), rather than having guessed it
    from an unknown run of characters (用户方在 → 方在)."""
    jb = _jieba()
    return (jb.dt.FREQ.get(token) or 0) > 0 or token.isascii()


TOKENIZER_VERSION = 2  # bump when index_tokens changes: ingest then re-tokenizes (no re-embedding)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def index_tokens(text: str) -> list[str]:
    """What BM25 indexes and queries: jieba words plus CJK character bigrams (prefixed ``_``).

    Bigrams catch paraphrases that segment differently (招引 vs 招商引资); on the retrieval eval set they
    raise keyword-only MRR from 0.76 to 0.80 and the fused hit@5 and MRR with it.
    """
    words = tokenize(text)
    grams = [f"_{run[i : i + 2]}" for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]
    return words + grams


class KeywordIndex:
    """BM25 over chunk tokens; ``ids[i]`` is the chunk id of document row i."""

    def __init__(self, ids: Sequence[str], tokens: Sequence[Sequence[str]], meta: Sequence[dict[str, str]]):
        import bm25s

        self.ids = list(ids)
        self.meta = list(meta)
        self._documents: dict[str, str] | None = None
        self._shares: dict[str, float] = {}  # document_share, by phrase (the texts do not change)
        self._row = {cid: i for i, cid in enumerate(self.ids)}
        self._vocab: set[str] = set()
        self._bm25: Any = None
        self._df: np.ndarray | None = None
        self._columns: dict[str, tuple[np.ndarray, dict[str, int]]] = {}
        self._text = ""  # the chunks' text, for phrase look-ups (see ``attach_texts``)
        self._texts: list[str] = []
        if self.ids:
            self._bm25 = bm25s.BM25(k1=1.2, b=0.75)
            self._bm25.index([list(t) if t else ["∅"] for t in tokens], show_progress=False)
            self._vocab = set(self._bm25.vocab_dict)
        self._prepare_columns()

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

    def attach_texts(self, texts: Sequence[str], titles: Sequence[str] = ()) -> None:
        """Give the index its chunks' text (``texts[i]`` of row i), so :meth:`occurs` can look for
        phrases the tokens split."""
        self._texts = [t.lower() for t in texts]
        self._shares = {}
        self._text = "\n".join([*(t.lower() for t in titles), *self._texts])

    def occurs_in(self, phrase: str, doc_ids: set[str]) -> bool:
        """Whether ``phrase`` occurs verbatim in one of the documents ``doc_ids``."""
        p = phrase.lower()
        return any(
            p in text
            for text, meta in zip(self._texts, self.meta, strict=False)
            if meta.get("doc_id") in doc_ids
        )

    def occurs(self, phrase: str, gap: int = 2) -> bool:
        """Whether ``phrase`` occurs in the corpus, allowing up to ``gap`` characters between its
        characters (省政府 occurs as 省人民政府, 政府部门 as 政府有关部门)."""
        if not self._text:
            return True  # nothing to look in: claim nothing is absent
        return re.search(f".{{0,{gap}}}".join(map(re.escape, phrase.lower())), self._text) is not None

    def document_share(self, phrase: str) -> float:
        """The share of the indexed documents with a chunk holding ``phrase`` verbatim (管理: nearly all)."""
        p = phrase.lower()
        if p not in self._shares:  # a scan of every chunk: once per phrase
            holding = {m.get("doc_id") for t, m in zip(self._texts, self.meta, strict=False) if p in t}
            self._shares[p] = len(holding) / max(1, len(self.documents()))
        return self._shares[p]

    def documents(self) -> dict[str, str]:
        """Title of each indexed document, by doc id (built once: the index does not change)."""
        if self._documents is None:
            self._documents = {m["doc_id"]: m.get("title", "") for m in self.meta if m.get("doc_id")}
        return self._documents

    def knows(self, word: str) -> bool:
        """Whether ``word`` occurs in the corpus, as a jieba word or (two characters) as a bigram."""
        w = word.lower()
        return w in self._vocab or (len(w) == 2 and f"_{w}" in self._vocab)

    def search(self, query: str, k: int, filters: dict[str, Any] | None = None) -> list[tuple[str, float]]:
        if self._bm25 is None:
            return []
        q = [t for t in index_tokens(query) if t in self._vocab]
        if not q:
            return []
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return []
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([q], k=k, show_progress=False, weight_mask=mask, n_threads=0)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def allowed(self, filters: dict[str, Any] | None) -> Allowed | None:
        """What ``filters`` admit (count, membership, ids), for the dense side; None without filters."""
        mask = self._mask(filters)
        if mask is None:
            return None
        row = self._row
        ids = self.ids

        def contains(cid: str) -> bool:
            i = row.get(cid)
            return i is not None and bool(mask[i])

        return Allowed(
            count=int(mask.sum()),
            total=len(ids),
            contains=contains,
            ids=lambda: [ids[i] for i in np.flatnonzero(mask)],
        )

    def _mask(self, filters: dict[str, Any] | None) -> np.ndarray | None:
        """Rows whose metadata match every filter, from precomputed integer-coded columns (no per-query
        Python loop over rows)."""
        if not filters:
            return None
        mask = np.ones(len(self.ids), dtype=bool)
        for key, value in filters.items():
            if value in (None, "", [], ()):
                continue
            allowed = {str(v) for v in value} if isinstance(value, list | tuple | set) else {str(value)}
            codes, vocab = self._column(key)
            wanted = [vocab[v] for v in sorted(allowed) if v in vocab]
            if not wanted:
                return np.zeros(len(self.ids), dtype=bool)
            mask &= codes == wanted[0] if len(wanted) == 1 else np.isin(codes, wanted)
        return mask

    def _column(self, key: str) -> tuple[np.ndarray, dict[str, int]]:
        """Metadata column ``key`` as int codes per row plus value -> code; built once per key."""
        col = self._columns.get(key)
        if col is None:
            vocab: dict[str, int] = {}
            codes = np.fromiter(
                (vocab.setdefault(m.get(key, ""), len(vocab)) for m in self.meta),
                dtype=np.int32,
                count=len(self.meta),
            )
            col = self._columns[key] = (codes, vocab)
        return col

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
        self._documents = None
        self._shares = {}
        self._row = {cid: i for i, cid in enumerate(ids)}
        self._bm25 = None
        self._df = None
        self._vocab = set()
        self._columns = {}
        if ids:
            self._bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False, verbosity=0)
            self._vocab = set(self._bm25.vocab_dict)
        self._prepare_columns()
        return self

    def _prepare_columns(self) -> None:
        """Build the filter columns up front, so the first filtered query is as fast as the rest."""
        for key in FILTER_KEYS:
            self._column(key)


def tokens_for(texts: Iterable[str]) -> list[list[str]]:
    return [index_tokens(t) for t in texts]
