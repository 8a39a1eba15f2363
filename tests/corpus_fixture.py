"""The fixed corpus most tests run on: the report and policies 01–11, as the corpus was when the tests
were written. The shipped corpus grows (it is what `advisor eval` and the slow tests use); tests that
assert on retrieval over "the corpus" stay meaningful and fast on this fixed subset."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

SHIPPED = Path(__file__).resolve().parent.parent / "corpus"
FILES = sorted(
    [
        *(p for p in (SHIPPED / "report").iterdir() if p.is_file()),
        *(p for p in (SHIPPED / "policies").glob("[0-9][0-9]-*.md") if int(p.name[:2]) <= 11),
    ]
)


def _build() -> Path:
    digest = hashlib.sha256()
    for path in FILES:
        digest.update(path.relative_to(SHIPPED).as_posix().encode())
        digest.update(path.read_bytes())
    target = Path(tempfile.gettempdir()) / f"advisor-test-corpus-{digest.hexdigest()[:16]}"
    if not target.is_dir():
        tmp = Path(tempfile.mkdtemp(prefix=".advisor-test-corpus-"))
        for path in FILES:
            dest = tmp / path.relative_to(SHIPPED)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        try:
            os.replace(tmp, target)
        except OSError:  # another session built it first
            shutil.rmtree(tmp, ignore_errors=True)
    return target


TEST_CORPUS = _build()
