"""The parse cache and parallel validation change speed, never results."""

from __future__ import annotations

import importlib
import sqlite3
import sys
from pathlib import Path

import pytest

import docgen.workspace.load
from conftest import PREPARATION, REPO, build_tree
from docgen.checks.validate import validate

sys.path.insert(0, str(REPO / "bench"))
from synthetic import make_portfolio

E = "engagements/e"


def codes(root: Path) -> list[tuple[str, int, str]]:
    return [(d.path, d.line, d.code) for d in validate(root, jobs=1).diagnostics]


def databases(cache: Path) -> list[Path]:
    return list(cache.glob("store-*.sqlite3"))


def rows(cache: Path) -> list[tuple[str, bytes]]:
    (db,) = databases(cache)
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT engagement, data FROM entries WHERE stage = 'parse'").fetchall()


def test_warm_cache_gives_the_same_diagnostics(
    workspace: Path, _private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(workspace, {f"{E}/risks.md": "---\nrisks:\n  - id: R1\n    title: x\n---\n"})
    cold = codes(workspace)
    assert [name for name, _ in rows(_private_cache)] == ["e"], "one bundle per engagement"

    def no_parsing(*_: object) -> None:
        raise AssertionError("a warm run parsed an unchanged file")

    monkeypatch.setattr(docgen.workspace.load, "parse_markdown", no_parsing)
    assert cold == codes(workspace)
    assert not list(workspace.rglob("*.sqlite3*")), "the cache never lives in the workspace"


def test_changed_content_is_parsed_again(workspace: Path) -> None:
    assert codes(workspace) == []
    path = workspace / E / "index.md"
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    path.write_text(text.replace("owner: 张伟", "ownr: 张伟"), encoding="utf-8")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime: content decides
    assert (f"{E}/index.md", 10, "unknown-key") in codes(workspace)


def test_a_damaged_row_is_a_miss(workspace: Path, _private_cache: Path) -> None:
    first = codes(workspace)
    (db,) = databases(_private_cache)  # one store for every stage
    with sqlite3.connect(db) as conn:
        stages = sorted({s for (s,) in conn.execute("SELECT stage FROM entries")})
        assert stages == ["engagements", "findings", "parse"], stages
        # parsed files, loaded engagements, findings: every row damaged
        conn.execute("UPDATE entries SET data = ?", (b"not a pickle",))
    assert codes(workspace) == first
    with sqlite3.connect(db) as conn:
        for stage in stages:
            data = [d for (d,) in conn.execute("SELECT data FROM entries WHERE stage = ?", (stage,))]
            assert data and b"not a pickle" not in data, f"{stage}: written again"


def test_a_cache_file_that_is_not_a_database_is_replaced(
    workspace: Path, _private_cache: Path
) -> None:
    first = codes(workspace)
    for db in _private_cache.glob("*.sqlite3"):
        for extra in db.parent.glob(db.name + "-*"):
            extra.unlink()
        db.write_bytes(b"garbage " * 100)
    assert codes(workspace) == first
    assert [name for name, _ in rows(_private_cache)] == ["e"]


def test_an_unwritable_cache_costs_only_speed(
    workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = codes(workspace)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(blocked / "docgen"))
    assert codes(workspace) == first


def test_cache_can_be_turned_off(workspace: Path, _private_cache: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_NO_CACHE", "1")
    codes(workspace)
    assert not list(_private_cache.iterdir())


def test_parallel_equals_serial(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = make_portfolio(tmp_path / "ws", 240)
    fifth = next((root / "engagements").glob("*-00005")).name
    build_tree(root, {f"engagements/{fifth}/preparation.md": "---\n- x\n---\n"})
    serial = validate(root, jobs=1)
    parallel = validate(root, jobs=2)
    assert parallel.engagements == serial.engagements == 240
    assert parallel.diagnostics == serial.diagnostics
    assert any(d.code == "front-matter-type" for d in serial.diagnostics)


def test_duplicate_codes_are_found_across_processes(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = make_portfolio(tmp_path / "ws", 200)
    first, last = (
        f"engagements/{next((root / 'engagements').glob(f'*-{n:05d}')).name}" for n in (0, 197)
    )
    index = root / last / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("ZS-SYN-00197", "ZS-SYN-00000"), encoding="utf-8")
    found = {(d.path, d.code) for d in validate(root, jobs=2).diagnostics}
    assert (f"{first}/index.md", "duplicate-id") in found
    assert (f"{last}/index.md", "duplicate-id") in found


VALIDATION = importlib.import_module("docgen.checks.validate")  # the package exports validate()


def _no_checking(*_: object) -> None:
    raise AssertionError("an unchanged engagement was checked again")


def test_unchanged_engagements_are_not_checked_again(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_tree(workspace, {f"{E}/risks.md": "---\nrisks:\n  - id: R1\n    title: x\n---\n"})
    cold = codes(workspace)
    assert cold, "the risk lacks fields: there are findings to keep"
    monkeypatch.setattr(VALIDATION, "check_engagement", _no_checking)
    assert codes(workspace) == cold


def test_findings_follow_every_input(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    evidence = "../../docs/survey.md"  # outside the engagement's folder: looked at, not read
    build_tree(
        workspace,
        {
            "docs/survey.md": "# 调研\n",
            f"{E}/preparation.md": PREPARATION.replace(
                "    by: 张伟\n", f"    by: 张伟\n    evidence: {evidence}\n"
            ),
        },
    )
    assert codes(workspace) == []
    # a file outside the folder that the engagement names goes away
    (workspace / "docs/survey.md").unlink()
    assert ("engagements/e/preparation.md", 6, "evidence-missing") in codes(workspace)
    build_tree(workspace, {"docs/survey.md": "# 调研\n"})
    assert codes(workspace) == []
    # another day: a due date passes
    stage = workspace / E / "preparation.md"
    stage.write_text(
        stage.read_text("utf-8").replace(
            "checklist:\n", "checklist:\n  market-research.analyse-market:\n    due: 2026-03-01\n"
        ),
        "utf-8",
    )
    monkeypatch.setenv("DOCGEN_TODAY", "2026-02-01")
    assert "overdue" not in [c for _, _, c in codes(workspace)]
    monkeypatch.setenv("DOCGEN_TODAY", "2026-03-02")
    assert "overdue" in [c for _, _, c in codes(workspace)]
    # the same size and modification time, new content: the change time tells
    monkeypatch.setenv("DOCGEN_TODAY", "2026-02-01")
    assert "overdue" not in [c for _, _, c in codes(workspace)]
    stat = stage.stat()
    stage.write_text(stage.read_text("utf-8").replace("2026-03-01", "2026-01-01"), "utf-8")
    os.utime(stage, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert stage.stat().st_size == stat.st_size
    assert "overdue" in [c for _, _, c in codes(workspace)]
    # the process file changes: every engagement is checked again
    process = workspace / "templates/process.yml"
    process.write_text(process.read_text("utf-8") + "\n# 注释\n", "utf-8")
    monkeypatch.setattr(VALIDATION, "check_engagement", _no_checking)
    with pytest.raises(AssertionError, match="checked again"):
        codes(workspace)


def test_loaded_engagements_follow_their_files_and_the_process(
    workspace: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes(workspace)
    loads: list[str] = []
    real = docgen.workspace.load.load_engagement

    def counted(folder: Path, *args: object, **kwargs: object) -> object:
        loads.append(folder.name)
        return real(folder, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(docgen.workspace.load, "load_engagement", counted)
    codes(workspace)
    assert loads == [], "an unchanged engagement is not loaded again"
    build_tree(workspace, {f"{E}/risks.md": "---\nrisks:\n  - id: R1\n    title: x\n---\n"})
    assert any(path == f"{E}/risks.md" for path, _, _ in codes(workspace))
    assert loads == ["e"], "a new file in the folder: loaded again"
    process = workspace / "templates/process.yml"
    process.write_text(process.read_text("utf-8") + "\n# 注释\n", "utf-8")
    codes(workspace)
    assert loads == ["e", "e"], "the process changed: loaded again"
