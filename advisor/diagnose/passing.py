"""Whether a word of an element is only mentioned *in passing* in a sentence of the draft.

A sentence is about an element when the element is what its clause acts on. Two common ways a word
appears without that, in Chinese policy prose:

- **one item of an enumeration** of other things: “支持网络安全、数据安全、算法安全技术和软硬件产品的
  研发应用” is about security products, not about 算法安全 duties; “在基础设施建设、人才引进培养、项目资助
  以及运行机制创新等方面” lists forms of support. An enumeration is a clause (between ，；。：) with at
  least :data:`MIN_LIST_COMMAS` 、; a word in it is in passing unless another item of the same list also
  names the element (“建设智算中心、数据中心、超算中心” is about infrastructure).
- **a reference to another instrument**: “按照智慧交通发展规划和自动驾驶汽车发展规划要求” cites an
  existing plan; the word lies between 根据/按照/依照/依据/符合/参照 and the 规划/规定/要求/标准… it
  names, in the same clause (“符合条件的社会资本” is no reference).

A strong word in passing counts only as a plain keyword (see :mod:`advisor.diagnose.match`). An
enumeration item keeps its weight when it carries its own action (“技术标准制定”, “、建设数据中心、”):
then it is a measure of a list of measures, not a field in a list of fields.
"""

from __future__ import annotations

import re

CLAUSE = re.compile(r"[^，,；;。：:！!？?\n]+")
ITEM = re.compile(r"、|以及|及其|和|及|与|或者|等")
REFERENCE = re.compile(
    r"(?:根据|按照|依照|依据|遵照|参照|符合)(?P<ref>[^，,；;。：:]*)(?:规划|规定|要求|标准|办法|条例|方案)"
)
ACTION = re.compile(
    r"制定|制修订|编制|建设|建立|构建|打造|布局|研制|研发|攻关|培养|培育|引进|推广|推进|推动|开展|完善|"
    r"加强|设立|提供|实施|落实|开放|提升|支持|鼓励|保障|应用|服务"
)
MIN_LIST_COMMAS = 2
SPECIFIC_ITEM_CHARS = 3
MEASURE_SPAN = 2


def _items(clause: str) -> list[tuple[int, int, bool]]:
    """(start, end, touches 、) of the clause's items."""
    cuts = [(m.start(), m.end(), m.group() == "、") for m in ITEM.finditer(clause)]
    out, pos, after_comma = [], 0, False
    for s, e, comma in cuts:
        out.append((pos, s, after_comma or comma))
        pos, after_comma = e, comma
    out.append((pos, len(clause), after_comma))
    return out


def _listed_field(clause: str, at: int, word: str, terms: list[str]) -> bool:
    """``word`` at ``at`` is a bare item of an enumeration whose other items name other things."""
    if clause.count("、") < MIN_LIST_COMMAS:
        return False
    items = _items(clause)
    specific = [t for t in terms if len(t) >= SPECIFIC_ITEM_CHARS]
    if sum(any(t in clause[s:e] for t in specific) for s, e, _ in items) > 1:
        return False
    k = next((k for k, (s, e, _) in enumerate(items) if s <= at < e), None)
    if k is None or not items[k][2]:
        return False  # the word spans a connector, or its item does not touch a 、
    s, e, _ = items[k]
    after = clause[at + len(word) : e]
    before = clause[s:at] if k > 0 else ""
    return not ACTION.search(after) and not ACTION.search(before)


def _referenced(clause: str, at: int) -> bool:
    return any(m.start("ref") <= at < m.end("ref") for m in REFERENCE.finditer(clause))


def acted_on(word: str, text: str) -> bool:
    """Some occurrence of ``word`` is the object of a measure: an action word (建设, 制定, 支持 …)
    lies within :data:`MEASURE_SPAN` characters before it in its clause, i.e. right before it
    (建设数据中心, 设立专项资金; in 培育数字经济细分领域专业投资机构 the action governs something else)."""
    low = text.lower()
    wl = word.lower()
    for m in CLAUSE.finditer(low):
        clause = m.group()
        at = clause.find(wl)
        while at >= 0:
            window = clause[max(0, at - MEASURE_SPAN) : at]
            if ACTION.search(window):
                return True
            at = clause.find(wl, at + 1)
    return False


def in_passing(word: str, text: str, terms: list[str]) -> bool:
    """True when every occurrence of ``word`` in ``text`` is a bare field in an enumeration of other
    things, or inside a reference to another instrument. ``terms`` are all the element's words."""
    low = text.lower()
    wl = word.lower()
    terms_l = [t.lower() for t in terms]
    found_any = False
    for m in CLAUSE.finditer(low):
        clause = m.group()
        at = clause.find(wl)
        while at >= 0:
            found_any = True
            if not (_listed_field(clause, at, wl, terms_l) or _referenced(clause, at)):
                return False
            at = clause.find(wl, at + 1)
    return found_any
