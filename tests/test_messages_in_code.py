"""Every message made in the code fills exactly the placeholders its text names.

A ``msg("… %(name)s …", other=…)`` would raise a KeyError the moment a user meets it;
this reads every call in the source instead of waiting for that moment.
"""

from __future__ import annotations

import ast
import re

from conftest import REPO

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _calls() -> list[tuple[str, int, str, set[str], bool]]:
    found = []
    for path in sorted((REPO / "src/docgen").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            if name not in ("msg", "t") or not isinstance(first, ast.Constant):
                continue
            if not isinstance(first.value, str):
                continue
            keywords = {k.arg for k in node.keywords if k.arg}
            spread = any(k.arg is None for k in node.keywords)  # **values: cannot tell
            rel = path.relative_to(REPO).as_posix()
            found.append((rel, node.lineno, first.value, keywords, spread))
    return found


def test_every_message_gets_the_values_it_names() -> None:
    calls = _calls()
    assert len(calls) > 300
    wrong = [
        f"{rel}:{line}: {text!r} names {sorted(named)}, given {sorted(given)}"
        for rel, line, text, given, spread in calls
        if not spread and (named := set(PLACEHOLDER.findall(text))) != given
    ]
    assert not wrong, "\n".join(wrong)
