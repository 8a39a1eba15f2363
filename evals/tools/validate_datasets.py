import collections
import glob
import json
import os
import sys
from pathlib import Path

ROOT = "/work/main"
DS = f"{ROOT}/evals/datasets"
docs = {}
for p in glob.glob(f"{ROOT}/corpus/report/*.txt") + glob.glob(f"{ROOT}/corpus/policies/[0-9]*.md"):
    docs[os.path.splitext(os.path.basename(p))[0]] = Path(p).read_text(encoding="utf-8")
allt = list(docs.values())
errs, warns = [], []


def load(name):
    rows = []
    for n, line in enumerate(Path(f"{DS}/{name}").read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except Exception as e:
            errs.append(f"{name}:{n} bad json {e}")
    return rows


def req(name, r, fields):
    for f in fields:
        if f not in r:
            errs.append(f"{name} {r.get('id')} missing {f}")


def occ(s):
    return sum(t.count(s) for t in allt)


def check_ev(name, r, unique):
    d = r["doc"]
    if d not in docs:
        errs.append(f"{name} {r['id']} unknown doc {d}")
        return
    if not 1 <= len(r["evidence"]) <= 3:
        errs.append(f"{name} {r['id']} evidence count {len(r['evidence'])}")
    for s in r["evidence"]:
        if "\n" in s:
            errs.append(f"{name} {r['id']} newline in evidence")
        if not 8 <= len(s) <= 40:
            errs.append(f"{name} {r['id']} evidence len {len(s)}: {s}")
        if s not in docs[d]:
            errs.append(f"{name} {r['id']} evidence NOT in {d}: {s}")
        elif unique and occ(s) > 1:
            warns.append(f"{name} {r['id']} evidence occurs {occ(s)}x in corpus: {s}")


ids = collections.Counter()
# retrieval
R = load("retrieval.jsonl")
for r in R:
    req("retrieval", r, ["id", "question", "evidence", "doc", "type"])
    ids[r["id"]] += 1
    if r["type"] not in {"fact", "paraphrase", "multi", "english"}:
        errs.append(f"{r['id']} bad type")
    if r["type"] == "multi" and len(r["evidence"]) < 2:
        errs.append(f"{r['id']} multi needs >=2 evidence")
    check_ev("retrieval", r, True)
# answers
A = load("answers.jsonl")
for r in A:
    req("answers", r, ["id", "question", "facts", "evidence", "doc"])
    ids[r["id"]] += 1
    check_ev("answers", r, True)
    t = docs.get(r["doc"], "")
    if not 1 <= len(r["facts"]) <= 4:
        errs.append(f"{r['id']} facts count")
    for f in r["facts"]:
        if not 2 <= len(f) <= 12:
            errs.append(f"{r['id']} fact len: {f}")
        if f not in t:
            errs.append(f"answers {r['id']} fact NOT in {r['doc']}: {f}")
            continue
        # fact must be in the evidence passage: within 300 chars of an evidence occurrence
        near = False
        for s in r["evidence"]:
            i = t.find(s)
            while i >= 0:
                if f in t[max(0, i - 300) : i + len(s) + 300]:
                    near = True
                    break
                i = t.find(s, i + 1)
        if not near:
            errs.append(f"answers {r['id']} fact not within 300 chars of evidence: {f}")
# ooc
OOC = load("out_of_corpus.jsonl")
for r in OOC:
    req("ooc", r, ["id", "question", "why", "category"])
    ids[r["id"]] += 1
    if r["category"] not in {"off-topic", "near-miss", "specific-number", "other-city"}:
        errs.append(f"{r['id']} bad category")
# plans
P = load("plans.jsonl")
for r in P:
    req(
        "plans",
        r,
        [
            "id",
            "city",
            "province",
            "kind",
            "profile",
            "expect_province_content",
            "expect_policy_docs",
            "note",
        ],
    )
    ids[r["id"]] += 1
    if r["kind"] not in {
        "provincial-capital",
        "megacity",
        "western",
        "small-prefecture",
        "report-province",
        "county-level",
        "municipality",
    }:
        errs.append(f"{r['id']} bad kind")
    for s in r["expect_province_content"]:
        if s not in docs["jiazi-2023-local-gov-ai-industry-strategy"]:
            errs.append(f"plans {r['id']} province content not in report: {s}")
    for d in r["expect_policy_docs"]:
        if d not in docs:
            errs.append(f"plans {r['id']} unknown policy doc {d}")
    if r["profile"] is not None:
        for k in [
            "pillar_industries",
            "universities",
            "compute",
            "parks",
            "funds",
            "strengths",
            "constraints",
        ]:
            if k not in r["profile"]:
                errs.append(f"plans {r['id']} profile missing {k}")
        if any(ch.isdigit() for ch in json.dumps(r["profile"], ensure_ascii=False)):
            warns.append(f"plans {r['id']} profile contains digits")
for i, c in ids.items():
    if c > 1:
        errs.append(f"duplicate id {i}")
# summary
rep = "jiazi-2023-local-gov-ai-industry-strategy"
print(
    f"retrieval: {len(R)}  types={dict(collections.Counter(r['type'] for r in R))}  report={sum(r['doc'] == rep for r in R)} policies={sum(r['doc'] != rep for r in R)}"
)
print("  per doc:", dict(sorted(collections.Counter(r["doc"][:2] for r in R).items())))
print(
    f"answers: {len(A)}  report={sum(r['doc'] == rep for r in A)} policies={sum(r['doc'] != rep for r in A)}"
)
print("  per doc:", dict(sorted(collections.Counter(r["doc"][:2] for r in A).items())))
print(f"out_of_corpus: {len(OOC)}  categories={dict(collections.Counter(r['category'] for r in OOC))}")
print(
    f"plans: {len(P)}  kinds={dict(collections.Counter(r['kind'] for r in P))}  with_profile={sum(r['profile'] is not None for r in P)}"
)
print(f"ERRORS: {len(errs)}")
[print("  E", e) for e in errs]
print(f"WARNINGS: {len(warns)}")
[print("  W", w) for w in warns]
sys.exit(1 if errs else 0)
