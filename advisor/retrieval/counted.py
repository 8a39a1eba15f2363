"""A count the text names without listing what it counts. Reports and plans say "七大AI能力的融合…" or
"打造…物联网集群等6个…集群" and leave the rest to a chart or to nothing: a question asking for those
items (分别是哪七个, 除了…剩下4个是什么) has its count in the corpus but not its answer.

The rule: when every sentence of the top passages that names the question's count of the thing asked
(七大…能力) lists fewer items than the count — split at 、，；和与及 — and none leads into a list (a
colon at its end) or heads one (a heading line, a section title), the items are not in the corpus. When
the question already names some items (除了A、B之外), a sentence naming them that lists nothing else
has no more to give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from advisor.text import chinese_numeral
from advisor.types import Hit

_NUMERALS = "三四五六七八九十"
_CLASSIFIERS = "大个类项种层步家点件部条"
_COUNT = re.compile(
    rf"(?<![第\d{_NUMERALS}一二两百])([{_NUMERALS}]|\d{{1,2}})\s*([{_CLASSIFIERS}])([\u4e00-\u9fffA-Za-z]{{0,6}})"
)
# a question asks for the items: 分别是, 哪七个, 有哪些, 是什么 (是啥), 包括
_ASKS_ITEMS = re.compile(rf"分别|哪[些几{_NUMERALS}\d]|是(?:什么|啥)|有(?:什么|啥)|是哪|包括|指什么|都有")
_BESIDES = re.compile(
    rf"除了?(.{{2,60}}?)(?:之外|以外|外)?[，,].{{0,24}}?(?:剩下|另外|其余|其他|还有|第[{_NUMERALS}\d])"
)
_EN_NUMBERS = ["three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_COUNT_EN = re.compile(rf"\b({'|'.join(_EN_NUMBERS)})\s+(?:[A-Za-z-]+\s+){{0,3}}?[A-Za-z-]+s\b", re.I)
_ASKS_ITEMS_EN = re.compile(r"\b(?:what|which|list|name)\b", re.I)
_REST_EN = re.compile(r"\b(?:other|remaining)\s+$|\bthe rest of the\s+$", re.I)
_SPLIT = re.compile(r"[、，,；;和与及：:]")
_SENTENCE = re.compile(r"[^。！？!?\n]+")
_NUMBERED = re.compile(
    r"(?:Part\s*\d+|\d+(?:\.\d+)*|第[一二三四五六七八九十]+[章节部分]|[一二三四五六七八九十]+、)\s*"
)
_WORD = re.compile(r"[\u4e00-\u9fff]{2}|[A-Za-z]+")
_REST = re.compile(r"(?:另外|其余|剩下|剩余|其他|另)的?[那这]?\s*$")  # … the rest of the items (另外4个)
_CLAUSE_END = re.compile(r"[，,；;：:。]")
NOUN_REACH = 24  # characters after a count where the noun it counts may stand, within its clause


def _value(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else {c: i for i, c in enumerate(_NUMERALS, 3)}[numeral]


def _asked_count(question: str, renderings: Sequence[str]) -> tuple[int, list[str], bool] | None:
    """(the count, the first word of what is counted, whether it asks for the rest) of a count phrase
    the question names with its noun (七大AI能力 → (7, [AI], False); 另外4个集群 → (4, [集群], True));
    in English (the seven capabilities), the words its English terms stand for. None when it names none
    or asks for no items."""
    english = _COUNT_EN.search(question)
    if english and _ASKS_ITEMS_EN.search(question):
        words = english.group(0).split()[1:]  # … or as written (the AI of five AI tools: 五大AI工具)
        rest = _REST_EN.search(question, 0, english.start()) is not None  # (the other four clusters)
        return _EN_NUMBERS.index(english.group(1).lower()) + 3, [*renderings, *words], rest
    if not _ASKS_ITEMS.search(question):
        return None
    for m in _COUNT.finditer(question):
        noun = _WORD.match(m.group(3))
        n = _value(m.group(1))
        if noun and 3 <= n <= 20 and not _ASKS_ITEMS.match(m.group(3)):
            return n, [noun.group(0)], _REST.search(question[: m.start()]) is not None
    return None


def _named_count(sentence: str, n: int, nouns: list[str], rest: bool) -> int:
    """The count of the thing asked that the sentence names (0: none): ``n`` itself, or when the question
    asks for the rest of a list (另外4个), any larger count. Its noun may stand further on in its clause
    (6个综合实力国际领先…的先进制造业集群)."""
    for m in _COUNT.finditer(sentence):
        v = _value(m.group(1))
        clause = _CLAUSE_END.split(sentence[m.end(2) : m.end(2) + NOUN_REACH])[0]
        after = max(clause, sentence[m.end(2) : m.end(2) + 12], key=len)
        if (v == n or (rest and v > n)) and any(noun in after for noun in nouns):
            return v
    return 0


def _parts(sentence: str) -> list[str]:
    return [p for p in _SPLIT.split(sentence) if p.strip()]


def _listed(sentence: str, n: int) -> bool:
    """Whether the sentence lists about ``n`` items (one fewer: the last two may be joined by 和).
    Where it closes a list with 等 before the count (A、B等6个集群), the list is the clause before 等,
    its items split at 、 only (新型电力和新能源装备集群 is one item): the sentence's other clauses are
    not items of it."""
    forms = "|".join({str(n), chinese_numeral(n)})
    closed = re.search(rf"([^，,；;：:]*)等\s*(?:{forms})\s*[{_CLASSIFIERS}]", sentence)
    if closed:
        return len([p for p in closed.group(1).split("、") if p.strip()]) >= n - 1
    return len(_parts(sentence)) >= n - 1


def _heads_list(sentence: str, hit: Hit) -> bool:
    """A lead-in (…五大关键角色：) or a heading (Part 04 …四项具体举措, 3.2 …; a section's title)
    announces items that follow; a plain statement (七大AI能力的融合正在…) lists what it lists."""
    s = sentence.strip()
    plain = not re.search(r"[。，、；：:,]", s) and len(s) <= 40
    ends_in_count = re.search(rf"[{_CLASSIFIERS}][\u4e00-\u9fffA-Za-z]{{0,8}}$", s) is not None
    return (
        s.endswith(("：", ":"))
        or (plain and (_NUMBERED.match(s) is not None or ends_in_count))
        or s in hit.section
    )


def _lists_more(sentence: str, given: list[str]) -> bool:
    """Whether a sentence naming the ``given`` items names another among them (A、B、C和D), or goes on
    after the last (A、B和C), where the last does not close the list with 等."""
    parts = _parts(sentence)
    holding = [i for i, p in enumerate(parts) if any(g in p for g in given)]
    inside = any(i not in holding for i in range(holding[0], holding[-1] + 1))
    last = holding[-1]
    goes_on = "等" not in parts[last] and last + 1 < len(parts) and len(parts[last + 1]) <= 10
    return inside or goes_on


def count_not_listed(question: str, top: list[Hit], renderings: Sequence[str] = ()) -> bool:
    """Whether the passages name the count the question asks items of, or the items it names, and list
    no more (see the module's rule). ``renderings``: the Chinese terms an English question's words
    stand for (capabilities → 能力)."""
    besides = _BESIDES.search(question)
    given = [g for g in _SPLIT.split(besides.group(1)) if len(g) >= 2] if besides else []
    naming = (
        [s for h in top for s in _SENTENCE.findall(h.text) if all(g in s for g in given)]
        if len(given) >= 2
        else []
    )
    if naming:
        return not any(_lists_more(s, given) for s in naming)
    if besides_only_some(question, top):
        return True
    asked = _asked_count(question, renderings)
    if not asked:
        return False
    n, nouns, rest = asked
    counting = [
        (s, h, c) for h in top for s in _SENTENCE.findall(h.text) if (c := _named_count(s, n, nouns, rest))
    ]
    return bool(counting) and not any(_heads_list(s, h) or _listed(s, c) for s, h, c in counting)


# A total of listed items asked (一共列了多少类): a numbered list answers it by its last number
_TOTAL_ASKED = re.compile(
    r"(?:一共|总共|共|合计|总计|列了|列出了?|列举了?)[^，,。？?]{0,6}?(?:多少|几)个?[类项种条个大部点方](?![工作日月年天])"
)
_LIST_NUMBER = re.compile(
    r"(?:^|\n|[\s。；：:])\**(?:(\d{1,2})[.．]\s*(?=[\u4e00-\u9fff])|[（(]([一二三四五六七八九十]{1,3})[）)])"
)


def totalled_by_list(question: str, hits: Sequence[Hit]) -> bool:
    """Whether the question asks how many items a list has and a passage numbers them (1. … 12. …)."""
    if not _TOTAL_ASKED.search(question):
        return False
    numbered = [{int(d) if d else _chinese_number(c) for d, c in _LIST_NUMBER.findall(h.text)} for h in hits]
    return any(n + 1 in ns for ns in numbered for n in ns)  # (a chunk may hold two items of a long list)


def _chinese_number(numeral: str) -> int:
    """一 … 九十九 as a number (the item markers （一）…（十二） of a list)."""
    digits = "一二三四五六七八九"
    if "十" not in numeral:
        return digits.index(numeral) + 1 if numeral in digits else 0
    tens, _, ones = numeral.partition("十")
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(ones) + 1 if ones else 0)


# How many of a thing a body sets up (设了几个专业委员会) where the text only allows "若干" of them
# (可以设立若干专业委员会): neither the number nor the names are there
_HOW_MANY_OF = re.compile(r"(?:几|多少)[个家项类种批所支]([\u4e00-\u9fff]{2,8}?)(?=[？?，,。；;！!]|$)")
_SOME = "若干"


def only_some(question: str, top: Sequence[Hit]) -> bool:
    """Whether the question asks how many of a thing there are and the top passages' only word for
    their number is 若干 (without listing them after it)."""
    asked = _HOW_MANY_OF.search(question)
    if not asked:
        return False
    noun = asked.group(1)[-2:]
    some = re.compile(rf"{_SOME}[个家项类种批所支]?[\u4e00-\u9fff]{{0,6}}?{re.escape(noun)}")
    sentences = [s for h in top for s in _SENTENCE.findall(h.text) if noun in s]
    return any(some.search(s) for s in sentences) and not any(
        re.search(rf"{re.escape(noun)}[^。]{{0,10}}[：:]|[\u4e00-\u9fff]{{2,}}{re.escape(noun)}、", s)
        for s in sentences
    )


# which others there are (除了公共数据专业委员会，还设了哪些专业委员会) of a thing the texts only allow
# 若干 of (可以设立若干专业委员会), naming none but those the question sets aside
_OTHERS_ASKED = re.compile(
    r"除了?.{2,40}?(?:之外|以外|外)?[，,]?[^？?。]{0,16}?(?:还|另外|其他|其余)[^，。？?]{0,8}?哪些"
    r"([\u4e00-\u9fff]{2,8}?)(?=[？?，,。]|$)"
)


def besides_only_some(question: str, top: Sequence[Hit]) -> bool:
    """Whether the question asks which others there are besides those it names, and the top passages
    only say 若干 of them, naming no other."""
    asked = _OTHERS_ASKED.search(question)
    if not asked:
        return False
    aside, noun = question[asked.start() : asked.start(1)], asked.group(1)  # (all it sets aside, up to 哪些)
    texts = [h.text for h in top]
    if not any(re.search(rf"{_SOME}[个家项类种批所支]?{re.escape(noun)}", t) for t in texts):
        return False
    # each time a passage names the thing, 若干 stands before it or the words of one the question sets aside
    kinds = [q for q in re.findall(rf"([\u4e00-\u9fff]{{1,4}}){re.escape(noun)}", aside) if q != _SOME]
    return all(
        t[max(0, m.start() - 2) : m.start()] == _SOME
        or any(t[max(0, m.start() - len(k)) : m.start()] == k for k in kinds)
        for t in texts
        for m in re.finditer(re.escape(noun), t)
    )
