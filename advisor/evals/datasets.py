"""Loading the JSONL eval datasets, choosing a split and a subset for ``--limit``.

Every dataset line carries ``"split": "dev"`` or ``"split": "test"`` (``evals/datasets/README.md``): dev
questions may be looked at and tuned on, test questions are a blind set that is only measured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from advisor.settings import PROJECT_ROOT

DATASETS_DIR = PROJECT_ROOT / "evals" / "datasets"
BASELINES_DIR = PROJECT_ROOT / "evals" / "baselines"
FILES = {
    "retrieval": "retrieval.jsonl",
    "answers": "answers.jsonl",
    "out_of_corpus": "out_of_corpus.jsonl",
    "plans": "plans.jsonl",
}
SPLITS = ("dev", "test")
SPLIT_CHOICES = ("all", *SPLITS)
SPLIT_LABELS = {"all": "全部", "dev": "开发集", "test": "测试集"}


def split_of(case: dict[str, Any]) -> str:
    """The case's split; a line without one counts as dev (it cannot be a blind test question)."""
    return str(case.get("split") or "dev")


def check_split(split: str) -> str:
    if split not in SPLIT_CHOICES:
        raise ValueError(f"未知的数据划分 {split!r}：可选 dev / test / all")
    return split


def load(name: str, datasets_dir: Path | None = None, split: str = "all") -> list[dict[str, Any]]:
    """The cases of dataset ``name`` (a key of :data:`FILES`) in ``split`` (``dev``, ``test`` or ``all``)."""
    check_split(split)
    path = (datasets_dir or DATASETS_DIR) / FILES[name]
    if not path.is_file():
        raise FileNotFoundError(f"评测数据集不存在：{path}")
    cases = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"{path.name} 第 {i} 行不是有效的 JSON：{exc}") from None
        if split_of(case) not in SPLITS:
            raise ValueError(f"{path.name} 第 {i} 行的 split 只能是 dev 或 test：{case.get('split')!r}")
        if split == "all" or split_of(case) == split:
            cases.append(case)
    return cases


def in_index(cases: list[dict[str, Any]], stems: set[str]) -> list[dict[str, Any]]:
    """The cases whose documents are indexed: an eval over part of the corpus (the tests' fixed subset)
    leaves out the questions about documents it lacks instead of scoring them as misses. With the full
    corpus indexed, every case stays."""

    def wanted(case: dict[str, Any]) -> list[str]:
        return [case["doc"]] if case.get("doc") else list(case.get("expect_policy_docs") or [])

    return [c for c in cases if all(stem in stems for stem in wanted(c))]


def subset(cases: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """``limit`` cases spread evenly over the file (so a subset still mixes types), or all for 0."""
    if limit <= 0 or limit >= len(cases):
        return list(cases)
    step = len(cases) / limit
    return [cases[int(i * step)] for i in range(limit)]


def docs_of(case: dict[str, Any]) -> list[str]:
    """The document stems a case draws on: ``docs`` for a comparison across documents, else ``[doc]``."""
    docs = case.get("docs") or ([case["doc"]] if case.get("doc") else [])
    return [str(d) for d in docs]


def doc_stems(adv: Any) -> dict[str, str]:
    """doc_id → file stem (the dataset's ``doc`` naming) for every indexed document."""
    return {doc_id: Path(meta.path).stem for doc_id, meta in adv.snapshot.docs.items() if meta.path}
