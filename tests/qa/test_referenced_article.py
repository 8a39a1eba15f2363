"""A list question's items in the article the best passage refers to (本规定第十六条和第十七条规定的…):
that article leads the hits when it lists them and the passage does not (fixed corpus: 深度合成规定)."""

from __future__ import annotations

import pytest

from advisor.qa.referenced import with_referenced_article
from advisor.service import Advisor

pytestmark = pytest.mark.integration


def test_the_article_referred_to_leads_when_it_lists_the_items(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    pointer = next(c for c in snap.chunks.values() if "本规定第十六条和第十七条规定的深度合成标识" in c.text)
    other = next(c for c in snap.chunks.values() if c.doc_id != pointer.doc_id)
    hits = [snap.hit(pointer.chunk_id), snap.hit(other.chunk_id)]
    out = with_referenced_article(hits, snap)
    lead = out[0]
    assert lead.doc_id == pointer.doc_id and lead.chunk_id != pointer.chunk_id
    assert ("第十六条" in lead.text or "第十七条" in lead.text) and "（一）" in lead.text
    assert [h.chunk_id for h in out[-2:]] == [pointer.chunk_id, other.chunk_id]  # nothing lost, order kept


def test_a_passage_that_lists_or_refers_to_nothing_keeps_its_place(corpus_advisor: Advisor) -> None:
    snap = corpus_advisor.snapshot
    listing = next(c for c in snap.chunks.values() if "（一）" in c.text)
    plain = next(c for c in snap.chunks.values() if "本规定第" not in c.text and "本条例第" not in c.text)
    for chunk in (listing, plain):
        hits = [snap.hit(chunk.chunk_id)]
        assert with_referenced_article(hits, snap) == hits
