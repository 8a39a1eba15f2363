"""Who a body is made of (成员单位有哪些, 由哪些专家组成, who sits on the committee): a text that sets a
body up names what it does, seldom who is on it; only a passage stating its composition answers."""

from __future__ import annotations

import re

from advisor.types import Hit

_MEMBERS_ASKED = re.compile(
    r"成员(?:单位)?(?:有|是|包括|都有)|哪些(?:专家|成员|委员)|由哪些[^，,。？?]{0,6}组成|组成人员|都有谁|由谁组成"
    r"|\bwho sits on\b|\bmember list\b|(?<!become )(?<!becoming )(?<!as )\bmembers?\b(?!\s+(?:states?|of (?:the public|staff))\b)",
    re.I,
)
# … 成员单位由省直有关部门和…市人民政府组成, 由高校、科研机构、企业…的专家组成
# … or the bodies that set it up or take part, listed (交通、公安…等相关部门建立联合工作机制; 政府、平台、企业…多元参与)
_COMPOSITION = re.compile(
    r"由[^。；;]{2,60}?组成|成员(?:单位)?(?:包括|为|有)|组成人员"
    r"|(?:[\u4e00-\u9fff]{1,10}、){2,}[\u4e00-\u9fff]{1,16}?(?:等(?:相关|有关)?部门(?:共同)?建立|多元参与)"
)


def asks_members(question: str) -> bool:
    """Whether a question asks who or what a body's members are (not who may become one)."""
    return bool(_MEMBERS_ASKED.search(question))


def states_members(hits: list[Hit]) -> bool:
    """Whether one of the passages states what a body is made of."""
    return any(_COMPOSITION.search(h.text) for h in hits)
