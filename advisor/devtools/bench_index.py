"""``advisor bench`` steps on the index, in this process: ingest against the embedder alone, a no-op
re-ingest, warm retrieval, extractive answers, and the scale runs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

from advisor.devtools.bench_core import Bench
from advisor.devtools.bench_env import TARGETS, child_env, children_cpu_s, questions, say
from advisor.devtools.scale import percentiles
from advisor.ingest.splitter import sentence_units


def ingest(b: Bench) -> None:
    with b.step("ingest") as r:
        shutil.rmtree(b.data, ignore_errors=True)
        adv = b.adv
        t0, c0 = time.perf_counter(), time.process_time()
        report = adv.ingest()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        if report.skipped:
            r["skipped"] = [s.model_dump() for s in report.skipped]
        snap = adv.snapshot
        texts = [c.embed_text(snap.docs[c.doc_id].title) for c in snap.chunks.values()]
        # what ingest embeds: every chunk, and every distinct sentence (ranked by meaning in answers)
        units = list(dict.fromkeys(u for c in snap.chunks.values() for u in sentence_units(c.text)))
        t1, c1 = time.perf_counter(), time.process_time()
        adv.embedder.embed_passages(texts)
        t2 = time.perf_counter()
        adv.embedder.embed_passages(units)
        raw, raw_cpu = time.perf_counter() - t1, time.process_time() - c1
        r.update(
            documents=len(snap.docs),
            chunks=report.chunks_total,
            sentences=len(units),
            raw_sentence_embed_s=round(time.perf_counter() - t2, 2),
            chars=sum(len(t) for t in texts),
            ingest_s=round(wall, 2),
            ingest_embed_s=round(report.embed_seconds, 2),
            chunks_per_s=round(report.chunks_total / wall, 2),
            raw_embed_s=round(raw, 2),
            raw_chunks_per_s=round(len(texts) / raw, 2),
            overhead_ratio=round(wall / raw, 3),
            overhead_s=round(wall - raw, 2),
            ingest_cpu_s=round(cpu, 2),
            raw_embed_cpu_s=round(raw_cpu, 2),
            overhead_ratio_cpu=round(cpu / raw_cpu, 3),
            target_ratio=TARGETS["ingest_overhead_ratio"],
        )


def noop(b: Bench) -> None:
    with b.step("noop_reingest") as r:
        t0 = time.perf_counter()
        report = b.adv.ingest()
        r["in_process_s"] = round(time.perf_counter() - t0, 3)
        r["in_process_embedded"] = report.chunks_embedded
        walls, cpus = [], []
        for _ in range(3):
            t0, c0 = time.perf_counter(), children_cpu_s()
            done = subprocess.run(
                [sys.executable, "-m", "advisor.cli", "ingest", "--json"],
                env=child_env(b.data, b.corpus_dir),
                capture_output=True,
                text=True,
                timeout=600,
            )
            walls.append(time.perf_counter() - t0)
            cpus.append(children_cpu_s() - c0)
            if done.returncode != 0:
                raise RuntimeError(f"advisor ingest exited {done.returncode}: {done.stderr[-500:]}")
            r["process_embedded"] = json.loads(done.stdout)["chunks_embedded"]
        r["process_wall_s"] = [round(w, 3) for w in walls]
        r["process_wall_median_s"] = round(sorted(walls)[1], 3)
        r["process_cpu_median_s"] = round(sorted(cpus)[1], 3)
        r["target_s"] = TARGETS["noop_reingest_s"]


def retrieval(b: Bench) -> None:
    with b.step("retrieval") as r:
        qs = questions("retrieval.jsonl")
        adv = b.adv
        t0 = time.perf_counter()
        adv.warm_up()
        r["warm_up_s"] = round(time.perf_counter() - t0, 3)
        samples: list[float] = []
        cpu: list[float] = []
        for _ in range(2):
            for q in qs:
                t, c = time.perf_counter(), time.process_time()
                adv.retrieve(q, k=5)
                samples.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
        r["hybrid_k5"] = percentiles(samples)
        r["hybrid_k5_cpu"] = percentiles(cpu)
        filtered: list[float] = []
        for q in qs:
            t = time.perf_counter()
            adv.retrieve(q, k=5, filters={"level": ["national", "provincial"]})
            filtered.append(time.perf_counter() - t)
        r["hybrid_filtered_k5"] = percentiles(filtered)
        r["target_p95_ms"] = TARGETS["retrieval_p95_ms"]


def extractive(b: Bench) -> None:
    with b.step("extractive_answer") as r:
        qs = questions("answers.jsonl")
        adv = b.adv
        adv.ask(qs[0], provider="extractive")  # first call loads prompts etc.
        samples = []
        for q in qs:
            t = time.perf_counter()
            adv.ask(q, provider="extractive")
            samples.append(time.perf_counter() - t)
        r["latency"] = percentiles(samples)


def scale_only(b: Bench) -> None:
    """``--only-scale``: the shipped corpus is ingested (untimed) as the base the copies are made of."""
    b.adv.ingest()
    scale(b)


def scale(b: Bench) -> None:
    if b.quick:
        b.note("scale skipped (--quick)")
        return
    sizes = [int(s) for s in str(getattr(b.args, "scale", "") or "").split(",") if s.strip()]
    if not sizes:
        return
    with b.step("scale") as r:
        from advisor.devtools.scale import run_scale

        r["vectors_note"] = (
            "copies of the real corpus: real jieba tokens, real BM25, real Chroma HNSW upserts; dense "
            "vectors of the copies are synthetic (random convex mixes of real chunk vectors of the same "
            "document plus noise), the real corpus keeps its real vectors; every sentence's vector (scanned "
            "by the by-sentence search) is its chunk's vector plus noise"
        )
        r["sizes"] = run_scale(
            b.data,
            sizes,
            b.work / "scale",
            questions("retrieval.jsonl"),
            b.adv.embedder,
            workers=2,
            progress=say,
        )
        r["target_100k_p95_ms"] = TARGETS["scale_100k_p95_ms"]
