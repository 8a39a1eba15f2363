"""The article a passage refers to for what a list question asks. A regulation's article often says
where its items are (无法依照本条例第十四条规定进行事前告知的…): a question asking for those items (告知
哪些内容) is answered by the article referred to, which lists them (…告知下列事项：（一）…), not by the
sentence that points at it."""

from __future__ import annotations

import re

from advisor.index.snapshot import Snapshot
from advisor.retrieval.named_things import article_chunks
from advisor.types import Hit

_N = "[一二三四五六七八九十百零〇]+"
# 本条例第十四条, 本规定第十六条和第十七条, 本办法第三条第二款: articles of the passage's own text
_OWN_ARTICLES = re.compile(rf"本(?:条例|办法|规定|决定)((?:第{_N}条(?:第{_N}款)?[、和及与至]?)+)")
_ARTICLE = re.compile(rf"第{_N}条")
_LISTS = re.compile(r"下列[^。；]{0,12}[：:]|[（(]一[）)]")
LIFTED = 2  # chunks of the referred article placed before the passage referring to it


def with_referenced_article(hits: list[Hit], snapshot: Snapshot) -> list[Hit]:
    """``hits`` led by the chunks of the article the first hit refers to, when the first hit lists nothing
    itself and that article does (下列事项：（一）…): the items answer, the pointer to them follows.
    Otherwise ``hits`` unchanged."""
    if not hits or _LISTS.search(hits[0].text):
        return hits
    first = hits[0]
    refs = list(dict.fromkeys(a for run in _OWN_ARTICLES.findall(first.text) for a in _ARTICLE.findall(run)))
    if not refs:
        return hits
    lifted = [
        snapshot.hit(cid, score=first.score)
        for cid in article_chunks(snapshot, [first.doc_id], refs)
        if cid != first.chunk_id and _LISTS.search(snapshot.chunks[cid].text)
    ][:LIFTED]
    if not lifted:
        return hits
    ids = {h.chunk_id for h in lifted}
    return [*lifted, first, *(h for h in hits[1:] if h.chunk_id not in ids)]
