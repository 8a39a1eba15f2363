"""Same question, same index, same answer: results must not depend on the process (issue 19).

Two fresh processes with different ``PYTHONHASHSEED`` values answer the same questions and draft the same
plans (extractive provider) against one copy of the shipped index. Their Markdown must be byte-identical
once the generation time is taken out, and so must their hybrid and dense rankings: a difference there is
the earliest sign of process-dependent state (a ``set`` iterated into an order, or a vector index that each
process rebuilds in its own order).

This file is also the worker: ``python tests/test_determinism.py DATA_DIR OUT.json`` writes the outputs.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.integration

QUESTIONS = (
    "山东省数字新型基础设施建设包括哪些？",
    "政府怎样用基金扶持处在早期阶段的人工智能公司？",
    "提供生成式人工智能服务的企业要承担哪些安全责任？",
    "深度合成的内容应当怎样标注？",
    "各地建设智能计算中心可以得到哪些支持？",
    "数字经济促进条例怎样规定数据要素的开发利用？",
    "人工智能产业发展面临哪些挑战？",
    "周末去哪里钓鱼比较好？",  # not in the corpus: the refusal path
)
CITIES = ("长沙", "无锡")
SEEDS = ("1", "2")

# What legitimately differs between two runs: when the text was generated.
_VOLATILE = (
    (re.compile(r"^generated_at:.*$", re.M), "generated_at: -"),
    (re.compile(r"^content_id:.*$", re.M), "content_id: -"),  # hashes the body, which holds the date
    (re.compile(r"\*\*日期\*\*：[^　\n]*"), "**日期**：-"),
)


def normalise(markdown: str) -> str:
    for pattern, repl in _VOLATILE:
        markdown = pattern.sub(repl, markdown)
    return markdown


def _outputs(data_dir: Path) -> dict[str, Any]:
    """Everything the test compares, from an Advisor over ``data_dir`` (runs in the worker process)."""
    from advisor.render.markdown import answer_to_markdown, plan_to_markdown
    from advisor.service import Advisor
    from advisor.settings import Settings

    adv = Advisor(settings=Settings(data_dir=data_dir, llm_provider="extractive"))
    out: dict[str, Any] = {"answers": {}, "plans": {}, "rankings": {}}
    for q in QUESTIONS:
        answer = adv.ask(q, provider="extractive")
        out["answers"][q] = normalise(answer_to_markdown(answer, front_matter=True))
        out["rankings"][q] = {
            mode: [f"{h.chunk_id} {h.score:.6f}" for h in adv.retrieve(q, k=30, mode=mode)]
            for mode in ("hybrid", "dense")
        }
    for city in CITIES:
        out["plans"][city] = normalise(plan_to_markdown(adv.plan(city, provider="extractive")))
    return out


def _run_worker(data_dir: Path, seed: str) -> dict[str, Any]:
    out = data_dir.parent / f"outputs-{seed}.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(PYTHONHASHSEED=seed, ADVISOR_DATA_DIR=str(data_dir), ADVISOR_LLM_PROVIDER="extractive")
    done = subprocess.run(
        [sys.executable, __file__, str(data_dir), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def _first_difference(a: dict[str, Any], b: dict[str, Any]) -> str:
    for kind in ("rankings", "answers", "plans"):
        for key in a[kind]:
            x, y = a[kind][key], b[kind][key]
            if x == y:
                continue
            if isinstance(x, str):
                diff = difflib.unified_diff(x.splitlines(), y.splitlines(), lineterm="", n=1)
            else:
                diff = difflib.unified_diff(
                    json.dumps(x, ensure_ascii=False, indent=0).splitlines(),
                    json.dumps(y, ensure_ascii=False, indent=0).splitlines(),
                    lineterm="",
                    n=1,
                )
            return f"{kind}[{key!r}] differs (PYTHONHASHSEED={SEEDS[0]} vs {SEEDS[1]}):\n" + "\n".join(
                list(diff)[:40]
            )
    return ""


def test_answers_and_plans_do_not_depend_on_the_process(corpus_data_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "index"
    shutil.copytree(corpus_data_dir, data)  # the workers may write Chroma's files; not the shared index
    first = _run_worker(data, SEEDS[0])  # one after the other: two processes never open the store at once
    second = _run_worker(data, SEEDS[1])
    assert set(first["answers"]) == set(QUESTIONS) and set(first["plans"]) == set(CITIES)
    assert all(first["rankings"][q]["dense"] for q in QUESTIONS)
    assert first == second, _first_difference(first, second)


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(
        json.dumps(_outputs(Path(sys.argv[1])), ensure_ascii=False), encoding="utf-8"
    )
