"""Loading the JSONL eval datasets and choosing a subset for ``--limit``."""

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


def load(name: str, datasets_dir: Path | None = None) -> list[dict[str, Any]]:
    """All cases of dataset ``name`` (a key of :data:`FILES`)."""
    path = (datasets_dir or DATASETS_DIR) / FILES[name]
    if not path.is_file():
        raise FileNotFoundError(f"评测数据集不存在：{path}")
    cases = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cases.append(json.loads(line))
        except ValueError as exc:
            raise ValueError(f"{path.name} 第 {i} 行不是有效的 JSON：{exc}") from None
    return cases


def subset(cases: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """``limit`` cases spread evenly over the file (so a subset still mixes types), or all for 0."""
    if limit <= 0 or limit >= len(cases):
        return list(cases)
    step = len(cases) / limit
    return [cases[int(i * step)] for i in range(limit)]


def doc_stems(adv: Any) -> dict[str, str]:
    """doc_id → file stem (the dataset's ``doc`` naming) for every indexed document."""
    return {doc_id: Path(meta.path).stem for doc_id, meta in adv.snapshot.docs.items() if meta.path}
