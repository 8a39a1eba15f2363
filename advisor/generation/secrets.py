"""API keys this process was configured with, and :func:`redact` to keep them out of logs."""

from __future__ import annotations

_secrets: set[str] = set()


def redact(text: str) -> str:
    """``text`` with every API key this process was configured with replaced by ``***``.

    Servers may echo the key in an error message (HTTP 401 bodies often do); such messages reach logs.
    """
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def remember(secret: str) -> None:
    """Redact ``secret`` from now on (keys under 4 characters would blank out ordinary text)."""
    if len(secret) >= 4:
        _secrets.add(secret)
