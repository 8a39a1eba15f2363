"""Blind batches of eval questions: the territory writers may use, checks of their drafts, the merge.

Writers read only the corpus. Each answer question must rest on a passage few earlier questions use, so
that a fresh batch measures how the system does on text nobody tuned for (evals/datasets/README.md).

    python evals/batch.py territory OUT_DIR --uses 2 --group A=08,09,10 --group B=12,13 ...
    python evals/batch.py check answers DRAFT.jsonl --territory OUT_DIR
    python evals/batch.py check compare DRAFT.jsonl
    python evals/batch.py merge answers|ooc|compare DRAFT.jsonl... --salt b41-

``territory`` writes, per group, a Markdown file listing the units (an article, or a group of paragraphs
in a text without article numbers) that at most ``--uses`` (and at least ``--least``) answer questions rest on, and ``units.json``
with their spans for ``check``. ``merge`` gives fresh answer, unanswerable and compare cases the split of any case they
are twins of (dropping those twinned with both splits); answer and unanswerable questions not twinned go to
test by the sha256 of salt + draft number (a fifth, or more where the file's blind share needs it), compare
cells not twinned to dev.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from advisor.evals.validate import _check_evidence, _check_facts, _grams, corpus_docs
from advisor.settings import PROJECT_ROOT

DATASETS = PROJECT_ROOT / "evals" / "datasets"
CORPUS = PROJECT_ROOT / "corpus"
ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇]+条")
HEADING = re.compile(r"^(#|第[一二三四五六七八九十百零〇]+[章节])")
MIN_UNIT = 200
MIN_FREE = 40  # a chapter heading alone is no passage to ask about


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(s) for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def units(body: str) -> list[tuple[int, int]]:
    """(start, end) spans of a body: one per article; without articles, paragraphs grouped to ≥ 200 chars."""
    lines = body.splitlines(keepends=True)
    starts, pos = [], 0
    articled = any(ARTICLE.match(s) for s in lines)
    size = 0
    for s in lines:
        stripped = s.strip()
        if articled:
            if ARTICLE.match(stripped) or HEADING.match(stripped):
                starts.append(pos)
        elif stripped and (HEADING.match(stripped) or size >= MIN_UNIT):
            starts.append(pos)
            size = 0
        size += len(stripped)
        pos += len(s)
    starts = sorted({0, *starts})
    spans = [(a, b) for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    return [(a, b) for a, b in spans if body[a:b].strip()]


def uses(docs: dict[str, tuple[str, str]]) -> dict[str, list[int]]:
    """Per document, how many answer questions rest on each unit."""
    spans = {d: units(body) for d, (_, body) in docs.items()}
    count = {d: [0] * len(s) for d, s in spans.items()}
    for case in _jsonl(DATASETS / "answers.jsonl"):
        hit: set[tuple[str, int]] = set()
        for d in [case["doc"], *(case.get("docs") or [])]:
            body = docs.get(d, ("", ""))[1]
            for ev in case.get("evidence") or []:
                at = body.find(ev)
                if at >= 0:
                    hit |= {(d, k) for k, (a, b) in enumerate(spans[d]) if a <= at < b}
        for d, k in hit:
            count[d][k] += 1
    return count


def territory(out: Path, most: int, groups: dict[str, list[str]], least: int = 0) -> None:
    docs = corpus_docs(CORPUS)
    count = uses(docs)
    out.mkdir(parents=True, exist_ok=True)
    allowed: dict[str, list[tuple[int, int]]] = {}
    for name, prefixes in groups.items():
        parts = [f"# Territory {name}: units {least} to {most} earlier questions use\n"]
        for d in sorted(docs):
            if not any(d.startswith(p) for p in prefixes):
                continue
            body = docs[d][1]
            spans = zip(units(body), count[d], strict=True)
            free = [
                (a, b, n) for (a, b), n in spans if least <= n <= most and len(body[a:b].strip()) >= MIN_FREE
            ]
            allowed[d] = [(a, b) for a, b, _ in free]
            parts.append(f"\n## {d} ({len(free)} units)\n")
            for k, (a, b, n) in enumerate(free, 1):
                parts.append(f"\n### {d} unit {k} (used by {n} earlier questions)\n\n{body[a:b].strip()}\n")
        (out / f"territory_{name}.md").write_text("".join(parts), encoding="utf-8")
        print(name, sum(len(allowed.get(d, [])) for d in docs if any(d.startswith(p) for p in prefixes)))
    (out / "units.json").write_text(json.dumps(allowed), encoding="utf-8")


def _twin_splits(draft: dict[str, Any], cases: list[dict[str, Any]]) -> set[str]:
    g = _grams(draft["question"])
    docs = {draft["doc"], *(draft.get("docs") or [])}
    out = set()
    for c in cases:
        shared = docs & {c.get("doc"), *(c.get("docs") or [])} and any(
            x in y or y in x for x in draft.get("evidence") or [] for y in c.get("evidence") or []
        )
        gc = _grams(c.get("question", ""))
        worded = bool(g and gc) and len(g & gc) / min(len(g), len(gc)) >= 0.5
        if shared or worded:
            out.add(c["split"])
    return out


def check(kind: str, path: Path, terr: Path | None) -> int:
    docs = corpus_docs(CORPUS)
    allowed = json.loads((terr / "units.json").read_text()) if terr else None
    bad = 0
    for n, r in enumerate(_jsonl(path), 1):
        errs: list[str] = []
        if kind == "answers":
            r.setdefault("id", f"a-draft{n}")
            errs = _check_evidence("answers", r, docs) + _check_facts(r, docs)
            if allowed is not None:
                body = docs.get(r.get("doc", ""), ("", ""))[1]
                for ev in r.get("evidence") or []:
                    at = body.find(ev)
                    if at >= 0 and not any(a <= at < b for a, b in allowed.get(r["doc"], [])):
                        errs.append(f"evidence outside the territory: {ev}")
        elif kind == "compare":
            from advisor.compare.topics import topic

            try:
                topic(r["topic"])
            except Exception as exc:  # any refusal of the topic is reported
                errs.append(f"topic refused: {exc}")
            titles = {_title(whole): body for whole, body in docs.values()}
            for e in r.get("expected") or []:
                body = titles.get(e.get("title", ""))
                if body is None:
                    errs.append(f"unknown title {e.get('title')}")
                elif e.get("fragment", "") not in body:
                    errs.append(f"fragment not in the text: {e.get('fragment')}")
        for e in errs:
            print(f"line {n}: {e}")
        bad += bool(errs)
    print(f"{bad} bad line(s)")
    return 1 if bad else 0


def _title(whole: str) -> str:
    m = re.search(r"^title:\s*(.+)$", whole, re.M)
    return m.group(1).strip().strip("\"'") if m else ""


def _next(rows: list[dict[str, Any]], prefix: str) -> int:
    return max(int(r["id"][len(prefix) :]) for r in rows) + 1


def merge_answers(drafts: list[dict[str, Any]], salt: str) -> None:
    answers, retrieval = _jsonl(DATASETS / "answers.jsonl"), _jsonl(DATASETS / "retrieval.jsonl")
    a, rn = _next(answers, "a"), _next(retrieval, "r")
    # a draft that shares no evidence or wording with a line goes to the blind split in salted-hash order
    # while the file's blind share is below a fifth (tests/evals/test_datasets.py), at least a fifth of them
    free = sorted(
        (hashlib.sha256(f"{salt}{n}".encode()).hexdigest(), n)
        for n, d in enumerate(drafts)
        if not _twin_splits(d, answers + retrieval)
    )
    tests = sum(r["split"] == "test" for r in answers)
    share = max(round(len(free) / 5), -(-(len(answers) + len(drafts)) // 5) - tests)
    blind = {n for _, n in free[: max(0, share)]}
    fresh: list[dict[str, Any]] = []
    placed: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}
    kept = collections.Counter()
    for n, d in enumerate(drafts):
        splits = _twin_splits(d, answers + retrieval + fresh)
        if len(splits) > 1:
            kept["dropped"] += 1
            continue
        split = splits.pop() if splits else ("test" if n in blind else "dev")
        case = {"id": f"a{a}", "split": split, "question": d["question"], "type": d["type"]}
        case |= {"facts": d["facts"], "evidence": d["evidence"], "doc": d["doc"]}
        if d.get("docs"):
            case["docs"] = d["docs"]
        twin = {"id": f"r{rn}", "split": split, "question": d["question"], "evidence": d["evidence"]}
        twin |= {"doc": d["doc"], **({"docs": d["docs"]} if d.get("docs") else {})}
        twin |= {"type": d["type"], "note": f"answers a{a}"}
        answers.append(case)
        retrieval.append(twin)
        fresh.append(case)
        kept[split] += 1
        placed[n] = (case, twin)
        a, rn = a + 1, rn + 1
    # … and drafts dropped as twins of both splits may leave it short: the next free drafts by hash make it up
    short = -(-len(answers) // 5) - sum(r["split"] == "test" for r in answers)
    for _, n in [(h, n) for h, n in free if n in placed and placed[n][0]["split"] == "dev"][: max(0, short)]:
        for line in placed[n]:
            line["split"] = "test"
        kept["dev"], kept["test"] = kept["dev"] - 1, kept["test"] + 1
    _write(DATASETS / "answers.jsonl", answers)
    _write(DATASETS / "retrieval.jsonl", retrieval)
    print(dict(kept), "answers", fresh[0]["id"] if fresh else "-", "to", fresh[-1]["id"] if fresh else "-")


def merge_ooc(drafts: list[dict[str, Any]], salt: str) -> None:
    rows = _jsonl(DATASETS / "out_of_corpus.jsonl")
    asked = [(_grams(r["question"]), r["split"]) for r in rows + _jsonl(DATASETS / "answers.jsonl")]
    keep, inherited = [], {}
    for n, d in enumerate(drafts):
        g = _grams(d["question"])
        splits = {sp for q, sp in asked if q and g and len(g & q) / min(len(g), len(q)) >= 0.5}
        if len(splits) > 1:
            print("dropped as a twin of both splits:", d["question"])
            continue
        if splits:
            inherited[n] = splits.pop()
        keep.append((hashlib.sha256(f"{salt}{n}".encode()).hexdigest(), n, d))
    free = sorted(t for t in keep if t[1] not in inherited)
    # the file's blind share must stay at least a fifth (tests/evals/test_datasets.py)
    tests = sum(r["split"] == "test" for r in rows) + sum(sp == "test" for sp in inherited.values())
    share = max(round(len(keep) / 5), -(-(len(rows) + len(keep)) // 5) - tests)
    test = {n for _, n, _ in free[: max(0, share)]} | {n for n, sp in inherited.items() if sp == "test"}
    o = _next(rows, "o")
    for _, n, d in sorted(keep, key=lambda t: t[1]):
        split = "test" if n in test else "dev"
        rows.append({"id": f"o{o}", "split": split, "question": d["question"], "why": d["why"],
                     "category": d["category"]})  # fmt: skip
        o += 1
    _write(DATASETS / "out_of_corpus.jsonl", rows)
    print(f"ooc: {len(keep) - len(test)} dev, {len(test)} test ({len(inherited)} twins), last o{o - 1}")


def merge_compare(drafts: list[dict[str, Any]]) -> None:
    rows = _jsonl(DATASETS / "compare.jsonl")
    pairs = collections.defaultdict(set)
    for r in rows:
        pairs[(r["region"], r["topic"])].add(r["split"])
    c = _next(rows, "c")
    kept = collections.Counter()
    for d in drafts:
        splits = set(pairs[(d["region"], d["topic"])])
        if len(splits) > 1:
            kept["dropped"] += 1
            continue
        split = splits.pop() if splits else "dev"
        rows.append({"id": f"c{c}", "split": split, "region": d["region"], "topic": d["topic"],
                     "expected": d["expected"], "expect_found": d["expect_found"],
                     "note": d.get("note", "")})  # fmt: skip
        pairs[(d["region"], d["topic"])].add(split)
        kept[split] += 1
        c += 1
    _write(DATASETS / "compare.jsonl", rows)
    print(dict(kept), f"compare, last c{c - 1}")


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("territory")
    t.add_argument("out", type=Path)
    t.add_argument("--uses", type=int, default=1)
    t.add_argument("--least", type=int, default=0, help="only units at least this many questions use")
    t.add_argument("--group", action="append", default=[], help="NAME=08,09,10 (file-name prefixes)")
    c = sub.add_parser("check")
    c.add_argument("kind", choices=["answers", "compare"])
    c.add_argument("file", type=Path)
    c.add_argument("--territory", type=Path)
    m = sub.add_parser("merge")
    m.add_argument("kind", choices=["answers", "ooc", "compare"])
    m.add_argument("files", type=Path, nargs="+")
    m.add_argument("--salt", default="")
    args = p.parse_args(argv)
    if args.cmd == "territory":
        groups = {g.split("=")[0]: g.split("=")[1].split(",") for g in args.group}
        territory(args.out, args.uses, groups, args.least)
        return 0
    if args.cmd == "check":
        return check(args.kind, args.file, args.territory)
    drafts = [r for f in args.files for r in _jsonl(f)]
    if args.kind == "answers":
        merge_answers(drafts, args.salt)
    elif args.kind == "ooc":
        merge_ooc(drafts, args.salt)
    else:
        merge_compare(drafts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
