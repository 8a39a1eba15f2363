"""Pure metric functions and the metric registry shared by the suites, the report and the baseline gate.

Every suite produces one row per case (a flat ``dict``); a :class:`MetricSpec` says how a headline value
is computed from the rows (mean of a per-case field, ratio of two summed fields, or a percentile), how it
is labelled in the report, and whether the baseline gate checks it. Definitions: ``evals/README.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from advisor.text import squash

Unit = Literal["rate", "number", "seconds", "tokens"]
Agg = Literal["mean", "ratio", "p50", "p95"]

RATE_TOLERANCE = 0.03  # absolute, for shares between 0 and 1
NUMBER_TOLERANCE = 0.10  # relative, for counts such as citations per recommendation

_MARKER = re.compile(r"\[(\d{1,3})\]")


def norm(text: str) -> str:
    """Whitespace-free, NFKC-normalised text (full-width digits and % become half-width)."""
    return squash(text or "")


def contains(haystack: str, needle: str) -> bool:
    """Whitespace-insensitive substring test (both sides normalised with :func:`norm`)."""
    n = norm(needle)
    return bool(n) and n in norm(haystack)


def markers(text: str) -> list[int]:
    """Citation numbers used as ``[n]`` in a text, in order of appearance."""
    return [int(m) for m in _MARKER.findall(text or "")]


def strip_markers(text: str) -> str:
    return _MARKER.sub("", text or "").strip()


# ------------------------------------------------------------------------------------------ retrieval


def first_rank(texts: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first text containing any evidence string, or None."""
    ev = [norm(e) for e in evidence if norm(e)]
    for i, t in enumerate(texts, start=1):
        nt = norm(t)
        if any(e in nt for e in ev):
            return i
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def evidence_recall(texts: Sequence[str], evidence: Sequence[str], k: int) -> float:
    """Share of the evidence strings found in at least one of the top-k texts."""
    if not evidence:
        return 0.0
    joined = [norm(t) for t in texts[:k]]
    found = sum(1 for e in evidence if any(norm(e) in t for t in joined))
    return found / len(evidence)


def ndcg_at(texts: Sequence[str], evidence: Sequence[str], k: int, n_relevant: int) -> float:
    """Binary-relevance nDCG@k: a text is relevant when it contains any evidence string; the ideal
    ranking puts ``min(n_relevant, k)`` relevant chunks first (``n_relevant`` = chunks of the whole index
    that contain an evidence string)."""
    ev = [norm(e) for e in evidence if norm(e)]
    dcg = 0.0
    for i, t in enumerate(texts[:k], start=1):
        nt = norm(t)
        if any(e in nt for e in ev):
            dcg += 1.0 / math.log2(i + 1)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(max(n_relevant, 1), k) + 1))
    return min(1.0, dcg / ideal) if ideal else 0.0


# ------------------------------------------------------------------------------------------ statistics


def percentile(values: Iterable[float], p: float) -> float | None:
    """Linear-interpolated percentile (p in 0–100) or None for no values."""
    xs = sorted(float(v) for v in values)
    if not xs:
        return None
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * p / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


@dataclass(frozen=True)
class MetricSpec:
    """How one headline metric is computed from per-case rows and shown in the report."""

    key: str  # unique within its suite, e.g. "hybrid.hit@5" or "fact_recall"
    label: str  # Chinese name shown in the report
    explain: str  # one plain-language sentence for a non-engineer
    field: str  # per-case field (numerator field for agg="ratio")
    unit: Unit = "rate"
    higher_better: bool = True
    gate: bool = False
    agg: Agg = "mean"
    den: str = ""  # denominator field for agg="ratio"
    judged: bool = False  # depends on the support judge (not gated across different judges)
    group: str = ""  # report grouping, e.g. the retrieval mode

    def compute(self, rows: Sequence[dict[str, Any]]) -> float | None:
        if self.agg == "ratio":
            den = sum(float(r.get(self.den) or 0) for r in rows if r.get(self.den) is not None)
            if not den:
                return None
            num = sum(float(r.get(self.field) or 0) for r in rows if r.get(self.den) is not None)
            return num / den
        vals = [float(r[self.field]) for r in rows if r.get(self.field) is not None]
        if not vals:
            return None
        if self.agg == "p50":
            return percentile(vals, 50)
        if self.agg == "p95":
            return percentile(vals, 95)
        return sum(vals) / len(vals)

    def fields(self) -> list[str]:
        return [self.field, self.den] if self.den else [self.field]

    def regressed(self, current: float | None, baseline: float | None) -> bool:
        """True when ``current`` is worse than ``baseline`` by more than the tolerance."""
        if current is None or baseline is None:
            return False
        delta = current - baseline if self.higher_better else baseline - current
        if self.unit == "rate":
            return delta < -RATE_TOLERANCE - 1e-9
        return delta < -(NUMBER_TOLERANCE * max(abs(baseline), 1e-9)) - 1e-9

    def tolerance_text(self) -> str:
        if self.unit == "rate":
            return f"±{RATE_TOLERANCE:.2f}（绝对值）"
        return f"±{NUMBER_TOLERANCE:.0%}（相对值）"


def fmt(value: float | None, unit: Unit) -> str:
    """A metric value for display."""
    if value is None:
        return "—"
    if unit == "rate":
        return f"{value * 100:.1f}%"
    if unit == "seconds":
        return f"{value:.2f} 秒" if value < 100 else f"{value:.0f} 秒"
    if unit == "tokens":
        return f"{value:.0f}"
    return f"{value:.2f}"


def summarise(specs: Sequence[MetricSpec], rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Headline metrics of a suite: ``{key: {value, label, explain, unit, gate, higher_better, group}}``."""
    out: dict[str, dict[str, Any]] = {}
    for s in specs:
        value = s.compute(rows)
        out[s.key] = {
            "value": None if value is None else round(value, 4),
            "label": s.label,
            "explain": s.explain,
            "unit": s.unit,
            "gate": s.gate,
            "higher_better": s.higher_better,
            "group": s.group,
            "judged": s.judged,
        }
    return out


def by_split(
    specs: Sequence[MetricSpec], rows: Sequence[dict[str, Any]], splits: Sequence[str] = ("dev", "test")
) -> dict[str, dict[str, Any]]:
    """Headline values per split: ``{split: {"n": cases, "metrics": {key: value}}}`` (rows carry ``split``)."""
    out: dict[str, dict[str, Any]] = {}
    for split in splits:
        sub = [r for r in rows if r.get("split") == split]
        values: dict[str, float | None] = {}
        for s in specs:
            v = s.compute(sub)
            values[s.key] = None if v is None else round(v, 4)
        out[split] = {"n": len(sub), "metrics": values}
    return out
