"""The package list only; everything else is in pyproject.toml.

pyproject's ``packages.find`` cannot list packages whose folder lives outside ``advisor/``: the top-level
``prompts/`` and ``corpus/`` folders (mapped by ``tool.setuptools.package-dir``) ship in the wheel as the
data packages ``advisor._bundled.prompts`` and ``advisor._bundled.corpus``, with one package per
sub-folder so that every file is package data of its own folder."""

from pathlib import Path

from setuptools import find_namespace_packages, setup

BUNDLED = {"advisor._bundled.prompts": "prompts", "advisor._bundled.corpus": "corpus"}


def bundled_packages() -> list[str]:
    names = []
    for package, folder in BUNDLED.items():
        root = Path(__file__).parent / folder
        names.append(package)
        for sub in sorted(p for p in root.rglob("*") if p.is_dir() and p.name != "__pycache__"):
            names.append(".".join([package, *sub.relative_to(root).parts]))
    return names


setup(
    packages=[
        *find_namespace_packages(include=["advisor", "advisor.*"], exclude=["*.__pycache__"]),
        *bundled_packages(),
    ]
)
