"""Where a document states facts about itself. A question about a document (when it takes effect, its
文号, what it repeals, when it was adopted or published) is answered by one line of that document, often
its last article or the signature block, whose words share little with the question; retrieval adds
the chunk holding that line so the answer, the sources panel and grounding all see it."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.retrieval.doc_names import EN_KINDS
from advisor.text import sentences
from advisor.types import Hit

ASKS_RECIPIENTS = re.compile(r"发给|发至|下发|主送|印送|sent to|addressed to|distributed to", re.I)
# (what the question asks, how the line stating it reads)
ASPECTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(r"施行|生效|实施|effective|into force|in force|take effect", re.I),
        re.compile(r"起(?:施行|实施|生效)|施行日期"),
    ),
    (
        re.compile(r"文号|发文字号|号令|第几号|令号|document (?:number|no\b)|reference number", re.I),
        re.compile(r"〔\d{4}〕\d+号|令第\s*\d+\s*号|第\s*\d+\s*号令|^第\s*\d+\s*号$"),
    ),
    (re.compile(r"废止|repeal", re.I), re.compile(r"废止")),
    (  # a text's term of validity (有效期三年, 有效期至…): stated beside its date of effect
        re.compile(r"有效期|有效期限|\bvalid (?:for|until)\b|\bvalidity\b|\bexpires?\b", re.I),
        re.compile(r"有效期"),
    ),
    (  # a notice is addressed to bodies on its first line: "各省、自治区、直辖市网信办、通信管理局……："
        ASKS_RECIPIENTS,
        re.compile(r"^各[^。；]{2,300}：$"),
    ),
    (re.compile(r"通过|adopted", re.I), re.compile(r"会议.{0,6}通过|审议通过")),
    (  # a 令 or notice states its date of publication on a line of its own, under the signature
        re.compile(r"公布|发布|印发|published|issued|promulgated", re.I),
        re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|(?:公布|发布|印发)(?:日期|时间)"),
    ),
)
# … and the clauses a text states its legal basis and its scope in (根据《…》，制定本规定; 在本省行政区域内
# 从事…活动，适用本条例): asked as 上位法, 依据哪些法律, what it applies to
OWN_CLAUSES = (
    (
        re.compile(
            r"上位法|法律依据|(?:依据|根据)[^，,。？?；]{0,8}(?:法律|法规)|legal basis|based on (?:which|what) laws?",
            re.I,
        ),
        re.compile(r"根据[^。]{2,200}?制定本(?:条例|规定|办法|细则|措施)"),
    ),
    (
        re.compile(
            r"适用范围|适用于哪|适用哪些|\bscope of (?:application|(?:the|this|these|its) \w+)"
            r"|\bwhat (?:does|do) [^?]{3,80} (?:apply to|cover)\s*\??$|\bwhich activities does [^?]{3,80} cover\b",
            re.I,
        ),
        re.compile(
            r"(?<!不)适用本(?:条例|规定|办法|细则)(?!第)|本(?:条例|规定|办法|细则)适用于"
            r"|在本(?:省|市|自治区)[^。]{2,150}遵守本(?:条例|规定|办法)"  # 在本省…从事…，应当遵守本条例
        ),
    ),
    (  # … and its purpose (立法目的, what it is meant to serve): 为了…，制定本条例 / 为…，现提出如下意见
        re.compile(
            r"立法(?:目的|宗旨)|制定(?:这部|这个|该|本)?[^，,。？?]{0,12}?的?(?:目的|宗旨|初衷)"
            r"|为(?:什么|啥|何)要?(?:制定|出台)(?:这部|这个|该)?[^，,。？?]{0,12}(?:条例|办法|规定|规划|意见|方案)"
            r"|\bpurposes? (?:of|behind) (?:the |this |these |its )?(?:[\w'-]+ ){0,10}"
            rf"(?:{EN_KINDS})\b"
            rf"|\b(?:{EN_KINDS})\b[^?]{{0,40}}\b(?:meant|intended|designed) to (?:serve|achieve)\b"
            r"|\bwhy (?:was|were|did) [^?]{3,100}\b(?:enacted|adopted|formulated|drawn up)\b",
            re.I,
        ),
        re.compile(
            r"为了?[^。]{2,200}?(?:制定本(?:条例|规定|办法|细则|措施|规划|方案)|现(?:提出|就)[^。]{0,12}(?:如下|以下)意见)"
        ),
    ),
)
ASPECTS += OWN_CLAUSES
MAX_LINE = 200


def asks_own_clause(question: str) -> bool:
    """Whether a question asks a text's legal basis, scope or purpose, which its own clause states."""
    return any(asks.search(question) for asks, _ in OWN_CLAUSES)


def stating_lines(question: str, doc_id: str, snapshot: Snapshot) -> list[tuple[str, str]]:
    """(chunk id, line) of each line of the document that states a fact the question asks for."""
    wanted = [answer for asks, answer in ASPECTS if asks.search(question)]
    found: list[tuple[str, str]] = []
    for rec in snapshot.chunks_of(doc_id) if wanted else []:
        for sent in sentences(rec.text):
            line = sent.strip()
            if len(line) <= MAX_LINE and any(p.search(line) for p in wanted):
                found.append((rec.chunk_id, line))
    return found


def stating_chunks(question: str, doc_ids: list[str], snapshot: Snapshot, per_doc: int = 1) -> list[str]:
    """For each document, in order, the first chunks that state what the question asks about it."""
    out: list[str] = []
    for doc_id in doc_ids:
        chunks = list(dict.fromkeys(cid for cid, _ in stating_lines(question, doc_id, snapshot)))
        out += [c for c in chunks[:per_doc] if c not in out]
    return out


_ANY_NUMBER = re.compile(
    r"〔\d{4}〕\d+号|第\s*[\d〇一二三四五六七八九十百]+\s*号"
)  # …〔2024〕113号, 公告第55号


def number_missing(question: str, passages: list[Hit]) -> bool:
    """Whether the question asks a text's 文号 and neither its front matter nor its passages give one (a
    local regulation is adopted by a people's congress and numbered by no office)."""
    return bool(ASPECTS[1][0].search(question) and passages) and not any(
        h.meta.get("doc_number") or _ANY_NUMBER.search(h.text) for h in passages
    )
