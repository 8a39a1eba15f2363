"""Where the files that ship with advisor live: prompts and the default corpus.

They are the top-level ``prompts/`` and ``corpus/`` folders of the repository. A wheel carries copies of
both as package data, ``advisor/_bundled/prompts`` and ``advisor/_bundled/corpus`` (see ``setup.py`` and
``tool.setuptools.package-dir`` in ``pyproject.toml``).

- From a checkout (also an editable install), the checkout's folders are used, so edits take effect at
  once: the checkout is the folder above the package that holds ``pyproject.toml``.
- From an installed wheel, the bundled copies are used (``importlib.resources``).

``PROJECT_ROOT`` is the checkout; outside one there is no project, and it is the current directory, so
development data such as ``evals/datasets`` is looked for there (missing files give a "not found" error).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

PACKAGE_DIR = Path(__file__).resolve().parent


class Locations(NamedTuple):
    project_root: Path
    prompts_dir: Path
    shipped_corpus: Path
    in_checkout: bool


def is_checkout(root: Path) -> bool:
    """``root`` is a source checkout of advisor (not, say, the site-packages of an installed wheel)."""
    return (root / "pyproject.toml").is_file() and (root / "prompts").is_dir()


def bundled_dir() -> Path:
    """``advisor/_bundled`` of the imported package: present in an installed wheel only."""
    found = files("advisor").joinpath("_bundled")
    return found if isinstance(found, Path) else Path(str(found))


def locate(package_dir: Path = PACKAGE_DIR, bundled: Path | None = None) -> Locations:
    """The folders for the ``advisor`` package found in ``package_dir``; ``bundled`` defaults to
    :func:`bundled_dir` (a parameter so tests can point it at a wheel-like layout)."""
    root = package_dir.parent
    if is_checkout(root):
        return Locations(root, root / "prompts", root / "corpus", True)
    data = bundled if bundled is not None else bundled_dir()
    try:
        cwd = Path.cwd()
    except OSError:  # the current directory was deleted
        cwd = Path(".")
    return Locations(cwd, data / "prompts", data / "corpus", False)


PROJECT_ROOT, PROMPTS_DIR, SHIPPED_CORPUS, IN_CHECKOUT = locate()
