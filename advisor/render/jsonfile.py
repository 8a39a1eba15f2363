"""Plans and answers as JSON files: the explicit label (``ai_label``) and the implicit one
(``provenance``, see :func:`advisor.render.labeling.provenance`) come first, then the object's fields.

There is deliberately no option to leave either label out.
"""

from __future__ import annotations

import json

from advisor.render.labeling import ANSWER_LABEL, DOCUMENT_LABEL, canonical_json, provenance
from advisor.types import Answer, Plan


def _labeled_json(obj: Plan | Answer, label: str) -> str:
    data = obj.model_dump(mode="json")
    payload = {"ai_label": label, **data}
    prov = provenance(obj, canonical_json(payload))
    out = {"ai_label": label, "provenance": prov, **data}
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def plan_to_json(plan: Plan) -> str:
    """The plan as JSON: ``ai_label`` (explicit), ``provenance`` (implicit), then the plan's fields.

    ``Plan.model_validate`` the object after removing ``ai_label`` and ``provenance``.
    """
    return _labeled_json(plan, DOCUMENT_LABEL)


def answer_to_json(answer: Answer) -> str:
    """The answer as JSON: ``ai_label``, ``provenance``, then the answer's fields."""
    return _labeled_json(answer, ANSWER_LABEL)
