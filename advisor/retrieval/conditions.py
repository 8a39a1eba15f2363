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
