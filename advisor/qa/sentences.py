"""What an extractive sentence is fit for: advice (建议), a fact (要点), or nothing (a heading, a table
row, a contact line, a title line). Decided by general rules of Chinese policy prose, not by topic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from advisor.index.keyword import KeywordIndex
from advisor.ingest.splitter import section_at, sentence_spans
from advisor.retrieval import register
from advisor.retrieval.asks import asked_noun, asking_part
from advisor.retrieval.bodies import asks_body
from advisor.retrieval.doc_names import document_names, stands_for
from advisor.retrieval.glossary import translate_terms
from advisor.retrieval.grounding import question_terms
from advisor.retrieval.hybrid import english_renderings
from advisor.retrieval.lexicon import names_kind
from advisor.retrieval.meaning import Meaning
from advisor.text import squash
from advisor.types import Hit
from advisor.verify.citations import support

# A directive: a modal or an action verb of policy prose (what someone should do).
_DIRECTIVE = re.compile(
    r"应当|应该|必须|不得|须|(?<![适对相反响供])应(?![用对])|鼓励|支持|引导|推动|推进|加快|加强|完善|健全|建立|建设|培育|打造"
    r"|构建|制定|设立|探索|提升|优化|强化|统筹|实施|落实|促进|引进|吸引|搭建|扶持|发挥|布局|聚焦|谋划|招引|组建|设置|开放"
)
# (… or what a body is: 管理委员会是示范区的管理机关, whatever duties it then lists)
_DEFINITION = re.compile(
    r"是指|所称|指的是|定义为|主要包括|包括以下|分为以下|^[^，。]{1,20}，即"
    r"|是[^，。；]{2,30}的(?:管理|主管|监管|执行|办事|工作|责任)?(?:机关|机构|主体|部门)(?:[，。；]|$)"
)
_CONTACT = re.compile(r"微信|公众号|电话|邮箱|网址|www\.|https?://|@|二维码|扫码|联系方式")
_HEADING = re.compile(
    r"^(?:#|第[一二三四五六七八九十百零]+[章节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+(?:\.\d+)+\s|Part\s*\d|目录|CONTENTS)"
)
_END = re.compile(r"[。；！？.;!?]$")
_ITEM = re.compile(r"^[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、")
_CLAUSE_END = re.compile(r"[；;]$")
_DATE_LINE = re.compile(r"\d{4}\s*[.．/年-]\s*\d{1,2}")
ACTORS = (
    "地方政府", "市人民政府", "县级以上人民政府", "省人民政府", "国务院", "政府方", "供给方", "需求方", "学研方",
    "投资方", "市产业主管部门", "产业主管部门", "网信部门", "国家网信部门", "电信主管部门", "公安部门",
    "市场监管部门", "统计部门", "发展改革部门", "科技部门", "财政部门", "服务提供者", "技术支持者",
    "深度合成服务提供者", "算法推荐服务提供者", "高等院校", "科研机构", "企业", "行业组织",
)  # fmt: skip
_REPORT_LEVEL = "think-tank"
# calibrated on the dev split (4, 8, 12, 16 tried; 12 and more undo word matches): a sentence 0.05
# closer in cosine than the average one gains what 40% more of the question's terms would give it
MEANING_WEIGHT = 8.0
# an English name rendered as a run of a retrieved document's title (labelling AI-generated content →
# 人工智能生成合成内容标识) names that document, like a Chinese one: it would rank the preamble first
TITLE_PART = 4
SUBJECT_CHARS = 6  # an actor this close to the start of a clause is its subject


def actor_of(sentence: str) -> str:
    found = [a for a in ACTORS if a in sentence]
    return max(found, key=len) if found else ""


def is_heading(sentence: str) -> bool:
    """A heading or a short label line; a slide's "label：statement" line (明确…五大关键角色：政府、产业…)
    says something and is not one."""
    s = sentence.strip()
    if _HEADING.match(s):
        # an enumerated item that says something ("（一）采取集中竞价、做市商等集中交易方式进行交易；") is no
        # heading: it ends in ； or runs on past a comma, as a heading ("（一）发展现状。") does not
        return not (_ITEM.match(s) and (_CLAUSE_END.search(s) or "，" in s))
    return len(s) <= 30 and not _END.search(s) and "，" not in s and not _STATES.search(s)


_CAPTION = re.compile(r"图\d*[：:]")
_STATES = re.compile(r"^[^：:]{2,20}[：:][^：:]{4,}$")


def is_table_row(sentence: str) -> bool:
    """A row of a slide table: cells split by wide gaps or bars, or a label with figures and no clause."""
    s = sentence.strip()
    if "|" in s or "\t" in s or len(re.findall(r"\S\s{2,}\S", s)) >= 2:
        return True
    cells = [c for c in re.split(r"[\s　]+", s) if c]
    return len(cells) >= 4 and sum(len(c) <= 8 for c in cells) >= 3 and "，" not in s


def is_title_line(sentence: str, hit: Hit) -> bool:
    """The document's title line or title page (title, author, date), not a statement."""
    s = re.sub(r"\s+", "", sentence)
    title = re.sub(r"\s+", "", hit.title)
    if title and (s == title or (title[:10] in s and len(s) <= len(title) + 30)):
        return True
    return bool(_DATE_LINE.search(sentence)) and not _END.search(sentence.strip()) and len(s) <= 60


def unfit(sentence: str, hit: Hit) -> bool:
    """Not worth showing as a point or advice: a heading, table row, contact or title line."""
    return (
        is_heading(sentence)
        or is_table_row(sentence)
        or bool(_CONTACT.search(sentence))
        or cover_page(sentence, hit)
    )


def repeats_heading(sentence: str, hit: Hit) -> bool:
    """The passage's own section heading (a slide's title line, 3.5 构建…：细化具体落实措施): the citation
    shows it already, and it answers nothing, though it shares the most words with a question that names
    the section."""
    line = sentence.strip()
    return len(line) > 4 and line in hit.section


def cover_page(sentence: str, hit: Hit) -> bool:
    """A line of the title page, or of a deck's back page (谢谢, then the publisher's blurb)."""
    return is_title_line(sentence, hit) or _after_the_end(hit.text, hit.text.find(sentence))


def advice_actor(sentence: str, hit: Hit) -> str:
    """The actor when ``sentence`` is advice — a directive, not a definition, with someone to act —
    else "". The report addresses local governments, so its directives default to 地方政府."""
    if unfit(sentence, hit) or _DEFINITION.search(sentence) or not _DIRECTIVE.search(sentence):
        return ""
    body = _LABEL.sub("", strip_bullet(sentence).strip(), count=1)
    actor = actor_of(body)
    # the actor is the sentence's subject: named at its start (an actor later on is its object)
    if actor and body.find(actor) <= SUBJECT_CHARS:
        return actor
    if hit.meta.get("level") == _REPORT_LEVEL:
        return "地方政府"
    return actor


_LABEL = re.compile(r"^\s*([^，。：:；\n]{2,12})[：:]")
_BULLET = re.compile(r"^[\s\-—>□■●•·*]+")


def strip_bullet(sentence: str) -> str:
    """Drop slide bullets ('- ', '□ ', '> '); the rest is still a verbatim substring of the chunk."""
    return _BULLET.sub("", sentence)


def short_title(title: str) -> str:
    return title.split("——")[0].strip()


def has_label(sentence: str) -> bool:
    """Whether the sentence opens with its own label ("市场培育：…")."""
    return _LABEL.match(sentence) is not None


def located(hit: Hit, sentence: str) -> Hit:
    """The hit labelled where ``sentence`` stands in it: a chunk labelled 第十六条 that runs on into
    第十七条 cites a sentence of 第十七条 as 第十七条."""
    section = section_at(hit.section, hit.text, hit.text.find(sentence))
    return hit if section == hit.section else hit.model_copy(update={"section": section})


# a paragraph that opens with its own short title (**9. 智能体标准。**规范…; （一）加强算力建设。统筹…)
_PARAGRAPH_TITLE = re.compile(
    r"\s*(?:(?P<bold>\*\*)\s*(?P<n1>(?:[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、]|[一二三四五六七八九十]+、)\s*)?"
    r"|(?P<n2>[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[.．、]|[一二三四五六七八九十]+、)\s*)"
    r"(?P<title>[^。！？；\n*：:，,]{2,20})。(?(bold)\*\*)"
)


def paragraph_title(text: str, at: int) -> str:
    """The short title a paragraph opens with (a numbered or bold one: 智能体标准 of **9. 智能体标准。**), when position
    ``at`` of ``text`` lies further in that paragraph; "" otherwise."""
    start = text.rfind("\n", 0, at) + 1
    m = _PARAGRAPH_TITLE.match(text, start)
    if m is None or at < m.end():
        return ""
    return m.group("title").strip()  # without its number, which no quote of the paragraph holds


def title_of(sentence: str, hit: Hit) -> str:
    m = _LABEL.match(sentence)
    if m:
        return m.group(1).strip("-—>□ ")
    at = hit.text.find(sentence)
    if at > 0 and (own := paragraph_title(hit.text, at)):
        return _cut(own)
    hit = located(hit, sentence)
    leaf = hit.section.split(" > ")[-1] if hit.section else hit.title
    leaf = re.sub(r"^\d+\.\d+\s*", "", leaf)
    return _cut(leaf.split("：")[-1]) or _cut(hit.title)


def _cut(title: str, chars: int = 24) -> str:
    """At most ``chars`` characters, never ending inside a 《name》 ("…关于印发《北京市" → "…关于印发")."""
    cut = title[:chars]
    if cut.count("《") > cut.count("》"):
        cut = cut[: cut.rfind("《")]
    return cut.strip()


def rank_sentences(
    question: str, hits: list[Hit], keyword: KeywordIndex | None = None, meaning: Meaning | None = None
) -> list[tuple[float, Hit, str]]:
    """(score, hit, verbatim sentence) for every sentence of the hits, best first: the share of the
    question's weighted terms it holds, its word overlap with the question, its hit's rank and, with
    ``meaning``, how much closer in meaning to the question it is than the other sentences."""
    asked = question
    question = without_document_names(question, hits)
    # English words also match as their Chinese glossary terms (the corpus is Chinese)
    # an English name of a hit's document (labeling measures → 人工智能生成合成内容标识办法) picks the
    # document, not the sentence, like a Chinese one
    titles = {h.title for h in hits}
    named = [
        t
        for t in translate_terms(question)
        if not any(stands_for(t, title) or (len(t) >= TITLE_PART and t in title) for title in titles)
    ]
    # everyday words also match as their official ones (员工 → 从业人员)
    official = [w for words in register.official_words(question).values() for w in words]
    terms = list(dict.fromkeys([*question_terms(question), *named, *official]))
    texts = " ".join(h.text for h in hits).lower()
    if keyword is not None:  # plain English words count as their renderings the passages use
        terms += [t for t in english_renderings(question, keyword, texts) if t not in terms]
    # an English word no passage contains can match no sentence: weighing it would only shrink the
    # share of the words that do match, until the hits' order decides instead of the sentences
    terms = [t for t in terms if not t.isascii() or t.lower() in texts]
    weights = {t: (keyword.idf(t) if keyword else 1.0) or 1.0 for t in terms}
    total = sum(weights.values()) or 1.0
    by_body = asks_body(asked)
    thing = asked_noun(asking_part(asked))  # 坚持哪些原则: a sentence naming 原则 (…的原则) answers
    scored: list[tuple[float, int, int, Hit, str]] = []
    raw: list[float] = []  # the scores without THING_BONUS
    units: list[str] = []
    for rank, hit in enumerate(hits):
        for s, e in sentence_spans(hit.text, 0, len(hit.text)):
            sent = strip_bullet(hit.text[s:e].strip())
            if len(squash(sent)) < 6 or re.fullmatch(r"(目录|CONTENTS).*", sent):
                continue
            low = sent.lower()
            term_cov = sum(w for t, w in weights.items() if t in low) / total
            score = term_cov + 0.5 * support(question, sent) + 0.15 / (rank + 1)
            if len(squash(sent)) < 14 or _CAPTION.match(sent):
                score *= 0.6  # fragments and captions of slides say little on their own
            if _after_the_end(hit.text, s):
                score *= 0.5  # a deck's back page (谢谢, then the publisher's blurb) is not its content
            if by_body and _BODY_ACTS.search(sent):
                score += BODY_BONUS  # "which agency …": a sentence where a body is charged with something
            bonus = THING_BONUS if thing and names_kind(thing, sent) else 0.0
            scored.append((score + bonus, rank, s, hit, sent))
            raw.append(score)
            units.append(hit.text[s:e].strip())
    if sum(x[0] != r for x, r in zip(scored, raw, strict=True)) > THING_SHARE * len(scored):
        # a thing most sentences name (数字, 业务) tells none of them apart
        scored = [(r, *x[1:]) for x, r in zip(scored, raw, strict=True)]
    if meaning is not None and scored:
        cosine = meaning.similarity(asked, units)
        closer = MEANING_WEIGHT * (cosine - float(cosine.mean()))
        scored = [(x[0] + float(c), *x[1:]) for x, c in zip(scored, closer, strict=True)]
    # equal scores: the better-ranked hit first, then the earlier sentence
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    return [(score, hit, sent) for score, _, _, hit, sent in scored]


# a body charged with an act (国家发展改革委要加强统筹协调, 市网信部门负责…): what "which agency" asks for
_BODY_ACTS = re.compile(
    r"(?:部门|委员会|人民政府|机构|机关|办公室|小组|[局厅署委])(?:要|应当|应|负责|承担|牵头|会同|统筹|主管|组织)"
)
BODY_BONUS = 0.35  # dev: 0.2 → 2 answers more complete, 0.35 → 5, 0.5 → 5; none less
THING_BONUS = 0.35  # … and a sentence naming the thing asked for (哪些原则: …的原则) …
THING_SHARE = 0.25  # … when at most this share of the sentences name it


_THE_END = re.compile(
    r"^\s*(?:THANKS?(?: YOU)?|Thank you|谢\s*谢|致\s*谢|感谢(?:阅读|聆听|观看))\s*[!！]?\s*$", re.I | re.M
)


def _after_the_end(text: str, at: int) -> bool:
    """Whether offset ``at`` of a chunk comes after a closing line (THANKS, 谢谢)."""
    m = _THE_END.search(text)
    return m is not None and m.start() < at


def without_document_names(question: str, hits: list[Hit]) -> str:
    """The question without the names of the hits' documents it writes (in full or short): a name picks
    the document, and would otherwise rank its preamble (第一条, 第二条, which repeat it) above the
    sentence that answers. Unchanged when nothing else would be left to rank by."""
    titles = {h.title for h in hits}
    names = [t for t in titles if len(t) >= 4 and t in question]
    names += [n for n in document_names(question) if any(stands_for(n, t) for t in titles)]
    rest = question
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, " ")
    return rest if question_terms(rest) else question


@dataclass
class Composed:
    """An extractive answer before numbering: the conclusion's sentence, the points (facts, list items)
    and the advice, each a (hit, verbatim sentence) with its display title and actor."""

    head: tuple[Hit, str] | None = None
    points: list[tuple[Hit, str, str]] = field(default_factory=list)  # (hit, sentence, title)
    advice: list[tuple[Hit, str, str, str]] = field(default_factory=list)  # (hit, sentence, title, actor)

    def lines(self) -> list[str]:
        """The sentences of the conclusion and the points."""
        return ([self.head[1]] if self.head else []) + [p[1] for p in self.points]
