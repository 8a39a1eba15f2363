"""Where the files that ship with advisor live: prompts and the default corpus.

From a checkout they are the top-level ``prompts/`` and ``corpus/`` folders."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PROMPTS_DIR = PROJECT_ROOT / "prompts"
SHIPPED_CORPUS = PROJECT_ROOT / "corpus"
