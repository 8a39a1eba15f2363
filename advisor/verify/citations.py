"""Citation verification: keys must be ones we gave, quotes must be verbatim and support their claim,
and every number of a claim must be in the quote shown for it.

The model names a source key and a quote per claim. Here we map keys back to chunks and drop any key
that is not one of those given (never guessing which source was meant), repair a quote that is not
verbatim or does not support its claim with the chunk's sentences that do (or drop the citation),
extend a quote by a sentence or two when the claim's number is next to it, and reject claims whose
numbers are not in their quotes.

Support is measured on content bigrams (neighbouring characters, a number counting as one unit): a
claim is supported by a quote when the quote contains at least a fifth of the claim's bigrams and at
least three of them (all of a shorter claim's) — so two shared generic words (建设, 基地) or a shared
number do not tie a claim to a sentence about something else — or when the claim's detail is copied
from the quote verbatim (a fact under a label). A quote the verifier chooses itself
must also carry ``_MIN_SUPPORT`` of the claim's character bigrams (:func:`support`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from advisor.ingest.splitter import section_at
from advisor.text import sentences, squash
from advisor.types import Citation, Hit, Recommendation, Verification

CLAIM_SHARE = 0.2  # share of a claim's bigrams its own quote must contain …
CLAIM_BIGRAMS = 3  # … and at least this many of them (all of them for a shorter claim)
_MIN_SUPPORT = 0.35  # share of claim bigrams a quote chosen or repaired by the verifier must contain
_NEAR_VERBATIM = 0.75  # share of the model's quote bigrams found in one chunk sentence
_MAX_RUN = 3  # sentences in a quote the verifier chooses
_GROW = 2  # sentences a quote may grow by to take in the claim's numbers
_KEY = re.compile(r"\[?\s*([0-9]+)\s*\]?")


def _bigrams(text: str) -> set[str]:
    t = squash(text)
    return {t[i : i + 2] for i in range(len(t) - 1)}


def support(claim: str, passage: str) -> float:
    """Share of the claim's character bigrams found in the passage (0–1)."""
    c = _bigrams(claim)
    return len(c & _bigrams(passage)) / len(c) if c else 0.0


def content_bigrams(text: str) -> set[tuple[str, str]]:
    """Pairs of neighbouring units within runs of word characters, where a unit is one character or a
    whole number: punctuation adds nothing, and "300万元" is (300, 万), (万, 元) — a number counts once,
    so a quote does not support a claim by sharing its digits alone."""
    out: set[tuple[str, str]] = set()
    for run in re.findall(r"\w+", unicodedata.normalize("NFKC", text).lower()):
        units = re.findall(r"\d+|\D", run)
        out.update(pairwise(units))
    return out


def supported(claim: str, quote: str, body: str = "") -> bool:
    """Whether ``quote`` supports ``claim``: it holds at least ``CLAIM_SHARE`` of the claim's content
    bigrams and at least ``CLAIM_BIGRAMS`` of them (every one of a claim with fewer) — or the claim's
    ``body`` (its detail under a title) is copied from the quote verbatim: a short fact under a label,
    "文件信息：国发〔2025〕11号", shares too few bigrams with its label to pass otherwise."""
    c = content_bigrams(claim)
    shared = len(c & content_bigrams(quote))
    if c and shared >= CLAIM_SHARE * len(c) and shared >= min(CLAIM_BIGRAMS, len(c)):
        return True
    copied = squash(body)
    return len(copied) >= 4 and copied in squash(quote)


def numbers_in(text: str) -> set[str]:
    """Arabic numbers (with %) of a text, normalised; Chinese ordinals such as 第三条 are ignored."""
    out = set()
    for m in re.finditer(r"\d+(?:\.\d+)?\s*%?", unicodedata.normalize("NFKC", text)):
        out.add(re.sub(r"\s+", "", m.group()))  # "08\n\n" at a line end is "08"
    return out


def unsupported_numbers(claim: str, sources: list[str]) -> set[str]:
    have = set().union(*(numbers_in(s) for s in sources)) if sources else set()
    plain = {h.rstrip("%") for h in have}
    return {n for n in numbers_in(claim) if n not in have and n.rstrip("%") not in plain}


def source_line(c: Citation) -> str:
    """What is shown with a quote besides the quote itself: document title, section, date and 文号 (a
    claim may take the year or 文号 of the document it cites from here)."""
    return " ".join(x for x in (c.title, c.section, c.date, c.doc_number) if x)


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


def _sentence_bounds(chunk_text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of the chunk, in order."""
    found: list[tuple[int, int]] = []
    at = 0
    for sent in sentences(chunk_text):
        start = chunk_text.find(sent, at)
        if start < 0:
            continue
        found.append((start, start + len(sent)))
        at = start + len(sent)
    return found


def best_span(
    claim: str, chunk_text: str, max_sentences: int = _MAX_RUN, gain: float = 0.1
) -> tuple[str, float]:
    """The run of up to ``max_sentences`` consecutive chunk sentences that best supports ``claim``, as
    a verbatim slice of the chunk. A longer run must add ``gain`` support per sentence (a claim that
    merges two sentences of its source is quoted by both, not by one that covers half of it)."""
    found = _sentence_bounds(chunk_text)
    best, score, value = "", 0.0, 0.0
    for i in range(len(found)):
        for j in range(i, min(i + max_sentences, len(found))):
            span = chunk_text[found[i][0] : found[j][1]]
            sc = support(claim, span)
            if sc - gain * (j - i) > value:  # strictly better: on a tie the shorter run stays
                best, score, value = span, sc, sc - gain * (j - i)
    return best, score


def source_index(key: object, count: int) -> int | None:
    """The 0-based source a model's key names, or None: only an int 1..count or a string of one ("2",
    "[2]") names a source. Floats, booleans, None, 0, negatives, out-of-range and anything else are
    invented keys — never rounded, clamped or guessed."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        idx = key
    elif isinstance(key, str):
        m = _KEY.fullmatch(unicodedata.normalize("NFKC", key).strip())
        if m is None:
            return None
        idx = int(m.group(1))
    else:
        return None
    return idx - 1 if 1 <= idx <= count else None


@dataclass
class Verifier:
    """Collects verified citations for one answer or plan; numbering follows first use."""

    hits: list[Hit]
    stats: Verification = field(default_factory=Verification)
    citations: list[Citation] = field(default_factory=list)
    # texts the caller vouches for as sources of numbers besides the quotes (the user's city profile)
    vouched: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stats.keys_given = len(self.hits)

    def vouch(self, texts: Iterable[str]) -> None:
        """Numbers of ``texts`` may appear in claims without being quoted (the caller shows them)."""
        self.vouched += [t for t in texts if t not in self.vouched]

    def _source(self, key: object) -> Hit | None:
        """The hit a model's source key names; an invented key is counted and gives None."""
        self.stats.citations_checked += 1
        idx = source_index(key, len(self.hits))
        if idx is None:
            self.stats.invented_keys_removed += 1
            return None
        return self.hits[idx]

    def cite(self, key: object, quote: str, claim: str, body: str = "") -> int | None:
        """Verify one (key, quote) for ``claim`` (whose detail under its title is ``body``, if it has
        one); return the citation number or None if dropped.

        The quote must be verbatim from the source the key names and support the claim. Otherwise the
        verifier repairs it from that source (the sentence the model's quote near-copies, or the run of
        sentences that best supports the claim) or drops the citation. A verbatim quote under another
        valid key is moved to the source it comes from."""
        hit = self._source(key)
        if hit is None:
            return None
        quote = quote or ""
        span = verbatim_span(quote, hit.text)
        if span is None:  # a verbatim quote under the wrong key: the quote decides which source it is
            for other in self.hits:
                found = verbatim_span(quote, other.text)
                if found is not None and (not claim or supported(claim, found, body)):
                    hit, span = other, found
                    self.stats.keys_remapped += 1
                    break
        if span is not None and claim and not supported(claim, span, body):
            span = None  # verbatim, but about something else than the claim
        repaired = span is None
        if span is None:
            span = self._repair(quote, claim, hit, body)
            if span is None:
                self.stats.citations_dropped += 1
                return None
        grown = self._with_numbers(claim, hit, span)
        if repaired or grown != span:  # the quote shown is not the model's
            self.stats.quotes_repaired += 1
        return self._number(hit, grown)

    def _repair(self, quote: str, claim: str, hit: Hit, body: str = "") -> str | None:
        """The chunk text to quote for ``claim`` instead of the model's quote, or None."""
        near, near_score = best_sentence(quote, hit.text) if quote else ("", 0.0)
        if near and near_score >= _NEAR_VERBATIM and (not claim or supported(claim, near, body)):
            return near
        if not claim:
            return None
        best, score = best_span(claim, hit.text)
        return best if best and score >= _MIN_SUPPORT and supported(claim, best, body) else None

    def cite_best(self, key: object, claim: str, body: str = "") -> int | None:
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
        if not best or score < _MIN_SUPPORT or not supported(claim, best, body):
            self.stats.citations_dropped += 1
            return None
        return self._number(hit, self._with_numbers(claim, hit, best))

    def cite_hit(self, hit: Hit, quote: str) -> int:
        """Cite a chunk with a quote taken from it (extractive path: verbatim by construction)."""
        assert verbatim_span(quote, hit.text) is not None, "extractive quotes come from the chunk"
        return self._number(hit, quote)

    def _with_numbers(self, claim: str, hit: Hit, span: str) -> str:
        """``span``, or a verbatim stretch of the chunk around it (up to ``_GROW`` more sentences), or else
        the run of sentences best supporting the claim, that holds every number of the claim the source
        line and vouched texts do not; ``span`` itself when no such stretch exists (the claim is then
        rejected by :meth:`check_claim`)."""
        header = f"{hit.title} {hit.section} {hit.meta.get('date', '')} {hit.meta.get('doc_number', '')}"
        given = [header, *self.vouched]
        if not unsupported_numbers(claim, [span, *given]) or unsupported_numbers(claim, [hit.text, *given]):
            return span
        text, sents = hit.text, _sentence_bounds(hit.text)
        start = text.find(span)
        if start >= 0 and sents:
            end = start + len(span)
            first = next((i for i, (_, e) in enumerate(sents) if e > start), len(sents) - 1)
            last = max((i for i, (s, _) in enumerate(sents) if s < end), default=first)
            grown = []
            for i in range(max(0, first - _GROW), first + 1):
                for j in range(last, min(len(sents), last + 1 + _GROW)):
                    if (first - i) + (j - last) <= _GROW:
                        grown.append(
                            (first - i + j - last, text[min(start, sents[i][0]) : max(end, sents[j][1])])
                        )
            for _, cand in sorted(grown, key=lambda t: (t[0], len(t[1]))):
                if not unsupported_numbers(claim, [cand, *given]):
                    return cand
        runs = [
            text[sents[i][0] : sents[j][1]]
            for i in range(len(sents))
            for j in range(i, min(i + _MAX_RUN, len(sents)))
        ]
        fits = [r for r in runs if not unsupported_numbers(claim, [r, *given]) and supported(claim, r)]
        fits = [r for r in fits if support(claim, r) >= _MIN_SUPPORT]
        return max(fits, key=lambda r: (support(claim, r), -len(r))) if fits else span

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
                # a chunk may run on into the next article: the quote's own one
                section=section_at(hit.section, hit.text, hit.text.find(quote)),
                quote=quote,
                issuer=str(meta.get("issuer", "")),
                date=str(meta.get("date", "")),
                doc_number=str(meta.get("doc_number", "")),
                level=str(meta.get("level", "")),
                status=str(meta.get("status", "")),
                valid_until=str(meta.get("valid_until", "")),
            )
        )
        return n

    def check_claim(self, rec: Recommendation) -> bool:
        """A claim survives when it cites verified quotes that support it and every number in it occurs
        in one of those quotes (or their source line, or a text the caller vouched for)."""
        cited = [c for c in self.citations if c.n in rec.citations]
        if not cited:
            self.stats.claims_dropped += 1
            return False
        claim = f"{rec.title} {rec.detail}"
        quotes = [c.quote for c in cited]
        if unsupported_numbers(claim, [*quotes, *map(source_line, cited), *self.vouched]):
            self.stats.numbers_rejected += 1
            self.stats.claims_dropped += 1
            return False
        if not supported(claim, "\n".join(quotes), rec.detail):
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
