"""How much a question's word weighs in answerability: by its rarity in the corpus, less when it cannot
name a subject (a pronoun, a numeral) or is how the asker talks (an everyday word the corpus never uses,
a piece of grammar jieba cut across two words)."""

from __future__ import annotations

import re

from advisor.index.keyword import KeywordIndex

# A word the corpus never uses is unknown, not the rarest: it weighs as a word a few dozen passages use
# (宽裕, 层层 in a story), so the words the passages do hold decide (dev: 4 answerable fewer refused, 1 more)
UNSEEN_IDF = 4.5
UNSURE_WEIGHT = 0.5  # a dictionary sense may not be the one meant: a missing translation weighs half


def term_weight(term: str, keyword: KeywordIndex, unsure: bool = False) -> float:
    """The weight of ``term`` among the question's words (``unsure``: a translation not found)."""
    rarity = keyword.idf(term) if keyword.occurs(term) else min(keyword.idf(term), UNSEEN_IDF)
    return (
        max(rarity, 0.1)
        * (UNSURE_WEIGHT if unsure else 1.0)
        * naming(term)
        * (CHATTER_WEIGHT if chatter(term, keyword) else 1.0)
    )


# Parts of speech that never name what a question is about: pronouns, numerals, measure words, adverbs,
# time and direction words, prepositions and conjunctions (自己, 有人, 一块, 目前, 所说).
_NOT_NAMING = frozenset({"r", "m", "mq", "q", "d", "t", "f", "p", "c"})


def naming(term: str) -> float:
    """How much a word can name what a question is about, by its dictionary part of speech."""
    import jieba.posseg

    return 0.1 if jieba.posseg.dt.word_tag_tab.get(term) in _NOT_NAMING else 1.0


# A word of everyday speech (担心, 考虑, 大家: jieba's dictionary counts it this often or more) that the
# corpus never uses is how the asker talks, not what the texts would name; a rare word the corpus never
# uses (注册资本, 工伤保险) still names what the question is about. A piece jieba cut across two words,
# made of grammar only (各是 in 两边各是怎么规定), is in no dictionary and names nothing (dev: one
# answerable question fewer refused, no unanswerable one answered).
CHATTER_FREQUENCY = 1000
CHATTER_WEIGHT = 0.3


# characters of grammar (pronouns, prepositions, auxiliaries, adverbs, modals, localizers): a piece no dictionary
# knows made of them only was cut across two words (各是 of 各是怎么规定), as is a demonstrative with its
# measure word (这摊) or a verb with the particle of its complement (干得 of 干得好不好); a piece with a
# content character (券有 of 算力券有什么) stands for a word no dictionary knows, which names what is asked
_GRAMMATICAL = (
    "我你他她它们的地得了着过在对由从向往把被让给和与及就都也还又才再是有要会能可想各每某这那哪个上里中内"
)
_PIECE = re.compile(rf"[{_GRAMMATICAL}]+|[这那哪][\u4e00-\u9fff]|[\u4e00-\u9fff]得")


def chatter(term: str, keyword: KeywordIndex) -> bool:
    """A word the corpus never uses that says little about what is asked: an everyday word (担心, 大家)
    or a piece of grammar jieba cut across two words (各是), which no dictionary knows."""
    import jieba

    if keyword.occurs(term):
        return False
    jieba.dt.check_initialized()  # FREQ is empty until jieba has loaded its dictionary
    frequency = jieba.dt.FREQ.get(term, 0)
    return frequency >= CHATTER_FREQUENCY or (frequency == 0 and bool(_PIECE.fullmatch(term)))
