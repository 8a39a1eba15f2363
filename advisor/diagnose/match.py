"""Which of the draft's sentences address a checklist element: keywords where the sentence is *about*
the element, confirmed by a measure or by meaning.

Evidence for an element, per sentence of the draft:

- a **strong** word of at least :data:`SPECIFIC_CHARS` characters (specific enough alone: 智算中心,
  算法备案 …); a two-character strong word (能源, 企业 …) alone in its sentence counts only when the
  element has other evidence or at least :data:`LONE_STRONG_MIN` such sentences, or
- two distinct **keywords** of the element (a keyword inside another found one counts once; a
  two-character keyword must lie inside one jieba word of the sentence), or
- one keyword that a **measure acts on**: an action word (建设, 制定, 培育, 支持 …) right before it
  in its clause (:func:`advisor.diagnose.passing.acted_on`: 建设数据中心, 设立专项资金), or
- one keyword **confirmed by meaning**: the sentence (embedded in memory with the index's e5 model,
  never stored) fits this element better than the checklist on average — its cosine with the element
  minus its mean cosine over all elements is at least :data:`REL_DENSE`.

**Mentions in passing.** A strong word is only *mentioned* when the sentence is about something else
(:mod:`advisor.diagnose.passing`): it is a bare item of an enumeration whose other items are other
things (“支持网络安全、数据安全、算法安全技术和软硬件产品的研发应用”, “在基础设施建设、人才引进培养、
项目资助以及运行机制创新等方面”), or it lies inside a reference to another instrument (“按照智慧交通
发展规划……要求”). Such a word counts as a plain keyword: it needs a second keyword, a measure or the
meaning of its sentence, so a lone passing mention no longer makes an element 部分覆盖. An
enumeration where two items name the element (“建设智算中心、数据中心、超算中心”) is about it.

e5 cosines are compressed (a policy sentence scores 0.87–0.93 against any element), so dense
similarity is used relative to the other elements and only to confirm a keyword. Only the sentences
that could change a 缺失 are embedded (a single keyword of an element without other evidence; at most
:data:`MAX_DENSE`, cut to :data:`MAX_EMBED_CHARS`), which keeps a 10-page draft within seconds on two
cores.

Definitions (本条例所称……是指……) are not evidence: they name terms, they do not act on them.

Status: 已覆盖 with at least :data:`COVERED_MIN` evidence sentences, one of them strong; 部分覆盖 with
any evidence; 缺失 only when no sentence of the draft is evidence — a matching sentence is always
quoted. The keyword lists, the passing rules and :data:`REL_DENSE` were calibrated on the 9 dev drafts
of ``evals/datasets/diagnose.jsonl``: gap precision 0.94, recall 0.94, false 缺失 4.0% (before the
passing rules 0.94 / 0.92 / 4.0%; without the measure rule 0.93 / 0.94 / 4.8%; dropping passing
words altogether 0.89 / 0.95 / 8.1%; a measure word up to 4 characters before the keyword 0.95 /
0.87, up to 12 0.96 / 0.82, any 应当/鼓励 earlier in the clause 0.97 / 0.74). Earlier, on 8 drafts: definitions
counted 0.93 / 0.89; any strong word alone 0.93 / 0.88; every lone strong word needing support 0.83 / 0.93; dense confirmation at 0.00 gave
recall 0.59).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from advisor.diagnose.checklist import Element
from advisor.diagnose.draft import Draft, Sentence
from advisor.diagnose.passing import acted_on, in_passing
from advisor.index.embeddings import Embedder
from advisor.index.keyword import tokenize
from advisor.retrieval.glossary import has_english, translate_terms

REL_DENSE = 0.04
DEFINITION = re.compile(
    r"(?:本(?:条例|办法|规定|方案|意见|细则|措施)所称|下列用语的含义).{0,60}?(?:是指|，指|:|：)"
)
COVERED_MIN = 2
LONE_STRONG_MIN = 2
SPECIFIC_CHARS = 3
MAX_QUOTES = 3
MAX_DENSE = 96
MAX_EMBED_CHARS = 64

Status = Literal["已覆盖", "部分覆盖", "缺失"]


@dataclass
class Evidence:
    sentence: Sentence
    dense: float
    keywords: list[str]
    strong: list[str]

    @property
    def weight(self) -> float:
        """Ranks the quotes shown: strong words first, then keywords, then meaning."""
        return len(self.strong) + 0.5 * len(self.keywords) + self.dense


@dataclass
class Match:
    element: Element
    status: Status
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def score(self) -> float:
        """0…1: how clearly the best sentence addresses the element."""
        if not self.evidence:
            return 0.0
        best = self.evidence[0]
        return round(min(1.0, 0.5 * bool(best.strong) + 0.2 * len(best.keywords) + max(best.dense, 0) * 5), 3)


def found(words: list[str], text: str, tokens: frozenset[str] | None = None) -> list[str]:
    """The words present in ``text``; a word inside another found word counts once. With ``tokens``
    (the sentence's jieba words), a two-character word must lie inside one word of the sentence, so
    用电 is not found in 使用电子签名."""
    low = text.lower()
    hits = []
    for w in words:
        wl = w.lower()
        if wl not in low:
            continue
        if tokens is not None and len(wl) <= 2 and not any(wl in tok for tok in tokens):
            continue
        hits.append(w)
    return [w for w in hits if not any(w != o and w in o for o in hits)]


def _unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return np.asarray(vectors / np.where(norms == 0, 1.0, norms), dtype=np.float32)


_QUERY_CACHE: dict[tuple[str, str], np.ndarray] = {}


def element_vectors(elements: list[Element], embedder: Embedder) -> np.ndarray:
    """The elements' probes as e5 queries (cached per embedder: the checklist is fixed)."""
    rows = []
    for e in elements:
        key = (embedder.name, e.probe)
        if key not in _QUERY_CACHE:
            _QUERY_CACHE[key] = _unit(embedder.embed_query_vector(e.probe))
        rows.append(_QUERY_CACHE[key])
    return np.vstack(rows)


def matching_text(sentence: str) -> str:
    """What keywords are looked for in: the sentence, plus the Chinese terms of its English words and
    phrases (the retrieval glossary), so an English or mixed draft is matched too; quotes stay as written."""
    if not has_english(sentence):
        return sentence
    return f"{sentence} {' '.join(translate_terms(sentence))}"


def _keyword_evidence(element: Element, s: Sentence, text: str, tokens: frozenset[str]) -> Evidence | None:
    """The element's words in the sentence; a strong word mentioned only in passing (an item of an
    enumeration of other things, a reference to another plan) counts as a plain keyword."""
    strong = found(element.strong, text, tokens)
    keywords = found(element.keywords, text, tokens)
    if not strong and not keywords:
        return None
    terms = element.strong + element.keywords
    passing = [w for w in strong if in_passing(w, text, terms)]
    if passing:
        strong = [w for w in strong if w not in passing]
        keywords = list(dict.fromkeys([*keywords, *passing]))
    return Evidence(s, 0.0, keywords, strong)


def _acted_on(ev: Evidence) -> bool:
    words = ev.keywords or ev.strong
    return bool(words) and acted_on(words[0], matching_text(ev.sentence.text))


def _status(element: Element, evidence: list[Evidence]) -> Match:
    evidence.sort(key=lambda e: -e.weight)
    if not evidence:
        return Match(element, "缺失", [])
    covered = len(evidence) >= COVERED_MIN and any(e.strong for e in evidence)
    return Match(element, "已覆盖" if covered else "部分覆盖", evidence)


def match_all(
    elements: list[Element], draft: Draft, embedder: Embedder, rel_dense: float = REL_DENSE
) -> list[Match]:
    """Every element's match. Keywords decide first; a sentence with a single keyword of an element
    that has no other evidence is embedded and kept when its meaning fits that element better than
    the others (its similarity minus its mean similarity over all elements ≥ ``rel_dense``)."""
    found_by: list[list[Evidence]] = [[] for _ in elements]
    single: list[list[Evidence]] = [[] for _ in elements]
    lone: list[list[Evidence]] = [[] for _ in elements]
    for s in draft.sentences:
        if DEFINITION.search(s.text):
            continue  # a definition names terms; it is not a provision that acts on them
        text = matching_text(s.text)
        tokens = frozenset(tokenize(text))
        for k, e in enumerate(elements):
            ev = _keyword_evidence(e, s, text, tokens)
            if ev is None:
                continue
            terms = set(ev.strong) | set(ev.keywords)
            if len(terms) >= 2 or any(len(w) >= SPECIFIC_CHARS for w in ev.strong):
                found_by[k].append(ev)
            elif ev.strong:
                lone[k].append(ev)
            else:
                single[k].append(ev)
    for k in range(len(elements)):
        # a short strong word alone in its sentence counts when the element shows up elsewhere too
        if found_by[k] or len(lone[k]) >= LONE_STRONG_MIN:
            found_by[k].extend(lone[k])
        else:
            single[k].extend(lone[k])
    for k in range(len(elements)):
        if not found_by[k]:  # a single keyword that a measure acts on (建设数据中心, 制定标准)
            found_by[k].extend(ev for ev in single[k] if _acted_on(ev))
    undecided = [k for k in range(len(elements)) if not found_by[k] and single[k]]
    starts = sorted({ev.sentence.start for k in undecided for ev in single[k]})[:MAX_DENSE]
    if starts:
        index = {st: i for i, st in enumerate(starts)}
        by_start = {s.start: s for s in draft.sentences}
        texts = [by_start[st].text[:MAX_EMBED_CHARS] for st in starts]
        sims = element_vectors(elements, embedder) @ _unit(embedder.embed_passages(texts)).T
        rel = sims - sims.mean(axis=0, keepdims=True)
        for k in undecided:
            for ev in single[k]:
                i = index.get(ev.sentence.start)
                if i is not None and rel[k, i] >= rel_dense:
                    ev.dense = float(rel[k, i])
                    found_by[k].append(ev)
    return [_status(e, found_by[k]) for k, e in enumerate(elements)]


def quotes_of(match: Match) -> list[Sentence]:
    """The sentences shown for an element: the best few, in draft order."""
    chosen = [e.sentence for e in match.evidence[:MAX_QUOTES]]
    return sorted(chosen, key=lambda s: s.start)
