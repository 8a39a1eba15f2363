"""Keep the keyword index (the current generation) and the dense store (Chroma) in agreement.

They can drift apart when an ingest is killed after some vectors were upserted but before its generation
was made current (orphan vectors), or when another client deletes vectors on a shared Chroma server
(chunks the generation lists but the store no longer has). :func:`reconcile` repairs both:

- orphan vectors (ids in the store, not in the generation) are deleted;
- a document with any chunk missing from the store is dropped from the generation as a whole, and its
  remaining vectors deleted, so the next ``advisor ingest`` sees it as new and restores it completely
  (dropping single chunks would leave the document "unchanged" and never repaired).

Afterwards the store's ids equal the generation's chunk ids. The work is serialised with ingests of the
same data dir by :func:`index_lock`. Processes that share one Chroma collection must share one data dir
(one generation): a process with another generation would see the others' vectors as orphans.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from advisor.index.snapshot import Snapshot
from advisor.index.store import ChromaStore
from advisor.settings import Settings

log = logging.getLogger(__name__)

_held: dict[Path, list[Any]] = {}  # lock path -> [open handle, depth]
_held_lock = threading.RLock()


@contextlib.contextmanager
def index_lock(settings: Settings) -> Iterator[None]:
    """An exclusive lock on the data dir's index, across processes (POSIX ``flock``) and threads.

    Re-entrant within a process, so an ingest holding it may reconcile.
    """
    path = (settings.data_dir / "index.lock").resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _held_lock:
        entry = _held.get(path)
        if entry is not None:
            entry[1] += 1
        else:
            handle = path.open("a")
            try:
                import fcntl

                fcntl.flock(handle, fcntl.LOCK_EX)
            except ImportError:  # pragma: no cover - non-POSIX: threads only
                pass
            _held[path] = entry = [handle, 1]
        try:
            yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del _held[path]
                entry[0].close()  # closing releases the flock


def diff(store: ChromaStore, snapshot: Snapshot) -> tuple[set[str], set[str]]:
    """(orphans, missing): ids only in the store, and chunk ids only in the generation."""
    stored = store.ids()
    wanted = set(snapshot.chunks)
    return stored - wanted, wanted - stored


def reconcile(settings: Settings, store: ChromaStore, snapshot: Snapshot) -> Snapshot:
    """Make ``store`` and the generation agree; returns the (possibly new, saved) snapshot."""
    with index_lock(settings):
        orphans, missing = diff(store, snapshot)
        if not orphans and not missing:
            return snapshot
        new_snapshot = snapshot
        doomed: set[str] = set()
        if missing:
            broken_docs = {snapshot.chunks[cid].doc_id for cid in missing}
            keep = [c for c in snapshot.chunks.values() if c.doc_id not in broken_docs]
            doomed = {cid for cid, c in snapshot.chunks.items() if c.doc_id in broken_docs} - missing
            docs = {k: v for k, v in snapshot.docs.items() if k not in broken_docs}
            manifest = snapshot.manifest.model_copy(update={"docs": docs})
            new_snapshot = Snapshot(manifest, keep, sentences=snapshot.sentences)
            new_snapshot.save(settings.index_dir)
            log.warning(
                "向量库缺少 %d 个块（涉及 %d 份文档），已从关键词索引中移除这些文档；运行 `advisor ingest` 可恢复",
                len(missing),
                len(broken_docs),
            )
        if orphans or doomed:
            store.delete(sorted(orphans | doomed))
            if orphans:
                log.info("删除了 %d 个不在当前索引中的孤立向量（多为中断的入库留下）", len(orphans))
        return new_snapshot
