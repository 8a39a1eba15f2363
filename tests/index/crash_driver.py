"""Test-only driver for ``test_crash_safety.py``: runs an ingest or a document removal and kills it with
SIGKILL just before a named step. Nothing here is imported by ``advisor``; production code has no hooks.

Protocol: the driver imports advisor once, prints ``{"ready": true}``, then reads one JSON request per
line on stdin and answers one JSON line per request. Each request runs in a child forked from the warm
driver (so a crash costs no import time; the driver itself never opens Chroma or runs the embedder, so
forking is safe). Request fields:

- ``settings``: Settings fields (data_dir, corpus_dir, chroma_url, collection);
- ``op``: ``"ingest"`` (``paths`` optional: explicit files, else a full corpus sync), ``"delete"``
  (``doc_id``: ``Advisor.delete_document``) or ``"save"`` (``Snapshot.save`` of the generation in the
  index dir ``source`` into the settings' index dir);
- ``kill_at``: a step name such as ``"Snapshot.save#1"`` or ``None`` to run to completion;
- ``trace``: a file that receives every step name, in order, as it is reached.

Steps are the calls that change what a reader can see, wherever the code makes them: ``upsert#n`` and
``delete#n`` (``ChromaStore``), ``Snapshot.save#n``, ``KeywordIndex.save#n``, and, for paths inside the
index dir, ``replace(gen)#n`` / ``replace(CURRENT)#n`` (``os.replace``/``os.rename``) and
``rmtree(gen)#n`` / ``rmtree(tmp)#n`` (``shutil.rmtree``); with ``"writes": true`` also each file opened
for writing there, e.g. ``write(tmp/chunks.jsonl)#1`` (``open``, which pathlib and numpy use). The
child is killed before the step runs. ``UPSERT_EVERY`` is set to 1 so that every new chunk is its own
upsert batch (a kill between batches is then reachable).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _label(path: Any, index_dir: Path) -> str | None:
    """A path in the index dir with the generation's name generalised (``gen``, ``tmp``), e.g.
    ``CURRENT`` or ``tmp/keyword/rows.jsonl``; None for a path outside it."""
    if isinstance(path, int):  # a file descriptor
        return None
    try:
        parts = list(Path(os.fspath(path)).resolve().relative_to(index_dir).parts)
    except ValueError:
        return None
    if parts and parts[0].startswith("gen-"):
        parts[0] = "gen"
    elif parts and parts[0].startswith(".gen-"):
        parts[0] = "tmp"
    return "/".join(parts) or None


def _instrument(index_dir: Path, trace: Path, kill_at: str | None, writes: bool) -> None:
    import builtins
    import io

    from advisor.index import keyword, snapshot, store
    from advisor.ingest import pipeline

    pipeline.UPSERT_EVERY = 1
    counts: Counter[str] = Counter()
    log = trace.open("a", encoding="utf-8")

    def step(name: str) -> None:
        counts[name] += 1
        event = f"{name}#{counts[name]}"
        log.write(event + "\n")
        log.flush()
        if event == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(owner: Any, attr: str, name: Callable[[tuple[Any, ...], dict[str, Any]], str | None]) -> None:
        original = getattr(owner, attr)

        @functools.wraps(original)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            label = name(args, kwargs)
            if label is not None:
                step(label)
            return original(*args, **kwargs)

        setattr(owner, attr, wrapper)

    def in_index(kind: str, arg: int) -> Callable[[tuple[Any, ...], dict[str, Any]], str | None]:
        def name(a: tuple[Any, ...], kw: dict[str, Any]) -> str | None:
            label = _label(a[arg], index_dir) if len(a) > arg else None
            return f"{kind}({label})" if label else None

        return name

    wrap(store.ChromaStore, "upsert", lambda a, kw: "upsert")
    wrap(store.ChromaStore, "delete", lambda a, kw: "delete")
    wrap(snapshot.Snapshot, "save", lambda a, kw: "Snapshot.save")
    wrap(keyword.KeywordIndex, "save", lambda a, kw: "KeywordIndex.save")
    wrap(os, "replace", in_index("replace", 1))
    wrap(os, "rename", in_index("replace", 1))
    wrap(shutil, "rmtree", in_index("rmtree", 0))
    if writes:  # every file opened for writing in the index dir (pathlib and numpy go through io.open)

        def written(a: tuple[Any, ...], kw: dict[str, Any]) -> str | None:
            mode = a[1] if len(a) > 1 else kw.get("mode", "r")
            return in_index("write", 0)(a, kw) if set(str(mode)) & set("wax+") else None

        wrap(builtins, "open", written)
        io.open = builtins.open


def _run(request: dict[str, Any]) -> int:
    from advisor.index.snapshot import Snapshot
    from advisor.service import Advisor
    from advisor.settings import Settings

    settings = Settings(**request["settings"], llm_provider="extractive")
    index_dir = settings.index_dir.resolve()
    _instrument(index_dir, Path(request["trace"]), request.get("kill_at"), bool(request.get("writes")))
    if request["op"] == "save":  # a generation write alone: no store, no embedder
        Snapshot.load(Path(request["source"])).save(index_dir)
        return 0
    adv = Advisor(settings=settings)
    if request["op"] == "ingest":
        paths = request.get("paths")
        adv.ingest(paths=[Path(p) for p in paths] if paths is not None else None)
    elif request["op"] == "delete":
        if not adv.delete_document(request["doc_id"]):
            return 4
    else:
        return 2
    return 0


def main() -> None:
    import advisor.service  # noqa: F401  (the slow imports, once)
    from advisor.index.keyword import index_tokens

    index_tokens("人工智能产业")  # jieba's dictionary, loaded before forking
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            code = 3
            try:
                code = _run(request)
            except BaseException:
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"code": os.waitstatus_to_exitcode(status)}), flush=True)


if __name__ == "__main__":
    main()
