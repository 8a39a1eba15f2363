"""``advisor bench`` step ``plan`` (issue 15 §7, §1–3; issue 16 §2): the extractive plan's time, how much
two city profiles change a plan, whether the 洛阳 plan cites both 河南 texts, and, with the local model,
how many of the seven sections it refines (verified) within the 180 s budget — with the time the
extractive draft was shown and the time each refined section arrived.

``python -m advisor.devtools.bench_plan [--out FILE]`` runs this step alone against the user's own data
dir (the shipped corpus ingested there) and prints its JSON."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from advisor.devtools.bench_core import Bench
from advisor.devtools.bench_env import load_avg
from advisor.evals.plans import differ_share
from advisor.settings import PROJECT_ROOT
from advisor.types import Plan

CITY = "洛阳"
HENAN = ("郑洛新国家自主创新示范区条例", "河南省促进高新技术产业发展条例")
BUDGET_S = 180.0
TARGET_REFINED = 4
DATASET = PROJECT_ROOT / "evals" / "datasets" / "plans.jsonl"


def dev_profiles() -> list[dict[str, Any]]:
    """The dev split's cases with a profile (the test split is reported only, never tuned on)."""
    cases = [json.loads(line) for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [c for c in cases if c.get("split") == "dev" and c.get("profile")]


def profile_difference(adv: Any) -> dict[str, Any]:
    """Per dev case: the share of recommendations that change when the same city gets the next case's
    profile (extractive plans), and the share of cited quotes that change."""
    cases = dev_profiles()
    rows = []
    for i, case in enumerate(cases):
        other = cases[(i + 1) % len(cases)]
        own = adv.plan(case["city"], profile=case["profile"], provider="extractive")
        swapped = adv.plan(case["city"], profile=other["profile"], provider="extractive")
        qa, qb = {c.quote for c in own.citations}, {c.quote for c in swapped.citations}
        rows.append(
            {
                "city": case["city"],
                "other_profile_of": other["city"],
                "recs_differ": round(differ_share(own, swapped), 3),
                "quotes_differ": round(len(qa ^ qb) / max(1, len(qa | qb)), 3),
            }
        )
    shares = [r["recs_differ"] for r in rows]
    return {
        "cases": rows,
        "recs_differ_mean": round(statistics.mean(shares), 3) if shares else None,
        "target": 0.4,
    }


def local_refinement(adv: Any, profile: dict[str, Any] | None, budget_s: float = BUDGET_S) -> dict[str, Any]:
    """One local-model plan: when the draft was shown, when each refined section arrived."""
    start = time.perf_counter()
    events: list[tuple[float, list[str]]] = []

    def on_update(plan: Plan) -> None:
        events.append(
            (round(time.perf_counter() - start, 1), [s.key for s in plan.sections if s.written_by == "model"])
        )

    final = adv.plan(CITY, profile=profile, provider="local", on_update=on_update, budget_s=budget_s)
    total = time.perf_counter() - start
    arrived: dict[str, float] = {}
    for t, keys in events:
        for k in keys:
            arrived.setdefault(k, t)
    within = [k for k, t in arrived.items() if t <= BUDGET_S]
    return {
        "draft_shown_s": events[0][0] if events else None,
        "refined_sections": len(arrived),
        "refined_within_180s": len(within),
        "target_refined": TARGET_REFINED,
        "section_arrived_s": arrived,
        "statuses": {s.key: s.status for s in final.sections},
        "log": final.log,
        "total_s": round(total, 1),
        "refine_timings_s": {k: v for k, v in final.timings.items() if k.endswith("refine_s")},
        "verification": final.verification.model_dump(),
        "load_avg_after": load_avg(),
    }


def plan(b: Bench) -> None:
    """The bench step (see the module docstring)."""
    profile = next((c["profile"] for c in dev_profiles() if c["city"] == CITY), None)
    with b.step("plan") as r:
        t0 = time.perf_counter()
        drafted = b.adv.plan(CITY, profile=profile, provider="extractive")
        r["extractive_s"] = round(time.perf_counter() - t0, 2)
        r["extractive_sections"] = len(drafted.sections)
        titles = {c.title for c in drafted.citations}
        r["cites_henan"] = {t: t in titles for t in HENAN}
        r["peer_measures"] = [p.title for s in drafted.sections for p in s.peers]
        r["profile_difference"] = profile_difference(b.adv)
        if b.quick or b.local_adv is None:
            r["local"] = "skipped (--quick or no local model)"
            return
        r["local"] = local_refinement(b.local_adv, profile)


def main() -> int:
    from advisor.generation.providers import resolve_provider
    from advisor.service import Advisor

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    b = Bench(args)
    b._adv = Advisor()  # the user's own index (make setup ingested the shipped corpus)
    if not args.quick:
        settings = b.user_settings.model_copy(update={"llm_provider": "local"})
        resolve_provider(settings, "local")
        b.local_adv = Advisor(settings=settings)
    plan(b)
    text = json.dumps(b.results.get("plan"), ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
