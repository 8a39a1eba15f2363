"""How close each sentence of the retrieved passages is in meaning to the question: the embedder's
cosine between the question and the sentence vectors stored at ingest.

Word overlap alone picks the sentence that repeats the question's words; a paraphrase, an English
question or a plain-speech one often shares few words with the sentence that answers it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.index.embeddings import Embedder
from advisor.index.sentence_vectors import SentenceVectors
from advisor.text import normalise


@dataclass(frozen=True)
class Meaning:
    """Sentence-to-question similarity over one index's stored sentence vectors."""

    embedder: Embedder
    sentences: SentenceVectors

    def similarity(self, question: str, sentences: Sequence[str]) -> np.ndarray:
        """Cosine of each sentence with the question. A sentence the index has no vector for (an index
        written before sentence vectors) is embedded now and kept in memory. The question is embedded
        as retrieval saw it (width-folded, Simplified): the vector retrieval just computed is reused,
        not encoded a second time, which was the largest single cost of an answer."""
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        self.sentences.fill(sentences, self.embedder.embed_passages)
        query = self.embedder.embed_query_vector(normalise(question))
        norm = float(np.linalg.norm(query)) or 1.0
        return self.sentences.matrix(sentences) @ (query / norm)
