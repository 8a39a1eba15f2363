"""What an answer stream yields: typed events, so a UI never has to guess what a string means.

An answer stream always starts with a verified :class:`Shown` answer (extractive, < 1 s) and ends with
a :class:`Shown` whose ``final`` is True. In between, while a model improves the answer, it yields
:class:`Queued` (the model's queue, with an honest wait) and :class:`Polishing` (the model's draft so far,
for a clearly marked "正在润色…" area; it is never part of an answer). A shown answer is only ever
replaced by a verified improvement of it, so nothing shown is taken back — except a ``provisional`` one:
an excerpt for a question the sources only weakly cover, shown as such until the model has judged it."""

from __future__ import annotations

from dataclasses import dataclass

from advisor.types import Answer


@dataclass(frozen=True)
class Shown:
    """A verified answer to display now; ``final`` on the stream's last event."""

    answer: Answer
    final: bool = False
    provisional: bool = False  # weakly grounded: shown as related excerpts until the model judged it


@dataclass(frozen=True)
class Polishing:
    """The model's draft so far (the whole text, not a delta); display only, never an answer."""

    text: str


@dataclass(frozen=True)
class Queued:
    """The model's request waits behind ``ahead`` generations; it should start in about ``wait_s``."""

    ahead: int
    wait_s: float


AnswerEvent = Shown | Polishing | Queued
