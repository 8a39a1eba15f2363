"""The unit a number question asks in (多少亿元, 几个工作日, 罚多少 → 元, 百分之几 → %), and whether a
text states a number in it: a figure in another unit (十年 for a share) does not answer."""

from __future__ import annotations

import re

# Measure words a number question may ask in (多少亿元, 几位, 多少家): the answer must be in that unit.
_UNITS = (
    "万亿元|亿元|万元|千元|元|百分点|平方公里|平方米|公里|千米|米|亩|吨|千瓦时|千瓦|兆瓦|小时|分钟|个月|"
    "家|项|条|款|章|节|位|名|人|次|起|件|例|倍|台|套|座|所|种|批|届|周|天|日|年|辆|架|艘|户|栋|份|期|轮|级|层|"
    "票|学分|学时|课时"  # votes and credits: counted in their own measure
)
# (多几票, 好几篇: a few more, several; no number asked)
ASKED_UNIT = re.compile(
    rf"(?:多少|(?<![多好])几)个?\s*(?:(?:hundred|thousand|million|billion|trillion)\s*)?(工作日|{_UNITS}"
    r"|[A-Za-z]{1,4}(?=的|[？?，,。！!]|\s*$))",  # a Latin unit that ends the ask (几K的, 多少MW？)
    re.I,
)  # (多少 trillion 元: in 元; 多少AI企业 asks no unit)
_SAME_UNIT = {
    "天": r"(?:个?工作)?[天日]",
    "日": r"(?:个?工作)?[天日]",
    "工作日": r"个?工作日",
    "个月": r"个?月",
    **{u: rf"个?{u}" for u in ("学分", "学时", "课时")},  # 2个学分
    "级": r"个?(?:等级|级别|级)",  # 三级, 五个等级
}
# grades counted with a word between (几个安全等级, 多少个风险级别): asked in 级
_GRADES_ASKED = re.compile(r"(?:多少|(?<![多好])几)个?[\u4e00-\u9fff]{0,4}?(?:等级|级别)")
# a term of years asked by its name (最短年限是多少, 年限有多长)
_YEARS_ASKED = re.compile(r"年限[^，,。？?；;]{0,6}?(?:多少|几|多长|多久)")
_DIGIT = r"[\d零〇一二三四五六七八九十百千万亿两]"
_NUMERAL = r"[\d零〇一二三四五六七八九十百千万亿两.,，]"
# a figure: numerals, with separators only between them (1,000, 1.5); a comma alone is none (…的，人民检察院)
FIGURE = rf"{_DIGIT}(?:{_NUMERAL}*{_DIGIT})?"
# Periods offered as the answer's alternatives (每季度一次还是每年一次, 半年还是一年, quarterly or annually):
# the question asks how often or how long, whatever its words
_PERIOD_OPTION = (
    r"(?:每|按)(?:年|季度|半年|月|周|天)|[\d一二两三四五六七八九十半]+个?(?:年|季度|月|周|天|日|小时|工作日)"
)
_PERIOD_OPTION_EN = r"(?:quarterly|annually|monthly|yearly|weekly|every (?:year|quarter|month|week)|once a (?:year|quarter|month))"
PERIODS_OFFERED = re.compile(
    rf"(?:{_PERIOD_OPTION})(?:一次|1次)?[^，,。？?]{{0,4}}?还是[是按每]?(?:{_PERIOD_OPTION})"
    rf"|\b{_PERIOD_OPTION_EN}\s*(?:or|还是)\s*{_PERIOD_OPTION_EN}\b",
    re.I,
)


# An amount of money is asked (罚多少, 罚款标准是多少, 收费多少, what fine / budget): its answer is a sum in 元.
_MONEY = re.compile(
    r"(?:罚款?|收费|费用|补贴|奖励|资助|金额|经费|预算|资本|资金|投资|出资|融资|产值|营收|估值|价格|租金)"
    r"(?:标准|数额|额度|上限|下限|规模|总额)?(?:是|为|有|能|可以|要|会)?(?:多少|几)(?!(?:天|日|年|次|个|项|条|家|人|名))"
    r"|\b(?:fines?|penalt(?:y|ies)|fees?|budget|subsid(?:y|ies)|how much money|registered capital|investment|(?:trillion|billion|million) (?:yuan|rmb))\b",
    re.I,
)


# … and a share asked as a percentage (百分之几, 占比多少, what percentage) is one in per cent
_PERCENT = re.compile(
    r"百分之(?:几|多少)|百分比|占比(?:是|为)?多少|几成|\bwhat (?:[a-z-]+ ){0,2}(?:percentage|share|proportion)s?\b"
    # … and so is a rate (覆盖率是多少, 税率是多少), though not how often or how well (频率, 效率, 功率)
    r"|(?<![频效功])率(?:是|为|有|要|达到|能达到|大概|应当|应)?(?:多少|几)",
    re.I,
)


def asked_unit(question: str) -> str:
    """The unit a number question asks in ("" when it names none); an amount of money is in 元. A measure
    word that begins a noun is no unit: 多少份额 asks a share, 多少人口 a population, 多少名额 a quota."""
    import jieba.posseg as pseg

    words, pos = {}, 0
    for w, tag in pseg.cut(question) if ASKED_UNIT.search(question) else ():
        words[pos] = (w, tag)
        pos += len(w)
    for m in ASKED_UNIT.finditer(question):
        at, unit = m.start(1), m.group(1)
        word, tag = words.get(at, (unit, "q"))
        if not (len(word) > len(unit) and word.startswith(unit) and tag.startswith("n")):
            return unit
    if _GRADES_ASKED.search(question):
        return "级"
    if _YEARS_ASKED.search(question):  # 最短年限是多少: a term of years
        return "年"
    return "元" if _MONEY.search(question) else "%" if _PERCENT.search(question) else ""


def has_number_in(text: str, unit: str) -> bool:
    """Whether ``text`` states a number in ``unit`` (1000亿元, 三十五条, 12位, 百分之七十)."""
    if unit == "%":
        return re.search(rf"{FIGURE}\s*[%％]|百分之{_DIGIT}|[一二三四五六七八九]成", text) is not None
    found = re.finditer(rf"{FIGURE}\s*{_SAME_UNIT.get(unit, re.escape(unit))}", text)
    if unit not in ("天", "日"):
        return next(found, None) is not None
    return any(text[max(0, m.start() - 1) : m.start()] != "月" for m in found)  # 7月10日 is a date, no days
