"""What a plan's reader is told about how it was drafted: per section, whether the model (verified) or
extraction wrote it; for the plan, the same in one line. Shown in the UI only, never in exported files —
a model timeout is a log event, not document content."""

from __future__ import annotations

from advisor.types import Plan, PlanSection

PEERS_HEADING = "对标借鉴"
EXTRACTIVE_STATUS = "抽取式（原文要点改写，未经大模型润色）"


def section_status(section: PlanSection) -> str:
    """The section's status line: its own status, or the plain extractive one."""
    if section.status:
        return section.status
    return "大模型润色（已核验）" if section.written_by == "model" else EXTRACTIVE_STATUS


def plan_status(plan: Plan) -> str:
    """起草方式 for the status line: never the model for a draft extraction wrote alone."""
    refined = sum(1 for s in plan.sections if s.written_by == "model")
    if not refined:
        return "抽取式（不调用大模型）"
    return f"抽取式初稿 + {plan.model} 润色 {refined}/{len(plan.sections)} 节（已核验）"


__all__ = ["EXTRACTIVE_STATUS", "PEERS_HEADING", "plan_status", "section_status"]
