"""Questions for the reason behind a provision (为什么把有效期定为三年, 当时立法是怎么考虑的, why was the
cap set at …): a text states its rules, rarely why each figure or exception is what it is, so only a
passage whose answering sentence gives a reason (为了, 因为, 鉴于) answers one. A question for why a
thing matters (中央为什么看重数字中国) is not one of them: the texts do say what a thing is for."""

from __future__ import annotations

import re

from advisor.retrieval.figures import has_number

_WHY = re.compile(r"为什么|为何|为啥|\bwhy\b", re.I)
# … a figure, an exception or a ban the text sets (把…定为/定在/限定/排除, 不允许, 废止), an omission, or
# the drafters' intent
_SETTING = re.compile(
    r"把.{0,24}?(?:定为|定在|定成|限定|设定|设为|规定为|排除|排斥)|不允许|不准|禁止|不得|废止|取代|替代"
    # … or names only some and leaves another out (为什么只写省和宁波，而没有写杭州)
    r"|只(?:写|列|提|规定|点名)[^？?。]{0,40}?(?:而|却)?(?:没有|没|未)(?:写|列|提|规定|点名|包括)"
    r"|\b(?:set|fixed|capped|excluded?|prohibit(?:s|ed)?|forb[ia]d(?:s|den)?|ban(?:s|ned)?|repeal(?:s|ed)?|replace[sd]?)\b",
    re.I,
)
_INTENT = re.compile(
    r"(?:立法|当时|起草|制定).{0,8}(?:考虑|意图|本意|初衷|用意)|官方(?:说明|解释)|legislative intent|drafters",
    re.I,
)
REASON = re.compile(r"为了|为[^，。；]{0,12}(?:需要|目的)|因为|由于|旨在|以便|鉴于|考虑到|原因|目的")


def asks_rationale(question: str) -> bool:
    """Whether a question asks why a provision sets a figure or an exception as it does, or what its
    drafters intended."""
    if _INTENT.search(question):
        return True
    return bool(_WHY.search(question)) and (bool(_SETTING.search(question)) or has_number(question))
