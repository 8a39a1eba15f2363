"""Names of documents in a question: with 《》 or without (a run that ends in a kind of document), in
full or short (国家AI标准化体系建设指南 for 国家人工智能产业综合标准化体系建设指南), and which title a name stands
for. Answerability checks that a named document exists; sentence ranking leaves names out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from advisor.retrieval.asks import ASKERS_OWN, INTERROGATIVE
from advisor.retrieval.places_named import places_in
from advisor.types import Hit

SHORT_NAME_SHARE = 0.8  # a short name of a document keeps most of its title's characters, in order
_YEAR_OF = re.compile(r"(?:19|20)\d\d\s*年?(?:版|修订|修正)?的?")
# a kind of document with the word that makes it a kind of its own: a national 行动方案 and a city's 实施方案
# of it, a 指导意见 and its 实施意见, are two documents
_QUALIFIED_KIND = re.compile(r"(?:行动|实施|工作|指导)(?:方案|计划|意见|细则)$")
TITLE = re.compile(r"《([^》]{2,60})》")
KINDS = (
    "若干措施|措施|办法|条例|规定|意见|方案|规划|指南|通知|计划|纲要"  # the kinds of document a name ends in
)
# … and the kinds an English question calls a text by (the … regulations, the AI+ opinions)
EN_KINDS = r"regulations?|measures|provisions|rules|plan|opinions?|law"
_UNQUOTED_TITLE = re.compile(
    r"([\u4e00-\u9fff“”A-Za-z0-9]{4,40}?(?<![按依照关有的该本其此反守合受])"  # 按规定, 违反规定, 享受规定的: no title
    rf"(?:{KINDS}))"
)
# the central bodies that issue national texts, as a question may put them before the text's name
_ISSUER_HEAD = re.compile(
    r"^(国务院|中共中央|党中央|国家发展改革委|国家发改委|发改委|工业和信息化部|工信部|国家网信办|网信办|科技部)"
    r"(?:办公厅)?(?:印发|发布|出台)?的?"
)
_PLACE_HEAD = re.compile(
    r"^[\u4e00-\u9fff]{2,3}(?:省|市|自治区)|^[\u4e00-\u9fff]{2}经济特区"
)  # 河南省…条例 is one document
# the asker's own document (我们正在…本市数字经济规划) is named from these words on: no corpus title;
# a document being written (在写区里的…申报指南, 起草本市…规划) is the asker's own, however long its name
_ASKERS_OWN = re.compile(rf".*(?:{ASKERS_OWN.pattern}|正在)")
# a verb of mentioning (报告引述…计划, 提到的…方案): the name is what follows it
_MENTIONED = re.compile(r".*(?:引述|引用|提到|提及|列举|谈到|讲到|说到)了?的?")
# provisions on a matter (…违规的法律责任规定), not a title (关于…的若干规定, …管理规定): 规定 after the matter
_PROVISIONS = re.compile(r"的[\u4e00-\u9fff]{2,8}(?<!管理|若干|暂行|实施|试行|相关|有关|具体)规定$")
# (各部门自己编的…规划, 我们在做…方案: one being written, none named; not 关于做好…的通知)
_BEING_WRITTEN = re.compile(r"写|起草|编制|拟定|修订|编的|(?:在|要|想|正|准备)做(?!好)|[在要想]搞")
_REQUIRED = re.compile(r"^(?:要求|提出)")  # 要求制定…保障措施: what a text requires, no title
# verbs that class a thing as what a text names (被认定为…条例里禁止的): the name follows them
_CLASSES_AS = "认定为|视为|列为|算作|属于"
_TITLE_LEAD = re.compile(
    rf"^(?:根据|按照|依据|依照|关于|违反|遵守|适用|参照|对照|在|从|对|据|请问|按|依|规定|另外|此外|{_CLASSES_AS}"
    r"|为了?(?:推动|落实|贯彻落实|贯彻|实施|推进|执行|配合)"  # 为推动…规划落地: a purpose, then the name
    r"|(?:现行|最新|新版|旧版|修订后|修正后)的?"  # 现行的…条例: the text as it stands, not its name
    r"|(?:国家|我国|中央)的)+"  # 国家的…规划: whose, not its name
)
# characters no title has (pronouns, particles, 也, 又, 归, 被; A-not-A: 会不会): the question's own clause
# runs up to the name (这种情况也归生成式AI暂行办法管吗 names 生成式AI暂行办法); 那部, 这份 point at the
# document they stand in
# … nor a perfective 了, a negation, or 就 joining two clauses (编好了…规划, 没有资质证书就承揽…的处罚规定)
_CLAUSE = re.compile(
    r".*(?:[也又归吗呢吧被了]|没有|就(?!业)|(.)[不没]\1|[我你他她它]们?|[这那](?![部份项个本]))"
)
# … a preposition inside the run introduces the name (这种事需要按…来处理, 要受…约束, 执法中对…的理解,
# 机制是在…规划的哪一部分提出的), as does a verb that takes a text as its object (某企业违反…条例, 参照…办法, 报告引用的…计划, 四部门印发…指南) or
# classes a thing as what it names; 那个 inside it only points at the kind of document after it
# (某某那个办法: its 办法)
_INNER_LEAD = re.compile(
    r".+?(?:是在|根据|按照|依据|依照|按|受|对|违反|遵守|适用|参照|对照|引用|援引|提到|提及|摘录|收录|列举|印发|发布|出台|颁布"
    r"|纳入|列入|编入|申报|申请|去报"  # 纳入…人才计划, 申报…科技计划: a programme taken part in, no text named
    rf"|{_CLASSES_AS})的?(?=.{{2}})"  # (…平台是在条例第几条: only the kind after it, no name)
)
_POINTER = re.compile(r"(?<=.)[这那]个")
# … a copula or a verb of placing puts the thing asked before the kind (…那项检测是哪部条例的第几条, …的内容放在
# 规划的哪一部分): the name, if any, follows it
_PLACED = re.compile(r".*(?:是(?!在)|[放写列载记]在)")
# a kind of document right after a pointer (这项措施, 该条规定) is a part of a text the asker points at
_POINTED_KIND = re.compile(rf"[这那该此][项条个款]?(?:{KINDS})$")
# the level a question puts before a national text's name (国家那个数字经济“十四五”规划): whose, not its name
_LEVEL_HEAD = re.compile(r"^(国家|全国|我国|中央)")
# … and a pointer with the measure word of a document (工信部等四部门那份…指南) starts the name after it
_POINTED_NAME = re.compile(r".+?[这那][份部项本](?=.{8})")  # … a name of its own, not 那部暂行办法


# … a verb of planning is no plan (市政府统筹规划的基础设施: how the government plans it)
# … nor is a measure being taken (出台监管措施, 采取补救措施)
_PLANNING_VERB = re.compile(
    r"(?:统筹|统一|合理|科学)规划$|(?:出台|制定|采取)(?:(?!的)[\u4e00-\u9fa5]){0,4}(?:措施|办法|规定|方案)$"
    r"|(?:听取|征求|征询|提出|发表|反馈|收集|吸收|采纳)(?:(?!的)[\u4e00-\u9fa5]){0,4}意见$"  # 听取…意见: heard
)


def _name_only(run: str) -> str:
    """The document name a run ending in a kind of document holds: from after the question's own words
    (a lead such as 根据, a clause, an open quotation — 报告在“细化具体落实措施 quotes a section)."""
    # (a pointer with a measure word first: …印发的那份…方案 is named after 那份, not after 印发的)
    run = _POINTED_NAME.sub("", _TITLE_LEAD.sub("", _CLAUSE.sub("", run)), count=1)
    run = _POINTER.sub("", _INNER_LEAD.sub("", _PLACED.sub("", run), count=1))
    opened, closed = run.rfind("“"), run.rfind("”")
    if opened > closed:  # a quotation opened and not closed inside the run
        run = run[opened + 1 :]
    first_close = run.find("”")
    if first_close >= 0 and "“" not in run[:first_close]:  # … or closed without being opened
        run = run[first_close + 1 :]
    # … and a name opening with a place opens there (害得企业没拿到河南高新技术条例: 河南高新技术条例)
    at = min((run.find(n) for n in places_in(run) if run.find(n) > 0), default=-1)
    return run[at:] if at > 0 and len(run) - at >= 6 else run


def names_document(question: str, title: str) -> bool:
    """Whether the question names the document ``title``: in full (without brackets), or by a short name
    whose characters, in order, are nearly all the title's (国家AI标准化体系建设指南 for 国家人工智能产业综合标准化体系建设指南)."""
    core = _core(title)
    if len(core) >= 4 and core in question:
        return True
    return any(stands_for(name, title) for name in document_names(question))


def documents_named(question: str, documents: dict[str, str]) -> dict[str, str]:
    """The documents (id → title) a question names, in Chinese or by the English name the glossary renders
    as the title: a text asked about in English is named too."""
    from advisor.retrieval import glossary

    _, english, _ = glossary.split_question(question, lambda _: False)
    asked = f"{question} {' '.join(english)}"
    return {d: t for d, t in documents.items() if names_document(asked, t)}


def _core(title: str) -> str:
    return re.sub(r"[（(].*?[)）]|[《》“”\"]", "", title).strip()


def document_names(question: str) -> list[str]:
    """The names of documents a question writes, with or without 《》 (four characters or more)."""
    quoted = [m.group(1) for m in TITLE.finditer(question)]
    plain = [_name_only(m.group(1)) for m in _UNQUOTED_TITLE.finditer(question)]
    plain = [n for n in plain if not _PLANNING_VERB.search(n)]
    return [n for n in dict.fromkeys(quoted + plain) if len(n) >= 4 and not INTERROGATIVE.search(n)]


def stands_for(name: str, title: str, share: float = SHORT_NAME_SHARE) -> bool:
    """Whether ``name`` is ``title`` or a short name of it: ``share`` of its characters (AI read as
    人工智能) are the title's, in the title's order, it ends in the title's kind of document, and the
    place it opens with (河南省…) is the title's."""
    # the year a question dates it by (河南2011年的…条例) is no part of its name: hard_misses checks it
    a = _YEAR_OF.sub("", re.sub(r"ai|AI|Ai", "人工智能", _core(name)))
    b = _core(title)
    # … nor the body that issued it (工信部…建设指南 for a title without 工信部), unless the title says it
    issuer = _ISSUER_HEAD.match(a) or _LEVEL_HEAD.match(a)
    if issuer and issuer.group(1) not in b:
        a = a[issuer.end() :]
    # a quoted tag of the title (“十四五”) may stand anywhere in a short name: matched apart from the rest
    tags = re.findall(r"“([^”]{2,8})”", name)
    if tags and all(t in b for t in tags):
        a, b = (re.sub("|".join(map(re.escape, tags)), "", x) for x in (a, b))
    if len(a) < 4 or not b or a[-2:] != b[-2:]:
        return False
    place = _PLACE_HEAD.match(a)
    if place and place.group(0)[:2] not in b:  # 某省…条例 is not another province's 条例
        return False
    kind = _QUALIFIED_KIND.search(a)
    if kind and kind.group(0) not in b:  # a 行动方案 is not the 实施方案 that carries it out
        return False
    return _common_subsequence(a, b) >= share * len(a)


def _common_subsequence(a: str, b: str) -> int:
    row = [0] * (len(b) + 1)
    for ch in a:
        prev = 0
        for j, other in enumerate(b, 1):
            prev, row[j] = row[j], prev + 1 if ch == other else max(row[j], row[j - 1])
    return row[-1]


def unquoted_titles(question: str) -> list[str]:
    """Document names written without 《》 ("广州市加快人工智能产业高质量发展若干措施"): a run of twelve
    characters or more (eight when it opens with a province or city: 某某省智慧城市促进条例) that ends in a
    kind of document and neither asks nor joins (什么, 和, 或)."""
    out = []
    for m in _UNQUOTED_TITLE.finditer(question):
        if question[m.end() : m.end() + 1] == "时" and "在" in m.group(1):  # 在梳理各省规划时: when, no title
            continue
        if _PROVISIONS.search(m.group(1)) or (
            m.group(1).endswith("规定") and question[m.end() : m.end() + 1] in ("在", "于")
        ):
            continue  # …的法律责任规定: a text's provisions on a matter; …规定在第几条: a verb
        name = _name_only(m.group(1))
        if _BEING_WRITTEN.search(name) or _PLANNING_VERB.search(name) or _REQUIRED.match(name):
            continue
        name = _MENTIONED.sub("", _ASKERS_OWN.sub("", name))
        if _POINTED_KIND.search(name):  # “优化人才流动机制”这项措施: a part of a text pointed at, no title
            continue
        long_enough = len(name) >= 12 or (len(name) >= 8 and _PLACE_HEAD.match(name) is not None)
        # … in Chinese only: a name the asker writes half in English (数字产业cluster升级计划) is no title
        if long_enough and not INTERROGATIVE.search(name) and not re.search(r"[和与及、或A-Za-z]", name):
            out.append(name)
    return out


def named_with_place(name: str, top: list[Hit], question: str = "", *, own_text: bool = False) -> bool:
    """Whether a passage names the document without its quoted parts (“十四五”) and place (四川) and
    names that place too: the report's > 四川省 paragraph on its 数字产业集群升级计划. A text that only
    calls for a 监管办法 does not name the place (深圳) the asker gives it. The place may stand outside
    the name, elsewhere in the ``question`` (Sichuan 在“十四五”数字产业集群升级计划中…). With ``own_text``,
    that place's own text naming it will do (全市智慧经济发展总体规划 in 杭州's regulation): for a question
    about how the document is made, not what it says."""
    quoted = re.findall(r"“([^”]*)”", name)
    bare = re.sub(r"“[^”]*”", "", name)
    places = places_in(bare) or places_in(question.replace(name, " "))
    for names in places.values():
        for n in sorted(names, key=len, reverse=True):
            bare = bare.replace(n, "")

    def of_place(h: Hit) -> bool:
        return any(n in h.text or (own_text and n in h.title) for ns in places.values() for n in ns)

    # … or, when the name is only the place, a quoted period and a kind (四川省“十四五”规划), one that
    # quotes that place's text of that period
    only_kind = quoted and re.fullmatch(KINDS, bare) is not None
    return bool(places) and (
        (len(bare) >= 6 and any(bare in h.text and of_place(h) for h in top))
        or bool(only_kind and any(of_place(h) and all(q in h.text for q in quoted) for h in top))
    )


# a sentence that states (ends in 。！；) before the one that asks: the asker's context
_STATEMENT = re.compile(r"[^。！；!;？?]+[。！；!;]")


def context_only(question: str, name: str, hits: list[Hit], titles: Iterable[str]) -> bool:
    """Whether a document is only the asker's context: named in a statement before the question, while the
    sentence that asks names a text the corpus holds (我市打算借着…规划的东风，建…园区。报告对…有什么建议？
    asks the report, whatever that plan says)."""
    for m in _STATEMENT.finditer(question):
        if name in m.group(0) and not INTERROGATIVE.search(m.group(0)):
            rest = question[m.end() :]
            kinds = {str(h.meta.get("kind", "")) for h in hits} - {""}
            return name not in rest and (
                any(names_document(rest, t) for t in titles)
                # … or by its kind alone (报告), when the context's document is of another kind
                or any(
                    re.search(rf"(?<![这那该此其]){re.escape(k)}", rest)
                    for k in kinds
                    if len(k) >= 2 and not name.endswith(k)
                )
            )
    return False
