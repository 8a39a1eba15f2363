"""Retrieved chunks as a prompt shows them: framed as data (a document can never open or close a
frame), each cut to the window around its best sentence within a token budget."""

from __future__ import annotations

import re
from datetime import date

from advisor.text import count_tokens
from advisor.types import Hit, validity_note
from advisor.verify.citations import best_sentence


def excerpt(text: str, question: str, max_tokens: int) -> str:
    """A contiguous window of the chunk around its best sentence, within a token budget."""
    if count_tokens(text) <= max_tokens:
        return text
    best, _ = best_sentence(question, text)
    at = text.find(best) if best else 0
    start, end = max(0, at), max(0, at) + max(len(best), 1)
    while count_tokens(text[start:end]) < max_tokens and (start > 0 or end < len(text)):
        start, end = max(0, start - 40), min(len(text), end + 60)
    return text[start:end]


_FRAME = re.compile(r"〈(\s*/?\s*)资料")


def _unframed(text: str) -> str:
    """Document text that cannot open or close a 〈资料〉 frame (a document is data, never the prompt)."""
    return _FRAME.sub(lambda m: "〈" + m.group(1) + "引文", text)


def _today() -> str:
    return date.today().isoformat()


def format_sources(hits: list[Hit], question: str, max_tokens: int) -> str:
    blocks = []
    for i, h in enumerate(hits, start=1):
        issuer = str(h.meta.get("issuer") or "").split("（")[0]
        expired = validity_note(
            str(h.meta.get("status") or ""), str(h.meta.get("valid_until") or ""), _today()
        )
        meta = "，".join(str(x) for x in (issuer, h.meta.get("date"), expired) if x)  # expired texts say so
        title = h.title.split("——")[0].strip()  # subtitles cost tokens and say little to the model
        head = f"《{title}》" + (f"（{meta}）" if meta else "") + (f" 章节：{h.section}" if h.section else "")
        body = excerpt(h.text, question, max_tokens)
        blocks.append(f"〈资料 key={i}〉{_unframed(head)}\n{_unframed(body)}\n〈/资料〉")
    return "\n".join(blocks)
