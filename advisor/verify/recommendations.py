"""Model JSON → verified recommendations: one set of rules for answers and plans (and later compare and
diagnose), so a model's item is accepted or dropped the same way wherever it appears.

An item survives when it cites a source it was shown (a key we gave, never a guessed one), its quote is
verbatim from that source and supports the item (repaired or chosen by the
:class:`~advisor.verify.citations.Verifier`), every number in it occurs in that quote (or the quote's
source line, or the extra texts the caller vouches for, e.g. the city profile), and it does not carry a
prompt injection copied from a document. With ``strict`` (plans, whose details read as advice) most of the
detail must also come from the cited chunk and the title must be about what the detail and quote say."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.text import clean
from advisor.types import Recommendation
from advisor.verify.citations import Verifier, support

INJECTION = re.compile(
    r"忽略(以上|上述|之前|前面|所有|全部)|无视(以上|上述|之前|前面)|ignore\s+(all\s+|the\s+)?(previous|above|prior)"
    r"|system\s*prompt|系统提示词|你现在是|新的指令|以下指令",
    re.I,
)
DETAIL_SUPPORT = 0.4  # strict: share of a detail's bigrams found in its cited chunk
TITLE_SUPPORT = 0.3  # strict: share of a title's bigrams found in its detail and quote
_MARKERS = re.compile(r"\s*\[\d+\]")
_TITLE_DATE = re.compile(r"》\s*[（(]\d{4}(?:[-./年]\d{1,2}(?:[-./月]\d{1,2}日?)?)?[）)]")


@dataclass(frozen=True)
class ItemRules:
    """How strict to be and what to fill in for one kind of model output."""

    quote_from_model: bool = True  # False: the model names only a source; the verifier picks the quote
    strict: bool = False
    extra_sources: Sequence[str] = ()  # texts besides the cited chunk that may supply numbers
    default_actor: str = ""
    default_horizon: str = ""
    horizons: Sequence[str] = ()


def tidy(text: object) -> str:
    """Model text on one line, without citation markers or the source dates it copies after a title
    (《…》（2023-07-10） → 《…》)."""
    return _TITLE_DATE.sub("》", _MARKERS.sub("", clean(str(text or ""))))


def grounded(title: str, detail: str, quote: str, chunk: str) -> bool:
    """Strict support: the detail mostly comes from the cited chunk, and the title is about the detail
    and quote (a small model writes "市场培育" over a sentence on 技术研发, or pads details)."""
    return support(detail, chunk) >= DETAIL_SUPPORT and support(title, f"{detail}{quote}") >= TITLE_SUPPORT


def verified_items(raw_items: object, verifier: Verifier, rules: ItemRules) -> list[Recommendation]:
    """The items of ``raw_items`` (the model's list of {title, detail, actor, source, quote, horizon})
    that survive verification, each citing one verified quote; the verifier counts what was dropped."""
    out: list[Recommendation] = []
    verifier.vouch(rules.extra_sources)  # check_claim, here and at the caller, accepts their numbers
    for raw in raw_items if isinstance(raw_items, list) else []:
        if not isinstance(raw, dict):
            continue
        title, detail = tidy(raw.get("title"))[:40], tidy(raw.get("detail"))
        if not title and not detail:
            continue
        claim = f"{title} {detail}"
        if rules.quote_from_model:
            n = verifier.cite(raw.get("source"), str(raw.get("quote") or ""), claim, detail)
        else:
            n = verifier.cite_best(raw.get("source"), claim, detail)
        if n is None:
            verifier.stats.claims_dropped += 1
            continue
        cite = next(c for c in verifier.citations if c.n == n)
        hit = next(h for h in verifier.hits if h.chunk_id == cite.chunk_id)
        rec = Recommendation(
            title=title or detail[:20],
            detail=detail,
            actor=_actor(raw.get("actor")) or rules.default_actor,
            horizon=_horizon(raw.get("horizon"), rules),
            citations=[n],
        )
        # numbers must be in the quote shown (or its source line, or the vouched texts), and the quote
        # must support the item; the verifier counts what it drops
        if not verifier.check_claim(rec):
            continue
        if INJECTION.search(f"{claim} {cite.quote}") or (
            rules.strict and not grounded(title, detail, cite.quote, hit.text)
        ):
            verifier.stats.claims_dropped += 1
            continue
        out.append(rec)
    return out


def _actor(value: object) -> str:
    actor = clean(str(value or ""))[:30]
    if INJECTION.search(actor) or actor.count("、") >= 2:  # the prompt's example list, copied
        return ""
    return actor


def _horizon(value: object, rules: ItemRules) -> str:
    horizon = str(value or "")
    if not rules.horizons:
        return horizon
    return horizon if horizon in rules.horizons else rules.default_horizon
