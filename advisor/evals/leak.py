"""Blind-split leak check: does code or data under ``advisor/`` or ``prompts/`` contain a test question's
distinctive wording?

A test question's **distinctive n-grams** are its 8-character CJK n-grams (windows inside runs of Chinese
characters) and its 5-word English n-grams (lower-cased runs of ASCII letters and digits) that do **not**
occur in the corpus. Phrases copied from the corpus are not distinctive: code may legitimately contain
them (document titles, section names), and so may the English names the glossary gives the titles. Text
is NFKC-normalised and lower-cased, and whitespace is removed
before CJK matching, on both sides. ``tests/evals/test_split_leak.py`` runs the check; ``evals/README.md``
explains why tuning must never see the test split.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from advisor.retrieval import glossary

CJK_N = 8
WORD_N = 5
TEXT_SUFFIXES = frozenset(
    {".py", ".md", ".txt", ".yaml", ".yml", ".json", ".jsonl", ".toml", ".csv", ".tsv", ".ini", ".cfg",
     ".html", ".htm", ".css", ".js", ".j2", ".jinja", ".tmpl", ".xml"}
)  # fmt: skip
SKIP_DIRS = frozenset({"__pycache__", "_bundled", ".mypy_cache", ".ruff_cache", ".pytest_cache"})
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[a-z0-9]+")
_SPACE = re.compile(r"\s+")


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def cjk_ngrams(text: str, n: int = CJK_N) -> set[str]:
    """All n-character windows inside runs of CJK characters."""
    out: set[str] = set()
    for run in _CJK_RUN.findall(_SPACE.sub("", _norm(text))):
        out.update(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def phrases(text: str) -> list[list[str]]:
    """The runs of English words a text writes, split where Chinese stands between them: words on either
    side of a Chinese phrase (two glossary entries, people's congress: [人民代表大会] / standing
    committee: …) are no phrase of their own."""
    return [ws for part in _CJK_RUN.split(_norm(text)) if (ws := _WORD.findall(part))]


def word_ngrams(text: str, n: int = WORD_N) -> set[str]:
    return {" ".join(ws[i : i + n]) for ws in phrases(text) for i in range(len(ws) - n + 1)}


@dataclass(frozen=True)
class Haystack:
    """A text prepared for n-gram lookups: whitespace-free (CJK) and as one line of English phrases, each
    ended by ``|`` so that no n-gram runs from one into the next."""

    compact: str
    wordline: str

    @classmethod
    def of(cls, text: str) -> Haystack:
        return cls(_SPACE.sub("", _norm(text)), " " + " | ".join(" ".join(ws) for ws in phrases(text)) + " ")

    def has_cjk(self, gram: str) -> bool:
        return gram in self.compact

    def has_words(self, gram: str) -> bool:
        return f" {gram} " in self.wordline


def distinctive_ngrams(question: str, corpus: Haystack) -> set[str]:
    """The question's CJK 8-grams and English 5-grams that the corpus does not contain."""
    found = {g for g in cjk_ngrams(question) if not corpus.has_cjk(g)}
    found |= {g for g in word_ngrams(question) if not corpus.has_words(g)}
    return found


@dataclass(frozen=True)
class Leak:
    path: str
    case_id: str
    ngram: str


def text_files(roots: Iterable[Path]) -> Iterator[Path]:
    """Text files (by suffix) under ``roots``, skipping caches and the wheel's bundled copies."""
    for root in roots:
        if root.is_file():
            yield root
            continue
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES and not SKIP_DIRS.intersection(parts):
                yield path


def find_leaks(questions: dict[str, str], corpus_text: str, roots: Iterable[Path]) -> list[Leak]:
    """Every (file, test case, n-gram) where a file under ``roots`` contains a distinctive n-gram of one of
    ``questions`` (case id → question text)."""
    corpus = Haystack.of(corpus_text)
    grams: dict[str, set[str]] = {}
    for case_id, question in questions.items():
        for g in distinctive_ngrams(question, corpus):
            grams.setdefault(g, set()).add(case_id)
    leaks: list[Leak] = []
    for path in text_files(roots):
        try:
            hay = Haystack.of(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError):
            continue
        for g, ids in grams.items():
            if hay.has_words(g) if " " in g else hay.has_cjk(g):
                leaks += [Leak(str(path), i, g) for i in sorted(ids)]
    return sorted(leaks, key=lambda x: (x.path, x.case_id, x.ngram))


def corpus_text(corpus_dir: Path) -> str:
    """All corpus documents (report and policies, READMEs and sidecars excluded) joined, and the English
    names the glossary gives the documents' titles: a title in translation (14th Five-Year Plan for the
    Digital Economy) is the document's name, no more distinctive than the Chinese title."""
    paths = sorted(corpus_dir.glob("report/*.txt")) + sorted(corpus_dir.glob("policies/[0-9]*.md"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    return text + "\n" + "\n".join(english_titles(text))


def english_titles(corpus: str) -> list[str]:
    """The glossary's English phrases whose rendering is a whole document title of the corpus (its
    front matter ``title``)."""
    titles = {t.strip().strip('"') for t in re.findall(r"^title:\s*(.+)$", corpus, flags=re.M)}
    return [en for en, zh in glossary.entries().items() if any(z in titles for z in zh)]
