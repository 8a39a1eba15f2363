"""Why the corpus does not answer a question: the grounding verdict and its reasons, written for people
(whole words the asker would recognise, never a tokenizer's fragments or the asker's grammar)."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict

from advisor.index.keyword import is_word
from advisor.retrieval.term_weights import naming

HARD_MISS = "资料中没有问题所指的文件、条款或年份"
FAR_AWAY = "资料里没有与这个问题相关的内容"
NOT_COVERED = "资料未覆盖问题中的关键内容"
NO_FIGURE = "资料中没有问题所问的数字"
NO_DATE = "资料中没有问题所问的日期"
NO_BODY = "资料中没有写明负责的部门或机构"
DEFERRED = "资料只规定具体内容另行制定，没有列出所问的具体内容"
NO_THING = "资料中没有写明问题所问的"
NO_SUCCESSOR = "资料中没有写明该文件到期或废止后的接续安排"
SIBLING_ONLY = "资料只写了同类的另一种情形，没有问题所问的这一种"
CAPTION_ONLY = "资料中只有这张图的标题，图中的内容没有以文字收录"
NOT_IDENTIFIED = "资料只提到问题所引的名称，没有写明具体是哪一个"
NO_STATE = "资料是文件的规定，没有记载问题所问的现状或进展"
NO_REASON = "资料只写了规定本身，没有说明这样规定的理由"
COUNT_ONLY = "资料只提到所问事项的数目，没有逐项列出"
NO_SANCTION = "资料中没有规定问题所问的处罚或法律责任"
NO_MEMBERS = "资料中没有写明问题所问的组成人员或成员单位"
NO_CHANGES = "资料只记载了文件的修正或更替，没有写明具体改了哪些内容"
NOT_YET_MADE = "资料只写了所问的文件由有关机关另行制定，资料库没有收录该文件的内容"
# the refusals that come after the question's words were found in the passages: they lack one specific, so
# the closest sentence is worth quoting under the refusal (qa/partly_said.py)
PARTLY_SAID = frozenset(
    [
        NO_FIGURE,
        NO_DATE,
        NO_BODY,
        DEFERRED,
        NOT_YET_MADE,
        NO_THING,
        NO_SUCCESSOR,
        SIBLING_ONLY,
        CAPTION_ONLY,
        NOT_IDENTIFIED,
        NO_STATE,
        NO_REASON,
        COUNT_ONLY,
        NO_SANCTION,
        NO_MEMBERS,
        NO_CHANGES,
    ]
)
_SECTION_NAME = re.compile(r"\d+\.\d+节")


class Grounding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grounded: bool
    coverage: float
    missing: list[str]
    reason: str = ""

    def explanation(self) -> str:
        """Why the corpus does not answer, in words for people: whole terms, never token fragments."""
        # whole words, not jieba's guesses (方在); a numbered section (9.9节) is named as written
        terms = [t for t in readable_terms(self.missing) if is_word(t) or _SECTION_NAME.fullmatch(t)][:4]
        if self.reason == SIBLING_ONLY and len(self.missing) == 2:
            return f"资料里只有关于“{self.missing[1]}”的内容，没有关于“{self.missing[0]}”的"
        if self.reason == NOT_IDENTIFIED and self.missing:
            return f"资料里只提到“{self.missing[0]}”，没有写明具体是哪一个"
        if self.reason == NO_THING and self.missing:
            return f"资料里没有写明问题所问的“{self.missing[0]}”"
        if not terms or self.reason == NO_BODY:
            return self.reason
        if self.reason == HARD_MISS:
            return "资料库未收录问题所指的" + "、".join(f"“{t}”" for t in terms)
        terms = [t for t in terms if _names_something(t)]  # 期限 and 形态, not 出来, 如果, 这个
        if not terms:
            return self.reason
        if self.reason in (NO_FIGURE, NO_DATE):  # what has a figure or a date is a thing (才能, 交给: no)
            terms = [t for t in terms if _a_noun(t)]
            if not terms:
                return self.reason
        joined = "、".join(f"“{t}”" for t in terms)
        if self.reason == NO_FIGURE:
            return f"资料里没有关于{joined}的具体数字"
        if self.reason == NO_DATE:
            return f"资料里没有关于{joined}的日期"
        return f"资料里没有涉及{joined}的内容"


def _names_something(term: str) -> bool:
    """A word a person reads as the thing not found: not a pronoun, adverb or conjunction (那部, 最少,
    如果), nor a verb of everyday speech (出来, 超过: jieba's dictionary counts it 10000 times or more)."""
    import jieba.posseg

    jieba.dt.check_initialized()
    tag = jieba.posseg.dt.word_tag_tab.get(term)
    return (
        naming(term) == 1.0
        and tag not in ("u", "y", "e", "o")
        and not (tag == "v" and jieba.dt.FREQ.get(term, 0) >= 10000)
    )


def _a_noun(term: str) -> bool:
    import jieba.posseg

    tag = jieba.posseg.dt.word_tag_tab.get(term)
    return tag is None or tag[:1] == "n"


def readable_terms(terms: list[str]) -> list[str]:
    """The terms that are not part of a longer term in the list (上海、海市、上海市 → 上海市), in order."""
    return [t for t in terms if not any(t != o and t in o for o in terms)]
