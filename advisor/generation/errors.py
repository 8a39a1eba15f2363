"""The two ways a model call goes wrong: misconfiguration (:class:`ProviderError`, the message says what to
change) and a runtime fault (:class:`LLMFailure`, after which the caller falls back to extractive)."""

from __future__ import annotations

from typing import Literal

FailureKind = Literal["timeout", "connection", "http", "garbage", "crash", "other"]
FALLBACK = "已改用抽取式回答"


class LLMFailure(RuntimeError):
    """A runtime fault of the model call. ``notice`` is a short Chinese text to show the user."""

    def __init__(self, kind: FailureKind, notice: str, detail: str = "", text: str = "") -> None:
        super().__init__(f"{kind}: {detail or notice}")
        self.kind: FailureKind = kind
        self.notice = notice
        self.detail = detail
        self.text = text  # raw model output received before the failure, if any


class ProviderError(ValueError):
    """The provider is misconfigured; the message says what to change."""
