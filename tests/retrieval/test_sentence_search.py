"""Dense search by sentence (a chunk ranks by its closest sentence), with the real embedder and the
sentence vectors ingest stored for the fixed test corpus."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from advisor.index.snapshot import Snapshot
from advisor.ingest.splitter import sentence_units
from advisor.retrieval.sentence_search import SentenceSearch, sentence_search
from advisor.service import Advisor


def _long_chunk(snap: Snapshot) -> tuple[str, str]:
    """A chunk of many sentences and one sentence from its middle (a vector there is diluted most)."""
    cid = max(
        (c for c in snap.chunks if len(snap.chunks[c].text) < 1500),
        key=lambda c: (len(sentence_units(snap.chunks[c].text)), c),
    )
    units = [u for u in sentence_units(snap.chunks[cid].text) if len(u) >= 25]
    return cid, units[len(units) // 2]


def _searched(adv: Advisor) -> tuple[Snapshot, SentenceSearch, tuple[str, str]]:
    search = sentence_search(adv.snapshot, adv.embedder.name)
    assert search is not None
    return adv.snapshot, search, _long_chunk(adv.snapshot)


@pytest.mark.integration
def test_a_chunk_ranks_by_its_closest_sentence(corpus_advisor: Advisor) -> None:
    snap, search, (cid, sentence) = _searched(corpus_advisor)
    vector = corpus_advisor.embedder.embed_query_vector(sentence)
    found = search.search(vector, 10)
    assert found[0][0] == cid
    scores = [s for _, s in found]
    assert scores == sorted(scores, reverse=True) and len({c for c, _ in found}) == len(found)
    # the score is the cosine with that sentence's own stored vector, computed here independently
    row = snap.sentences.matrix([sentence])[0]
    assert found[0][1] == pytest.approx(float(row @ (vector / np.linalg.norm(vector))), abs=1e-4)


@pytest.mark.integration
def test_only_admitted_chunks_are_searched(corpus_advisor: Advisor) -> None:
    snap, search, (cid, sentence) = _searched(corpus_advisor)
    region = snap.docs[snap.chunks[cid].doc_id].region
    others = {"region": [r for r in {d.region for d in snap.docs.values()} if r != region]}
    allowed = snap.keyword.allowed(others)
    assert allowed is not None
    found = search.search(corpus_advisor.embedder.embed_query_vector(sentence), 10, allowed)
    assert found and all(snap.docs[snap.chunks[c].doc_id].region != region for c, _ in found)


@pytest.mark.integration
def test_the_closest_sentences_chunk_leads_hybrid_retrieval(
    corpus_advisor: Advisor, corpus_copy: Callable[..., Advisor]
) -> None:
    """Its first place leads the fused list, and the hit says where each list ranked it; with sentence
    vectors switched off the hybrid search is the two-list fusion."""
    cid, sentence = _long_chunk(corpus_advisor.snapshot)
    hits = corpus_advisor.retrieve(sentence, k=5)
    assert cid in [h.chunk_id for h in hits]
    mine = next(h for h in hits if h.chunk_id == cid)
    assert mine.scores["sentence_rank"] == 1
    off = corpus_copy(sentence_vectors=False).retrieve(sentence, k=5)
    assert all("sentence_rank" not in h.scores for h in off)


@pytest.mark.integration
def test_an_index_without_sentence_vectors_has_no_sentence_search(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    bare = Snapshot(snap.manifest, list(snap.chunks.values()))
    assert sentence_search(bare, corpus_advisor.embedder.name) is None
    assert sentence_search(snap, "another-embedder") is None
