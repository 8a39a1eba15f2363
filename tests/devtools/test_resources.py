"""advisor.resources finds the prompts and the shipped corpus: the checkout's top-level folders from a
checkout, the bundled copies (``advisor/_bundled``) from an installed wheel. The wheel itself is built,
installed and used by ``.ci/wheel-smoke``."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

import advisor
from advisor import resources
from advisor.evals import datasets
from advisor.generation.prompts import load_prompt
from advisor.ingest.loaders import SUPPORTED
from advisor.render.labeling import load_labels
from advisor.settings import Settings

CHECKOUT = Path(__file__).resolve().parents[2]
PROMPTS = ("system", "answer", "answer_local", "condense", "refusal", "plan_section")


def test_a_checkout_uses_its_top_level_folders() -> None:
    assert resources.IN_CHECKOUT
    assert resources.PROJECT_ROOT == CHECKOUT == Path(advisor.__file__).resolve().parent.parent
    assert resources.PROMPTS_DIR == CHECKOUT / "prompts"
    assert resources.SHIPPED_CORPUS == CHECKOUT / "corpus"


def test_the_prompts_are_found_and_load() -> None:
    for name in PROMPTS:
        assert (resources.PROMPTS_DIR / f"{name}.md").is_file(), name
        assert load_prompt(name).template
    assert (resources.PROMPTS_DIR / "ai_label.md").is_file()
    assert set(load_labels()) == {"answer", "document"}


def test_the_shipped_corpus_is_found_and_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVISOR_CORPUS_DIR", raising=False)
    docs = [p for p in resources.SHIPPED_CORPUS.rglob("*") if p.suffix.lower() in SUPPORTED]
    assert len(docs) >= 10
    assert (resources.SHIPPED_CORPUS / "policies" / "README.md").is_file()
    assert Settings().corpus_dir == resources.SHIPPED_CORPUS


def _wheel_layout(root: Path) -> tuple[Path, Path]:
    """site-packages/advisor with _bundled/{prompts,corpus} copied from the checkout, as a wheel installs it."""
    package = root / "site-packages" / "advisor"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    bundled = package / "_bundled"
    shutil.copytree(CHECKOUT / "prompts", bundled / "prompts")
    shutil.copytree(CHECKOUT / "corpus", bundled / "corpus")
    return package, bundled


def test_an_installed_wheel_uses_its_bundled_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package, bundled = _wheel_layout(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    found = resources.locate(package, bundled)
    assert not found.in_checkout
    assert found.prompts_dir == bundled / "prompts"
    assert found.shipped_corpus == bundled / "corpus"
    assert found.project_root == work  # no project: dev data is looked for in the current directory
    assert load_prompt.__wrapped__("answer", found.prompts_dir).template == load_prompt("answer").template


def test_a_site_packages_with_stray_folders_is_not_a_checkout(tmp_path: Path) -> None:
    package, bundled = _wheel_layout(tmp_path)
    (package.parent / "prompts").mkdir()  # no pyproject.toml next to it
    assert resources.locate(package, bundled).prompts_dir == bundled / "prompts"


def test_the_default_bundled_folder_is_inside_the_imported_package() -> None:
    assert resources.bundled_dir() == Path(advisor.__file__).resolve().parent / "_bundled"


def test_evals_datasets_missing_outside_a_checkout_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="评测数据集不存在"):
        datasets.load("retrieval", tmp_path / "evals" / "datasets")


def test_the_wheel_maps_the_same_folders() -> None:
    """pyproject.toml's package-dir and setup.py's package list name the folders resources reads."""
    config = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"] == {
        "advisor._bundled.prompts": "prompts",
        "advisor._bundled.corpus": "corpus",
    }
    assert set(config["package-data"]) >= {"advisor._bundled.prompts", "advisor._bundled.corpus"}
    setup = (CHECKOUT / "setup.py").read_text(encoding="utf-8")
    assert 'BUNDLED = {"advisor._bundled.prompts": "prompts", "advisor._bundled.corpus": "corpus"}' in setup
