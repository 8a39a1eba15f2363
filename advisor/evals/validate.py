"""Validation of the eval datasets against the corpus, and their counts per type and split.

``python -m advisor.evals.validate [DATASETS_DIR] [CORPUS_DIR]`` prints the counts and every error and
exits 1 when there is one; ``tests/evals/test_datasets.py`` runs the same checks. The rules are the ones
``evals/datasets/README.md`` states: field names and values, unique ids with the file's prefix, verbatim
evidence that occurs exactly once in the corpus (front matter is not indexed, so evidence must be in a
document's body), answer facts within 300 characters of an evidence string, and **twins in one split**:
answer and retrieval cases that share an evidence passage or are worded alike must have the same split,
so tuning on a dev case never tunes on its test twin.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path
from typing import Any

from advisor.evals.datasets import DATASETS_DIR, FILES, SPLITS, docs_of
from advisor.settings import PROJECT_ROOT

RETRIEVAL_TYPES = frozenset(
    {"fact", "paraphrase", "multi", "english", "mixed", "metadata", "list", "compare", "numeric"}
)
ANSWER_TYPES = frozenset({"fact", "paraphrase", "metadata", "list", "compare", "numeric", "english", "mixed"})
OOC_CATEGORIES = frozenset({"near-domain", "near-miss", "off-topic", "specific-number", "other-city"})
PLAN_KINDS = frozenset(
    {"provincial-capital", "megacity", "western", "small-prefecture", "report-province", "county-level",
     "municipality"}
)  # fmt: skip
PREFIX = {"retrieval": "r", "answers": "a", "out_of_corpus": "o", "plans": "p"}
MANY = frozenset({"list", "compare", "multi"})  # types that may carry up to 6 evidence strings / facts
FACT_WINDOW = 300
REPORT = "jiazi-2023-local-gov-ai-industry-strategy"


def corpus_docs(corpus_dir: Path) -> dict[str, tuple[str, str]]:
    """file stem → (whole file, body without YAML front matter) for the report and the policies."""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(corpus_dir.glob("report/*.txt")) + sorted(corpus_dir.glob("policies/[0-9]*.md")):
        text = path.read_text(encoding="utf-8")
        body = text
        if text.startswith("---\n"):
            end = text.find("\n---\n", 4)
            body = text[end + 5 :] if end > 0 else text
        out[path.stem] = (text, body)
    return out


def load_all(datasets_dir: Path) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    errors: list[str] = []
    for name, file in FILES.items():
        rows[name] = []
        path = datasets_dir / file
        if not path.is_file():
            errors.append(f"{file}: missing")
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                rows[name].append(json.loads(line))
            except ValueError as exc:
                errors.append(f"{file}:{n}: bad JSON ({exc})")
    return rows, errors


def _near(text: str, needle: str, fact: str) -> bool:
    i = text.find(needle)
    while i >= 0:
        if fact in text[max(0, i - FACT_WINDOW) : i + len(needle) + FACT_WINDOW]:
            return True
        i = text.find(needle, i + 1)
    return False


def _grams(question: str) -> set[str]:
    q = re.sub(r"\s+", "", question)
    return {q[i : i + 4] for i in range(len(q) - 3)}


def _check_evidence(name: str, r: dict[str, Any], docs: dict[str, tuple[str, str]]) -> list[str]:
    errs: list[str] = []
    rid = r.get("id")
    stems = docs_of(r)
    if r.get("docs") and (len(stems) < 2 or r.get("doc") not in stems):
        errs.append(f"{name} {rid}: docs must list ≥ 2 documents including doc")
    for d in stems:
        if d not in docs:
            errs.append(f"{name} {rid}: unknown doc {d}")
    evidence = r.get("evidence") or []
    most = 6 if r.get("type") in MANY else 3
    if not 1 <= len(evidence) <= most:
        errs.append(f"{name} {rid}: {len(evidence)} evidence strings (1–{most})")
    if r.get("type") in ("multi", "compare") and len(evidence) < 2:
        errs.append(f"{name} {rid}: a {r.get('type')} case needs ≥ 2 evidence strings")
    for s in evidence:
        if "\n" in s or not 8 <= len(s) <= 40:
            errs.append(f"{name} {rid}: evidence must be one line of 8–40 characters: {s!r}")
        if not any(s in docs[d][1] for d in stems if d in docs):
            errs.append(f"{name} {rid}: evidence not in the body of {stems}: {s}")
        count = sum(whole.count(s) for whole, _ in docs.values())
        if count > 1:
            errs.append(f"{name} {rid}: evidence occurs {count}× in the corpus: {s}")
    return errs


def _check_facts(r: dict[str, Any], docs: dict[str, tuple[str, str]]) -> list[str]:
    errs: list[str] = []
    facts = r.get("facts") or []
    most = 6 if r.get("type") in MANY else 4
    if not 1 <= len(facts) <= most:
        errs.append(f"answers {r.get('id')}: {len(facts)} facts (1–{most})")
    bodies = [docs[d][1] for d in docs_of(r) if d in docs]
    for f in facts:
        if not 2 <= len(f) <= 14:
            errs.append(f"answers {r.get('id')}: fact must be 2–14 characters: {f}")
        if not any(_near(body, s, f) for body in bodies for s in r.get("evidence") or []):
            errs.append(
                f"answers {r.get('id')}: fact not within {FACT_WINDOW} characters of an evidence string: {f}"
            )
    return errs


def _check_plan(r: dict[str, Any], docs: dict[str, tuple[str, str]]) -> list[str]:
    errs: list[str] = []
    if r.get("kind") not in PLAN_KINDS:
        errs.append(f"plans {r.get('id')}: bad kind {r.get('kind')!r}")
    report = docs.get(REPORT, ("", ""))[1]
    errs += [
        f"plans {r.get('id')}: province content not in the report: {s}"
        for s in r.get("expect_province_content") or []
        if s not in report
    ]
    errs += [
        f"plans {r.get('id')}: unknown policy doc {d}"
        for d in r.get("expect_policy_docs") or []
        if d not in docs
    ]
    return errs


REQUIRED = {
    "retrieval": ("id", "split", "question", "evidence", "doc", "type"),
    "answers": ("id", "split", "question", "type", "facts", "evidence", "doc"),
    "out_of_corpus": ("id", "split", "question", "why", "category"),
    "plans": (
        "id",
        "split",
        "city",
        "province",
        "kind",
        "profile",
        "expect_province_content",
        "expect_policy_docs",
    ),
}


def twin_errors(cases: list[dict[str, Any]]) -> list[str]:
    """Answer/retrieval cases that share an evidence passage or wording but not a split."""
    grams = [_grams(c.get("question", "")) for c in cases]
    docs = [set(docs_of(c)) for c in cases]
    errs = []
    for i, a in enumerate(cases):
        for j in range(i + 1, len(cases)):
            b = cases[j]
            if a.get("split") == b.get("split"):
                continue
            shared = docs[i] & docs[j] and any(
                x in y or y in x for x in a.get("evidence") or [] for y in b.get("evidence") or []
            )
            ga, gb = grams[i], grams[j]
            worded = bool(ga and gb) and len(ga & gb) / min(len(ga), len(gb)) >= 0.5
            if shared or worded:
                errs.append(
                    f"twins in different splits: {a['id']} ({a.get('split')}) / {b['id']} ({b.get('split')})"
                )
    return errs


def validate(datasets_dir: Path | None = None, corpus_dir: Path | None = None) -> list[str]:
    """Every problem found in the datasets (an empty list when they are valid)."""
    rows, errors = load_all(datasets_dir or DATASETS_DIR)
    docs = corpus_docs(corpus_dir or PROJECT_ROOT / "corpus")
    ids: collections.Counter[str] = collections.Counter()
    allowed = {"retrieval": RETRIEVAL_TYPES, "answers": ANSWER_TYPES}
    for name, cases in rows.items():
        for r in cases:
            rid = str(r.get("id", ""))
            ids[rid] += 1
            errors += [f"{name} {rid}: missing {f}" for f in REQUIRED[name] if f not in r]
            if not rid.startswith(PREFIX[name]):
                errors.append(f"{name} {rid}: id must start with {PREFIX[name]!r}")
            if r.get("split") not in SPLITS:
                errors.append(f"{name} {rid}: split must be dev or test, not {r.get('split')!r}")
            if name in allowed:
                if r.get("type") not in allowed[name]:
                    errors.append(f"{name} {rid}: bad type {r.get('type')!r}")
                errors += _check_evidence(name, r, docs)
            if name == "answers":
                errors += _check_facts(r, docs)
            elif name == "out_of_corpus":
                if r.get("category") not in OOC_CATEGORIES:
                    errors.append(f"out_of_corpus {rid}: bad category {r.get('category')!r}")
                if not str(r.get("why", "")).strip():
                    errors.append(f"out_of_corpus {rid}: empty why")
            elif name == "plans":
                errors += _check_plan(r, docs)
    errors += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    errors += twin_errors(rows["answers"] + rows["retrieval"])
    return errors


def counts(datasets_dir: Path | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """file → type / category / kind → {"dev": n, "test": n}."""
    rows, _ = load_all(datasets_dir or DATASETS_DIR)
    field = {"retrieval": "type", "answers": "type", "out_of_corpus": "category", "plans": "kind"}
    out: dict[str, dict[str, dict[str, int]]] = {}
    for name, cases in rows.items():
        table: dict[str, dict[str, int]] = {}
        for r in cases:
            cell = table.setdefault(str(r.get(field[name], "")), dict.fromkeys(SPLITS, 0))
            cell[str(r.get("split"))] = cell.get(str(r.get("split")), 0) + 1
        out[name] = dict(sorted(table.items()))
    return out


def main(argv: list[str]) -> int:
    datasets_dir = Path(argv[0]) if argv else None
    corpus_dir = Path(argv[1]) if len(argv) > 1 else None
    for name, table in counts(datasets_dir).items():
        dev = sum(c["dev"] for c in table.values())
        test = sum(c["test"] for c in table.values())
        print(f"{FILES[name]}: {dev + test} (dev {dev}, test {test})")
        for key, c in table.items():
            print(f"  {key}: dev {c['dev']}, test {c['test']}")
    errors = validate(datasets_dir, corpus_dir)
    for e in errors:
        print(f"ERROR {e}")
    print(f"{len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
