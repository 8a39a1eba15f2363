"""Fixtures shared by the index tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_store_contract import start_chroma, stop_chroma


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a real Chroma server (`chroma run` on a free 127.0.0.1 port), one for the session."""
    root = tmp_path_factory.mktemp("chroma-server")
    proc, url = start_chroma(root / "data", root / "server.log")
    try:
        yield url
    finally:
        stop_chroma(proc)
