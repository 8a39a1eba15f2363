"""Questions about what happens to someone who breaks a rule (会被怎么罚, 要承担什么责任, what penalty
applies): only a passage that states a sanction answers one. Many texts set duties with no liability
chapter at all (a promotion regulation asks 商场 to offer Wi-Fi and punishes no one), and the article that
sets the duty is the closest passage to the question, so without this check it would be quoted as if it
answered."""

from __future__ import annotations

import re

from advisor.retrieval.asks import from_first_ask
from advisor.types import Hit

# asked in the clause that asks: 会被怎么罚, 有什么处罚, 要承担什么法律责任, 罚不罚, what penalty, be fined
# (惩罚性赔偿 is a kind of damages a text may set up, no sanction asked for)
_ASKED = re.compile(
    r"处罚|罚则|惩罚(?!性)|惩处|惩戒(?!机制|制度|体系)|罚款|罚金|被罚|[怎咋]么罚|罚不罚|罚多少|法律责任|追责|问责|追究.{0,4}责任|连带(?:赔偿)?责任|赔偿责任"
    r"|\bpenalt(?:y|ies)\b|\bpunish(?:ed|ment|es)?\b|\bsanction(?:s|ed)?\b|\bfined?\b(?!-)|\bliabilit(?:y|ies)\b",
    re.I,
)
# a passage that states one: a fine, an order, a warning, a confiscation, a disciplinary measure, a referral
# to the law that punishes, or liability under it
SANCTION = re.compile(
    r"罚款|罚金|处以|[处给]予?[^。；]{0,12}(?:罚|警告|处分)|警告|责令|没收|吊销|撤销[^。；]{0,10}(?:资格|许可|资质)"
    r"|暂停[^。；]{0,10}(?:业务|服务|资格|试点)|终止[^。；]{0,8}(?:试点|资格)|处分|通报批评|追究[^。；]{0,10}责任"
    r"|依法(?:予以)?(?:处理|处罚|查处)|法律责任|信用(?:记录|档案|惩戒)|列入[^。；]{0,10}名单"
    r"|惩罚性赔偿|(?:承担|依法)[^。；]{0,6}赔偿责任"  # damages punishing an infringer, liability to pay
    # … or one that decides liability the other way: an exemption answers "会不会被追责" as well
    r"|免(?:除|于|予)?[^。；]{0,8}责任|免责|不予追究|不追究|不作负面评价|从轻|减轻|尽职(?:履责|尽责)?的|予以核销"
)


def asks_sanction(question: str) -> bool:
    """Whether a question asks what sanction follows a breach (in a clause that asks: the asker's
    background, 企业曾受过行政处罚，还能申报吗, asks none)."""
    return _ASKED.search(from_first_ask(question)) is not None


# a sanction asked of the people behind a breach (对法定代表人个人怎么处罚, 直接负责的主管人员) …
_PERSONS = r"法定代表人|负责人|主管人员|责任人员|工作人员"
_PERSON_ASKED = re.compile(rf"{_PERSONS}|(?<!和|或)个人(?!信息|数据|隐私)")
# … is stated only where a sentence punishes such a person (对直接负责的主管人员…依法给予处分)
_PERSON = re.compile(rf"{_PERSONS}|从业人员|个人(?!信息|数据|隐私)")


def states_sanction(hits: list[Hit], question: str = "") -> bool:
    """Whether one of ``hits`` states a sanction (of a person, when ``question`` asks one of a person:
    a text fining the company says nothing of its legal representative)."""
    if not (question and _PERSON_ASKED.search(from_first_ask(question))):
        return any(SANCTION.search(h.text) for h in hits)
    return any(
        SANCTION.search(s) and _PERSON.search(s) for h in hits for s in re.split(r"(?<=[。；])", h.text)
    )
