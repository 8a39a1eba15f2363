"""A question about "the report" (这份报告, 报告认为…, 报告在资金这一环…) is about the think-tank report,
not the national opinion that speaks of the same money: the report's passages are composed first. 报告
as a verb (向主管部门报告, 定期报告情况) names no document, and a question naming another text by its title
(…条例要求向谁报告？报告里…) is about that text."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.retrieval.doc_names import names_document
from advisor.types import Hit

REPORT_LEVEL = "think-tank"
_THE_REPORT = re.compile(
    r"(?:这份|该|那份|此|本|这篇|那篇|甲子光年?的?|智库的?)报告"
    r"|(?<!向)报告(?=里|中|上|认为|建议|提出|指出|说|讲|给|对|在|怎么|如何|有没有|是否|把|提到|列举"
    r"|的(?:第|观点|建议|判断|方法论|思路))"
)


def names_the_report(question: str, snapshot: Snapshot) -> bool:
    """Whether ``question`` speaks of the report as a document, and names no other text by its title."""
    if not _THE_REPORT.search(question):
        return False
    return not any(
        m.level != REPORT_LEVEL and names_document(question, m.title) for m in snapshot.docs.values()
    )


def report_first(question: str, hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
    """``hits`` of the report alone when the question is about the report and at least ENOUGH of them
    are the report's (the asker wants what it says, not what another text says on the same matter);
    with the report's few ahead of the rest otherwise; unchanged for any other question."""
    if not names_the_report(question, snapshot):
        return hits
    ours = [h for h in hits if h.meta.get("level") == REPORT_LEVEL]
    if len(ours) >= ENOUGH and not _COMPARES.search(question):
        return ours
    return [*ours, *(h for h in hits if h.meta.get("level") != REPORT_LEVEL)] if ours else hits


ENOUGH = 2  # report passages that answer on their own
_COMPARES = re.compile(
    r"相比|对比|比较|异同|区别|不同|一致|相同|差别|差异"
)  # … the report against another text
