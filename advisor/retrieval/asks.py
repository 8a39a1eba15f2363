"""What kind of answer a question asks for, read from its interrogative words (Chinese grammar and
their English equivalents, never words of particular questions): a number, a date, a person or body,
a list, yes/no, a definition, facts about a document itself (author, issuer, date, 文号), or anything.

Answerability and answer composition use it the same way: the kind asked for must be present in the
passage that answers (a number for 多少, a date for 何时, several parallel items for 哪几项)."""

from __future__ import annotations

import re
from typing import Literal

from advisor.retrieval.places_named import PLACE_UNITS, places_in
from advisor.retrieval.units import ASKED_UNIT, PERIODS_OFFERED

AskKind = Literal["number", "date", "who", "list", "yesno", "definition", "other"]

# A number is asked by an interrogative (多少, 几位, 占多大比例); a quantity noun alone (比例怎么定,
# 增长幅度有什么要求) asks how it is set, which a rule answers in words, unless the quantity is a figure
# by nature and is asked what it is (数量有什么要求, 怎样的量化目标, 年限有什么规定): a count, sum, limit or term.
_FIGURE_NOUN = (
    r"(?:数量|数额|金额|额度|规模|期限|年限|上限|下限|限额|倍数|量化(?:目标|指标)|数值|[人次件户]数|数目)"
)
_FIGURE_ASKED = (
    rf"|{_FIGURE_NOUN}(?:的?(?:具体)?(?:要求|规定|标准))?(?:分别)?(?:有|是|为)?(?:什么|怎样|哪些)"
    rf"|(?:什么|怎样|怎么样|哪些|何种)样?的?(?:具体)?(?:最低|最高)?{_FIGURE_NOUN}"
    # a value by name (目标值, 建议值, 具体数值, 实测值) is a figure whatever the question's form (有没有给出建议值)
    r"|(?:建议|目标|参考|具体|预期|量化|实测|测算|估算|实际|平均)数?值(?!得)"
    # 几 with a measure word ending the clause (对应几票？) counts, whatever the word
    r"|(?<![哪分])几[\u4e00-\u9fff](?=[？?，,。；;]|$)"
)
_QUANTITY = r"(?:比例|比重|规模|面积|金额|额度|数额|年龄|容量|功率|幅度|份额|倍数|范围)"
_NUMBER = re.compile(
    # 多大 asks a figure of a quantity (多大比例, 规模有多大？), not an extent (有多大自主权, 多大的支持)
    rf"多少|{_QUANTITY}[^，,。？?]{{0,3}}多大|多大(?=[？?，,。；;、]|$|的?{_QUANTITY})"
    r"|多高|多长|多久|几[个家项条年款亿万成倍次位名种类层大点级]|百分之几|(?:按|以)(?:什么|何种|怎样的?)(?:比例|比率|比重)"
    r"|排(?:名|在)?第几|第几名|排名(?:是)?多少|\bwhat (?:rank|place|position)\b|\branked\b"  # a rank
    r"|(?:编号|标准号|代号)[^，,。？?]{0,6}是(?:什么|多少|哪)"  # a code is written in digits and letters
    r"|\b(?:standard|serial|registration|filing|record) (?:numbers?|codes?)\b|\b(?-i:[A-Z]{2,5})[ -](?:numbers?|codes?)\b"
    # … and a target set in figures (the target a plan sets in figures), a numerical size
    r"|\bwhat (?:[\w-]+ ){0,2}targets? (?:does|do|did|is|are|was|were|has|have|for)\b|\bnumeric(?:al)?\b|\bin (?:trillion|billion|million) yuan\b"
    r"|\b(?:a|any) (?:numerical |quantitative )?target (?:share|rate|percentage|figure|number|value)\b"
    r"|how (?:many|much|long|large|high|often|frequently)|what (?:percentage|share|proportion|ratio|amount)|\bpercent"
    # … also asked of a figure already named (what is that ratio), or by its deadline
    r"|\bwhat (?:exactly )?(?:is|are|was|were) (?:the |that |this |its |their )?(?:exact )?"
    r"(?:percentage|share|proportion|ratio|amount|rate|threshold|quota|deadline|time limit)s?\b"
    r"|\b(?:by|within) what (?:deadline|period|time limit)\b|\bwhat (?:deadline|time limit)\b"
    r"|\bthe number of\b|\b(?:cap|limit|ceiling) on\b|\b(?:maximum|minimum) number\b"
    r"|\bwhat (?:is|was|are|were) (?:the|that|this|its|their|\w+['’]s) (?:[^\s?,.]+ ){0,3}(?:capacity|scale|size|rate|capital|value|cost|price|volume|area|number|code"
    r"|salar(?:y|ies)|wages?|income|median|average)\b"
    r"(?!\s+(?:supposed|meant|expected|going)\b)"  # what is that area supposed to become: a place
    r"|\bwhat (?:is|was|are|were) (?:the|its|their) (?:minimum|maximum|lowest|highest|upper limit|lower limit)\b"
    r"|\bin (?:square )?(?:kilomet(?:re|er)s|met(?:re|er)s|hectares|yuan|rmb)\b"  # a figure in a unit
    # … a figure named by what it measures, past a gloss in brackets (what PUE (…) ceiling, what weight)
    r"|\bwhat (?:[a-z'’-]+ |\([^)]{1,40}\) ){0,5}(?:rate|score|threshold|quota|ratio|share|percentage|proportion"
    r"|ceiling|cap|weight|weighting)s?\b"
    # … its duration, size or length (not what size of enterprise: a kind)
    r"|\bwhat (?:[a-z'’-]+ ){0,5}(?:duration|size|length)s?\b(?!\s+of\b)"
    r"|\bwhat (?:[a-z-]+ )?(?:value|figure|number)s? (?:does|do|did|is|are|was|were|has|have)\b"
    r"|(?:罚款?|收费|费用|补贴|奖励|资助|金额)多少"  # an amount of money
    r"|\bwhat (?:is |are )?(?:the )?(?:(?:maximum|minimum|highest|lowest|annual|total) )?(?:fines?|penalt(?:y|ies)|fees?|budget|subsid(?:y|ies)|amount)\b"
    + _FIGURE_ASKED,
    re.I,
)
_DATE = re.compile(
    # 时间 after 这/那/一段 or before 内/里 is a time already named (离岗这段时间), not one asked
    r"何时|什么时候|啥时候?|哪一?年|哪天|几月|日期|(?<![这那一段同])时间(?![内里])|起施行|施行日|(?<!怎么|如何|怎样)生效|发布于"
    r"|\bwhen\s+(?:do|does|did|is|are|was|were|will|would|has|have|had)\b|since when|by when|what (?:year|date)|which year",
    re.I,
)
_WHO = re.compile(
    r"谁|哪(?:几[个家]?|[个些家])?(?:部门|机构|单位|组织|机关)|作者|撰写|发布机构|印发|which (?:body|authority|agency|department)|\bauthor"
    # "who" that asks, not one that opens a relative clause (a civil servant who has worked …)
    r"|(?:^|[,;:.?!(]\s*|\b(?:and|or|but|so|then|me|us|know|asks?|says?|specif(?:y|ies)|states?|decides?"
    r"|determines?|is|are|was)\s+)who\b",
    re.I,
)
_LIST = re.compile(
    r"哪[几些]|分别|有哪|包括什么|包含什么|列举|(?<!第)几[个项大类种点条方面](?!月|工作日|小时|季度|百分点)|[二两三四五六七八九十]个?(?:方面|项|类|种|大|步|层|个|点|条)(?!月|工作日|小时|季度)"
    r"|什么情况下|什么情形|何种情形|哪种情形|under what (?:circumstances|conditions)|in what (?:cases|circumstances)"
    r"|\bwhen (?:may|can)\b"  # conditions: a text lists them ("有下列情形之一的除外：")
    r"|what are the|which (?:are|were)\b|^(?:please )?list\b|\blist (?:the|all)\b|name the"
    # "which application scenarios for …", "what rights do …": a plural noun that a clause goes on from
    r"|\b(?:which|what)\s+(?!(?:does|is|has|was)\b)(?:[a-z-]+\s+)?[a-z-]{2,}(?<![siu])s"
    r"(?=\s+(?:do|does|did|are|were|must|should|can|may|will|have|has|for|of|in|under|that)\b)"
    r"|(?<!those )(?<!these )\b(?:two|three|four|five|six|seven|eight) (?:\w+ )?(?:roles|steps|measures|types|kinds|layers|parts|areas|pillars)",
    re.I,
)
_YESNO = re.compile(
    r"是否|能否|可否|有没有|是不是|能不能|[吗嘛][？?]?$|^(?:is|are|does|do|can|may|must|should)\b", re.I
)
_DEFINITION = re.compile(
    r"是指|指的是|什么是|何谓|定义|界定|含义|涵义|释义|是什么意思|\bwhat is (?:a|an|the)?\b|\bdefin", re.I
)
# … not when the question only dates its context by it (施行以来, 发布以后) or names the next one (后来出台的…办法)
_ABOUT_DOCUMENT = re.compile(
    r"(?:这份|该|本|此)?(?:报告|文件|条例|办法|规定|意见|方案|规划|指南|通知|report|document|regulation|notice)"
    r"(?:(?:(?!要求|应当|必须|需要|责令|提到|提及|提出|讲到|说到|鼓励|支持).){0,16}(?:作者|执笔|主笔|撰稿|谁(?:写|撰写|发布|印发|制定)|出自|之手|署名|落款|通过(?=的|了|时|于|[？?，,。]|$)|(?<!定期)(?<!向社会)(?<!及时)(?<!适时)(?:发布|印发|公布|出台|施行|生效|修正|修订)(?!以来|之后|以后|后|前|之前|至今|时|那时|当时|的时候|的[^，,。？?；;]{0,16}?(?:报告|文件|条例|办法|规定|意见|方案|规划|指南|通知))|文号|发文|第几号|号令|令号|哪[个家]?(?:机构|部门|单位)(?=(?:联合)?(?:发布|印发|制定|出台|公布|颁布|发|出|的))|发给|下发|主送|\bauthor(?:s|ed)?\b|\bpublish|\bissued\b|\beffective\b|\bsent to\b|\baddressed to\b)"
    # (what a body publishes from time to time, 定期向社会公布什么, is no date of the text; nor is what
    # the text mentions or encourages publishing, 条例都提到发布应用场景清单)
    # … and a bare "when" in the same clause: 报告的划分，第四阶段从哪一年算起 dates the 第四阶段, not the report
    # (or in the clause right after the document: 这份报告，标题是什么、哪年几月出的)
    r"|[，,]?(?:(?!要求|应当|必须|需要|责令)[^，,；;—]){0,16}(?:什么时候|何时|日期|哪一?年|几月|哪天))"
    # … and the sitting of the congress that passed it (人大常委会哪一届…通过的; not an event's 第几届)
    r"|(?:哪一?届|第几届)[^？?。]{0,12}(?:会议|人大|人民代表大会|常委会|常务委员会|通过)"
    r"|(?:人大|人民代表大会|常委会|常务委员会)[^？?。]{0,6}(?:哪一?届|第几届)"
    r"|(?:哪一?次|第几次)(?:全体|常委会|常务委员会)?会议",
    re.I,
)
_CITED_PART = re.compile(
    r"第[一二三四五六七八九十百零〇\d]+[条款章节项部分](?:第[一二三四五六七八九十\d]+[款项])?"
)
_DOC_NUMBER = re.compile(r"〔\d{4}〕\d+号|\[\d{4}\]\d+号")
_DATE_TEXT = re.compile(r"\d{4}\s*[年.\-/]\s*\d{1,2}(?:\s*[月.\-/]\s*\d{1,2}\s*日?)?|\d{4}年")


# Words that ask (哪些方面, 怎么办, 多少): never the thing asked about.
INTERROGATIVE = re.compile(
    r"[哪怎谁几么吗啥]|多少|多大|多久|多长|是否|能否|可否|为何|何时|^[一二三四五六七八九十两]+[个项大层类种条点步方面件]+事?$"
)


# … and a measure of time, money or size after 几个/多少 asks a number, never a list (几个工作日, 多少万元)
_MEASURE = re.compile(
    r"(?:多少|(?<![多好])几)个?(?:工作日|万亿元|亿元|万元|千元|元|平方公里|平方米|公里|千米|亩|吨|千瓦时|千瓦|兆瓦|小时|分钟|月|周|天|日|年"
    r"|票|学分|学时|课时)|(?:多少|(?<![多好哪])几)(?:个人|名|人)(?![才工民])"  # … votes, credits, people
)


def asks_who(question: str) -> bool:
    """Whether the question asks who (a person, body or department), whatever else it asks."""
    return bool(_WHO.search(question))


# a count after 这/那 points back at things named (营销和风控这两个环节): it asks for no list of them
_POINTED = re.compile(r"[这那][几二两三四五六七八九十]个?")  # 这三个, 这几个: what was named before
# … with any verb of up to three characters between (分别罚多少, 分别补贴多少; not 分别是哪几个, a list)
_EACH_FIGURE = re.compile(r"分别[^哪，,？?]{0,3}?(?=多少|多大|多高|多长|多久|几|百分之几)")


def from_first_ask(question: str) -> str:
    """``question`` from its first clause that asks (or ends in ？): the clauses before it tell the
    asker's situation (很多企业已经做了一轮信息化，…往哪个方向升级？ asks no state of things)."""

    def asks(clause: str) -> bool:
        return bool(INTERROGATIVE.search(clause) or _ASKS_EN.match(clause.strip()))

    at = 0
    for m in _CLAUSE_BREAK.finditer(question):
        if asks(question[at : m.start()]) or m.group().strip() in "？?":
            return question[at:]
        at = m.end()
    return question[at:] if asks(question[at:]) else question


# a sentence the asker ends with 。 or ！ before their question mark states: 几家 in 有人觉得招几家就够了。… is "a few"
_STATEMENT = re.compile(r"^[^？?]*?[。！!]\s*(?=.*[？?])")


def asked(question: str) -> str:
    """``question`` without the statements that open it (the asker's background), when what is left
    still asks (深圳呢？ after 上海补贴是多少。 asks the same as the whole)."""
    rest = _STATEMENT.sub("", question.strip())
    return rest if rest and (INTERROGATIVE.search(rest) or _ASKS_EN.search(rest)) else question.strip()


def _a_few(question: str) -> bool:
    """几 in the asker's story means "a few" and asks no number: a clause where the asker speaks of their
    own place (我们, 本地), that goes on after it (几家企业想…) and ends in a comma, before a clause that
    asks something else (我们区有几家企业想…，方案里支持哪种模式？ / …有没有…的说法？). 几 in a clause
    that ends in a question mark asks (几年？期满怎么续？)."""
    counts = [m for pattern in (_NUMBER, _MEASURE, ASKED_UNIT) for m in pattern.finditer(question)]
    if not counts or not all(m.group(0).startswith("几") for m in counts):
        return False
    told = []
    for m in counts:
        end = _CLAUSE_BREAK.search(question, m.end())
        begin = max((b.end() for b in _CLAUSE_BREAK.finditer(question, 0, m.start())), default=0)
        if _supposed(question, m.start(), m.end()):
            continue
        told.append(m)
        if (
            end is None
            or end.group(0).strip() not in "，,"
            or end.start() - m.end() < STORY_AFTER
            or not ASKERS_OWN.search(question[begin : m.start()])
        ):
            return False
    if not told:
        return True
    later = _CLAUSE_BREAK.split(question[max(m.end() for m in told) :])[1:]
    return any(INTERROGATIVE.search(c) or _A_NOT_A.search(c) for c in later)


_SUPPOSING = re.compile(r"如果|假如|假设|假若|要是|万一|倘若|打算|想(?!知道|了解|问|请教|弄清|搞清|确认|查)")


def _supposed(question: str, start: int, end: int) -> bool:
    """Whether 几 at ``start`` is "a few" in a supposition whose sentence goes on to ask (如果几家公司同时处理
    同一批数据，又怎么算): what is asked is what follows, not how many."""
    stop = _SENTENCE_END.search(question, end)
    begin = max((b.end() for b in _CLAUSE_BREAK.finditer(question, 0, start)), default=0)
    rest = question[end : stop.start() if stop else len(question)]  # (…，能不能都先立项: asks too)
    return bool(_SUPPOSING.search(question[begin:start])) and bool(
        INTERROGATIVE.search(rest) or _YESNO.search(rest)
    )


_SENTENCE_END = re.compile(r"[？?。！!]")


# the asker speaking of their own place or body (我们, 本地, 我区): the clause tells their story
ASKERS_OWN = re.compile(r"我们|我市|本市|本地|我区|本区|我县|本县|[区市县省]里")
STORY_AFTER = 4  # characters a clause goes on after 几 and its measure word when 几 tells a story (…企业想…)
_A_NOT_A = re.compile(r"(.)[不没]\1")  # 有没有, 是不是, 能不能: asks whether


_BOUND = re.compile(
    r"(?:至少|最少|最多|至多|不少于|不超过|不低于|不高于)(?:要|需要|得|能|可以|可)?(?:有)?(?:几|多少)"
)


def _figure_on_its_own(q: str) -> bool:
    """A question in several sentences, one of which asks only a figure (分成几个阶段？每个阶段多长时间？):
    the figure must be there too."""
    if _BOUND.search(q):  # 至少要几个人, 最多几家: a bound is a figure, not a list
        return True
    # (an English question's clauses part at ", and" before what it asks next: how many …, and in which …)
    parts = [
        p
        for p in re.split(
            r"[？?。；;]|,\s*and\s+(?=(?:in |under |for |from )?(?:what|which|where|who|how)\b)", q
        )
        if p.strip()
    ]
    if len(parts) > 1 and any(_NUMBER.search(p) and not _LIST.search(p) for p in parts):
        return True
    # … or whose only clause that asks does (五类角色里，投资方投向基础模型层的比例是多少: the count is background)
    last = asking_part(q)
    before = q[: len(q) - len(last)]
    return (
        bool(before and _NUMBER.search(last)) and not _LIST.search(last) and not INTERROGATIVE.search(before)
    )


_DISPOSED = re.compile(r"把[^，,。？?；;]{1,24}?(?=设[成为置]|作为|当作|当成|列为|列入|定为|纳入|算作)")
# … as is a count whose setter is asked (出多少钱的比例由谁来定: who sets it)
_SET_BY = re.compile(r"(?:多少|几)[^，,。？?；;]{0,12}?(?=由谁|谁来定|谁定|谁决定|谁确定)")


# whether there is a specific standard, amount or rate asks for it: only a figure answers
_SPECIFIC_AMOUNT = re.compile(
    r"(?:有没有|是否有|有无)(?:具体|明确)的?[^？?。，,]{0,20}?(?:标准|金额|比例|额度|数额|幅度)"
    r"|(?:有没有|是否有|有无|给出了?|提出了?|设定了?|定了?)[^？?。，,哪]{0,6}?(?:量化|定量|数量)(?:目标|指标)"  # 有没有量化目标
    # … a measurable thing's standard (时长有没有标准, 网速有没有最低要求, 时长有什么标准): a figure
    r"|(?:时长|期限|带宽|速率|网速|金额|比例|额度|上限|下限|数额|费用|价格|次数|频次|规模|营收)[^？?。，,]{0,6}?"
    r"(?:有没有|是否有|有无|有什么|有哪些|达到什么|达到哪些)[^？?。，,]{0,4}?(?:标准|要求)"  # (规模达到什么标准)
    r"|\b(?:is there|are there|does it (?:set|give|specify)) (?:a |any )?(?:specific|concrete|fixed) (?:\w+ )?"
    r"(?:amount|rate|standard|figure|percentage|sum|threshold)s?\b",
    re.I,
)


def ask_kind(question: str) -> AskKind:
    """The kind of answer ``question`` asks for (the first that applies, most specific first)."""
    q = _CITED_PART.sub("", asked(question))  # 第三十五条 names an article; it asks for no list of five
    if _DATE.search(q) and not _NUMBER.search(q.replace("时间", "")):
        return "date"
    if _EACH_FIGURE.search(q) or _SPECIFIC_AMOUNT.search(q) or PERIODS_OFFERED.search(q):  # 分别是多少
        return "number"
    # a count inside what 把 disposes of (能不能把发了多少篇论文设成门槛) is part of the thing asked about
    unpointed = _POINTED.sub("", q)
    counted_q = _SET_BY.sub("", _DISPOSED.sub("把", unpointed))
    counts = _NUMBER.search(counted_q) or _MEASURE.search(counted_q) or ASKED_UNIT.search(counted_q)  # 几届
    counted = counts is not None and not _a_few(q)
    listing = _LIST.search(unpointed)
    if counted and (not listing or _MEASURE.search(q) or _figure_on_its_own(q)):
        return "number"
    if listing:
        return "list"
    if _WHO.search(q):
        return "who"
    if _DEFINITION.search(q):
        return "definition"
    if _YESNO.search(q):
        return "yesno"
    return "other"


# which bodies issued a text, with a count or a qualifier before the noun (which four government bodies
# jointly issued): a question about the document, and one of who issued it, whatever else it asks
ISSUERS_ASKED_EN = re.compile(
    r"\b(?:which|what) (?:\w+ ){0,2}(?:departments?|bod(?:y|ies)|agenc(?:y|ies)|authorit(?:y|ies)|ministr(?:y|ies)"
    r"|organi[sz]ations?|institutions?) (?:\w+ )?(?:issued|published|released|promulgated)\b",
    re.I,
)
_ABOUT_DOCUMENT_EN = re.compile(  # an English title runs long (the Beijing International … Regulations)
    r"\bwho (?:wrote|authored|issued|published|released)\b|\bwhen (?:was|were|did) .{0,100}\b(?:published|issued|released|adopted|take effect|come into force)"
    r"|\b(?:effective date|document number|date of (?:issue|publication))\b"
    # … which bodies issued it, and from what date it applies (when do the rules take effect)
    rf"|{ISSUERS_ASKED_EN.pattern}"
    r"|\b(?:when|(?:from|since|as of|on) (?:what|which) (?:date|day)) (?:do|does|did|will) .{0,100}\b"
    r"(?:apply|take effect|come into (?:force|effect)|enter into force)\b"
    r"|\b(?:from|since|as of|on) (?:what|which) (?:date|day) (?:is|are|has|have) .{0,100}\b(?:in force|in effect|effective)\b",
    re.I,
)


def about_document(question: str) -> bool:
    """True when the question asks about a document itself (author, issuer, date, 文号, 施行日期)."""
    return bool(_ABOUT_DOCUMENT.search(question) or _ABOUT_DOCUMENT_EN.search(question))


def dates_in(text: str) -> list[str]:
    return [m.group(0) for m in _DATE_TEXT.finditer(text)]


def doc_numbers_in(text: str) -> list[str]:
    return _DOC_NUMBER.findall(text)


# where a question's clauses part: what comes before the clause that asks is the asker's background
_CLAUSE_BREAK = re.compile(r"[。！？?!；;，,]\s*|\.\s+")
_ASKS_EN = re.compile(
    r"\b(?:what|which|who|whom|when|where|why|how|is|are|does|do|did|can|could|should)\b", re.I
)


_ASKS_EN_LATE = re.compile(
    r"^(?:\w+\s+){1,2}(?:what|which|who|whom|when|where|why|how)\b", re.I
)  # in what ways


def asking_part(question: str) -> str:
    """The last clause that asks (a question word, or a question mark after it), with what follows:
    "国家规划定的是10%，那北京条例的目标是多少" asks about 北京条例; 国家规划 is background."""
    spans = [m.end() for m in _CLAUSE_BREAK.finditer(question.rstrip("？?。 "))]
    starts = [0, *spans]
    for at in reversed(starts):
        clause = question[at:]
        first = _CLAUSE_BREAK.split(clause, maxsplit=1)[0]
        if INTERROGATIVE.search(first) or _ASKS_EN.match(first.strip()) or _ASKS_EN_LATE.match(first.strip()):
            return clause
    return question


# The noun a question asks for: after 哪 and a measure word (哪家公司, 哪些城市), or before the words that
# ask what it is (组长由谁担任, 全称是什么). Light nouns (问题, 内容, 要求) ask for whatever the text says;
# bodies (部门, 机构) are checked as bodies (``BODY``).
_COUNTED = re.compile(r"^[一二三四五六七八九十两几\d]+[件个项条类种点大家位所批次]")
_WHICH = re.compile(  # … or how many of it (划成几个级别: the levels)
    r"哪(?:一|几)?(?:家|个|些|位|所|类|种|项|条|部|级|份|本|批|次|款|名)?|(?<!哪)几(?:家|个|位|所|类|种|项|级|批|名)"
)
_WHAT_IS = re.compile(r"由谁|是谁|叫什么|是什么|有哪些")
_LIGHT_NOUN_WORDS = (  # … and a definition (定义, 含义, 概念, 内涵) is stated by …是指, never named
    "问题 内容 情况 状况 情形 方面 特征 特点 特性 属性 要求 措施 作用 领域 东西 事项 事情 环节 类型 方式 做法 意义 "
    "原因 目的 目标 任务 规定 条件 程序 责任 部门 机构 单位 机关 主体 组织 信息 材料 手续 形态 形式 方向 "
    "要点 重点 举措 路径 途径 思路 种类 类别 门类 定义 含义 概念 内涵 维度 角度 "
    "侧重点 侧重 区别 差别 差异 异同 亮点 特色 "  # what a comparison brings out: whatever each text says
    "办法 方法 手段 工具 主意 模式 "  # … and the means used (用了哪些办法, 建设模式): whatever the texts do
    "事儿 事 定位 角色 地位 职能 职责 功能 对象 "  # 这事儿由谁管: the matter; a body's part; whom it is for
    "态度 立场 看法 观点 要素 因素 前提 力量 "  # its stance, the elements it lists, what a thing depends on
    "板块 版块 模块 "  # a part of a framework (放在哪个板块): whatever part the text names
    "应该 应当 必须 需要"  # … and a modal before 由谁 (应该由谁收集): who acts, no thing named
)
_LIGHT_NOUNS = frozenset(_LIGHT_NOUN_WORDS.split())
_SORTS = frozenset(["类别", "类型", "种类", "门类", "形式"])  # a sort of thing, whatever the text calls it
_PLACES = frozenset(PLACE_UNITS.values())  # 城市, 省份, 县区: named by a place's name
# nouns jieba's dictionary tags n that a question puts before the noun it asks about (基本原则, 核心技术)
_MODIFIER_NOUNS = frozenset(["基本", "核心", "关键", "总体", "基础", "同类", "上位"])
# words that qualify any noun without naming a thing of their own (具体安排, 特殊政策: an 安排, a 政策)
QUALIFIERS = ("具体", "相关", "有关", "主要", "特殊", "特别", "专门", "详细", "一般", "其他", "其它")


def _modifies(word: str) -> bool:  # a noun grading the one after it: 基本, 核心 …, or a level (市级, 省级)
    return word in _MODIFIER_NOUNS or (len(word) >= 2 and word.endswith("级"))


# one company by name, or those a text lists by name (not "which firms qualify": a kind)
_WHICH_COMPANY_EN = re.compile(r"\b(?:which|what) (?:company|firm|companies are (?:listed|named))\b", re.I)


def asked_noun(question: str) -> str:
    """The thing a question asks to be named (公司 in 由哪家公司运营, 组长 in 组长由谁担任), or "" when it
    asks for a number, a date, facts about a document, or names nothing specific."""
    import jieba.posseg as pseg

    if ask_kind(question) in ("number", "date") or about_document(question):
        return ""
    if _WHICH_COMPANY_EN.search(question):  # which company runs it: a company's name, in any text's words
        return "公司"
    words: list[tuple[int, int, str, str]] = []
    at = 0
    for w, tag in pseg.cut(question):
        words.append((at, at + len(w), w, pseg.dt.word_tag_tab.get(w, tag)))
        at += len(w)
    story = len(question) - len(asked(question))  # 几家 in a statement before the question tells, not asks
    for m in _WHICH.finditer(question):
        if m.group().startswith("几") and (m.start() < story or _supposed(question, m.start(), m.end())):
            continue
        # the word after it; jieba may join the measure word to it (哪份文件 → 份文件): cut there
        # … after a count (哪两件事 counts 事, 哪两家公司 公司)
        after = [(_COUNTED.sub("", w[max(0, m.end() - s) :]), tag) for s, e, w, tag in words if e > m.end()]
        after = [a for a in after if a[0]]
        if len(after) >= 3 and after[1][0] == "的" and after[0][1][:1] == "n" and after[0][0] not in _PLACES:
            after = after[2:]  # 哪些全市性的基础数据库; not 哪些城市的…结果: the cities
        if len(after) >= 3 and after[1][1] in ("n", "vn") and after[2][0] in _LIGHT_NOUNS:
            continue  # 哪些薪酬分配形式: the 形式 of an activity on a thing, whatever the text names
        after = after[:2]
        if len(after) == 2 and _modifies(after[0][0]) and after[1][1][:1] in ("n", "v"):
            after = after[1:]  # 哪几条基本原则 / 基本要求, 哪几个市级部门: the 原则, whatever modifies them
        if len(after) == 2 and after[0][1][:1] == "n" and after[1][0] in _LIGHT_NOUNS:
            continue  # 哪些新兴产业领域, 哪几条工作要点: the 领域, 要点, whatever the text names
        unit = after[0][0] if after else ""
        if unit and set(unit) <= set(PLACE_UNITS) and len(unit) <= 2 and m.group().startswith("哪"):
            return PLACE_UNITS[unit[0]]  # 哪个市, 哪个市县: a place, by name
        if after and _names_a_thing(*after[0], nouns_only=True):
            # … unless a light noun is offered beside it (哪几个层级或类别: whatever kinds the text gives)
            offered = re.search(rf"{re.escape(after[0][0])}(?:或者|或是|或|还是|和|及|与|、)(\w\w)", question)
            return "" if offered and offered.group(1) in _SORTS else after[0][0]
        # … or the noun an activity qualifies (哪些评估指标: 指标)
        if len(after) == 2 and after[0][1] == "vn" and _names_a_thing(*after[1], nouns_only=True):
            return after[1][0]
    for m in _WHAT_IS.finditer(question):
        # 是什么态度, 是什么意思: an aspect of the thing before, which a text gives in its own words; 叫什么
        # 专项行动: the kind of name asked, which the thing before may not repeat
        after = [(w, tag) for s, _, w, tag in words if s >= m.end()][:1]
        if m.group() in ("是什么", "叫什么") and after and after[0][1][:1] == "n" and len(after[0][0]) >= 2:
            continue
        before = [(w, tag) for _, e, w, tag in words if e <= m.start()][-1:]
        if before and _names_a_thing(*before[0], nouns_only=False):
            return before[0][0]
    return ""


def _names_a_thing(word: str, tag: str, nouns_only: bool) -> bool:
    # jieba tags some nouns of office as verbs (组长 v): before 由谁 a verb names one too; a place is where
    kinds = "n" if nouns_only else "nv"
    return (
        len(word) >= 2
        and tag[:1] in kinds
        and not (tag == "ns" and places_in(word))
        and word not in _LIGHT_NOUNS
        and not (len(word) == 4 and {word[:2], word[2:]} <= _LIGHT_NOUNS)  # 功能定位, 职能职责: light too
        and not word.endswith(("部门", "机关"))  # (政府部门: who acts, which the body rule checks)
        and bool(_HAN.fullmatch(word))
    )


_HAN = re.compile(r"[\u4e00-\u9fff]+")
