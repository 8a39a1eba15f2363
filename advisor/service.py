"""``Advisor``: the public facade. Heavy parts (Chroma client, embedder, index) load lazily, once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.compare.coverage import CoverageRow
from advisor.index.embeddings import Embedder, get_embedder
from advisor.index.reconcile import index_lock, reconcile
from advisor.index.snapshot import Snapshot
from advisor.index.store import ChromaStore
from advisor.ingest.pipeline import Progress, ingest
from advisor.render.compare_types import Comparison
from advisor.render.diagnosis_types import Diagnosis
from advisor.retrieval.hybrid import Mode, Retriever
from advisor.retrieval.synonyms import synonyms
from advisor.settings import Settings
from advisor.types import Answer, Hit, IngestReport, Plan

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from advisor.qa.events import AnswerEvent


if TYPE_CHECKING:
    from advisor.generation.providers import Provider


class Advisor:
    """Ingest, retrieve, ask, plan. ``embedder=`` and ``llm=`` let tests inject their own."""

    def __init__(
        self,
        settings: Settings | None = None,
        embedder: Embedder | None = None,
        llm: BaseChatModel | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._embedder = embedder
        self._llm = llm
        self._store: ChromaStore | None = None
        self._snapshot: Snapshot | None = None
        self._lock = threading.RLock()

    # lazy parts -----------------------------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings.embeddings)
        return self._embedder

    @property
    def store(self) -> ChromaStore:
        with self._lock:
            if self._store is None:
                store = ChromaStore(
                    path=self.settings.data_dir / "chroma",
                    url=self.settings.chroma_url,
                    collection=self.settings.collection,
                )
                if self.settings.chroma_url:  # a shared server may have changed since our last run
                    self._snapshot = reconcile(self.settings, store, self.snapshot)
                self._store = store
            return self._store

    @property
    def snapshot(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None:
                self._snapshot = Snapshot.load(self.settings.index_dir)
            return self._snapshot

    def warm_up(self) -> None:
        """Load everything a first request would wait for."""
        _ = self.store, self.snapshot
        self.embedder.embed_query_vector("预热")
        self.retrieve("人工智能产业", k=1)
        self.retrieve("What do the regulations say about public data?", k=1)  # loads CC-CEDICT
        synonyms("预热")  # … and its table of shared senses

    # public API -----------------------------------------------------------------------------
    def ingest(
        self,
        paths: list[str | Path] | None = None,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> IngestReport:
        with self._lock, index_lock(self.settings):
            report, snapshot = ingest(
                self.settings,
                self.store,
                self.embedder,
                self.snapshot,
                paths=[Path(p) for p in paths] if paths is not None else None,
                rebuild=rebuild,
                progress=progress,
            )
            self._snapshot = snapshot
            return report

    def delete_document(self, doc_id: str) -> bool:
        """Remove one document and its chunks from both indexes."""
        from advisor.ingest.pipeline import remove_documents

        with self._lock, index_lock(self.settings):
            snapshot, removed = remove_documents(self.settings, self.store, self.snapshot, [doc_id])
            self._snapshot = snapshot
            return bool(removed)

    def retriever(self) -> Retriever:
        """Search over the current generation of the index (what the steps receive)."""
        store = self.store  # first: with a server, opening the store reconciles the snapshot
        return Retriever(self.snapshot, store, self.embedder, by_meaning=self.settings.sentence_vectors)

    def provider(self, name: str | None = None) -> Provider:
        """The resolved provider (``name`` > settings > local when installed, else extractive); an
        injected chat model stands in for the configured one."""
        from advisor.generation.providers import get_provider  # langchain loads only when a provider is used

        return get_provider(self.settings, name, injected=self._llm)

    def retrieve(
        self, query: str, k: int = 5, filters: dict[str, Any] | None = None, mode: Mode = "hybrid"
    ) -> list[Hit]:
        return self.retriever().retrieve(query, k=k, filters=filters, mode=mode)

    def ask(self, question: str, history: list[Any] | None = None, provider: str | None = None) -> Answer:
        from advisor.qa.answer import answer_question

        return answer_question(
            self.retriever(), self.provider(provider), self.settings, question, history=history
        )

    def ask_stream(
        self, question: str, history: list[Any] | None = None, provider: str | None = None
    ) -> Iterator[AnswerEvent]:
        """Yields typed events (:mod:`advisor.qa.events`): the verified extractive answer at once
        (``Shown``), then, with a model, ``Queued``/``Polishing`` and the final ``Shown``."""
        from advisor.qa.answer import stream_answer

        yield from stream_answer(
            self.retriever(), self.provider(provider), self.settings, question, history=history
        )

    def plan(
        self,
        city: str,
        profile: dict[str, Any] | None = None,
        provider: str | None = None,
        progress: Any = None,
        on_update: Any = None,
        budget_s: float | None = None,
    ) -> Plan:
        """The extractive draft at once (``on_update`` gets it), then, with a model, sections refined
        within ``budget_s`` (``on_update`` gets every refined plan); returns the final plan."""
        from advisor.planning.plan import draft_plan

        return draft_plan(
            self.retriever(),
            self.provider(provider),
            city,
            profile=profile,
            progress=progress,
            on_update=on_update,
            budget_s=budget_s,
        )

    def compare(self, regions: list[str], topics: list[str] | None = None) -> Comparison:
        """对标分析: regions × topics, every cell verified quotes of that region's own texts."""
        from advisor.compare import compare

        return compare(self.retriever(), regions, topics)

    def coverage(self) -> list[CoverageRow]:
        """Document counts per region and level (what a comparison can fill)."""
        from datetime import date

        from advisor.compare.coverage import coverage

        return coverage(self.snapshot.docs.values(), date.today().isoformat())

    def diagnose(
        self,
        draft: str | Path,
        city: str,
        *,
        title: str = "",
        add_to_library: bool = False,
        progress: Any = None,
    ) -> Diagnosis:
        """政策诊断: a draft (a file path, or the draft's text) checked against the checklist for ``city``.

        The draft stays private (read for this request only) unless ``add_to_library``; the diagnosis
        itself is extractive (matching and quoting), so it needs no model."""
        from advisor.diagnose import diagnose
        from advisor.diagnose.draft import draft_from_text, load_draft, stage_for_library

        max_bytes = int(self.settings.max_upload_mb * 1024 * 1024)
        is_file = isinstance(draft, Path) or (
            len(draft) < 1024 and "\n" not in draft and Path(draft).is_file()
        )
        doc = load_draft(draft, max_bytes) if is_file else draft_from_text(str(draft), title, max_bytes)
        result = diagnose(self.retriever(), doc, city, progress=progress)
        if add_to_library:
            self.ingest(paths=[stage_for_library(doc, self.settings.data_dir / "uploads")])
            result.added_to_library = True
        return result

    def llm(self, provider: str | None = None) -> BaseChatModel:
        """The injected chat model, or the configured one for ``provider``."""
        return self.provider(provider).chat_model()

    def stats(self) -> dict[str, Any]:
        store = self.store  # first: with a server, opening the store reconciles the snapshot
        snap = self.snapshot
        return {
            "documents": len(snap.docs),
            "chunks": len(snap.chunks),
            "vectors": store.count(),
            "embedder": snap.manifest.embedder or self.settings.embeddings,
        }
