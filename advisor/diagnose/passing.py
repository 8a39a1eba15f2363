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

- **a title of another instrument**: “按照《互联网信息服务深度合成管理规定》对生成内容进行标识” names the
  deep-synthesis provisions, it does not act on deep synthesis.

A strong word in passing counts only as a plain keyword (see :mod:`advisor.diagnose.match`). An
enumeration item keeps its weight when it carries its own action (“技术标准制定”, “、建设数据中心、”):
then it is a measure of a list of measures, not a field in a list of fields.

Two more ways a word is not what a clause acts on:

- **the name of a government body** (:func:`named_body`): “市网信、教育、交通运输等部门在各自职责范围内”,
  “地方金融监管部门应当……” say who acts; the word lies before 部门/机关 with no action word between (an
  enumeration must end in 等部门; in “高校、科研机构、企业、相关部门” the body is another item);
- **a measure only grammatically** (:func:`acted_on`): the action word must govern the word — 研发, 应用,
  服务 also modify the noun after them (研发投入, 服务应用), a negated clause (不得对外提供融资) is no
  measure, and a word inside a title is not acted on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

CLAUSE = re.compile(r"[^，,；;。：:！!？?\n]+")
ITEM = re.compile(r"、|以及|及其|和|及|与|或者|等")
REFERENCE = re.compile(
    r"(?:根据|按照|依照|依据|遵照|参照|符合)(?P<ref>[^，,；;。：:]*)(?:规划|规定|要求|标准|办法|条例|方案)"
)
ACTION = re.compile(
    r"制定|制修订|编制|建设|建立|构建|打造|布局|研制|研发|攻关|培养|培育|引进|推广|推进|推动|开展|完善|"
    r"加强|设立|提供|实施|落实|开放|提升|支持|鼓励|保障|应用|服务"
)
# the measures that act on a following object; 研发, 应用, 服务 are left out because they also modify the
# noun after them (研发投入, 服务应用 are things, not measures); 进行 makes the noun after it the act
# (进行标识)
MEASURE = re.compile(
    r"制定|制修订|编制|建设|建立|构建|打造|布局|研制|攻关|培养|培育|引进|推广|推进|推动|开展|完善|"
    r"加强|设立|提供|实施|落实|开放|提升|支持|鼓励|保障|进行"
)
NEGATION = re.compile(r"不得|禁止|严禁|不应|不予")
TITLE = re.compile(r"《[^《》]{1,80}》")
BODY = ("部门", "机关")
MAX_BODY_GAP = 30
BODY_LIST_END = re.compile(r"等(?:有关|相关)?(?:行业)?(?:主管)?$")
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


def _titled(text: str, at: int) -> bool:
    """The occurrence at ``at`` lies inside a title 《…》: the name of another instrument."""
    return any(m.start() < at < m.end() for m in TITLE.finditer(text))


def _department(clause: str, at: int, word: str) -> bool:
    """The occurrence is part of the name of a government body: “市网信、教育、交通运输等部门”,
    “地方金融监管部门” name who acts, not what is acted on."""
    end = at + len(word)
    j = min((k for k in (clause.find(b, end) for b in BODY) if k >= 0), default=-1)
    if not 0 <= j - end <= MAX_BODY_GAP:
        return False
    between = clause[end:j]
    if "、" in between and not BODY_LIST_END.search(between):
        return False  # “高校、科研机构、企业、相关部门”: the body is another item of the list
    return not ACTION.search(between)


def _occurrences(word: str, low: str) -> Iterator[tuple[str, int, int]]:
    """(clause, position in it, clause start in ``low``) of each occurrence of ``word`` in ``low``."""
    for m in CLAUSE.finditer(low):
        clause = m.group()
        at = clause.find(word)
        while at >= 0:
            yield clause, at, m.start()
            at = clause.find(word, at + 1)


def named_body(word: str, text: str) -> bool:
    """True when every occurrence of ``word`` in ``text`` is inside the name of a government body."""
    wl = word.lower()
    found = list(_occurrences(wl, text.lower()))
    return bool(found) and all(_department(clause, at, wl) for clause, at, _ in found)


def acted_on(word: str, text: str) -> bool:
    """Some occurrence of ``word`` is the object of a measure: a measure word (建设, 制定, 支持 …)
    lies within :data:`MEASURE_SPAN` characters before it in its clause, i.e. right before it
    (建设数据中心, 设立专项资金; in 培育数字经济细分领域专业投资机构 the action governs something else),
    the clause is not negated before it (不得, 禁止 …) and it is not inside a title 《…》."""
    low = text.lower()
    return any(
        MEASURE.search(clause[max(0, at - MEASURE_SPAN) : at])
        and not NEGATION.search(clause[:at])
        and not _titled(low, start + at)
        for clause, at, start in _occurrences(word.lower(), low)
    )


def in_passing(word: str, text: str, terms: list[str]) -> bool:
    """True when every occurrence of ``word`` in ``text`` is a bare field in an enumeration of other
    things, or inside a reference to another instrument. ``terms`` are all the element's words."""
    low = text.lower()
    wl = word.lower()
    terms_l = [t.lower() for t in terms]
    found = list(_occurrences(wl, low))
    return bool(found) and all(
        _listed_field(clause, at, wl, terms_l) or _referenced(clause, at) or _titled(low, start + at)
        for clause, at, start in found
    )
