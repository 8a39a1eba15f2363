"""Questions on the conditions that apply (需要满足哪些条件, what exactly are the conditions): a text that
only says 符合规定条件的 leaves them to another, as a deferred figure or list is."""

from __future__ import annotations

import re

_CONDITIONS_ASKED = re.compile(
    r"(?:哪些|什么|何种|具体)(?:的)?条件|条件(?:是什么|有哪些|是哪些)|\b(?:what|which) (?:[\w']+ ){0,4}conditions\b",
    re.I,
)


def asks_conditions(question: str) -> bool:
    return _CONDITIONS_ASKED.search(question) is not None


# … and sentences that name no condition at all (条件, 情形, 下列…, 前提, 符合…; a clause …的， that sets one)
# say nothing about what is asked
_STATES_CONDITIONS = re.compile(r"条件|情形|下列|以下|前提|符合|满足|具备|的[，,]|\bconditions?\b", re.I)


def conditions_missing(question: str, passages: str) -> bool:
    """Whether a question asks the conditions that apply and the passages name none."""
    return asks_conditions(question) and not _STATES_CONDITIONS.search(passages)
