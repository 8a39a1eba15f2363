"""Questions about how things stand now (已经上线了吗, 目前入库了多少家, has any company been fined so
far): a policy text says what shall be done, not what has been done, so only a passage that itself reports
a state (截至, 目前, 已有, 正在) answers one."""

from __future__ import annotations

import re

from advisor.retrieval.asks import from_first_ask

# the question asks about the present state: a time word with what has come about (目前入库了多少家, 现在
# 建成几个; not 现在国家对…有什么要求, which asks what the rules are), "已经 … 了/几/多少" (not 已经建好的
# 专网, a thing's description), what 实际上 (in fact) happened, or a "了吗/了没有/…了？" question (not
# 申报不了？, which asks what one can do); "现在还能…吗" asks what a rule permits instead
_NOW = r"(?:(?<![出表体实发呈])现在|目前|如今|眼下)"  # (出现在, 体现在: where, not now)
_ZH_STATUS = re.compile(
    rf"{_NOW}[^，。？?]{{0,12}}?(?:了|多少|几|有没有|进展|建成|上线|出台)"
    rf"|{_NOW}[^，。？?]{{0,16}}?已"  # 目前有哪些事项已经实现: what has come about
    r"|至今|迄今|到现在|截至|截止到?(?:目前|现在|\d{4}年)|实际上"
    r"|后来(?:定|出台|制定|发布|公布|确定|印发|出)"  # 后来定下的指标: what was done after the text
    # 首批确定了哪几家, 首批入选的是哪些: a result
    r"|(?:首批|第一批)[^，,。？?]{0,8}?(?:确定|选定|入选|认定|评选|批准|公布)(?:了|的(?:是|有))"
    r"|(?:有没有|是否|有无)[^，,。？?]{0,6}?(?:发|出台|公布|发布|印发|制定|处罚|查处)过"  # 有没有发过: an event
    r"|已经[^，。？?的]{0,12}(?:了|多少|几|？|\?)"
    r"|了(?:吗|没有?|么)\s*[？?]?\s*$|了(?:吗|没有?|么)\s*[？?，,]|(?<![不得])了\s*[？?]"
)
# … and so does any question of whether a text allows something (条例允许…私了吗: 了 of the verb 私了)
_PERMISSION = re.compile(
    rf"{_NOW}(?:还|仍|也)?(?:能|可以|可不可以|能不能|允许|准|需要|要不要|得)|允许|准许|准不准"
    # … or may do something at all (能不能自己私了, 可否…): what the rules permit, not what has happened
    r"|能不能|可不可以|能否|可否|是否可以|是否允许|行不行|是不是就?(?:能|可以|允许)"
)
_EN_STATUS = re.compile(
    r"\b(?:so far|to date|as of (?:now|today)|(?:has|have) (?:any(?: [a-z-]+){1,3} been|there been)\b)"  # not "do firms have any rights"
    # … or what has been done (were selected, have been fined, the first batch)
    r"|\b(?:were|was|have been|has been)\s+(?:(?:actually|officially)\s+)?(?:selected|chosen|included|approved"
    r"|fined|punished|penali[sz]ed|designated|listed|built|completed|launched|filed|registered|opened)\b"
    # … yet or already after a verb's auxiliary (has it been issued yet; not "exists yet", a case, or "a
    # company already carried out", a description)
    r"|\b(?:has|have|had|is|are|was|were|did|does|been)\b[^,;?.]{0,30}?\b(?:yet|already)\b"
    r"|\bfirst batch\b|\b(?:have|has) actually [a-z]+ed\b",  # which firms have actually adopted it
    re.I,
)
# a sentence that reports a state rather than prescribing one
STATE = re.compile(
    r"目前|当前|现阶段|如今|截至|截止|已经|已有|已达|已完成|已形成|已成为|已建成|已上线|现有|正在|至今|迄今"
    r"|刚刚|尚未|累计|首批"
)


# a condition the asker sets (如果岗位已经满了，…; even if their quota is already used up) states a case
# to apply the rules to, not a state the question asks about
_ZH_CONDITION = re.compile(r"(?:如果|假如|假设|倘若|若是|即使|即便|哪怕|要是|一旦|万一)[^，,。；;？?]*")
_EN_CONDITION = re.compile(
    r"\b(?:even if|even though|if|unless|once|although|though|in case|provided that)\b[^,;?]*"
    # … or a relative clause that describes what is asked about (data that has already been made public)
    r"|\b(?:that|which|who)\s+(?:has|have|had|is|are|was|were)\s+already\b",
    re.I,
)


def asks_status(question: str) -> bool:
    """Whether a question asks how something stands now, rather than what a text provides."""
    if _EN_STATUS.search(_EN_CONDITION.sub(" ", question)) or _CAME_OF_IT.search(question):
        return True
    asked = _ENOUGH.sub("", _ZH_CONDITION.sub("，", from_first_ask(question)))
    if _PERMISSION.search(asked) or _TEXT_SAYS.search(asked):
        return False
    return bool(_SO_FAR.search(question) or _ZH_STATUS.search(asked))  # 到目前为止，… opens the question


# whether a text mentions something (都提到卫星互联网了吗, 写进条例了没有) asks what the text says
_TEXT_SAYS = re.compile(
    r"(?:提到|提及|说到|讲到|写到|写进|写入|写了|涉及|规定|提过|说过)[^，,。？?]{0,16}?了(?:吗|没有?|么)"
)
# whether doing something is enough (只满足这个办法就够了吗, 备案就行了？) asks what the rules require
_ENOUGH = re.compile(r"就?(?:够|行|可以)了(?=吗|么|没有?|\s*[？?])")
_SO_FAR = re.compile(r"(?:到|至|截至)目前为止")
# … and what came of a text once it applied (条例施行后，公布的首批…; 框架出来以后…首次结果), or who ranks
# first: the story before the asking clause says when
_CAME_OF_IT = re.compile(
    r"(?:施行|实施|出台|印发|发布|出来)(?:以)?后[^。？?]{0,24}?(?:首批|首次|第一批|结果|排名)|排名前[一二三四五六七八九十\d]"
    # … or what an evaluation the text calls for found (评估作出了哪些结论, what the review concluded)
    r"|(?:得出|得到|作出)了?(?:什么|哪些|怎样的)(?:结论|评价)|(?:评估|评价)的?结论是什么"
    r"|\b(?:evaluation|assessment|review)s? (?:found|concluded)\b"
    r"|\b[Ww]hat did (?:the |its )?(?:[\w-]+ ){0,2}(?:evaluation|assessment|review)s?(?: of [^?]{0,80}?)? (?:find|conclude|show)\b"
)


# whether a text has been amended since, or is still in force (有没有修订过, 现在还有效吗, still in force):
# only a passage that records an amendment, a repeal or a term of validity answers (not "还适用于…",
# which asks what the text covers)
_AMENDMENT_ASKED = re.compile(
    # (是否适用 without 仍 asks whether a case falls under the text: "在境内用…提供服务，是否适用？")
    r"(?:修正|修订|修改|废止)过|(?:还|仍然?|是否仍)(?:有效|适用|生效|在施行|管用)(?!于)|是否(?:有效|生效|在施行)"
    r"|\b(?:still (?:in force|valid|in effect|appl(?:y|ies))|(?:been|ever) (?:amended|revised|repealed))\b",
    re.I,
)
AMENDMENT = re.compile(r"修正|修订|修改|废止|失效|有效期|停止执行|amend", re.I)
# … and what an amendment changed (具体改了哪几条, which articles were amended): a consolidated text records
# that it was amended, not what changed; only the amending decision's wording (第X条修改为, 删去) says
_CHANGES_ASKED = re.compile(
    r"(?:改|修改|修订|修正|改动|变动)了?(?:哪|什么|些什么)"
    r"|\b(?:amend(?:ed)?|revised?|changed?|modif(?:y|ied))\s*了?(?:哪|什么)"  # (具体 amend 了哪几条)
    r"|\b(?:which|what) (?:articles?|provisions?|clauses?|changes?)\b.{0,60}"
    r"\b(?:change[ds]?|amend(?:ed)?|revised?|modif(?:y|ied)|made)\b",
    re.I,
)
CHANGES = re.compile(r"修改为|删去|增加一条|增加一款|改为")
# … but a text that repeals another (本条例自…起施行。《浙江省信息化促进条例》同时废止) records nothing
# about itself
_OTHER_REPEALED = re.compile(r"》\s*(?:同时|即行|予以)?废止")


def records_amendment(text: str) -> bool:
    """Whether a passage records an amendment, a repeal or a term of validity of its own text."""
    return bool(AMENDMENT.search(_OTHER_REPEALED.sub("", text)))


def asks_amendment(question: str) -> bool:
    """Whether a question asks if a text has been changed since or still holds."""
    return bool(_AMENDMENT_ASKED.search(_ZH_CONDITION.sub("，", question)))


def asks_changes(question: str) -> bool:
    """Whether a question asks what an amendment (or a successor text) changed."""
    return bool(_CHANGES_ASKED.search(question))


# Asks what came after a text: what replaced it, whether it was extended (到期后由哪个文件接替, have they
# been renewed). Only a text that says so answers: one that repeals, replaces or extends another.
_ASKS_SUCCESSOR = re.compile(
    r"接替|替代|取代|替[掉换下]|换掉|续期|延期|延长|到期(?:以?后|之后)|有效期(?:满|到了?)(?:以?后|之后)"
    r"|\b(?:replaced|superseded|succeeded|extended|renewed|lapse)\b",
    re.I,
)
SUCCESSION = re.compile(r"废止|替代|取代|接替|延长|延续|继续有效|同时失效|不再执行|修订")


# … not people or jobs replaced by machines (把人换掉, 取代人工)
_PEOPLE = r"(?:人|人工|人力|工人|员工|劳动力|岗位)"
_PEOPLE_REPLACED = re.compile(
    rf"把[^，,。？?]{{0,4}}?{_PEOPLE}[^，,。？?]{{0,3}}?(?:替|换|取代)|(?:替代|取代|替换|换掉|替掉)[^，,。？?]{{0,2}}{_PEOPLE}"
)


def asks_successor(question: str) -> bool:
    """Whether a question asks what replaced or extended a text (a later event no text of its own says)."""
    return _ASKS_SUCCESSOR.search(_PEOPLE_REPLACED.sub("", question)) is not None


# a text the asker says is left to be made (…办法由市人民政府另行制定，这个办法出台了吗; measures to be issued
# separately — which applications are high-risk under those measures): the corpus holds the text that
# defers, not the one it defers to, so no passage says what that one provides, whether it is out or when
_DEFERRED_TO = re.compile(
    r"另行(?:制定|规定|出台|发布|印发)"
    r"|\b(?:issued|formulated|made|drawn up|adopted|published|set out) separately\b|\bseparate (?:measures|rules)\b",
    re.I,
)
_THAT_TEXT = re.compile(
    r"(?:这个|那个|该|这份|那份|这部|这项|此)[\u4e00-\u9fff]{0,4}?(?:办法|细则|规定|规则|标准|目录|清单|指南|方案|规范|文件)"
    r"|另行(?:制定|规定)的|(?:出台|发布|印发|公布)了"
    r"|\b(?:those|these|such|the separate|the new) (?:measures|rules|regulations|provisions)\b"
    r"|\bunder (?:them|those|these)\b|\b(?:has|have) (?:it|they) (?:already |yet )?been\b",
    re.I,
)


def asks_unmade_text(question: str) -> bool:
    """Whether a question asks about a text another leaves to be made (what it says, whether it is out)."""
    deferral = _DEFERRED_TO.search(question)
    return bool(deferral and _THAT_TEXT.search(question, deferral.start()))
