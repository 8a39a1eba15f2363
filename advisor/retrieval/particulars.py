"""The particular one a question asks for: which body a quoted term stands for (“市大数据管理机构”具体是哪个
单位), and who holds an office (谁当主任, who chairs). A text answers only when it says so: it identifies the
term, or names the office."""

from __future__ import annotations

import re

from advisor.retrieval.places_named import places_in

# Asks which particular one a term the question quotes stands for (“市大数据管理机构”具体是哪个单位, “…机构”
# 叫什么名字): a text that says so identifies it (…是指, …即, …为), naming it is not enough; which ones
# (具体指哪些, 具体是哪三个) asks for the members of a set, which a text names by listing them
_WHICH_ONE = re.compile(
    r"(?:具体|到底|究竟)(?:是|指)哪(?!些|几|[两二三四五六七八九十])|(?:叫|是)什么名(?:字|称)|名(?:称|字)(?:是|叫)什么|全称是什么|(?:编号|标准号)(?:和名称)?是(?:什么|多少)"
)
_QUOTED_TERM = re.compile(r"[“\"「]([^”\"」]{2,20})[”\"」]")
# … or a term the question points back at (这项行业标准的全称)
_POINTED_TERM = re.compile(
    r"(?:这个|这一|这项|这些|那个|那项|该)([\u4e00-\u9fff]{2,12}?)的?(?:编号|标准号|名称|全称)"
)


def identified_term(question: str) -> str:
    """The quoted or pointed-at term whose particular referent a question asks for ("" when it asks no
    such thing)."""
    if not _WHICH_ONE.search(question):
        return ""
    quoted = _QUOTED_TERM.findall(question) or _POINTED_TERM.findall(question)
    return quoted[-1] if quoted else ""


# … or which one operator, by its name (哪一家银行, which bank settles it): a text names one by its proper name,
# opening with a place (深圳数据交易所, 中国银行), not by its role (开户银行, 非银行支付机构)
_WHICH_OPERATOR = re.compile(
    r"哪一?家[\u4e00-\u9fff]{0,6}?(银行|支付机构|交易所)|\bwhich (bank|payment institution|exchange)\b", re.I
)
_EN_OPERATOR = {"bank": "银行", "payment institution": "支付机构", "exchange": "交易所"}


def unidentified(question: str, haystack: str) -> str:
    """The term whose particular referent the question asks and the passages do not give ("" if none)."""
    term = identified_term(question)
    if term and not identifies(term.lower(), haystack):
        return term
    m = _WHICH_OPERATOR.search(question)
    kind = (m.group(1) or _EN_OPERATOR[m.group(2).lower()]) if m else ""
    if kind and not any(_by_name(haystack, at.start()) for at in re.finditer(kind, haystack)):
        return kind
    return ""


def _by_name(text: str, at: int) -> bool:
    before = text[max(0, at - 8) : at]
    return bool(places_in(before)) or "中国" in before


def identifies(term: str, text: str) -> bool:
    """Whether ``text`` says what ``term`` is (term 是指/是/为/即/系 …, or term（name）), or names what it
    stands for before it (…数据发展主管部门或者…确定的其他部门（以下统称公共数据主管部门）)."""
    t = re.escape(term)
    return (
        re.search(rf"{t}\s*(?:是指|指的是|是|为|即|系|[（(:：])|(?:统称|简称)为?[“\"]?{t}", text) is not None
    )


# An English question for the person in a role (who chairs, who heads, who sits on): the texts name the
# role when they say who fills it
_EN_ROLE = {
    "director": ("主任", "负责人", "局长", "院长", "厅长", "处长"),
    "head": ("组长", "负责人", "主任", "局长", "院长", "厅长"),
    "chair": ("主任", "主席", "召集人", "组长"),
    "chairs": ("主任", "主席", "召集人", "组长"),
    "heads": ("组长", "负责人", "主任", "主席"),
    "sits on": ("成员", "委员", "组成"),
}
_EN_ROLE_ASKED = re.compile(
    r"\bwho\s+(chairs|heads|sits on)\b|\bwho (?:is|are|was) (?:the |its )?(?:current )?(director|head|chair)\b",
    re.I,
)
# … and a Chinese one for who holds an office (谁当主任, 负责人是谁, 由谁担任组长): the office is named
_ROLES = "副?主任(?:委员)?|副?组长|负责人|副?主席|召集人|秘书长|董事长|总经理|法定代表人|[院局厅处]长|一把手"
_ZH_ROLE_ASKED = re.compile(
    rf"谁(?:来|是|当|任|担任|出任)?({_ROLES})|({_ROLES})[）)”\"]?(?:是|由|为)[^，,。？?]{{0,6}}?(?:哪位|谁)|({_ROLES})(?:人选|名单)"
    rf"|哪位[^，,。？?]{{0,6}}?(?:来|当|任|担任|出任)({_ROLES})"  # 由哪位市领导担任主任
)
# An English question for a way to reach a body (its website, phone number, email): a text that gives one
# writes it (网址, 电话, an address on the web)
_BODY_EN = (
    r"(?:bod(?:y|ies)|agenc(?:y|ies)|organi[sz]ations?|institutions?|exchanges?|venues?|cent(?:re|er)s?"
    r"|offices?|committees?|bureaus?|departments?|platforms?|compan(?:y|ies)|banks?)[\"”]?"
)
_EN_CONTACT = (  # (the website of a platform, its phone number; not "which websites must label content")
    (
        re.compile(r"\b(?:the|its|their|official) (?:website|web ?address|url|homepage)\b", re.I),
        ("网址", "网站", "http", "www."),
    ),
    (
        re.compile(r"\b(?:the|its|their|official) (?:(?:tele)?phone|hotline)(?: number)?\b", re.I),
        ("电话", "热线"),
    ),
    (re.compile(r"\b(?:the|its|their|official) e-?mail(?: address)?\b", re.I), ("邮箱", "电子邮件", "@")),
    # … or a body's own name (the official name of the agency it sets up): a text that gives it says so
    # (名称, 全称, 以下简称); a text that only sets up "a promotion agency" names none
    (
        re.compile(
            r"\b(?:official|full|formal|exact) name of (?:the|that|this|its) (?:[\w\"'“”-]+ ){0,8}?"
            rf"{_BODY_EN}|\b{_BODY_EN}['’]s (?:official|full|formal|exact) name\b",
            re.I,
        ),
        ("名称", "全称", "简称"),
    ),
)


def asked_role(question: str) -> tuple[str, ...]:
    """The words for the office a question asks who holds (主任 … for "who chairs", 负责人 for 谁是负责人):
    a text that says who holds it names the office; or for the way to reach a body an English question
    asks (its website: 网址, an address on the web)."""
    m = _EN_ROLE_ASKED.search(question)
    if m:
        return _EN_ROLE[(m.group(1) or m.group(2)).lower()]
    z = _ZH_ROLE_ASKED.search(question)
    if z:
        role = next(g for g in z.groups() if g)
        return (role.removeprefix("副"),)
    contact = next((words for asks, words in _EN_CONTACT if asks.search(question)), ())
    attribute = _ATTRIBUTE_ASKED.search(question)  # … or what a person or body must hold (什么资质)
    english = _ATTRIBUTE_EN.search(question)
    held = (
        (attribute.group(1),)
        if attribute
        else _ATTRIBUTE_WORDS.get((english.group(1) or english.group(2)).lower(), ())
        if english
        else ()
    )
    return contact or held


# what qualification, schooling or staffing a person or body must have: a text that sets one names it
_ATTRIBUTE_ASKED = re.compile(r"(?:什么|哪些|哪种|何种|哪类)(?:样的)?(资质|学历|学位|网址|编制)")
_ATTRIBUTE_EN = re.compile(
    r"\b(?:what|which)\s+(?:[a-z-]+\s+){0,2}?(qualifications?|credentials?|degrees?)\b"
    r"|\b(?:educational|academic) (background)\b",  # … a person's schooling: 学历
    re.I,
)
_ATTRIBUTE_WORDS = {
    **dict.fromkeys(["qualification", "qualifications", "credential", "credentials"], ("资质", "资格")),
    **dict.fromkeys(["degree", "degrees", "background"], ("学历", "学位")),
}


# How a number or code is made up (备案编号的编码格式, 由哪几段组成, the format of the filing number): only a
# text that states its format answers — one requiring that a number be shown says nothing of its make-up
_FORMAT_ASKED = re.compile(
    r"(?:编号|代码|编码|标识码|号码)[^，,。？?]{0,6}?(?:格式|规则|怎么编|如何编|由哪几|由什么组成)"
    r"|模板|范本|\b(?:format|coding rules?|numbering rules?|templates?)\b",  # … or a form to fill in
    re.I,
)
_FORMAT_STATED = re.compile(r"格式|模板|范本|编码规则|编码方式|编号规则|位数|由[^。；;]{1,30}?(?:组成|构成)")


def asks_format(question: str) -> bool:
    return _FORMAT_ASKED.search(question) is not None


_CODE_NOUN = re.compile(r"编号|代码|编码|标识码|号码|\b(?:number|code|identifier)\b", re.I)


def states_format(text: str, question: str = "") -> bool:
    """Whether ``text`` states a make-up: a format word in a sentence naming the code the question asks
    about (内容编号: the sentence must name 编号; 文件元数据…编码格式 states the metadata's, not the number's)."""
    asked = [m.group(0) for m in _CODE_NOUN.finditer(question)] if question else []
    for sentence in re.split(r"(?<=[。；;！？\n])", text):
        if _FORMAT_STATED.search(sentence) and (
            not asked or any(a in _FORMAT_STATED.sub("", sentence) for a in asked)
        ):
            return True
    return False


# Which article or chapter says something (是第几条, 放在第几章, which article): a passage answers with its
# own number, which stands in its section, not in its words
_WHERE_STATED = re.compile(r"第几[条章节项部分]|哪一[条章节项]|\bwhich (?:article|chapter|item)\b", re.I)
_NUMBERED_PART = re.compile(r"第[一二三四五六七八九十百零〇]+[条章节]")
# … and which item of a plan (是第几项措施) by the plan's numbered part (五、加强…体系建设, （十）…)
_ITEM_ASKED = re.compile(r"第几[项部分]|哪一项|\bwhich item\b", re.I)
_NUMBERED_ITEM = re.compile(r"(?:^|>\s*)#*\s*[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）")


def asks_where_stated(question: str) -> bool:
    return _WHERE_STATED.search(question) is not None


def numbered_part(section: str, question: str = "") -> bool:
    """Whether a passage's section gives the number asked: an article's or chapter's, or, asked which item
    of a plan, the plan's numbered part."""
    item = _ITEM_ASKED.search(question) is not None and _NUMBERED_ITEM.search(section) is not None
    return item or _NUMBERED_PART.search(section) is not None


def numbered_where_asked(question: str, sections: list[str]) -> bool:
    """Whether a question asks which article, chapter or item says something, and a section answers."""
    return asks_where_stated(question) and any(numbered_part(s, question) for s in sections)
