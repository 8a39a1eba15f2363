"""The package's shape: no import cycles between modules, no module over the size limit, and every
module importable. Imports inside functions count too (a lazy import is still a dependency)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "advisor"
MAX_LINES = 450
# Tables of data, not logic: the report's section templates and the city/region names.
DATA_TABLES = {"planning/sections.py"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The advisor modules ``name`` imports, anywhere in its body (``from advisor.x import y`` counts
    as advisor.x.y when that is a module, else advisor.x)."""
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t != "advisor":
                found.add(t)
    return found


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {name: _imports(name, path, known) for name, path in mods.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_sees_known_edges() -> None:
    """Guard the checker itself: edges we know exist must be found (else a broken walk passes)."""
    graph = _graph()
    assert "advisor.retrieval.hybrid" in graph["advisor.service"]
    assert "advisor.verify.citations" in graph["advisor.verify.recommendations"]
    assert "advisor.text" in graph["advisor.ingest.splitter"]


def test_cycle_detector_finds_a_planted_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycles() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " → ".join(cycle or [])


def test_data_types_do_not_import_the_renderer() -> None:
    assert not {m for m in _graph()["advisor.types"] if m.startswith("advisor.")}


def test_steps_never_receive_the_advisor() -> None:
    """Only the facade's users (web, CLI, dev tools, evals) import the service; the stages below it
    get a Retriever, a Provider and settings."""
    graph = _graph()
    users = {n for n, deps in graph.items() if "advisor.service" in deps}
    stages = ("advisor.qa", "advisor.planning", "advisor.retrieval", "advisor.index", "advisor.verify",
              "advisor.generation", "advisor.render", "advisor.ingest", "advisor.places", "advisor.compare",
              "advisor.diagnose")  # fmt: skip
    assert not {u for u in users if u.startswith(stages)}, users


@pytest.mark.parametrize("name", sorted(_modules()))
def test_module_size(name: str) -> None:
    path = _modules()[name]
    rel = path.relative_to(PACKAGE).as_posix()
    lines = len(path.read_text(encoding="utf-8").splitlines())
    if rel not in DATA_TABLES:
        assert lines <= MAX_LINES, f"{rel} has {lines} lines (limit {MAX_LINES}): split it by concern"


@pytest.mark.parametrize("name", sorted(n for n in _modules() if not n.endswith("generation.worker")))
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


# The pipeline's stages in README order; a module may import only its own stage and the ones before it.
LAYERS = [
    ("advisor.types", "advisor.text", "advisor.settings", "advisor.resources", "advisor.streams"),
    ("advisor.places",),
    ("advisor.index",),
    ("advisor.ingest",),
    ("advisor.verify",),
    ("advisor.retrieval",),
    ("advisor.generation",),
    ("advisor.render",),
    ("advisor.qa",),
    ("advisor.compare",),
    ("advisor.planning",),
    ("advisor.diagnose",),
    ("advisor.service",),
    ("advisor.web", "advisor.cli", "advisor.devtools", "advisor.evals", "advisor"),
]


def _layer(module: str) -> int:
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes if p != "advisor"):
            return i
    return len(LAYERS) - 1


def test_stages_import_only_earlier_stages() -> None:
    wrong = sorted(
        f"{name} → {dep}" for name, deps in _graph().items() for dep in deps if _layer(dep) > _layer(name)
    )
    assert not wrong, "\n".join(wrong)
