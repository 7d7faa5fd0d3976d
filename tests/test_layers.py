"""The code is layered the way the data flows: a module imports only from its own layer
or the layers below it, and no modules import each other round (issue 28).

From the bottom: what every part uses (messages, diagnostics, paths, atomic writes,
fingerprints, parsing), the domain (the models and the process), the workspace as loaded,
the documents made from it (templates, clauses, frozen texts, Word), the checks run on it
(rules and validation, which read what documents need), the edits written back to it
(workflow, records, signing), tracking (sheets, calendars, reminders), the site, the web
editor, the pipelines that run them together (render, publish, redline), and the CLI.

Each layer is a package of ``src/docgen`` (``word`` sits with the documents it writes);
a new module goes in the package of its stage, and the test fails on one outside them.  Imports under
``if TYPE_CHECKING:`` are for the type checker only and are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "docgen"

#: each layer, bottom first, and the modules (or packages) in it
LAYERS: list[tuple[str, list[str]]] = [
    ("core", ["core"]),
    ("domain", ["domain"]),
    ("workspace", ["workspace"]),
    ("documents", ["documents", "word"]),
    ("checks", ["checks"]),
    ("edits", ["edits"]),
    ("tracking", ["tracking"]),
    ("site", ["site"]),
    ("cms", ["cms"]),
    ("pipeline", ["pipeline"]),
    ("cli", ["cli", "__main__"]),
]
RANK = {name: i for i, (name, _) in enumerate(LAYERS)}


def modules() -> dict[str, Path]:
    """Every module of docgen by dotted name (``render.run``), data files' code aside."""
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[0] == "data":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if name:
            found[name] = path
    return found


def layer(name: str) -> str | None:
    """The layer of module ``name``: the longest module or package prefix listed."""
    best: tuple[int, str] | None = None
    for layer_name, members in LAYERS:
        for member in members:
            if (name == member or name.startswith(member + ".")) and (
                best is None or len(member) > best[0]
            ):
                best = (len(member), layer_name)
    return best[1] if best else None


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """The nodes Python runs: not those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The docgen modules ``path`` imports when it runs, function-local imports too."""
    found = set()

    def resolve(dotted: str) -> str | None:
        name = dotted.removeprefix("docgen").removeprefix(".")
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.split(".")[0] == "docgen"
        ):
            # each name: a module of the package (from docgen.x import y) or a name in one
            targets = [f"{node.module}.{a.name}" for a in node.names]
            found |= {m for t in targets if (m := resolve(t))}
        elif isinstance(node, ast.Import):
            found |= {
                m for a in node.names if a.name.split(".")[0] == "docgen" and (m := resolve(a.name))
            }
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(path, known) - {name} for name, path in known.items()}


def test_every_module_has_a_layer() -> None:
    assert [name for name in modules() if layer(name) is None] == []


def test_no_module_imports_from_a_layer_above_it() -> None:
    upward = [
        f"{a} ({layer(a)}) imports {b} ({layer(b)})"
        for a, targets in sorted(graph().items())
        for b in sorted(targets)
        if RANK[layer(b) or "cli"] > RANK[layer(a) or "cli"]
    ]
    assert upward == []


def test_no_modules_import_each_other_round() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert cycles == []


def test_the_checks_see_what_they_guard() -> None:
    """The three tests above fail on the faults they are for (a check that cannot fail is none)."""
    assert layer("pipeline.render") == "pipeline" and layer("documents.context") == "documents"
    assert RANK["documents"] < RANK["checks"] < RANK["pipeline"]
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import docgen.cli\nimport docgen.checks.validate\n"
    )
    seen = {ast.unparse(n) for n in _runtime_nodes(tree) if isinstance(n, ast.Import)}
    assert seen == {"import docgen.checks.validate"}
