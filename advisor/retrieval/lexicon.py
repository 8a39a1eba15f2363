"""How the passages word what a question names: a short form of their words (技改 of 技术改造, 自创 of
自主 创新) is their word, and a thing of a kind is named by a word ending in that kind (运营公司 is a 公司)."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from advisor.index.keyword import KeywordIndex, tokenize
from advisor.retrieval.asks import QUALIFIERS
from advisor.retrieval.sanctions import SANCTION
from advisor.text import ARTICLE_NUMBER
from advisor.types import Hit

SPANNED_WORDS = 3  # words a short form may span
ABBREVIATED = 3  # longest short form read as an abbreviation (技改 → 技术改造, 自创区 → 自主创新示范区)
_CONSEQUENCE_NOUNS = frozenset(["后果", "下场"])
_LIST_NOUNS = frozenset(["名单", "目录", "名录", "清单"])
_HAN_WORD = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=8)
def passage_words(haystack: str) -> tuple[str, ...]:
    """The passages' words in order, as jieba's dictionary cuts them (自主 创新 示范区, 技术改造); cut
    once per question however many checks read them."""
    import jieba

    return tuple(jieba.lcut(haystack, HMM=False))


def across_words(term: str, words: tuple[str, ...]) -> bool:
    """A two-character dictionary word the passages hold only across two of their words (作文 in
    制作 文本): they do not use it."""
    import jieba

    if len(term) != 2 or not _HAN.fullmatch(term) or not jieba.dt.FREQ.get(term):
        return False
    return not any(term in w for w in words)


_HAN = re.compile(r"[\u4e00-\u9fff]+")


def short_for(term: str, words: tuple[str, ...]) -> bool:
    """Whether ``term`` is a Chinese short form in the passages (see ``long_form``)."""
    return bool(long_form(term, words))


def long_form(term: str, words: tuple[str, ...]) -> str:
    """The passages' words ``term`` is a Chinese short form of, made as abbreviations are: the first
    characters of consecutive words (自创 of 自主 创新), or its characters in order in one longer word
    that starts with the same one (技改 of 技术改造), or a four-character word's halves opening and closing
    two words in a row, the middle left out (党政干部 of 党政领导 干部). "" when it is none."""
    n = len(term)
    if n == 4 and _HAN_WORD.fullmatch(term):
        head, tail = term[:2], term[2:]
        for a, b in pairwise(words):
            if a.startswith(head) and b.endswith(tail) and a + b != term:
                return a + b
    if not 2 <= n <= ABBREVIATED or not _HAN_WORD.fullmatch(term):
        return ""
    pattern = re.compile(".*".join(map(re.escape, term)))
    for i, w in enumerate(words):
        if w[:1] != term[0]:
            continue
        if len(w) > n and pattern.match(w):
            return w
        # … or across a name of a few words from its first character to its last (高新区 of 高新技术
        # 产业 开发区)
        for k in range(2, SPANNED_WORDS + 1 if n == ABBREVIATED else 0):
            span = words[i : i + k]
            if len(span) == k and span[-1].endswith(term[-1]) and pattern.match("".join(span)):
                return "".join(span)
        run = words[i : i + n]
        if (
            len(run) == n
            and all(x[:1] == c for x, c in zip(run, term, strict=True))
            and max(map(len, run)) > 1
        ):
            return "".join(run)
    return ""


def halves_in(term: str, texts: list[str]) -> bool:
    """Whether a four-character compound's two halves are both in one of ``texts`` (a retrieved
    document's passages): the asker put two of its words together (视频文件 where it says 视频…文件)."""
    return len(term) == 4 and any(term[:2] in t and term[2:] in t for t in texts)


COMMON_SHARE = 0.5  # a word in more than this share of the corpus's documents (管理, 条例) names no topic


def compound_of_retrieved(term: str, hits: list[Hit], keyword: KeywordIndex) -> bool:
    """Whether the asker put two words of what was retrieved together: the halves of a four-character
    compound in one passage, or in one document's passages when neither half is a word most documents
    use (视频文件 where a labelling rule says 视频 in one article and 文件 in another; never 管理条例)."""
    if halves_in(term, [h.text for h in hits]):
        return True
    # … or an everyday word no text uses before the head noun of one of theirs (聊天记录 where a passage
    # says 使用记录): the asker's own kind of the thing the passage names
    if (
        len(term) == 4
        and not keyword.occurs(term[:2])
        and any(re.search(rf"[\u4e00-\u9fff]{{2}}{re.escape(term[2:])}", h.text) for h in hits[:6])
    ):
        return True
    if len(term) != 4 or any(keyword.document_share(h) > COMMON_SHARE for h in (term[:2], term[2:])):
        return False
    docs = dict.fromkeys(h.doc_id for h in hits)
    return halves_in(term, ["\n".join(h.text for h in hits if h.doc_id == d) for d in docs])


DOCUMENT_KINDS = frozenset(["文件", "政策", "法规", "文件名"])  # which document: every passage is one


# a noun of rank (层级, 类别, 级别, 种类, 门类, 层次) or of a part (板块): what it asks for are words ending in
# its first character (能源层、算力层; 主板、创业板)
_RANK_NOUN = re.compile(r"[层类级种门档板][级次别类面块]")
# the laws a text rests on (上位法, 法律依据) are named as laws: 《中华人民共和国网络安全法》
_LAW_NOUN = re.compile(r"上位法?|法律依据|依据的法律|法律法规")
_QUOTED_LAW = re.compile(r"《[^》]*法》")
# … and articles (条款, 条文) by their numbers (违反本规定第七条、第八条)
_ARTICLE_NOUN = frozenset(["条款", "条文", "条目"])
_AREA_NOUN = re.compile(r"区域|片区|区块|园区")
_ZONE_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:示范区|试验区|实验区|合作区|开发区|高新区|新区|片区|科学城|科技城|园区|产业园)"
)
_TITLE_NOUNS = frozenset(["标题", "题目", "章名", "节名"])
_HEADING = re.compile(
    r"(?m)^\s*(?:#+\s*\S|[一二三四五六七八九十]+、\S|第[一二三四五六七八九十]+[章节部分]\s*\S)"
)
_RULES_NOUN = re.compile(r"(?:实施|具体)?细则|(?:具体|实施)?规则")
_RULES_NAME = re.compile(r"[\u4e00-\u9fff]{1,8}(?:规则|细则|办法)")
_UPHELD = re.compile(r"(?:^|[。；\n*])\s*\**坚持[\u4e00-\u9fff]{2,12}[。，；*]")
# … and the noun ends a word where punctuation or a particle follows it (以…为主线，), however jieba cuts it
_WORD_END = "(?=[^\u4e00-\u9fff]|[的和及与或等])"


_MEANS = re.compile(r"([\u4e00-\u9fff]{2})(?:手段|方式|方法|办法|措施|途径)")


def names_kind(noun: str, haystack: str) -> bool:
    """Whether the passages name something of the kind ``noun``: a word that is it or ends in it (运营公司
    is a 公司; 公司制 is a 制, a form of organisation, and names no company), or its full name where the
    noun is a short form (高新技术产业开发区 for 高新区); every passage names the document it is from."""
    if noun in DOCUMENT_KINDS or (_LAW_NOUN.fullmatch(noun) and _QUOTED_LAW.search(haystack)):
        return True
    if noun in _ARTICLE_NOUN and ARTICLE_NUMBER.search(haystack):
        return True
    # … and trades (行业, 产业) by a list of words ending in 业 (农业、制造业、建筑)
    if noun in ("行业", "产业") and re.search(r"[\u4e00-\u9fff]{1,3}业、[\u4e00-\u9fff]{1,3}业", haystack):
        return True
    # … and principles as 坚持… clauses (坚持创新驱动。…坚持应用牵引。)
    if noun == "原则" and len(_UPHELD.findall(haystack)) >= 2:
        return True
    # 层级 are named by a list of words ending in its 层 (能源层、算力层) or its 级 (区域级、企业级)
    if _RANK_NOUN.fullmatch(noun) and noun not in haystack:
        return any(
            re.search(rf"[\u4e00-\u9fff]{{2}}{c}[、和及与][\u4e00-\u9fff]{{1,3}}{c}", haystack)
            for c in {re.escape(noun[0]), *(["级"] if "级" in noun else [])}
        )
    # areas (哪几个片区, 哪些区域) by the names of zones (…合作区, …科学城, …试验区)
    if _AREA_NOUN.fullmatch(noun) and _ZONE_NAME.search(haystack):
        return True
    # detailed rules (细则) by the rules, measures or provisions a body is to make (具体规则，由…制定)
    if _RULES_NOUN.fullmatch(noun) and _RULES_NAME.search(haystack):
        return True
    # a qualified noun (特殊政策) by the noun it qualifies
    if len(noun) >= 4 and noun.startswith(QUALIFIERS) and noun not in haystack:
        return names_kind(noun[2:], haystack)
    # a list by any word for one (名单 by a 目录 or 清单 the text names)
    if noun in _LIST_NOUNS and any(k in haystack for k in _LIST_NOUNS):
        return True
    # what follows a wrong (后果, 下场) by the sanction a passage sets for it (责令改正, 依法给予处分)
    if noun in _CONSEQUENCE_NOUNS and SANCTION.search(haystack):
        return True
    # a part's title (第三部分的标题) by the headings of the passages (三、强化基础支撑能力, 第二章 …)
    if noun in _TITLE_NOUNS and _HEADING.search(haystack):
        return True
    if noun not in haystack:
        # its two words written apart (法律法规 as 法律、法规)
        if len(noun) == 4 and re.search(f"{noun[:2]}[、和及与或]{noun[2:]}", haystack):
            return True
        # a list of its kind that ends in 等 and the head word (科技保险、专利保险等产品 names 保险产品)
        if any(re.search(f"{noun[:i]}等{noun[i:]}", haystack) for i in range(2, len(noun) - 1)):
            return True
        # … a means of some kind by a list of its kind (技术手段: 技术创新、技术对抗等方式)
        means = _MEANS.fullmatch(noun)
        if means and re.search(f"{means.group(1)}[\u4e00-\u9fff]{{1,4}}、{means.group(1)}", haystack):
            return True
        return short_for(noun, passage_words(haystack))
    if re.search(re.escape(noun) + _WORD_END, haystack):
        return True
    words = passage_words(haystack)
    return any(w.endswith(noun) for w in words if noun in w) or _cut_as_word(noun, words)


def _cut_as_word(noun: str, words: tuple[str, ...]) -> bool:
    """A noun jieba's dictionary lacks (专板) is cut into its characters: the passages use it as a word
    where those cuts begin and end a run of words (专精特新 专 板 建设), not inside one (…专 板材)."""
    import jieba

    if jieba.dt.FREQ.get(noun):
        return False
    text, at = "".join(words), 0
    bounds = {0}
    for w in words:
        at += len(w)
        bounds.add(at)
    return any(m.start() in bounds and m.end() in bounds for m in re.finditer(re.escape(noun), text))


def offered_kinds(noun: str, question: str, keyword: KeywordIndex) -> list[str]:
    """The kinds a question offers beside ``noun`` (哪些园区或者科学城: 科学城): naming one answers it,
    unless most documents use it (哪些国家或企业: every text names 企业)."""
    import jieba

    m = re.search(rf"{re.escape(noun)}(?:或者|或是|或|还是|以及|和|及|与|、)", question)
    offered = jieba.lcut(question[m.end() :])[:1] if m else []
    return [k for k in offered if keyword.document_share(k) <= COMMON_SHARE]


SIBLING_CONTEXT = 4  # characters after a question's word that must recur after its sibling
_GRADES = "型级类档批次"  # the characters that make a grade, size, class or ordinal (大型, 省级, 一类, 第二批, 第一次)
_NUMERAL = re.compile(r"第?[一二两三四五六七八九十百几\d]+")  # … of a count or an ordinal (一批, 第二批)


def _grade(term: str) -> bool:
    """Whether ``term`` names one grade (大型, 省级, 第二批), not grading itself (类型, 档次: a kind of it)."""
    return term[-1] in _GRADES and term[-2] not in _GRADES


def sibling_of(term: str, question: str, haystack: str) -> str:
    """The passages' word of the same kind as a missing ``term`` where the question has it: 中型 for 大型
    when the question asks about large firms of a kind the passages only grade 中型 and 小微型 (another
    grade, level or size of the same thing: a word ending in 型, 级, 类, 档 or 批). "" when there is none."""
    if not 2 <= len(term) <= 3 or not _HAN_WORD.fullmatch(term) or not _grade(term):
        return ""
    at = question.find(term)
    context = question[at + len(term) : at + len(term) + SIBLING_CONTEXT] if at >= 0 else ""
    if len(context) < SIBLING_CONTEXT or not _HAN_WORD.fullmatch(context) or term + context in haystack:
        return ""
    kind = re.escape(term[-1])
    counted = _NUMERAL.fullmatch(term[:-1]) is not None  # 一批 is a count: its sibling is 两批, never 审批
    for m in re.finditer(rf"([\u4e00-\u9fff]{{1,2}}){kind}{re.escape(context)}", haystack):
        if counted and not _NUMERAL.fullmatch(m.group(1)):
            continue
        if m.group(1) != term[:-1] and not term[:-1].endswith(m.group(1)):
            return m.group(1) + term[-1]
    return ""


def sibling_named(term: str, question: str, haystack: str) -> str:
    """A grade the question lists itself (中型和小微型) where the passages give it but not ``term``, which
    they lack (报告给了中型和小微型的权重，那大型的呢: 中型): the asker knows the text covers those and asks
    for the one it leaves out. "" when there is none."""
    if not 2 <= len(term) <= 3 or not _HAN_WORD.fullmatch(term) or not _grade(term) or term in haystack:
        return ""
    if _level_named(term, haystack):
        return ""
    counted = _NUMERAL.fullmatch(term[:-1]) is not None  # a count's sibling is a count (一批: 两批, not 审批)
    for word in dict.fromkeys(tokenize(question)):
        if (
            2 <= len(word) <= 3
            and word[-1] == term[-1]
            and (not counted or _NUMERAL.fullmatch(word[:-1]) is not None)
            and word != term
            and not term.endswith(word)
            and not word.endswith(term)
            and word in haystack
            and re.search(
                rf"{re.escape(word)}[和、与及]|[和、与及][\u4e00-\u9fff]?{re.escape(word)}", question
            )
        ):
            return word
    return ""


_LEVELS = "省市区县乡镇村"  # administrative levels: 区级 is what the texts call 区 (区公共数据主管部门)


def _level_named(term: str, haystack: str) -> bool:
    """Whether the passages speak of the administrative level ``term`` grades by its bare name: its
    bodies (区人民政府, 区公共数据主管部门, 市、区有关部门) or each of its units (各区)."""
    if len(term) != 2 or term[1] != "级" or term[0] not in _LEVELS:
        return False
    level = term[0]
    return (
        re.search(
            rf"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[市省县、和及与各本])){level}"
            rf"(?:人民政府|政府|[\u4e00-\u9fff]{{0,8}}?(?:部门|机构))|各{level}",
            haystack,
            re.M,
        )
        is not None
    )


_SORTS = _GRADES + "式"  # … and a manner (显式, 隐式: two ways of one thing)
_ASKING = "几哪多何啥"  # a grade asked (几级联动): the text's grade (三级) answers it


def for_another_grade(question: str, text: str) -> bool:
    """Whether ``text`` speaks of another grade or manner of a thing the question grades (显式标识 where
    it asks about 隐式标识) and not of the question's own: a figure there is that other one's."""
    for m in re.finditer(rf"(?=([\u4e00-\u9fff][{_SORTS}])([\u4e00-\u9fff]{{2}}))", question):
        word, context = m.group(1), m.group(2)
        if word[0] in _SORTS or word[0] in _ASKING or word in text:
            continue
        # (a grade the question names itself, 中型 beside 小微型, may be the one asked)
        others = {o.group(1) + word[-1] for o in re.finditer(rf"([\u4e00-\u9fff]){word[-1]}{context}", text)}
        if any(other != word and other not in question for other in others):
            return True
    return False
