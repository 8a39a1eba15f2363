"""政策诊断: a city's draft policy checked against the report's methodology and the national texts."""

from advisor.diagnose.checklist import Element, load_checklist
from advisor.diagnose.report import DiagnoseError, diagnose

__all__ = ["DiagnoseError", "Element", "diagnose", "load_checklist"]
