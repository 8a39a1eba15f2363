"""A question that restates a provision and then supposes another case (…第二十五条规定完成人份额不低于百分之
七十，如果是企业用自有资金完成的成果，份额是否也不得低于…？) asks about that case. The restated words are all
in the passages, so they cover the question however little the passages say about the case supposed; when
two or more of that case's own words are missing, the passages are about the provision's case, not the
asker's."""

from __future__ import annotations

import re

# the provision restated: an article said to provide something, or a quotation of its words
_RESTATES = re.compile(
    r"第[一二三四五六七八九十百零\d]+条[^，,。？?；;]{0,8}?(?:规定|要求|允许|提出|明确|写明)|[“\"「][^”\"」]{4,}[”\"」]"
)
# … then a case supposed (如果…, 那么…): what the question goes on to ask about
_SUPPOSED = re.compile(r"(?:如果|假如|假设|要是|倘若|若是|那么)([^。？?；;]{2,60})")
CASE_WORDS = 2  # missing words of the supposed case that make it another case


def other_case(question: str, missing: list[str]) -> list[str]:
    """The supposed case's words the passages lack, when they make it another case than the provision's."""
    restated = _RESTATES.search(question)
    supposed = _SUPPOSED.search(question, restated.end()) if restated else None
    if supposed is None:
        return []
    words = [t for t in missing if len(t) >= 2 and t in supposed.group(1) and _content(t)]
    return words if len(words) >= CASE_WORDS else []


def _content(word: str) -> bool:
    """Not an adverb, adjective, conjunction, preposition, pronoun, numeral or particle (同样, 最低, 如果,
    一小部分), nor a verb of everyday speech (不得, 比如) or a word as common as 部分."""
    import jieba
    import jieba.posseg as pseg

    jieba.dt.check_initialized()
    tag, freq = pseg.dt.word_tag_tab.get(word, "n"), jieba.dt.FREQ.get(word, 0)
    return tag[:1] not in "dacprmuyeoq" and not (tag == "v" and freq >= 5000) and freq < 20000
