"""The extractive answerer: no LLM. It selects the retrieved sentences that best match the question and
lays them out as conclusion + recommendations, each quoting its own chunk — faithful by construction."""

from __future__ import annotations

import re
import time

from advisor.generation.prompts import refusal_phrase
from advisor.index.keyword import KeywordIndex
from advisor.ingest.splitter import sentence_spans
from advisor.render.markdown import answer_to_markdown
from advisor.retrieval.grounding import Grounding, question_terms
from advisor.text import clean, squash
from advisor.types import Answer, Hit, Recommendation
from advisor.verify.citations import Verifier, support

MAX_POINTS = 5
_ACTORS = (
    "地方政府", "市人民政府", "县级以上人民政府", "省人民政府", "国务院", "政府方", "供给方", "需求方", "学研方",
    "投资方", "市产业主管部门", "产业主管部门", "网信部门", "国家网信部门", "电信主管部门", "公安部门",
    "市场监管部门", "统计部门", "发展改革部门", "科技部门", "财政部门", "服务提供者", "技术支持者",
    "深度合成服务提供者", "算法推荐服务提供者", "高等院校", "科研机构", "企业", "行业组织",
)  # fmt: skip
_LABEL = re.compile(r"^\s*([^，。：:；\n]{2,12})[：:]")
_BULLET = re.compile(r"^[\s\-—>□■●•·*]+")


def actor_of(sentence: str) -> str:
    found = [a for a in _ACTORS if a in sentence]
    return max(found, key=len) if found else ""


def strip_bullet(sentence: str) -> str:
    """Drop slide bullets ('- ', '□ ', '> '); the rest is still a verbatim substring of the chunk."""
    return _BULLET.sub("", sentence)


def short_title(title: str) -> str:
    return title.split("——")[0].strip()


def title_of(sentence: str, hit: Hit) -> str:
    m = _LABEL.match(sentence)
    if m:
        return m.group(1).strip("-—>□ ")
    leaf = hit.section.split(" > ")[-1] if hit.section else hit.title
    leaf = re.sub(r"^\d+\.\d+\s*", "", leaf)
    return leaf.split("：")[-1][:24] or hit.title[:24]


def rank_sentences(
    question: str, hits: list[Hit], keyword: KeywordIndex | None = None
) -> list[tuple[float, Hit, str]]:
    """(score, hit, verbatim sentence) for every sentence of the hits, best first."""
    terms = question_terms(question)
    weights = {t: (keyword.idf(t) if keyword else 1.0) or 1.0 for t in terms}
    total = sum(weights.values()) or 1.0
    scored: list[tuple[float, int, int, Hit, str]] = []
    for rank, hit in enumerate(hits):
        for s, e in sentence_spans(hit.text, 0, len(hit.text)):
            sent = strip_bullet(hit.text[s:e].strip())
            if len(squash(sent)) < 6 or re.fullmatch(r"(图\d*：|目录|CONTENTS).*", sent):
                continue
            low = sent.lower()
            term_cov = sum(w for t, w in weights.items() if t in low) / total
            score = term_cov + 0.5 * support(question, sent) + 0.15 / (rank + 1)
            if len(squash(sent)) < 14:
                score *= 0.6  # fragments of slides say little on their own
            scored.append((score, rank, s, hit, sent))
    # equal scores: the better-ranked hit first, then the earlier sentence
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [(score, hit, sent) for score, _, _, hit, sent in scored]


def compose(
    question: str, hits: list[Hit], verifier: Verifier, keyword: KeywordIndex | None = None
) -> tuple[str, list[int], list[Recommendation]]:
    """Conclusion, its citation numbers, and recommendations, all quoting chunk sentences verbatim."""
    ranked = rank_sentences(question, hits, keyword)
    if not ranked:
        return "", [], []
    best = ranked[0][0]
    chosen: list[tuple[Hit, str]] = []
    per_chunk: dict[str, int] = {}
    for score, hit, sent in ranked:
        if score < 0.45 * best or len(chosen) >= MAX_POINTS:
            break
        if per_chunk.get(hit.chunk_id, 0) >= 3:
            continue
        if any(support(sent, other) > 0.8 for _, other in chosen):
            continue
        chosen.append((hit, sent))
        per_chunk[hit.chunk_id] = per_chunk.get(hit.chunk_id, 0) + 1
    head_hit, head = chosen[0]
    n = verifier.cite_hit(head_hit, head)
    conclusion = f"据《{short_title(head_hit.title)}》{_where(head_hit)}：{clean(head)}"
    head_cites = [n]
    recs = []
    for hit, sent in chosen[1:]:
        n = verifier.cite_hit(hit, sent)
        title = title_of(sent, hit)
        detail = clean(sent)
        if detail.startswith(title):
            detail = detail[len(title) :].lstrip("：: ")
        recs.append(Recommendation(title=title, detail=detail, actor=actor_of(sent), citations=[n]))
    return conclusion, head_cites, recs


def _where(hit: Hit) -> str:
    return f"（{hit.section.split(' > ')[-1]}）" if hit.section else ""


# --------------------------------------------------------------------------- answers


def finish(answer: Answer, verifier: Verifier, head_cites: list[int], t0: float) -> Answer:

    kept = [r for r in answer.recommendations if verifier.check_claim(r)]
    answer.citations = verifier.used(kept, head_cites)
    answer.recommendations = kept
    if answer.conclusion and head_cites:
        answer.conclusion += "".join(f"[{n}]" for n in head_cites)
    answer.verification = verifier.stats
    answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
    answer.text = answer_to_markdown(answer)
    return answer


def refusal(
    question: str, standalone: str, hits: list[Hit], g: Grounding, provider: str, t0: float, notice: str = ""
) -> Answer:

    related = list(dict.fromkeys(h.title for h in hits[:4]))
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=f"{refusal_phrase()}。"
        + (f"（{g.reason}：{'、'.join(g.missing[:4])}）" if g.missing else ""),
        grounded=False,
        provider=provider,
        notice=notice,
        related=related,
        hits=hits,
    )
    answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
    answer.text = answer_to_markdown(answer)
    return answer


def extractive_answer(
    keyword: KeywordIndex, question: str, standalone: str, hits: list[Hit], t0: float, notice: str = ""
) -> Answer:
    """The answer composed from the retrieved sentences alone: shown at once, and the fallback of every
    model fault."""
    verifier = Verifier(hits)
    conclusion, head, recs = compose(standalone, hits, verifier, keyword)
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=conclusion,
        recommendations=recs,
        provider="extractive",
        model="extractive",
        notice=notice,
        hits=hits,
    )
    return finish(answer, verifier, head, t0)
