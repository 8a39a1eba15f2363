"""The load test of issue 15: simulated users asking questions at once on this machine, with the real
local model behind the worker queue.

Each simulated user asks its questions one after another (a short pause between them, as a person
reads) through ``Advisor.ask_stream``, the path the web chat takes. Per answer it records: the time to
the first verified answer (the first ``Shown`` event), whether the model's improvement replaced it and
when, why not otherwise (``Answer.refinement``), the queue positions it was shown, and retractions — a
shown, non-provisional answer whose text the final answer drops without being its verified
improvement. Run with one user (how often the model improves an answer within 30 s) and with three (the
extractive answer must still come at once; improvements are skipped, not waited for).

``advisor bench`` runs it as a step; ``python -m advisor.devtools.bench_load`` runs it alone.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from pathlib import Path
from typing import Any

from advisor.devtools.bench_env import DATASETS, load_avg, say

IMPROVE_WITHIN_S = 30.0
THINK_S = 2.0


def dev_questions(limit: int, offset: int = 0) -> list[str]:
    """Answerable dev-split questions (never the test split: figures here are tuned on)."""
    path = DATASETS / "answers.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    qs = [str(r["question"]) for r in rows if r.get("split") == "dev" and r.get("question")]
    step = max(1, len(qs) // max(1, limit + offset))
    picked = qs[offset * step :: step]
    return picked[:limit]


def one_answer(adv: Any, question: str, provider: str) -> dict[str, Any]:
    """Ask once, watching every event; the record of what the user saw and when."""
    from advisor.qa.events import Queued, Shown

    t0 = time.perf_counter()
    first_s: float | None = None
    shown_text, provisional = "", False
    queued: list[tuple[int, float]] = []
    final: Any = None
    for event in adv.ask_stream(question, provider=provider):
        if isinstance(event, Queued):
            queued.append((event.ahead, event.wait_s))
        elif isinstance(event, Shown):
            if first_s is None:
                first_s = time.perf_counter() - t0
            if event.final:
                final = event.answer
            else:
                shown_text, provisional = event.answer.text, event.provisional
    total = time.perf_counter() - t0
    refined = final is not None and final.refinement == "refined"
    retracted = bool(shown_text) and not provisional and not refined and final.text != shown_text
    return {
        "question": question,
        "first_s": round(first_s or total, 3),
        "total_s": round(total, 2),
        "refinement": final.refinement if final is not None else "missing",
        "improved_within_s": refined and total <= IMPROVE_WITHIN_S,
        "authorship": dict(final.authorship) if final is not None else {},
        "grounded": bool(final is not None and final.grounded),
        "off_topic_dropped": final.verification.off_topic_dropped if final is not None else 0,
        "queued": queued,
        "retracted": retracted,
    }


def simulate(adv: Any, users: int, per_user: int, provider: str = "local") -> dict[str, Any]:
    """``users`` threads, each asking ``per_user`` questions (different ones) with a pause between."""
    records: list[dict[str, Any]] = []
    lock = threading.Lock()
    pool = dev_questions(users * per_user)

    def user(i: int) -> None:
        for question in pool[i::users][:per_user]:
            rec = one_answer(adv, question, provider)
            rec["user"] = i
            with lock:
                records.append(rec)
            time.sleep(THINK_S)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=user, args=(i,), name=f"bench-user-{i}") for i in range(users)]
    for t in threads:
        t.start()
        time.sleep(0.2)  # people do not press enter in the same millisecond
    for t in threads:
        t.join()
    return summarise(records, users, time.perf_counter() - t0)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def summarise(records: list[dict[str, Any]], users: int, seconds: float) -> dict[str, Any]:
    firsts = [r["first_s"] for r in records]
    grounded = [r for r in records if r["grounded"]]
    reasons: dict[str, int] = {}
    for r in records:
        reasons[r["refinement"]] = reasons.get(r["refinement"], 0) + 1
    return {
        "users": users,
        "answers": len(records),
        "seconds": round(seconds, 1),
        "first_answer_p50_s": _pct(firsts, 0.5),
        "first_answer_p95_s": _pct(firsts, 0.95),
        "improved_within_30s_share": round(sum(r["improved_within_s"] for r in grounded) / len(grounded), 3)
        if grounded
        else 0.0,
        "refinement": reasons,
        "retractions": sum(r["retracted"] for r in records),
        "off_topic_dropped": sum(r["off_topic_dropped"] for r in records),
        "max_queue_shown": max((a for r in records for a, _ in r["queued"]), default=0),
        "load_avg_end": load_avg(),
        "records": records,
    }


def gate_failures(adv: Any, answer: Any) -> int:
    """Model-written recommendations of a final answer that neither share a key term of the question
    nor cite one of its top two passages (an independent re-check of the relevance gate)."""
    from advisor.retrieval.grounding import question_terms

    if answer.authorship.get("建议") != "model":
        return 0
    question = answer.standalone_question or answer.question
    terms = question_terms(question)
    top = {h.chunk_id for h in adv.retrieve(question, k=2)}
    quotes = {c.n: c for c in answer.citations}
    failures = 0
    for rec in answer.recommendations:
        cited = [quotes[n] for n in rec.citations if n in quotes]
        text = " ".join([rec.title, rec.detail, *(c.quote for c in cited)]).lower()
        if not any(c.chunk_id in top for c in cited) and terms and not any(t.lower() in text for t in terms):
            failures += 1
    return failures


def _drained(adv: Any, timeout_s: float = 120.0) -> None:
    """Wait until the local model's queue is empty (a cancelled generation finishes its prompt first)."""
    worker = getattr(adv.llm("local"), "worker", None)
    end = time.monotonic() + timeout_s
    while worker is not None and worker.queue_status().ahead and time.monotonic() < end:
        time.sleep(0.5)


def eval_subset(adv: Any, limit: int, split: str = "test") -> dict[str, Any]:
    """Fact recall on ``limit`` answerable cases of the answers eval (spread over the file), extractive
    and with the local model, counted as ``advisor eval`` counts it; plus relevance-gate re-checks."""
    from advisor.evals.datasets import load as load_cases
    from advisor.evals.datasets import subset
    from advisor.evals.metrics import contains

    cases = subset(load_cases("answers", split=split), limit)
    rows = []
    for case in cases:
        facts = list(case.get("facts") or [])
        row: dict[str, Any] = {"id": case["id"], "facts": len(facts)}
        for provider in ("extractive", "local"):
            if provider == "local":
                _drained(adv)  # quality, not load: every case gets the model to itself
            t0 = time.perf_counter()
            ans = adv.ask(case["question"], provider=provider)
            found = sum(contains(ans.text, f) for f in facts)
            row[provider] = {
                "recall": found / len(facts) if facts else None,
                "seconds": round(time.perf_counter() - t0, 2),
                "refinement": ans.refinement,
                "grounded": ans.grounded,
                "off_topic_dropped": ans.verification.off_topic_dropped,
                "gate_failures": gate_failures(adv, ans),
            }
        rows.append(row)
        say(
            f"eval {case['id']}: {row['extractive']['recall']} → {row['local']['recall']} ({row['local']['refinement']})"
        )

    def mean(provider: str) -> float:
        values = [r[provider]["recall"] for r in rows if r[provider]["recall"] is not None]
        return round(sum(values) / len(values), 3) if values else 0.0

    local = [r["local"] for r in rows]
    return {
        "split": split,
        "cases": len(rows),
        "fact_recall_extractive": mean("extractive"),
        "fact_recall_local": mean("local"),
        "refined": sum(r["refinement"] == "refined" for r in local),
        "refinement": {k: sum(r["refinement"] == k for r in local) for k in {r["refinement"] for r in local}},
        "off_topic_dropped": sum(r["off_topic_dropped"] for r in local),
        "gate_failures": sum(r["gate_failures"] for r in local),
        "rows": rows,
    }


def load(bench: Any) -> None:
    """The ``advisor bench`` step: 1 user, then 3 users, on the local model (skipped without it)."""
    adv = bench.local_adv
    if adv is None:
        bench.note("load test skipped: the local model step did not run")
        return
    for users, per_user in ((1, 8), (3, 3)):
        with bench.step(f"load_{users}_users") as rec:
            rec.update(simulate(adv, users, per_user))


def main(argv: list[str] | None = None) -> int:
    from advisor.service import Advisor
    from advisor.settings import Settings

    parser = argparse.ArgumentParser(description="advisor load test: simulated users, real local model")
    parser.add_argument("--users", default="1,3", help="comma-separated user counts, run in turn (or none)")
    parser.add_argument("--per-user", type=int, default=3, help="questions each user asks")
    parser.add_argument("--single-user-questions", type=int, default=10)
    parser.add_argument("--provider", default="local")
    parser.add_argument("--out", default="bench/load.json")
    parser.add_argument("--eval", type=int, default=0, help="also run N answers-eval cases (test split)")
    args = parser.parse_args(argv)
    adv = Advisor(settings=Settings())
    say("warming up (model load, prompt prefix)")
    adv.warm_up()
    if args.provider == "local":
        from advisor.qa.answer import prime_local_model

        prime_local_model(adv.llm("local"))
    results: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "load_avg_start": load_avg()}
    for users in (int(u) for u in args.users.split(",") if u.strip()):
        per_user = args.single_user_questions if users == 1 else args.per_user
        say(f"{users} user(s) × {per_user} questions")
        results[f"users_{users}"] = simulate(adv, users, per_user, args.provider)
        summary = {k: v for k, v in results[f"users_{users}"].items() if k != "records"}
        say(json.dumps(summary, ensure_ascii=False))
    if args.eval:
        say(f"answers eval, {args.eval} test-split cases, extractive and local")
        results["eval"] = ev = eval_subset(adv, args.eval)
        say(json.dumps({k: v for k, v in ev.items() if k != "rows"}, ensure_ascii=False))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
