"""The extractive answerer: no LLM. It selects the retrieved sentences that best match the question and
lays them out as conclusion + recommendations, each quoting its own chunk — faithful by construction."""

from __future__ import annotations

import re
import time
from typing import TypeVar

from advisor.generation.prompts import refusal_phrase
from advisor.index.keyword import KeywordIndex
from advisor.index.snapshot import Snapshot
from advisor.qa.across import compose_across
from advisor.qa.article_rest import rest_of_article
from advisor.qa.carriers import with_carriers
from advisor.qa.definitions import QUOTED, definition_in
from advisor.qa.each_named import each_ones_sentence
from advisor.qa.enumeration import (
    is_heading_line,
    item_title,
    items_after,
    items_under_heading,
    label_above,
    lead_in_before,
    lead_in_later,
    marked_run_after,
    ordinal_items,
    parallel_lines,
    with_items,
    with_lead_ins,
)
from advisor.qa.item_owners import item_owners
from advisor.qa.partly_said import closest_sentences
from advisor.qa.sentences import (
    Composed,
    advice_actor,
    cover_page,
    has_label,
    located,
    paragraph_title,
    rank_sentences,
    repeats_heading,
    short_title,
    title_of,
    unfit,
)
from advisor.qa.siblings import sibling_sections
from advisor.qa.spans import from_sentence_start, paragraph_rest, through_figure, whole_sentence, with_proviso
from advisor.qa.title_page import document_facts, own_clause
from advisor.qa.top_passage import more_of_the_top
from advisor.render.markdown import answer_to_markdown
from advisor.retrieval.asks import about_document, ask_kind
from advisor.retrieval.doc_facts import asks_own_clause
from advisor.retrieval.figures import has_number, lists_items
from advisor.retrieval.grounding import FAR_AWAY, Grounding
from advisor.retrieval.hybrid import with_chinese_terms
from advisor.retrieval.meaning import Meaning
from advisor.text import clean, squash
from advisor.types import Answer, Hit, Recommendation
from advisor.verify.citations import Verifier, support

MAX_POINTS = 5
MAX_FACTS = 3
# a point (hit, sentence, title) or a piece of advice (hit, sentence, title, actor)
_Quoted = TypeVar("_Quoted", tuple[Hit, str, str], tuple[Hit, str, str, str])


def compose(
    question: str,
    hits: list[Hit],
    verifier: Verifier,
    snapshot: Snapshot | None = None,
    meaning: Meaning | None = None,
) -> tuple[str, list[int], list[Recommendation], list[Recommendation]]:
    """(conclusion, its citation numbers, points, recommendations), all quoting chunk sentences
    verbatim. A question about a document itself is answered from its title page; any other from the
    best sentences, where only directives with an actor become 建议 and the other relevant facts 要点."""
    keyword = snapshot.keyword if snapshot is not None else None
    plan = compose_across(question, hits, snapshot, meaning) if snapshot is not None else None
    across = plan is not None
    if plan is None and snapshot is not None and about_document(question):
        plan = document_facts(question, hits, snapshot)
        if plan is not None and plan.head is not None:  # … and a part that asks what it says, from its text
            # (外资企业能不能做这项服务？这部办法哪天施行？)
            said = [p for p in _question_parts(question) if not about_document(p)]
            if len(said) < len(_question_parts(question)):
                chosen = [plan.head, *((h, s) for h, s, _ in plan.points)]
                plan.points += [
                    (h, s, title_of(s, h)) for h, s in _answers_to_parts(said, hits, keyword, chosen, meaning)
                ]
    if plan is None and snapshot is not None and asks_own_clause(question):
        plan = own_clause(question, hits, snapshot)
    # the other documents' sentences of a question across documents, kept when the head's own list
    # takes the points (深度合成规定的第十七条 and its items, then the 标识办法's own answer)
    head_doc = plan.head[0].doc_id if plan and plan.head else None
    others = [p for p in plan.points if p[0].doc_id != head_doc] if plan and head_doc else []
    under = None
    by_sentences = plan is None
    if plan is None:
        plan = _best_sentences(question, hits, keyword, meaning)
        if ask_kind(question) == "list":
            words = _with_renderings(question, keyword)
            # sections of a family the question names, unless the sentence that answers lists the items
            listing = plan.head is not None and lists_items(plan.head[1])
            under = (None if listing else sibling_sections(words, hits, snapshot)) or items_under_heading(
                words, hits, snapshot
            )
    # the list a heading the question repeats introduces (each item once: chunks overlap)
    if under is not None:
        head_hit, head, listed = under
        plan.head = (head_hit, head)
        first = {s: i for i, (_, s) in reversed(list(enumerate(listed)))}
        plan.points = [(h, s, item_title(s, h, head)) for i, (h, s) in enumerate(listed) if first[s] == i]
    if plan.head is None:
        return "", [], [], []
    if under is None and ask_kind(question) == "definition":
        plan.head = definition_in(_with_renderings(question, keyword), hits, snapshot) or plan.head
    demoted = _lead_with_a_list(plan, snapshot) if under is None and ask_kind(question) == "list" else []
    head_hit, head = plan.head
    if ask_kind(question) == "number" and not has_number(head):
        head = through_figure(head_hit, head)
    if under is None:
        head = from_sentence_start(head_hit, whole_sentence(head_hit, head))
    if under is None and (listed := items_after(head_hit, head, snapshot)):  # "履行下列职责：" and its items
        # an item's own label, else its lead-in's article: a later chunk's section may be a cut-off item
        plan.points = [
            (hit, item, title_of(item, hit) if has_label(item) else title_of(head, head_hit))
            for hit, item in listed
        ] + [d for d in demoted if d[1] not in {item for _, item in listed}]
    elif under is None and ask_kind(question) == "list" and (listed := parallel_lines(head_hit, head)):
        # a slide's list without markers: the run of alike lines the head is one of
        plan.points = [(hit, line, title_of(head, head_hit)) for hit, line in listed]
    elif (
        under is None
        and ask_kind(question) == "list"
        and (listed := marked_run_after(head_hit, head, snapshot))
    ):
        # "到2025年，…稳步提升。" and the ——goals that follow it
        plan.points = [(hit, item, title_of(head, head_hit)) for hit, item in listed]
    elif (
        under is None and ask_kind(question) == "list" and (listed := ordinal_items(head_hit, head, snapshot))
    ):
        # "要全面赋能经济社会发展。一是…。二是…。": the sentence that opens each item
        plan.points = [(hit, item, title_of(head, head_hit)) for hit, item in listed]
    elif under is None and (going_on := paragraph_rest(ask_kind(question), head_hit, head)):
        # the rest of the head's paragraph: a count spelled out (…两类。), the year's other figures
        rest = [(head_hit, s, title_of(s, head_hit)) for s in going_on]
        plan.points = rest + [p for p in plan.points if p[1] not in set(going_on)]
    shown = {q[1] for q in plan.points}
    plan.points += [p for p in others if p[1] not in shown]
    parts = _question_parts(question)
    if len(parts) >= 2 and not about_document(question):  # when a list took the points, the other parts'
        # answers too (分哪几类？手机端的会管适老化吗？); a part answered already is not repeated
        chosen = [plan.head, *((h, s) for h, s, _ in plan.points)]
        plan.points += [
            (h, s, title_of(s, h)) for h, s in _answers_to_parts(parts, hits, keyword, chosen, meaning)
        ]
    head = with_proviso(head_hit, head)
    head_hit = located(head_hit, head)
    n = verifier.cite_hit(head_hit, head)
    conclusion = f"据《{short_title(head_hit.title)}》{_where(head_hit, head)}：{clean(head)}"
    if under is None:  # the rest of the head's article first; each point a whole sentence, too
        taken = [head, *(p[1] for p in plan.points), *(a[1] for a in plan.advice)]
        rest = [(head_hit, m, title_of(m, head_hit)) for m in rest_of_article(head_hit, head, taken)]
        plan.points = rest + plan.points
        plan.points = _distinct([(h, _whole_point(h, s, head), title) for h, s, title in plan.points], [head])
        quoted = [head, *(p[1] for p in plan.points)]
        plan.advice = _distinct([(h, _whole_point(h, s, head), t, a) for h, s, t, a in plan.advice], quoted)
        if by_sentences:  # … and, last, what else the first-ranked passage says to the question
            quoted += [a[1] for a in plan.advice]
            plan.points += [
                (h, s, title_of(s, h)) for h, s in more_of_the_top(question, hits, keyword, meaning, quoted)
            ]
    owners = item_owners(question, head_hit, head, snapshot)  # who is in charge of a plan's item, asked
    if owners and all(owners[1] not in p[1] for p in plan.points):
        plan.points.insert(0, (owners[0], owners[1], "责任单位"))
    if not across and snapshot is not None:  # each thing the question lists, by its own sentence
        quoted = [head, *(p[1] for p in plan.points)]
        each = each_ones_sentence(question, hits, snapshot, quoted)
        plan.points = [*((h, s, title_of(s, h)) for h, s in each), *plan.points]
    led = with_carriers(question, with_lead_ins([(head_hit, head, ""), *plan.points], snapshot), snapshot)
    plan.points = [p for p in led if p[1] != head]
    points = [_item(verifier, hit, sent, title, "") for hit, sent, title in plan.points]
    advice = [_item(verifier, hit, sent, title, actor) for hit, sent, title, actor in plan.advice]
    return conclusion, [n], points, advice


def _distinct(items: list[_Quoted], quoted: list[str]) -> list[_Quoted]:
    """Each quote once: an item (point or advice, its sentence second) that holds one of the ``quoted``
    sentences (the head) or that they or an earlier item already quote whole (a clause whose sentence
    another quotes) is left out, and an item quoting an earlier one whole takes its place."""
    seen = [squash(q) for q in quoted]
    kept: list[_Quoted] = []
    for item in items:
        mine = squash(item[1])
        if any(mine in q or q in mine for q in seen) or any(mine in squash(k[1]) for k in kept):
            continue
        inside = [i for i, k in enumerate(kept) if squash(k[1]) in mine]
        if inside:  # in the place of the first one it quotes
            kept[inside[0]] = item
        kept = [k for i, k in enumerate(kept) if i not in inside[1:]] + ([] if inside else [item])
    return kept


def _whole_point(hit: Hit, sentence: str, head: str) -> str:
    """A point as its whole sentence (a lead-in with its items), unless that sentence holds the head
    (…给予股权激励；<head>): then the clause alone, not the head twice."""
    whole = whole_sentence(hit, sentence)
    return sentence if head in whole and head not in sentence else with_items(hit, whole)


def _item(verifier: Verifier, hit: Hit, sent: str, title: str, actor: str) -> Recommendation:
    n = verifier.cite_hit(hit, sent)
    detail = clean(sent)
    if detail.startswith(title):
        detail = detail[len(title) :].lstrip("：: ")
        if not re.search(r"\w", detail):  # the title is the whole item: no "：。" after it
            detail = ""
    return Recommendation(title=title, detail=detail, actor=actor, citations=[n])


def _best_sentences(
    question: str, hits: list[Hit], keyword: KeywordIndex | None, meaning: Meaning | None
) -> Composed:
    ranked = rank_sentences(question, hits, keyword, meaning)
    if not ranked:
        return Composed()
    # a term the question puts in quotes (哪些“即服务”的新模式) is what it asks about: sentences that
    # contain it come first (quoted titles name documents, not the subject)
    titles = " ".join(h.title for h in hits)
    quoted = [t for t in QUOTED.findall(question) if t not in titles]
    if quoted:
        ranked = [r for r in ranked if any(t in r[2] for t in quoted)] + [
            r for r in ranked if not any(t in r[2] for t in quoted)
        ]
    elif _FORBIDS_ASKED.search(question) and ask_kind(question) not in ("number", "date"):  # "有哪些事不能做"
        ranked = [r for r in ranked if _FORBIDS.search(r[2])] + [  # … is answered by what a text forbids
            r for r in ranked if not _FORBIDS.search(r[2])
        ]
    ranked = [r for r in ranked if not repeats_heading(r[2], r[1])] or ranked
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
        # a title page or a deck's back page leads only an answer about the document itself
        if (chosen and unfit(sent, hit)) or (
            not chosen and cover_page(sent, hit) and not about_document(question)
        ):
            continue
        chosen.append((hit, sent))
        per_chunk[hit.chunk_id] = per_chunk.get(hit.chunk_id, 0) + 1
    parts = _question_parts(question)
    answers_part = _answers_to_parts(parts, hits, keyword, chosen, meaning) if len(parts) >= 2 else []
    chosen = chosen[:1] + answers_part + [c for c in chosen[1:] if c not in answers_part]
    out = Composed(head=chosen[0] if chosen else ranked[0][1:])
    for hit, sent in chosen[1:]:
        if (hit, sent) in answers_part:  # each part of the question gets its answer, as a fact
            out.points.append((hit, sent, title_of(sent, hit)))
            continue
        actor = advice_actor(sent, hit)
        if actor:
            out.advice.append((hit, sent, title_of(sent, hit), actor))
        elif len(out.points) < MAX_FACTS:
            out.points.append((hit, sent, title_of(sent, hit)))
    return out


_PARTS = re.compile(r"[？?；;]")


def _question_parts(question: str) -> list[str]:
    """The parts of a question of several (由谁组织验收？不合格的能不能交付使用？)."""
    return [p.strip() for p in _PARTS.split(question) if len(p.strip()) >= 4]


def _answers_to_parts(
    parts: list[str],
    hits: list[Hit],
    keyword: KeywordIndex | None,
    chosen: list[tuple[Hit, str]],
    meaning: Meaning | None,
) -> list[tuple[Hit, str]]:
    """For each part of a question, the best sentence the sentences chosen for the whole question leave
    out, in the question's order."""
    out: list[tuple[Hit, str]] = []
    for part in parts:
        ranked = rank_sentences(part, hits, keyword, meaning)
        if not ranked or ranked[0][0] <= 0:
            continue
        _, hit, sent = ranked[0]
        if not any(support(sent, other) > 0.8 for _, other in chosen + out) and not unfit(sent, hit):
            out.append((hit, sent))
    return out


_FORBIDS_ASKED = re.compile(
    r"不能|不得|不可以|不允许|不准|禁止|严禁|must not|prohibit|forbid|not allowed", re.I
)
_FORBIDS = re.compile(r"不得|禁止|严禁|不准|不允许")


def _with_renderings(question: str, keyword: KeywordIndex | None) -> str:
    """The question with the Chinese its English words stand for (glossary, CC-CEDICT), for matching
    headings: "What safeguard measures …" also reads 保障 措施."""
    if keyword is None or not re.search(r"[A-Za-z]{3,}", question):
        return question
    return with_chinese_terms(question, keyword)


def _lead_with_a_list(plan: Composed, snapshot: Snapshot | None) -> list[tuple[Hit, str, str]]:
    """A list question is answered by a list: when the head does not introduce one but its article or a
    selected sentence does (…下列场景的…：), that lead-in leads; the old head follows the items."""
    if plan.head is None or items_after(*plan.head, snapshot):
        return []
    chosen = [*((h, s) for h, s, _ in plan.points), *((h, s) for h, s, _, _ in plan.advice)]
    # a chunk that opens mid-list (the head's or a selected sentence's) leads back to its list's lead-in
    chosen += [
        lead
        for h, s in [plan.head, *chosen]
        if (lead := lead_in_before(h, snapshot, s) or lead_in_before(h, snapshot))
    ]
    chosen = [(h, whole_sentence(h, s)) for h, s in chosen]  # a clause of a lead-in runs on to its colon
    chosen = [later, *chosen] if (later := lead_in_later(*plan.head, snapshot)) else chosen
    lead = next(((h, s) for h, s in chosen if len(items_after(h, s, snapshot)) >= 2), None)
    if lead is None:
        return []
    old_hit, old = plan.head
    plan.head = lead
    plan.points = [p for p in plan.points if not (p[0] == lead[0] and p[1] in lead[1])]
    plan.advice = [a for a in plan.advice if not (a[0] == lead[0] and a[1] in lead[1])]
    return [(old_hit, old, title_of(old, old_hit))]


def _where(hit: Hit, head: str = "") -> str:
    """Where the head sentence sits: its section, and the label right above it in a slide or list
    ("1.2 …：产业升级的机遇 · 广东省")."""
    section = hit.section.split(" > ")[-1].strip() if hit.section else ""
    if section.lstrip("#").strip() == head.strip():
        return ""
    at = hit.text.find(head)
    own = paragraph_title(hit.text, at) if at > 0 else ""  # its paragraph's own title (9. 智能体标准)
    label = own or (label_above(hit.text, at) if at > 0 and not is_heading_line(head) else "")
    if label and (label in section or label == head.strip() or section.endswith(label)):
        label = ""
    where = " · ".join(p for p in (section, label) if p)
    return f"（{where}）" if where else ""


# --------------------------------------------------------------------------- answers


def finish(answer: Answer, verifier: Verifier, head_cites: list[int], t0: float) -> Answer:
    points = [r for r in answer.points if verifier.check_claim(r)]
    kept = [r for r in answer.recommendations if verifier.check_claim(r)]
    answer.citations = verifier.used([*points, *kept], head_cites)
    answer.points, answer.recommendations = points, kept
    if answer.conclusion and head_cites:
        answer.conclusion += "".join(f"[{n}]" for n in head_cites)
    answer.verification = verifier.stats
    answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
    answer.text = answer_to_markdown(answer)
    return answer


def refusal(
    question: str, standalone: str, hits: list[Hit], g: Grounding, provider: str, t0: float, notice: str = ""
) -> Answer:
    far = g.reason == FAR_AWAY  # nothing retrieved is about the question: no related reading either
    related = [] if far else list(dict.fromkeys(h.title for h in hits[:4]))
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=f"{refusal_phrase()}。" + (f"（{g.explanation()}）" if g.reason else ""),
        grounded=False,
        provider=provider,
        notice=notice,
        related=related,
        hits=hits,
        excerpts=closest_sentences(standalone, hits, g.reason),
    )
    answer.timings["total_s"] = round(time.perf_counter() - t0, 3)
    answer.text = answer_to_markdown(answer)
    return answer


def extractive_answer(
    snapshot: Snapshot,
    question: str,
    standalone: str,
    hits: list[Hit],
    t0: float,
    notice: str = "",
    meaning: Meaning | None = None,
) -> Answer:
    """The answer composed from the retrieved sentences alone: shown at once, and the fallback of every
    model fault. ``meaning`` ranks sentences by meaning as well as by words."""
    verifier = Verifier(hits)
    conclusion, head, points, recs = compose(standalone, hits, verifier, snapshot, meaning)
    answer = Answer(
        question=question,
        standalone_question=standalone,
        text="",
        conclusion=conclusion,
        points=points,
        recommendations=recs,
        provider="extractive",
        model="extractive",
        notice=notice,
        hits=hits,
    )
    answer = finish(answer, verifier, head, t0)
    parts = (("结论", answer.conclusion), ("要点", answer.points), ("建议", answer.recommendations))
    answer.authorship = {name: "extractive" for name, present in parts if present}
    return answer
