"""Terms of a question that name nothing the corpus has: a compound of four characters or more that no
text uses, not even with a character or two between its own (a hard miss, whatever the passages' words)."""

from __future__ import annotations

import re

from advisor.index.keyword import KeywordIndex
from advisor.retrieval.asks import _LIGHT_NOUNS, INTERROGATIVE, QUALIFIERS
from advisor.retrieval.places_named import minor_place

_ASKING = re.compile(rf"{INTERROGATIVE.pattern}|不")


def absent_terms(terms: list[str], keyword: KeywordIndex) -> list[str]:
    """Specific Chinese terms (compounds of four characters or more) that occur nowhere in the corpus,
    not even with a character or two between theirs: the corpus has nothing about what they name.
    Shorter words are often a paraphrase of the corpus's own (从业者 for 从业人员), so they only weigh;
    so does a set phrase that describes rather than names (后果严重: an idiom, a verb or an adjective in
    jieba's dictionary; 除此之外: a conjunction; 一段时间: an indefinite amount). A place of any length the corpus never names (西湖) is absent too."""
    return [
        t
        for t in terms
        if (len(t) >= 4 or minor_place(t))
        and not t.isascii()
        and not _ASKING.search(t)
        and not keyword.occurs(t)
        and not _describes(t)
        and not (t.startswith(QUALIFIERS) and keyword.occurs(t[2:]))  # 具体安排: a qualified 安排
        and not _contracted(t, keyword)
    ]


def _contracted(term: str, keyword: KeywordIndex) -> bool:
    """Whether the corpus writes ``term`` one inner character shorter (住宅区 for 住宅小区): the same thing."""
    return any(keyword.occurs(term[:i] + term[i + 1 :], gap=0) for i in range(1, len(term) - 1))


def _describes(term: str) -> bool:
    import jieba.posseg as pseg

    # … or a verb with its directional complement (计算出来, 引进来): a phrase, no name
    return (
        pseg.dt.word_tag_tab.get(term, "n")[:1] in ("i", "v", "a", "d", "c")  # … or links clauses (除此之外)
        or _AMOUNT.match(term) is not None
        or term.endswith(_COMPLEMENTS)
        or (len(term) == 4 and term[2:] in _LIGHT_NOUNS)  # 例外情况, 具体要求: a light noun qualified
        or term.startswith(_RELATIVE)  # 所在城市, 所属行业: the thing by its relation to another, no name
        or term.endswith(_PRONOUNS)  # 发现自己: a verb and who it is done to
    )


_AMOUNT = re.compile(r"[一两几半][段些点阵会下番批]")  # an indefinite amount (一段时间, 一些做法)
_RELATIVE = ("所在", "所属", "所需", "所涉")
_PRONOUNS = ("自己", "我们", "你们", "他们", "她们", "它们", "本人", "对方", "大家")
_COMPLEMENTS = tuple(f"{a}来" for a in "出起下上进过回") + tuple(f"{a}去" for a in "下上出进回")
