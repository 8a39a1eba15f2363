"""What a question names must exist: a document (quoted, unquoted, or by a short name), a year, a
numbered section or an article. A name the corpus lacks makes the question unanswerable whatever the
passages' words, unless it is only the asker's context."""

from __future__ import annotations

import re

from advisor.index.keyword import KeywordIndex
from advisor.index.snapshot import Snapshot
from advisor.retrieval.asks import about_document
from advisor.retrieval.doc_names import (
    KINDS,
    TITLE,
    context_only,
    documents_named,
    named_with_place,
    stands_for,
    unquoted_titles,
)
from advisor.retrieval.figures import YEAR
from advisor.retrieval.options import options_absent
from advisor.retrieval.places_named import places_in
from advisor.text import chinese_numeral
from advisor.types import Hit

# an article the question names must exist (not 第一条措施: a plan's first measure, counted)
_ARTICLE = re.compile(r"第[一二三四五六七八九十百零]+条(?!措施|举措|任务|建议|经验|做法|路径)")
_ARTICLE_EN = re.compile(r"\bArt(?:icle|\.)\s*(\d{1,3})\b", re.I)  # … also in English (Article 52)
_SECTION = re.compile(r"(\d+\.\d+)\s*(?:节|小节)")  # a numbered section the question names must exist (4.2节)
_OF_PLACE = re.compile(r"^[\u4e00-\u9fff]{2,3}(?:省|市|自治区)的")  # a place's … (四川省的…)
# the words after a quoted title that ask what that text itself provides (《…》对…有什么规定, 《…》里…)
# (after its 文号 in brackets, or the level it speaks for: 《…》（某部发〔2024〕1号），在省一级要求…)
_ASKS_WHAT_IT_SAYS = re.compile(
    r"\s*(?:[（(][^（）()]{2,30}[）)][，,]?)?(?:在[^，,。？?]{1,8}?)?"
    r"(?:里|中|对|规定|要求|提出|明确|关于|有没有|是否|如何|怎么|提到|定了|设定|确定|原来|原先|此前)"  # (原来: as it stood)
)
_QUOTES = re.compile(r"[“”\"'‘’]")


_POINTER = "这部|那部|这份|那份|这个|那个|该|此"


# who makes, drafts or approves a document (由哪个部门牵头制定, 报谁批准): the text that provides for it says
_ASKS_MAKER = re.compile(r"(?:谁|哪个|哪家|哪些)[^，,。？?]{0,8}?(?:制定|编制|编|起草|牵头|批准|审批)")


def _unqualified(name: str) -> list[str]:
    """A name as the text may write it: without the place or owner it is qualified by (四川省的…, 北京自动驾驶的
    智能化路侧设施建设计划: the text's 智能化路侧设施建设计划), or without the 的 the asker put in it."""
    tail = name.rsplit("的", 1)[-1]
    bare = name.replace("的", "")
    opening = [n for names in places_in(bare).values() for n in names if bare.startswith(n)]
    bare = bare[len(max(opening, key=len)) :] if opening else bare
    return [n for n in (tail, bare) if len(n) >= 6]


def _asks_what_it_says(question: str, name: str) -> bool:
    """Whether the question asks what the text it names provides (…监管办法中，…标准是什么)."""
    at = question.find(name)
    return at >= 0 and bool(
        _ASKS_WHAT_IT_SAYS.match(question, at + len(name)) or about_document(question[at:])
    )


def _pointed_back_at(question: str, after: int, name: str) -> bool:
    """Whether the question goes on to ask what the text named before says by pointing back at its kind
    (《…条例》列为依据，这部条例里…怎么定义): no other text of that kind named in between."""
    kind = next((k for k in [*KINDS.split("|"), "决定", "法"] if name.endswith(k)), "")  # … a law: 这部法
    if not kind:
        return False
    pointer = re.compile(rf"(?:{_POINTER}){re.escape(kind)}(?={_ASKS_WHAT_IT_SAYS.pattern})")
    m = pointer.search(question, after)
    return m is not None and kind not in question[after : m.start()]


_REPEALED = re.compile(r"\b(?:repeal(?:s|ed)?|replac(?:es|ed)|supersed(?:es|ed))\b", re.I)
_WHEN_THAT_ONE = re.compile(
    r"\bwhen (?:was|were|did) (?:that|those|the|this|these) (?:earlier|repealed|previous|former|old|original|replaced)"
    r" (?:[a-z-]+ ){0,3}?(?:regulations?|rules|measures|provisions|laws?|plans?|texts?|documents?)\b",
    re.I,
)


def hard_misses(question: str, top: list[Hit], haystack: str, keyword: KeywordIndex) -> list[str]:
    """Named documents and years the question insists on must be in the evidence."""
    misses = []
    titles = "\n".join(h.title for h in top)
    documents = keyword.documents()
    for m in TITLE.finditer(question):
        name = _QUOTES.sub("", re.sub(r"[（(].*?[)）]", "", m.group(1))).strip()  # '十四五' for “十四五”
        # a text the corpus only cites (根据《…条例》) cannot say what the question asks it says, nor when
        # it was passed or issued (被…废止的《…条例》是哪一年通过的)
        asks_of_it = (
            _ASKS_WHAT_IT_SAYS.match(question, m.end())
            or about_document(question[m.start() :])
            or _pointed_back_at(question, m.end(), name)
        )
        cited_only = bool(asks_of_it) and not any(
            name in t or stands_for(name, t) for t in documents.values()
        )
        if name and (
            cited_only or (name not in _QUOTES.sub("", titles) and name not in _QUOTES.sub("", haystack))
        ):
            misses.append(f"《{m.group(1)}》")
    misses += [
        f"《{name}》"
        for name in unquoted_titles(question)
        # … unless the corpus names it after the place (四川省的数字产业集群升级计划: a plan the report names)
        if not keyword.occurs(name)
        and not keyword.occurs(_OF_PLACE.sub("", name))
        # … or, asked who makes it, as the text writes it: without its owner or place
        and not (_ASKS_MAKER.search(question) and any(map(keyword.occurs, _unqualified(name))))
        and not named_with_place(name, top, question, own_text=not _asks_what_it_says(question, name))
        and not any(stands_for(name, t) for t in documents.values())
        and not context_only(question, name, top, documents.values())
    ]
    # … and, asked in English when the text another one repealed was passed, that text (the repealing one's
    # title page only records the repeal: 《…》同时废止)
    if _REPEALED.search(question) and _WHEN_THAT_ONE.search(question):
        misses.append("《被废止的文件》")
    # a year is there when a passage or a retrieved document's date names it (the 2023 interim measures)
    dated = haystack + " ".join(str(h.meta.get("date", "")) for h in top)
    dated += plan_period_years(dated + titles)  # … or a five-year plan's period (十四五: 2021 to 2025)
    misses += [y for y in dict.fromkeys(YEAR.findall(question)) if y not in dated]
    misses += [f"{n}节" for n in dict.fromkeys(_SECTION.findall(question)) if n not in haystack]
    named = set(documents_named(question, documents))
    for article in articles_named(question):
        if named and not keyword.occurs_in("第一条", named) and _ITEM_OF_PART.search(question):
            continue  # a plan has no articles: 保障措施第一条 is the first item of that part
        if (named and not keyword.occurs_in(article, named)) or article not in haystack:
            misses.append(article)
    return misses + options_absent(question, keyword)  # (C2PA、XMP 还是 EXIF: named options no text uses)


def articles_named(question: str) -> list[str]:
    """The articles a question names, as the texts number them (第五十二条, also for Article 52)."""
    asked = _ARTICLE.findall(question) + [
        f"第{chinese_numeral(int(n))}条" for n in _ARTICLE_EN.findall(question)
    ]
    return list(dict.fromkeys(asked))


# an article named after a part of a text, not after the text itself (保障措施第一条, not 规划第一条)
_ITEM_OF_PART = re.compile(r"(?<![规划意见方案指南办法条例规定决定通知》])第[一二三四五六七八九十百零]+条")
_PART = re.compile(r"第([一二三四五六七八九十]+)(章|部分)")  # 第三章, 第三部分 (a plan's 三、…)


def parts_named(question: str) -> list[str]:
    """How the headings of the chapters or parts a question names begin (第三章; 三、 for 第三部分)."""
    return list(
        dict.fromkeys(f"第{n}章" if kind == "章" else f"{n}、" for n, kind in _PART.findall(question))
    )


def part_chunks(snapshot: Snapshot, doc_ids: list[str], parts: list[str]) -> list[str]:
    """The first chunk of each named chapter or part in ``doc_ids``: where its heading and opening are."""
    out: list[str] = []
    for d in doc_ids:
        for part in parts:
            first = next(
                (
                    c
                    for c in snapshot.chunks_of(d)
                    if any(p.strip().startswith(part) for p in c.section.split(">"))
                ),
                None,
            )
            if first is not None:
                out.append(first.chunk_id)
    return out


def article_chunks(snapshot: Snapshot, doc_ids: list[str], articles: list[str]) -> list[str]:
    """The chunks of ``doc_ids`` (in that order, each in text order) where one of ``articles`` begins
    (第十四条 at the start of a line or after a space)."""
    if not articles:
        return []
    begins = re.compile("|".join(rf"(?:^|\s){a}(?=\s)" for a in articles))
    return [c.chunk_id for d in doc_ids for c in snapshot.chunks_of(d) if begins.search(c.text)]


# the five-year plans by their number (十四五 runs from 2021 to 2025)
_PLAN_PERIODS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}


def plan_period_years(text: str) -> str:
    """The years of each five-year plan ``text`` names by its number, for a question naming it by them."""
    return " ".join(
        str(y) for name, start in _PLAN_PERIODS.items() if name in text for y in range(start, start + 5)
    )
