"""Citation verification: keys must be ones we gave, quotes must be verbatim, numbers must be sourced.

The model names a source key and a quote per claim. Here we map keys back to chunks, drop invented
keys, repair non-verbatim quotes with the chunk sentence that best supports the claim (or drop the
citation), and reject claims whose numbers do not occur in their cited chunks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from advisor.text import sentences, squash
from advisor.types import Citation, Hit, Recommendation, Verification

_MIN_SUPPORT = 0.35  # share of claim bigrams a repaired quote must contain
_MIN_RELEVANCE = 0.2
_NEAR_VERBATIM = 0.75  # share of the model's quote bigrams found in one chunk sentence  # share of claim bigrams the cited chunk must contain


def _bigrams(text: str) -> set[str]:
    t = squash(text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def support(claim: str, passage: str) -> float:
    """Share of the claim's character bigrams found in the passage (0–1)."""
    c = _bigrams(claim)
    return len(c & _bigrams(passage)) / len(c) if c else 0.0


def numbers_in(text: str) -> set[str]:
    """Arabic numbers (with %) of a text, normalised; Chinese ordinals such as 第三条 are ignored."""
    out = set()
    for m in re.finditer(r"\d+(?:\.\d+)?\s*%?", unicodedata.normalize("NFKC", text)):
        out.add(m.group().replace(" ", ""))
    return out


def unsupported_numbers(claim: str, sources: list[str]) -> set[str]:
    have = set().union(*(numbers_in(s) for s in sources)) if sources else set()
    plain = {h.rstrip("%") for h in have}
    return {n for n in numbers_in(claim) if n not in have and n.rstrip("%") not in plain}


def verbatim_span(quote: str, chunk_text: str) -> str | None:
    """The exact chunk substring matching ``quote`` ignoring whitespace differences, else None."""
    q = squash(quote)
    if len(q) < 4:
        return None
    if quote.strip() and quote.strip() in chunk_text:
        return quote.strip()
    # Map whitespace-free positions back to the original text.
    positions = [i for i, ch in enumerate(chunk_text) if not ch.isspace()]
    flat = "".join(chunk_text[i] for i in positions)
    flat_n = unicodedata.normalize("NFKC", flat)
    if len(flat_n) != len(flat):
        flat_n = flat
    at = flat_n.find(q)
    if at < 0:
        return None
    return chunk_text[positions[at] : positions[at + len(q) - 1] + 1]


def best_sentence(claim: str, chunk_text: str) -> tuple[str, float]:
    best, score = "", 0.0
    for s in sentences(chunk_text):
        sc = support(claim, s)
        if sc > score:
            best, score = s, sc
    return best, score


def best_span(claim: str, chunk_text: str, max_sentences: int = 3, gain: float = 0.1) -> tuple[str, float]:
    """The run of up to ``max_sentences`` consecutive chunk sentences that best supports ``claim``, as
    a verbatim slice of the chunk. A longer run must add ``gain`` support per sentence (a claim that
    merges two sentences of its source is quoted by both, not by one that covers half of it)."""
    found: list[tuple[int, int]] = []
    at = 0
    for sent in sentences(chunk_text):
        start = chunk_text.find(sent, at)
        if start < 0:
            continue
        found.append((start, start + len(sent)))
        at = start + len(sent)
    best, score, value = "", 0.0, 0.0
    for i in range(len(found)):
        for j in range(i, min(i + max_sentences, len(found))):
            span = chunk_text[found[i][0] : found[j][1]]
            sc = support(claim, span)
            if sc - gain * (j - i) > value:  # strictly better: on a tie the shorter run stays
                best, score, value = span, sc, sc - gain * (j - i)
    return best, score


@dataclass
class Verifier:
    """Collects verified citations for one answer or plan; numbering follows first use."""

    hits: list[Hit]
    stats: Verification = field(default_factory=Verification)
    citations: list[Citation] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stats.keys_given = len(self.hits)

    def _source(self, key: object) -> Hit | None:
        """The hit a model's source key names; an invented key is counted and gives None."""
        self.stats.citations_checked += 1
        try:
            idx = int(str(key).strip().strip("[]"))
        except (TypeError, ValueError):
            idx = -1
        if not 1 <= idx <= len(self.hits):
            self.stats.invented_keys_removed += 1
            return None
        return self.hits[idx - 1]

    def cite(self, key: object, quote: str, claim: str) -> int | None:
        """Verify one (key, quote) for ``claim``; return the citation number or None if dropped."""
        hit = self._source(key)
        if hit is None:
            return None
        span = verbatim_span(quote or "", hit.text)
        if span is None:  # a verbatim quote under the wrong key: the quote decides which source it is
            other = next((h for h in self.hits if verbatim_span(quote or "", h.text)), None)
            if other is not None and support(claim, other.text) >= _MIN_RELEVANCE:
                hit, span = other, verbatim_span(quote or "", other.text)
                self.stats.keys_remapped += 1
        if span is None:
            # A near-verbatim quote (a word dropped or swapped) names its sentence; else the sentence that
            # best supports the claim. Either way the claim must still relate to the chunk.
            near, near_score = best_sentence(quote, hit.text) if quote else ("", 0.0)
            best, best_score = best_sentence(claim or quote, hit.text)
            if near and near_score >= _NEAR_VERBATIM:
                span = near
            elif best and best_score >= _MIN_SUPPORT:
                span = best
            if span is None or (claim and support(claim, hit.text) < _MIN_RELEVANCE):
                self.stats.citations_dropped += 1
                return None
            self.stats.quotes_repaired += 1
        elif claim and support(claim, hit.text) < _MIN_RELEVANCE:
            self.stats.citations_dropped += 1  # a verbatim quote from a chunk unrelated to the claim
            return None
        return self._number(hit, span)

    def cite_best(self, key: object, claim: str) -> int | None:
        """Cite source ``key`` for ``claim`` with the chunk sentence (or run of up to three) that best
        supports it — used where the model names only a source: the quote is chosen here, verbatim by
        construction."""
        hit = self._source(key)
        if hit is None:
            return None
        best, score = best_span(claim, hit.text)
        if score < _MIN_SUPPORT:  # the claim near-copies a sentence of another source: that one it is
            other = max(((h, *best_span(claim, h.text)) for h in self.hits), key=lambda t: t[2])
            if other[2] >= _NEAR_VERBATIM:
                hit, best, score = other
                self.stats.keys_remapped += 1
        if not best or score < _MIN_SUPPORT or support(claim, hit.text) < _MIN_RELEVANCE:
            self.stats.citations_dropped += 1
            return None
        return self._number(hit, best)

    def cite_hit(self, hit: Hit, quote: str) -> int:
        """Cite a chunk with a quote taken from it (extractive path: verbatim by construction)."""
        assert verbatim_span(quote, hit.text) is not None, "extractive quotes come from the chunk"
        return self._number(hit, quote)

    def _number(self, hit: Hit, quote: str) -> int:
        for c in self.citations:
            if c.chunk_id == hit.chunk_id and squash(c.quote) == squash(quote):
                return c.n
        n = len(self.citations) + 1
        meta = hit.meta
        self.citations.append(
            Citation(
                n=n,
                chunk_id=hit.chunk_id,
                doc_id=hit.doc_id,
                title=hit.title,
                section=hit.section,
                quote=quote,
                issuer=str(meta.get("issuer", "")),
                date=str(meta.get("date", "")),
                doc_number=str(meta.get("doc_number", "")),
                level=str(meta.get("level", "")),
            )
        )
        return n

    def check_claim(self, rec: Recommendation) -> bool:
        """A claim survives when it has citations and every number in it occurs in a cited quote's chunk."""
        if not rec.citations:
            self.stats.claims_dropped += 1
            return False
        cited = [c for c in self.citations if c.n in rec.citations]
        chunk_texts = [h.text for h in self.hits if h.chunk_id in {c.chunk_id for c in cited}]
        if unsupported_numbers(f"{rec.title} {rec.detail}", chunk_texts):
            self.stats.numbers_rejected += 1
            self.stats.claims_dropped += 1
            return False
        return True

    def used(self, recs: list[Recommendation], extra: list[int] | None = None) -> list[Citation]:
        """Citations actually referenced, renumbered 1..n in order of use; recs are updated in place."""
        order: list[int] = []
        for n in [*(extra or []), *(n for r in recs for n in r.citations)]:
            if n not in order:
                order.append(n)
        remap = {old: new for new, old in enumerate(order, start=1)}
        for r in recs:
            r.citations = [remap[n] for n in r.citations if n in remap]
        out = []
        for old in order:
            c = next(c for c in self.citations if c.n == old)
            out.append(c.model_copy(update={"n": remap[old]}))
        if extra is not None:
            extra[:] = [remap[n] for n in extra]
        return out
