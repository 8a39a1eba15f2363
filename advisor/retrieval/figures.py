"""The figures and dates a question asks for, and whether a passage states them: numbers in digits or
words (十四周岁, 三十个工作日), a period for 多久, a figure for the year asked, never one the question
gives itself, and the sentence that answers (through a semicolon to its figure) or defers (另行制定)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from advisor.index.keyword import tokenize
from advisor.retrieval.asks import INTERROGATIVE, dates_in
from advisor.retrieval.glossary import mostly_english
from advisor.retrieval.units import FIGURE, PERIODS_OFFERED, has_number_in
from advisor.text import ARTICLE_NUMBER, chinese_numeral, sentences
from advisor.types import Hit
from advisor.verify.citations import best_sentence, numbers_in

_ARTICLE_START = re.compile(r"^第[一二三四五六七八九十百零]+条")
_DEFERS = re.compile(r"另行(?:制定|规定|公布|确定)|具体(?:办法|标准|目录|清单|名单)由")
# … and a list or catalogue a body is to draw up (具体事项清单由省人民政府确定并公布, 具体事项范围由…;
# 制定并适时调整急需紧缺创新人才目录): it defers only what it names, so the question must name it
_DEFERS_LIST = re.compile(r"具体([\u4e00-\u9fff]{0,4}(?:办法|标准|目录|清单|名单|细则|事项|范围))由")
# … and conditions a text only calls 规定条件 (符合规定条件的，可以予以免除): they defer a question on 条件
_VAGUE_CONDITIONS = re.compile(r"(?:符合|具备|达到)[^，。；]{0,8}?规定的?条件")
_DEFERS_CATALOGUE = re.compile(
    r"(?:制定|确定|编制)并(?:公布|发布|适时调整|定期更新)([^，。；：\s]{2,20})"
    r"|(?:探索|研究)(?:制定|编制)([^，。；：\s]{2,20}?(?:目录|清单|名单|名录))"  # 探索制定…数据目录: yet to be drawn up
    # … or to be published from time to time (定期公布…重点领域指南): its editions are not in the text
    r"|(?:定期|适时|及时)(?:公布|发布)([^，。；：\s]{2,24}?(?:指南|目录|清单|名单|名录))"
    # … or a scope a body is to draw up and publish (前款规定的区域、道路范围，由…拟订，报…批准后向社会公布)
    r"|([^，。；：\s]{2,20})[，,]由[^。；]{2,120}?(?:拟订|拟定|制定|确定)[^。；]{0,30}?(?:公布|发布)"
    # … or a list to be upgraded, or that a body shall draw up (升级…认可目录, 应当制定…负面清单)
    r"|(?:升级|更新|修订|应当制定|应当编制|制定和完善|制定完善)([^，。；：\s]{2,60}?(?:目录|清单|名单|名录))"
)

# A number in words with its measure (十四周岁, 三十个工作日); a period (每年召开一次) answers 多久 only
CN_NUMBER = re.compile(
    r"[零一二三四五六七八九十百千万两半]+(?:个|周)?(?:元|日|天|年|月|季度|周岁|岁|家|项|倍|%|次|人|名|位|小时|工作日|届)"
    r"|百分之"
)
_PERIOD = re.compile(
    r"每(?:年|季度|半年|月|周|日|天)|年度(?=[\u4e00-\u9fff]{2})"
)  # 年度发展评价: once a year
HOW_OFTEN = re.compile(r"多久|多长时间|频次|频率|how (?:often|frequently)", re.I)

YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")


def has_number(text: str) -> bool:
    return bool(numbers_in(_NAMED.sub(" ", text)) or CN_NUMBER.search(_NOT_COUNTS.sub(" ", text)))


# A calendar date (2022年7月1日, 2024-2026年) or a document's number (〔2024〕37号) is no amount: it
# answers 多少 only when the question asks about time (期限, 多久, 哪年)
_CALENDAR = re.compile(
    r"(?:19|20)\d{2}\s*(?:[-—~至到]\s*(?:19|20)\d{2}\s*)?年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?"
    r"|\d{1,2}\s*月\s*\d{1,2}\s*日|[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d*\s*号?"
)
_ASKS_TIME = re.compile(
    r"期限|年限|期间|时间|多久|几年|多少年|哪[一]?年|何时|什么时候|日期|\b(?:when|how long)\b", re.I
)


# a question about money: a fine, a fee, a grant, an investment, a sum or the size of an industry
_ASKS_SUM = re.compile(
    r"罚|钱|元|金额|费|资金|资助|补贴|补助|奖励|奖金|贷款|投资|融资|额度|价|薪|工资|收入|收益|规模|产值|增加值|营收"
    r"|总额|总量|投入|支出|成本|经费|预算|资本|税"
    r"|\b(?:fines?d?|penalt(?:y|ies)|amount|sum|money|fees?|costs?|budget|revenue|worth|value|subsid\w*|fund\w*"
    r"|invest\w*|prices?|yuan|rmb|scale|size|output|capital|tax\w*|grants?|loans?|salary|pay)\b",
    re.I,
)
_MONEY = re.compile(rf"{FIGURE}(?:万|亿)?元")  # (separators only between numerals: …技术，元宇宙 is none)


def has_amount(question: str, text: str) -> bool:
    """Whether ``text`` states a figure that may answer ``question``'s 多少: no date or document number
    unless the question asks about time, no sum of money unless it asks about money (配几名审核人员: a
    fine of 一万元 counts no one)."""
    text = text if _ASKS_TIME.search(question) else _CALENDAR.sub(" ", text)
    return has_number(text if _ASKS_SUM.search(question) else _MONEY.sub(" ", text))


# digits joined to Latin letters name a thing (5G, 3D打印, B2B, 4K): no figure of anything
_NAMED = re.compile(r"\d+[A-Za-z]+|[A-Za-z]+\d+")
# … and so do words that only look like a count: 二次进化 (a second evolution: times are counted 两次),
# 一次性奖励 (a one-off award)
_NOT_COUNTS = re.compile(r"二次(?=[\u4e00-\u9fff])|一次性")


_EN_LIST_KINDS = (
    (re.compile(r"\bguide(?:s|lines?)?\b", re.I), "指南"),
    (re.compile(r"\bcatalog(?:ue)?s?\b", re.I), "目录"),
    (re.compile(r"\bdirector(?:y|ies)\b", re.I), "名录"),
    (re.compile(r"\bconditions\b", re.I), "条件"),
)


def defers_after(question: str, text: str) -> bool:
    """Whether the sentence of ``text`` that best matches the question, or the next two of its article,
    leaves what the question asks about to another text ("具体办法，由省人民政府另行制定")."""
    # (an English question names a guide or a catalogue by its Chinese word, and has no sentence of its
    # words to find: the passage is read whole)
    kinds = [zh for en, zh in _EN_LIST_KINDS if en.search(question)] if mostly_english(question) else []
    best = best_with_next(question, text)
    if _DEFERS.search(best) or any(len(n) >= 6 and n in question for n in _yet_to_be_made(text)):
        return True
    passage = best or (text if kinds else "")  # (… for a guide or catalogue yet to be published only)
    question = " ".join([question, *kinds])
    words = [w for w in tokenize(question) if len(w) >= 2 and not INTERROGATIVE.search(w)] + kinds
    named = [m.group(1) for m in _DEFERS_LIST.finditer(passage)]
    named += ["条件" for _ in _VAGUE_CONDITIONS.finditer(passage)]
    named += [
        m.group(1) or m.group(4) for m in _DEFERS_CATALOGUE.finditer(passage) if m.group(1) or m.group(4)
    ]
    # a list yet to be drawn up defers only a question that names that kind of list (目录里有哪些)
    named += [
        m.group(k)
        for m in _DEFERS_CATALOGUE.finditer(passage)
        for k in (2, 3, 5)
        if m.group(k)
        and m.group(k)[-2:] in question
        # … and one to be drawn up or upgraded only a question on what it holds (清单里, 目录收录), not which
        and (
            k != 5
            or re.search(
                f'{m.group(k)[-2:]}[”」"]?(?:里|中|内|上|收录|包括|包含|列[了出入]|载明|把|将)', question
            )
        )
    ]
    # 具体权责清单 is not what 由哪几个高新区组成 asks about; 急需紧缺创新人才目录 is what 目录包含哪些 does
    return any(w in thing for thing in named for w in words if w not in ("具体", "制定", "公布"))


# a text the passage says is yet to be made (…监管办法由市人民政府另行制定): a question naming it asks what no
# text in the corpus says, wherever in its article the passage says so
_YET_TO_BE_MADE = re.compile(
    r"([\u4e00-\u9fff]{4,30}?(?:办法|细则|规定|规则|标准|目录|清单|指南|方案|规范))[，,]?由[^。；]{1,40}?另行(?:制定|规定)"
)


def _yet_to_be_made(text: str) -> list[str]:
    return [m.group(1).rsplit("的", 1)[-1] for m in _YET_TO_BE_MADE.finditer(text)]


def leaves_to_another(text: str) -> bool:
    """Whether ``text`` leaves something to a text yet to be made (…办法由市人民政府另行制定)."""
    return _DEFERS.search(text) is not None


def _matched(question: str, text: str) -> tuple[str, int]:
    """The sentence of ``text`` that best matches the question and where it starts (-1: none matches)."""
    sentence, score = best_sentence(question, text)
    return sentence, text.find(sentence) if score > 0.2 and sentence else -1


def best_with_next(question: str, text: str, after: int = 2) -> str:
    """The sentence of ``text`` that best matches the question and up to ``after`` more of its article
    ("……责令改正；拒不改正的，处一万元以上三万元以下罚款"); empty when nothing matches."""
    _, at = _matched(question, text)
    if at < 0:
        return ""
    following = sentences(text[at:])[: after + 1]
    same_article = [following[0], *itertools.takewhile(lambda x: not _ARTICLE_START.match(x), following[1:])]
    return " ".join(same_article)


def sentence_before(question: str, text: str) -> str:
    """The sentence of ``text`` before the one that best matches the question, in the same article (a
    body asked about may act in it: 可以向市经济和信息化部门申请安全评估。通过安全评估的，…)."""
    sentence, at = _matched(question, text)
    before = sentences(text[:at]) if at > 0 else []
    return before[-1] if before and not _ARTICLE_START.match(sentence) else ""


def best_through(question: str, text: str) -> str:
    """The best-matching sentence of ``text`` and, while it goes on after a semicolon, the rest of its
    sentence ("责令改正；拒不改正的，处一万元以上三万元以下罚款。")."""
    _, at = _matched(question, text)
    if at < 0:
        return ""
    parts = []
    for part in sentences(text[at:])[:3]:
        parts.append(part)
        if not part.rstrip().endswith(("；", ";")):
            break
    return " ".join(parts)


def given_figures(question: str) -> list[str]:
    """The figures a question states itself (70%, 15%, 三十日 — not a year it names), in digits and in
    the words a text writes them in (百分之七十)."""
    out: list[str] = [m.group(0) for m in CN_NUMBER.finditer(question)]  # 三十年, 六个月
    for n in numbers_in(question):
        if YEAR.fullmatch(n):
            continue
        out.append(n)
        whole = n.rstrip("%")
        if whole.isdigit() and 0 < int(whole) < 1000:
            words = chinese_numeral(int(whole))
            out.append(f"百分之{words}" if n.endswith("%") else words)
    return sorted(out, key=len, reverse=True)


# a heading's number (2.4 紧贴五大…, Part 04) is no figure stated, nor an item's (1.推动…普惠共享)
_NUMBERING = re.compile(
    r"(?m)^\s*(?:Part\s*\d+|\d+(?:\.\d+)+)\s+(?=\S)|(?:^|(?<=[\s。；;：:]))\d{1,2}[.．、](?=[\u4e00-\u9fff])"
)


def unnumbered(text: str) -> str:
    return _NUMBERING.sub(" ", text)


def without(text: str, figures: list[str]) -> str:
    for f in figures:
        text = text.replace(f, " ")
    return text


# a year that dates a text the question names (那部2011年条例, 2024版指南) is not the year of the figure asked
_DATES_TEXT = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年|年版|版)?的?\s*(?:版本|版)?(?:条例|办法|规定|意见|方案|规划|指南|通知|计划|纲要|报告|文件)"
    r"|(?<!\d)((?:19|20)\d{2})\s+(?:edition\s+|version\s+)?(?:regulations?|measures|rules|provisions|opinions?|plan|guidelines?|guide|notice|report)\b"
    r"|(?<!\d)((?:19|20)\d{2})\s*年?版",  # an edition (2024版…指南) dates its text, whatever the name after
    re.I,
)


def years_of_figures(question: str) -> list[str]:
    """The years a question asks a figure for: those it names, less those that date a text it names."""
    dating = {m.start(g) for m in _DATES_TEXT.finditer(question) for g in (1, 2, 3) if m.group(g)}
    return [m.group(0) for m in YEAR.finditer(question) if m.start() not in dating]


def figure_in_year(year: str, top: list[Hit], about: list[str] | None = None) -> bool:
    """Whether a sentence of the passages that names ``year`` states a figure besides it: a target for
    2035 is not the one the texts set for 2030 (展望2035年… states none); with ``about``, the sentence
    also names one of those words (a 2025 target for IPv6 users, not the year's other targets)."""
    return any(
        year in s and has_number(s.replace(year, "")) and (not about or any(w in s.lower() for w in about))
        for h in top
        for s in sentences(h.text)
        if year in h.text
    )


def answers_how_often(question: str, text: str) -> bool:
    """Whether ``text`` states a period (每年, 定期) and the question asks how often or how long."""
    return bool(asks_period(question) and _PERIOD.search(text))


# how much something is to grow (该涨多少, 每年增长多少) is answered by a standard for its growth that
# names no figure: 增长幅度高于财政经常性收入的增长幅度
GROWTH = re.compile(r"(?:涨|增长|增加|提高|增幅|增速)[^，。？?,]{0,6}(?:多少|几)")
_RELATIVE_RATE = re.compile(r"(?:增长|增加|提高)(?:的)?(?:幅度|速度|比例)?(?:应当)?(?:高于|不低于|快于)")


# what a fee or charge comes to (收多少钱, 收费标准是多少) is answered by a rule that nothing is charged
_ASKS_CHARGE = re.compile(
    r"收(?:取)?(?:多少|几)|(?:费用?|收费)[^，。？?,]{0,6}(?:多少|几)|how much[^?]{0,30}\b(?:fee|charge)", re.I
)
_FREE_OF_CHARGE = re.compile(r"不得收取[^，。；]{0,6}费用|免费|无偿|不收取[^，。；]{0,6}费用")


def answered_in_words(question: str, text: str) -> bool:
    """Whether ``text`` answers a number question in words: a period for how often (每年召开一次),
    a standard for how much to grow (增长幅度高于…), no charge for what a fee comes to."""
    return (
        answers_how_often(question, text)
        or bool(GROWTH.search(question) and _RELATIVE_RATE.search(text))
        or bool(_ASKS_CHARGE.search(question) and _FREE_OF_CHARGE.search(text))
    )


# a term a passage defines (信能比，反映单位能源所能驾驭的信息量): a figure next to it is a figure of what
# the definition describes, when the question describes it too (单位能源能驾驭多少信息的那个指标)
_DEFINES = re.compile(
    r"(?:^|[\n。；])[-*\s]*([\u4e00-\u9fffA-Za-z]{2,8})[，,：:]\s*(?:反映|是指|指的是|即|用于衡量|衡量)([^。\n]*)"
)
DESCRIBED = 2  # word pairs of the definition the question (or its renderings) must share


def states_answer(question: str, kind: str, unit: str) -> Callable[[str], bool]:
    """Whether a text states what a number or date question asks: a figure in the unit asked, an amount
    (no date, unless time is asked), a date; in words, a period for 多久开一次会 (每年召开一次) or a standard
    for 每年涨多少 (增长幅度高于…)."""
    if kind == "date":  # … or, asked when (not which year), a time after an event (紧急情况消除后及时告知)
        if _ASKS_WHEN.search(question) and not _ASKS_CALENDAR.search(question):
            return lambda t: has_date(t) or _AFTER_EVENT.search(t) is not None
        if _ASKS_DAY.search(question):  # which day: a year alone (…〔2024〕, 2024-2026年) does not say
            return lambda t: has_date(t) and _MONTH_TEXT.search(t) is not None
        return has_date
    if unit:
        return lambda t: has_number_in(t, unit) or answered_in_words(question, t)
    if _ASKS_CODE.search(question):  # a code (编号是什么) is letters or digits in a code's form, not a date
        return lambda t: any(c.group(0) != "AI" for c in _CODE.finditer(t))
    if asks_period(question):  # 每隔多久, how often: a period or a length of time, not a fine …
        # … or a time stated without one: at once (立即采取补救措施), at no fixed interval (不定期检查)
        return lambda t: has_period(t) or bool(_TIMED_IN_WORDS.search(t)) or answered_in_words(question, t)
    return lambda t: has_amount(question, t) or answered_in_words(question, t)


_ASKS_CODE = re.compile(
    r"(?:编号|标准号|代号|代码)[^，,。？?]{0,6}是(?:什么|多少|哪)|\b(?:standard|serial) numbers?\b", re.I
)
_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{1,4}(?:/T)?\s?\d[\d.\-—]*|(?<![A-Za-z])[A-Z]{2,4}(?![A-Za-z])")
_ASKS_WHEN = re.compile(r"什么时候|何时|(?:什么|哪个)时间?点|\bwhen\b", re.I)  # (什么时间点: a when too)
_ASKS_CALENDAR = re.compile(r"哪[一]?年|年份|日期|几月|几号|哪天|哪一天|\b(?:year|date)\b", re.I)
_ASKS_DAY = re.compile(r"哪一?天|几月几[日号]|哪个月|几月份?|\b(?:what|which) (?:date|day|month)\b", re.I)
_MONTH_TEXT = re.compile(
    r"\d{1,2}\s*月|(?:19|20)\d{2}\s*[.\-/]\s*\d{1,2}(?!\d)|[一二三四五六七八九十]{1,2}月"
)
_AFTER_EVENT = re.compile(
    r"(?:后|以前|之前)[，,]?(?:应当|应|须|必须)?(?:及时|立即|即时)"
    r"|之日起[^，。；]{0,6}?[\d一二三四五六七八九十]+个?(?:工作日|日|天|月|年)"
)
_TIME_UNITS = ("天", "个月", "年", "周", "小时", "季度", "次")
_TIMED_IN_WORDS = re.compile(r"立即|立刻|即时|当即|不定期")


def asks_period(question: str) -> bool:
    """How often or how long, in no unit of its own (每隔多久, 多长时间内), or periods offered to choose from."""
    return bool(HOW_OFTEN.search(question) or PERIODS_OFFERED.search(question))


def has_period(text: str) -> bool:
    """Whether ``text`` states a length of time or a frequency (三十日, 两年, 每季度一次), not a date."""
    bare = _CALENDAR.sub(" ", text)
    return any(has_number_in(bare, u) for u in _TIME_UNITS)


def defined_terms(text: str, question: str) -> list[str]:
    """The terms ``text`` defines in words the question also uses."""
    pairs = {question[i : i + 2] for i in range(len(question) - 1)}
    return list(
        dict.fromkeys(
            m.group(1).lower()
            for m in _DEFINES.finditer(text)
            if len({m.group(2)[i : i + 2] for i in range(len(m.group(2)) - 1)} & pairs) >= DESCRIBED
        )
    )


def has_date(text: str) -> bool:
    return bool(dates_in(text))


# A question about what a figure shows (图里, 图上, 那张图, “…历程”图把…, chart, figure) …
_ABOUT_FIGURE = re.compile(
    r"图[里上中内]|图表|示意图|框架图|分布图|曲线|[”」张幅]图|图(?:把|显示|所示|展示|列出|标出)"
    r"|\b(?:chart|figure|diagram|graph)\b",
    re.I,
)
# … is answered by no caption: the slide's text export keeps only the figure's title (图：…), and a policy
# text says the figure was left out (原文为图片，此处从略)
_CAPTION = re.compile(r"^\W*(?:图\s*\d*\s*[：:]|图\s*\d+\s)|此处从略|原文为图片")
# … in English, by a word that only means a picture (a "figure" may be a number: what figure does it give)
_CHART_EN = re.compile(r"\b(?:chart|diagram|graph)s?\b|\bfigure\s*\d", re.I)
_COUNT_ASKED = re.compile(r"(?:几|多少)\s*([类个项大种层部])")


def only_caption(question: str, text: str) -> bool:
    """Whether the best match in ``text`` for a question about a figure is the figure's caption, which
    cannot show what the figure does (unless the question only counts what the caption counts: 几类 of
    四类新兴技术…分布图)."""
    if mostly_english(question):  # no Chinese words to find its sentence by: a chart named, its caption found
        return bool(_CHART_EN.search(question)) and any(_CAPTION.search(line) for line in text.splitlines())
    if not (_ABOUT_FIGURE.search(question) or _quotes_a_caption(question, text)):
        return False
    best = best_through(question, text)
    if not best or not _CAPTION.search(best):
        return False
    counted = _COUNT_ASKED.search(question)
    return not (counted and re.search(rf"[一二三四五六七八九十两\d]+\s*{counted.group(1)}", best))


def _quotes_a_caption(question: str, text: str) -> bool:
    """The question quotes a phrase (“中国企业数智化建设演进历程”) that ``text`` only has as a figure's
    caption: it asks about that figure, though it does not say 图."""
    for phrase in re.findall(r"“([^”]{4,})”", question):
        lines = [line for line in text.splitlines() if phrase in line]
        if lines and all(_CAPTION.search(line) for line in lines):
            return True
    return False


# a run of four items or more, each a short phrase, joined by 、 (规划、教育、科技、财政、土地), the last
# perhaps by 和 or 及 (A、B、C和D); three (风险等级、应用场景、影响范围) are criteria more often than an answer
_ITEMS = re.compile(
    r"(?:[\u4e00-\u9fff]{1,10}、){2,}[\u4e00-\u9fff]{1,10}?(?:、|和|及|以及)[\u4e00-\u9fff]{1,10}"
)


# … or two or more after a verb that divides (分为A、B和C): the items are what it names
_DIVIDED = re.compile(
    r"(?:分为|分成|划分为|包括)[\u4e00-\u9fff]{1,10}(?:、[\u4e00-\u9fff]{1,10})*(?:、|和|及|以及)[\u4e00-\u9fff]{1,10}"
)


# … or opens a numbered list of them (履行下列职责：（一）…)
_NUMBERED = re.compile(r"下列[^：:。；]{0,10}[：:]\s*[（(](?:一|1)[)）]")


def lists_items(sentence: str) -> bool:
    """Whether a sentence lists the items a list question asks for itself."""
    return any(p.search(sentence) for p in (_ITEMS, _DIVIDED, _NUMBERED))


# a liability clause punishing breaches of the articles it names (违反本条例第六十八条、第六十九条规定)
VIOLATES = re.compile(
    r"违反本(?:条例|办法|规定|法)(?:第[一二三四五六七八九十百零〇]+条(?:第[一二三四五六七八九十]+款)?[、和及或者]*)+"
)


def breached_articles(text: str) -> list[str]:
    """The articles ``text`` punishes breaking (第六十八条, 第六十九条 of 违反本条例第六十八条、第六十九条规定)."""
    return [a for m in VIOLATES.finditer(text) for a in ARTICLE_NUMBER.findall(m.group(0))]


def sanction_states(
    question: str, present: Callable[[str], bool], pool: list[Hit], hits: list[Hit], words: list[str]
) -> bool:
    """Whether a sentence of ``pool`` states the figure in a sanction for breaking an article of its text
    that a retrieved passage holds with one of ``words``: the conduct asked about is named there, the
    figure here (违反本条例第六十七条规定交易数据的，处五万元以上… for 交易含有未经授权个人数据的产品罚多少).
    Only a question about a fine or a sum is answered so: a fine is no count of people (配几名审核人员)."""
    if not _ASKS_SUM.search(question):
        return False
    for hit in pool:
        for sentence in sentences(hit.text):
            for article in breached_articles(sentence):
                head = re.compile(rf"(?m)^\s*{article}")
                if present(sentence) and any(
                    h.doc_id == hit.doc_id and head.search(h.text) and any(w in h.text.lower() for w in words)
                    for h in hits
                ):
                    return True
    return False
