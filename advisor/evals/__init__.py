"""Eval suites (retrieval, answers, plans), their metrics, reports and the baseline gate.

Entry points: :func:`run_suites` (Python / web app), :func:`latest_report`, :func:`run_cli`
(``advisor eval``). Metric definitions: ``evals/README.md``.
"""

from advisor.evals.runner import SUITES, latest_report, run_cli, run_suites, update_baseline

__all__ = ["SUITES", "latest_report", "run_cli", "run_suites", "update_baseline"]
