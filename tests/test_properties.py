"""Property tests: random bytes and random YAML never make a traceback, always a diagnostic."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import base_spec, build_tree
from docgen.checks.validate import validate_portfolio
from docgen.workspace.load import load_portfolio

TODAY = date(2026, 11, 26)
TARGETS = ["index.md", "preparation.md", "risks.md", "kpis.md", "plan.md", "meetings/2026-01-01-a.md"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
    st.text(max_size=30), st.dates(),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.text(max_size=12), children, max_size=5),
    ),
    max_leaves=30,
)
yaml_noise = st.text(
    alphabet=string.ascii_letters + string.digits + " -:[]{}#&*!|>'\"%@`,?\n\t.招商合作",
    max_size=300,
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ws")
    build_tree(path, base_spec())
    return path


def check(root: Path, target: str, content: bytes) -> None:
    file = root / "engagements" / "e" / target
    file.parent.mkdir(parents=True, exist_ok=True)
    original = file.read_bytes() if file.exists() else None
    file.write_bytes(content)
    try:
        diagnostics = validate_portfolio(load_portfolio(root), TODAY)
    finally:
        if original is None:
            file.unlink()
        else:
            file.write_bytes(original)
    rel = f"engagements/e/{target}"
    assert any(d.path == rel for d in diagnostics) or (target != "index.md" and not diagnostics)
    for d in diagnostics:
        assert d.line >= 1 and d.col >= 1 and d.code and d.message


common = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(target=st.sampled_from(TARGETS), data=st.binary(max_size=600), fenced=st.booleans())
def test_random_bytes(root: Path, target: str, data: bytes, fenced: bool) -> None:
    content = b"---\n" + data + b"\n---\n" if fenced else data
    check(root, target, content)


@common
@given(target=st.sampled_from(TARGETS), tree=trees)
def test_random_yaml_structures(root: Path, target: str, tree: object) -> None:
    text = yaml.safe_dump(tree, allow_unicode=True)
    check(root, target, f"---\n{text}---\n".encode())


@common
@given(target=st.sampled_from(TARGETS), noise=yaml_noise)
def test_random_yaml_text(root: Path, target: str, noise: str) -> None:
    check(root, target, f"---\n{noise}\n---\n".encode())
