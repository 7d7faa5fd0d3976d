"""The parse cache and parallel validation change speed, never results."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO, build_tree
from docgen.validate import validate

sys.path.insert(0, str(REPO / "bench"))
from synthetic import make_portfolio

E = "engagements/e"


def codes(root: Path) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in validate(root, jobs=1).diagnostics]


def test_warm_cache_gives_the_same_diagnostics(workspace: Path, _private_cache: Path) -> None:
    build_tree(workspace, {f"{E}/risks.md": "---\nrisks:\n  - id: R1\n    title: x\n---\n"})
    cold = codes(workspace)
    assert list(_private_cache.rglob("*.pickle")), "cold run should fill the cache"
    assert cold == codes(workspace)
    assert not list(workspace.rglob("*.pickle")), "the cache never lives in the workspace"


def test_changed_content_is_parsed_again(workspace: Path) -> None:
    assert codes(workspace) == []
    path = workspace / E / "index.md"
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    path.write_text(text.replace("owner: 张伟", "ownr: 张伟"), encoding="utf-8")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: content decides
    assert (f"{E}/index.md", 10, "unknown-key") in codes(workspace)


def test_broken_cache_is_a_miss(workspace: Path, _private_cache: Path) -> None:
    first = codes(workspace)
    for bundle in _private_cache.rglob("*.pickle"):
        bundle.write_bytes(b"not a pickle")
    assert codes(workspace) == first


def test_cache_can_be_turned_off(workspace: Path, _private_cache: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_NO_CACHE", "1")
    codes(workspace)
    assert not list(_private_cache.rglob("*.pickle"))


def test_parallel_equals_serial(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = make_portfolio(tmp_path / "ws", 240)
    build_tree(root, {"engagements/2026-011-lingyun-robotics-00005/preparation.md": "---\n- x\n---\n"})
    serial = validate(root, jobs=1)
    parallel = validate(root, jobs=2)
    assert parallel.engagements == serial.engagements == 240
    assert parallel.diagnostics == serial.diagnostics
    assert any(d.code == "front-matter-type" for d in serial.diagnostics)


def test_duplicate_codes_are_found_across_processes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = make_portfolio(tmp_path / "ws", 200)
    first, last = "engagements/2023-009-haixin-semiconductor-00000", "engagements/2026-011-lingyun-robotics-00197"
    index = root / last / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("ZS-SYN-00197", "ZS-SYN-00000"), encoding="utf-8")
    found = {(d.path, d.code) for d in validate(root, jobs=2).diagnostics}
    assert (f"{first}/index.md", "duplicate-id") in found
    assert (f"{last}/index.md", "duplicate-id") in found
