"""Support and relevance judgements for the answer and plan suites.

Two judges share one small interface:

- :class:`HeuristicJudge` (default, deterministic, no model): a claim is *entailed* by passages when
  (1) at least ``MIN_SUPPORT`` of the claim's character bigrams occur in them, (2) every Arabic number of
  the claim occurs in them, and (3) every place name (jieba ``ns``), 《title》 and Latin acronym of the claim
  occurs in them. Relevance is the share of the question's specific terms (``grounding.question_terms``)
  that the answer contains.
- :class:`LLMJudge`: asks a chat model (any provider: local or openai) for a JSON verdict; a failed call
  falls back to the heuristic for that item and is counted.

``citation_support`` applies a judge the way ALCE (Gao et al., 2023) does: citation recall = share of
claims entailed by the concatenation of their cited passages; citation precision = share of citations
that are not *irrelevant* (a citation is irrelevant when the claim is not jointly supported, or when it
alone does not entail the claim while the remaining citations do).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from advisor.evals.metrics import norm, strip_markers
from advisor.verify.citations import support, unsupported_numbers

if TYPE_CHECKING:
    from advisor.service import Advisor

MIN_SUPPORT = 0.5  # share of claim bigrams the passages must contain
_TITLE = re.compile(r"《([^》]{2,60})》")
_LATIN = re.compile(r"\b[A-Z][A-Z0-9]{1,9}\b")
_MAX_PASSAGE_CHARS = 1500


class Judge(Protocol):
    kind: str

    def entails(self, claim: str, passages: list[str]) -> bool: ...

    def relevance(self, question: str, answer: str) -> float | None: ...

    def describe(self) -> dict[str, Any]: ...


@cache
def _posseg() -> Any:
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def entities(text: str) -> list[str]:
    """Names a supporting passage must contain: place names, 《titles》 and Latin acronyms."""
    found = [m.group(1) for m in _TITLE.finditer(text)]
    found += _LATIN.findall(text)
    found += [w for w, flag in _posseg().lcut(_TITLE.sub("", text)) if flag == "ns" and len(w) >= 2]
    return list(dict.fromkeys(found))


def heuristic_entails(claim: str, passages: list[str]) -> bool:
    """Deterministic entailment proxy (see module docstring)."""
    c = strip_markers(claim)
    if len(norm(c)) < 4:
        return True
    premise = "\n".join(passages)
    if not premise.strip():
        return False
    if support(c, premise) < MIN_SUPPORT:
        return False
    if unsupported_numbers(c, passages):
        return False
    flat = norm(premise)
    return all(norm(e) in flat for e in entities(c))


def term_relevance(question: str, answer: str) -> float | None:
    """Share of the question's specific terms present in the answer (None when it has none)."""
    from advisor.retrieval.grounding import question_terms

    terms = question_terms(question)
    if not terms:
        return None
    flat = norm(answer).lower()
    return sum(1 for t in terms if norm(t).lower() in flat) / len(terms)


class HeuristicJudge:
    kind = "heuristic"

    def entails(self, claim: str, passages: list[str]) -> bool:
        return heuristic_entails(claim, passages)

    def relevance(self, question: str, answer: str) -> float | None:
        return term_relevance(question, answer)

    def describe(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": "确定性近似（字符二元组覆盖≥50%，数字与地名/文件名须出现在引用段落中）",
            "min_support": MIN_SUPPORT,
        }


ENTAIL_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"supported": {"type": "boolean"}},
    "required": ["supported"],
}
RELEVANCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"score": {"type": "integer", "enum": [0, 1, 2]}},
    "required": ["score"],
}
_ENTAIL_SYSTEM = (
    "你是严格的事实核查员。只根据给出的资料判断陈述是否被完整支持："
    "陈述中的每个事实、数字、地名和文件名都必须能在资料中找到依据。只输出 JSON。"
)
_RELEVANCE_SYSTEM = "你是评审员，判断回答是否针对提问。只输出 JSON。"


@dataclass
class LLMJudge:
    """A chat model as judge. ``provider`` is ``local`` or ``openai``; verdicts are cached per input."""

    adv: Advisor
    provider: str
    kind: str = "llm"
    calls: int = 0
    fallbacks: int = 0
    _cache: dict[str, Any] = field(default_factory=dict)

    def _ask(self, system: str, user: str, schema: dict[str, Any]) -> dict[str, Any] | None:
        from advisor.generation.errors import LLMFailure
        from advisor.generation.structured import generate_json

        key = hashlib.sha256(json.dumps([system, user], ensure_ascii=False).encode()).hexdigest()
        if key in self._cache:
            return dict(self._cache[key]) if self._cache[key] is not None else None
        self.calls += 1
        try:
            gen = generate_json(
                self.adv.llm(self.provider),
                [("system", system), ("human", user)],
                schema,
                max_tokens=32,
                timeout_s=self.adv.settings.llm_timeout_s,
            )
            data = gen.data
        except LLMFailure:
            data = None
        if data is None:
            self.fallbacks += 1
        self._cache[key] = data
        return data

    def entails(self, claim: str, passages: list[str]) -> bool:
        c = strip_markers(claim)
        if len(norm(c)) < 4:
            return True
        if not any(p.strip() for p in passages):
            return False
        premise = "\n---\n".join(p[:_MAX_PASSAGE_CHARS] for p in passages)[: 2 * _MAX_PASSAGE_CHARS]
        user = f'资料：\n{premise}\n\n陈述：{c}\n\n资料是否完整支持该陈述？输出 {{"supported": true}} 或 {{"supported": false}}。'
        data = self._ask(_ENTAIL_SYSTEM, user, ENTAIL_SCHEMA)
        if data is None or not isinstance(data.get("supported"), bool):
            return heuristic_entails(claim, passages)
        return bool(data["supported"])

    def relevance(self, question: str, answer: str) -> float | None:
        user = (
            f"提问：{question}\n\n回答：{strip_markers(answer)[:_MAX_PASSAGE_CHARS]}\n\n"
            '回答是否针对提问？2 = 直接回答了提问，1 = 部分相关，0 = 答非所问。输出 {"score": 0|1|2}。'
        )
        data = self._ask(_RELEVANCE_SYSTEM, user, RELEVANCE_SCHEMA)
        score = data.get("score") if data else None
        if not isinstance(score, int) or score not in (0, 1, 2):
            return term_relevance(question, answer)
        return score / 2

    def describe(self) -> dict[str, Any]:
        from advisor.generation.providers import model_label

        return {
            "kind": self.kind,
            "provider": self.provider,
            "label": f"大模型评审：{model_label(self.adv.settings, self.provider)}",
            "calls": self.calls,
            "fallbacks": self.fallbacks,
        }


def make_judge(adv: Advisor, name: str | None) -> Judge:
    """``None``/``heuristic`` → :class:`HeuristicJudge`; ``local``/``openai`` → :class:`LLMJudge`."""
    name = (name or "heuristic").strip().lower()
    if name in ("", "heuristic", "none"):
        return HeuristicJudge()
    from advisor.generation.providers import resolve_provider

    provider = resolve_provider(adv.settings, name)  # raises ProviderError (a ValueError) if unusable
    if provider == "extractive":
        return HeuristicJudge()
    return LLMJudge(adv, provider)


@dataclass
class ClaimCheck:
    """One claim with its cited passages and the ALCE-style verdicts."""

    claim: str
    cites: list[int]
    supported: bool
    irrelevant: list[int]


def citation_support(
    judge: Judge, claims: list[tuple[str, list[int]]], passages: dict[int, str]
) -> tuple[list[ClaimCheck], int, int]:
    """ALCE citation recall/precision for ``claims`` ((text, cited numbers)) given ``passages`` by number.

    Returns (checks, correct citations, total citations); recall = share of checks with ``supported``.
    """
    checks: list[ClaimCheck] = []
    correct = total = 0
    for text, cites in claims:
        cites = list(dict.fromkeys(cites))
        texts = [passages.get(n, "") for n in cites]
        joint = bool(cites) and judge.entails(text, texts)
        irrelevant: list[int] = []
        if joint and len(cites) > 1:
            for i, n in enumerate(cites):
                if judge.entails(text, [texts[i]]):
                    continue
                rest = texts[:i] + texts[i + 1 :]
                if judge.entails(text, rest):
                    irrelevant.append(n)
        total += len(cites)
        correct += (len(cites) - len(irrelevant)) if joint else 0
        checks.append(ClaimCheck(claim=text, cites=cites, supported=joint, irrelevant=irrelevant))
    return checks, correct, total
