"""Which body a question asks for (由哪个部门牵头, who is responsible) and the act it asks that body does:
the answering sentence must name a body doing it."""

from __future__ import annotations

import re
from collections.abc import Callable

from advisor.index.keyword import tokenize
from advisor.retrieval.figures import best_with_next, sentence_before
from advisor.text import sentences

# Asks which body acts (由哪个部门牵头, 谁负责, which authority): the answer names a body
_ASKS_BODY = re.compile(
    r"哪[个些家]?(?:部门|机构|单位|组织|机关)|由谁|谁(?:来)?(?:负责|牵头|组织|制定|运营|主管|审批|批准|监管|起草|担任)"
    r"|which (?:[a-z-]+ ){0,2}(?:body|bodies|authority|authorities|agency|agencies|department|departments"
    r"|organi[sz]ation|ministry|ministries|office)s?\b"  # which national agency
    r"|who (?:is (?:responsible|in charge|tasked)|leads|chairs|runs|operates|approves|drafts|organi[sz]es"
    r"|oversees|handles|coordinates|manages|supervises)",
    re.I,
)
# A body that can act: a department, government, committee, agency, office, centre, association, firm …
# (one character only ending a name: not 布局, 部署, 部分, 委托); BODY adds roles (提供者, 主体) naming none
NAMED_BODY = (
    r"部门|委员会|人民政府|政府|机构|机关|单位|办公室|小组|中心|协会|联盟|组织|公司|企业"
    r"|(?<![布格开])局(?![部面势])|厅|(?<!部)署|委(?![托员屈])|院|(?<![全内外局细])部(?![分署际位件])"
)
BODY = re.compile(rf"{NAMED_BODY}|提供者|运营者|处理者|经营者|主体")


def asks_body(question: str) -> bool:
    """Whether the question asks which body or department acts (由哪个部门牵头, who is responsible)."""
    return bool(_ASKS_BODY.search(question))


# The act a body is asked for (由哪个部门牵头组织实施, 哪家单位负责运营, 哪家机构受托管理): its words, less
# the words of any charge (负责, 牵头), which every duty shares
_BODY_ACT = re.compile(
    r"哪(?:一)?[个些家]?(?:部门|机构|单位|组织|机关)(?:来)?(?:负责|牵头|主管)?([\u4e00-\u9fff]{2,6})"
)
_ANY_CHARGE = frozenset(
    [
        "负责",
        "牵头",
        "主管",
        "管理",
        "处理",
        "办理",
        "什么",
        "哪些",
        "担任",
        "承担",
        "职责",
        "职能",
        "责任",
        "任务",
    ]
)
# … nor the other bodies it acts with (会同其他部门: the text's 有关部门), which no text words as the asker does
_FELLOW_BODIES = frozenset(["其他", "其它", "有关", "相关", "部门", "机构", "单位"])


_ACT_BEFORE_BODY = re.compile(  # … or names it before (授权运营交给了哪家机构)
    r"([\u4e00-\u9fff]{2,6}?)(?:工作)?(?:交给了?|交由|委托给?了?)哪(?:一)?[个些家]?(?:部门|机构|单位|组织|机关)"
)


def asked_act(question: str) -> list[str]:
    """The words of the act a question asks which body does (组织, 实施 in 由哪个部门牵头组织实施)."""
    m = _BODY_ACT.search(question) or _ACT_BEFORE_BODY.search(question)
    if not m:
        return []
    act = re.split(r"[？?，,。；]", m.group(1))[0]
    act = re.sub(r"^[来去]", "", act)  # 由哪个部门来管: 管, any charge
    # … not what it points back at (管这事, 负责这件事: the matter the question told), nor a pronoun or a
    # verb's direction (推荐自己的, 组织起来): the asker's grammar, which no text repeats
    import jieba.posseg

    tags = jieba.posseg.dt.word_tag_tab
    return [
        w
        for w in dict.fromkeys(tokenize(act))
        if len(w) > 1
        and w not in _ANY_CHARGE
        and w not in _FELLOW_BODIES
        and w[0] not in "这那此"
        and tags.get(w) != "r"
        and not _DIRECTION.fullmatch(w)
    ]


_DIRECTION = re.compile(r"[起出进回过上下开][来去]")


# which organisation (哪家单位运营, 在哪家机构任职) asks for one by its own name: a company, institute,
# exchange, centre or think tank named by more than the kind (甲子光年智库, 北京股权交易中心)
_WHICH_ORGANISATION = re.compile(
    r"哪家(?:单位|机构)|(?:名单|名录)[^。]{0,10}?哪些(?:单位|机构)"
)  # … on a list
_NAMED_ORGANISATION = re.compile(
    r"(?:(?![的和及与或等])[\u4e00-\u9fff]){4,}"  # (大数据相关的实验室 names none)
    r"(?:有限公司|公司|集团|研究院|研究所|智库|交易所|交易中心|大学|学院|银行|实验室|中心)"
)
# Asks which body a power is granted to (授权给哪家单位运营, 交给了哪家机构): the answer names the body
# after the granting verb, not the one granting (市人民政府可以开展…授权运营 names none), nor a role
# (授权主体, 被授权运营主体 say who may be one, not who is)
_GRANTED_ASK = re.compile(
    r"(?<!任务|工作|职责|事项)(?:授权|委托|交由|交给)给?了?哪"
)  # (a task handed: any body)
_GRANTED = re.compile(rf"(?:授权|委托|交由|交给)[^，,。；;]{{0,12}}?(?:{NAMED_BODY})")


def names_body(
    question: str, answering: list[str], top_text: str, used: Callable[[str], bool] = lambda _: True
) -> bool:
    """Whether a sentence that answers names a body doing the act asked (受托管理 of 由哪家机构受托管理:
    each of its characters, 处罚 in 处…罚款), or the next or previous sentence of the top passage's
    article does (本市建立重要数据目录管理机制…。重要数据的具体目录由市政府办公厅会同市网信等部门编制). An act all
    in words no text ``used`` (出面) is the asker's own: any body the answering sentence names does it
    (受托开展 still needs its 受托)."""
    acts = asked_act(question)
    acts = acts if any(map(used, acts)) else []
    acting = [*answering, best_with_next(question, top_text, after=1), sentence_before(question, top_text)]
    # … or any sentence of the top passage that says the whole act asked (提供相应的服务), however little
    # else of a long question it matches
    acting += [s for s in sentences(top_text) if acts and all(does(w, s) for w in acts)]
    if _WHICH_ORGANISATION.search(question):  # 哪家单位: one by its own name, not 市人民政府 or 专业机构
        return any(_NAMED_ORGANISATION.search(a) for a in [*acting, top_text])
    body = _GRANTED if _GRANTED_ASK.search(question) else BODY
    return any(body.search(a) and all(does(w, a) for w in acts) for a in acting)


def body_missing(
    question: str, answering: list[str], top_text: str, used: Callable[[str], bool], english: bool
) -> bool:
    """Whether the passages fail to name the body a question asks for (see :func:`names_body`); an English
    question's best sentence is not found this way, so it is not held to it."""
    return (
        not english
        and asks_body(question)
        and bool(answering)
        and not names_body(question, answering, top_text, used)
    )


ISSUING = frozenset(["出台", "制定", "制订", "印发", "发布", "颁布"])  # the verbs of issuing a text


def does(act: str, sentence: str) -> bool:
    """Whether ``sentence`` says the act: each of its characters (处罚 in 处…罚款), or a verb of its kind,
    one ending in its last character (搭建 by 构建, 审核 by 复核)."""
    import jieba.posseg as pseg

    if all(ch in sentence for ch in act):
        return True
    if act in ISSUING and any(v in sentence for v in ISSUING):  # 出台政策 by 制定政策: a text issued
        return True
    return len(act) == 2 and any(
        len(w) == 2 and w[-1] == act[-1] and w != act and tag.startswith("v") for w, tag in pseg.cut(sentence)
    )
