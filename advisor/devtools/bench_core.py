"""The state of one ``advisor bench`` run, shared by its steps: the user's settings, a temp work dir with a
fresh data dir, the results dict, and :meth:`Bench.step`, which times a step and records its error."""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.devtools.bench_env import TARGETS, load_avg, machine, say
from advisor.settings import Settings


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick = bool(getattr(args, "quick", False))
        self.user_settings = Settings()
        self.corpus_dir = self.user_settings.corpus_dir
        self.work = Path(tempfile.mkdtemp(prefix="advisor-bench-"))
        self.data = self.work / "data"
        self.results: dict[str, Any] = {
            "machine": machine(),
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "quick": self.quick,
            "corpus_dir": str(self.corpus_dir),
            "targets": TARGETS,
            "notes": [],
            "errors": {},
        }
        self._adv: Any = None
        # Set by the local-model step, used by the plan and serve steps.
        self.model_path: Path | None = None
        self.local_adv: Any = None

    def settings(self, **overrides: Any) -> Settings:
        base: dict[str, Any] = {
            "data_dir": self.data,
            "corpus_dir": self.corpus_dir,
            "embeddings": self.user_settings.embeddings,
            "chroma_url": "",
            "llm_provider": "extractive",
        }
        base.update(overrides)
        return Settings(**base)

    @property
    def adv(self) -> Any:
        from advisor.service import Advisor

        if self._adv is None:
            self._adv = Advisor(settings=self.settings())
        return self._adv

    def note(self, text: str) -> None:
        self.results["notes"].append(text)
        say(text)

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        record: dict[str, Any] = {"load_avg_before": load_avg()}
        self.results[name] = record
        say(f"{name} …")
        t0 = time.perf_counter()
        try:
            yield record
        except Exception as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
            self.results["errors"][name] = traceback.format_exc(limit=6)
            say(f"{name} failed: {record['error']}")
        finally:
            record["step_s"] = round(time.perf_counter() - t0, 2)
            record["load_avg_after"] = load_avg()
