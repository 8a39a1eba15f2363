"""Which body a question asks for (由哪个部门牵头, who is responsible) and the act it asks that body does:
the answering sentence must name a body doing it."""

from __future__ import annotations

import re

from advisor.index.keyword import tokenize

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
    # … not what it points back at (管这事, 负责这件事: the matter the question told)
    return [
        w
        for w in dict.fromkeys(tokenize(act))
        if len(w) > 1 and w not in _ANY_CHARGE and w not in _FELLOW_BODIES and w[0] not in "这那此"
    ]
