"""Issue 24's remaining probes, each through the real command: what a hostile or careless
input, or an interrupted run, must not do."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import copy_samples

HENGTONG = "2025-014-hengtong-logistics"


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    (tmp_path / "ws").mkdir()
    return copy_samples(tmp_path / "ws")


def test_a_code_running_tag_in_mkdocs_yml_is_refused_before_mkdocs_reads_it(
    ws: Path, run, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    mark = tmp_path / "ran"
    config = ws / "mkdocs.yml"
    lines = config.read_text("utf-8").splitlines()
    lines.insert(2, f'extra_thing: !!python/object/apply:os.system ["touch {mark}"]')
    config.write_text("\n".join(lines) + "\n", "utf-8")
    for command in (["validate"], ["publish"], ["status"]):
        result = run(*command, "--root", str(ws))
        said = result.out + result.err
        assert result.exit_code == 2, (command, said)
        assert "mkdocs.yml:3:14: error yaml-unsafe-tag" in said, said
        assert not mark.exists()
    # the emoji extension's !!python/name: stays allowed
    lines[2] = "extra_thing: !!python/name:material.extensions.emoji.twemoji"
    config.write_text("\n".join(lines) + "\n", "utf-8")
    assert run("validate", "--root", str(ws)).exit_code in (0, 1)


def test_render_all_on_the_samples_reports_and_does_not_crash(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("render", "--all", "--root", str(ws))
    said = result.out + result.err
    assert "Traceback" not in said and "KeyError" not in said, said
    assert result.exit_code in (0, 1)
    errors = [line for line in said.splitlines() if " error " in line]
    assert all(line.startswith("engagements/") or line.startswith("templates/") for line in errors)
    # the documents the engagements have reached are made all the same
    assert (ws / "build/documents" / HENGTONG / "cooperation-agreement.docx").is_file()


def test_leftover_temporaries_are_reported_and_cleaned_by_the_next_write(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    folder = ws / "engagements" / HENGTONG
    stray = folder / ".index.md.k3j9x2ab.tmp"
    stray.write_text("half a file", "utf-8")
    old = time.time() - 3600
    os.utime(stray, (old, old))
    result = run("validate", HENGTONG, "--root", str(ws))
    assert "warning stray-temp-file" in result.out and ".index.md.k3j9x2ab.tmp" in result.out
    # the next write into the folder removes it
    done = run("advance", HENGTONG, "--dry-run", "--root", str(ws))
    assert stray.exists(), "a dry run writes nothing"
    from docgen.edits.workflow import Transition, apply
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(ws, [HENGTONG])
    e = portfolio.get(HENGTONG)
    index = folder / "index.md"
    plan = Transition(e, "touch", [], {index: index.read_bytes()})
    apply(plan, ws)
    assert not stray.exists() and done.exit_code in (0, 1)


def test_a_stale_git_lock_is_said_before_anything_is_written(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    for args in (["init", "-q"], ["add", "-A"],
                 ["-c", "user.name=t", "-c", "user.email=t@x.cn", "commit", "-qm", "s"]):
        subprocess.run(["git", *args], cwd=ws, check=True)
    (ws / ".git" / "index.lock").write_text("", "utf-8")
    record = ws / "engagements" / "2026-005-bluewave-biopharma" / "documents/cooperation-agreement.md"
    before = record.read_bytes()
    result = run("approve", "2026-005-bluewave-biopharma", "cooperation-agreement", "--by", "周建国",
                 "--date", "2026-11-20", "--commit", "--root", str(ws))
    said = result.out + result.err
    assert result.exit_code != 0 and "index.lock" in said and "Nothing was written" in said, said
    assert record.read_bytes() == before
    assert not (record.parent / "cooperation-agreement" / "0.3.md").exists()


def test_an_executed_copy_is_hashed_in_chunks(ws: Path) -> None:
    from docgen.core.fingerprint import file_sha256

    big = ws / "scan.pdf"
    with big.open("wb") as f:
        for _ in range(64):
            f.write(os.urandom(1024 * 1024))
    tracemalloc.start()
    digest = file_sha256(big)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert digest == hashlib.sha256(big.read_bytes()).hexdigest()
    assert peak < 8 * 1024 * 1024, peak  # 64 MB file, a few MB at most in memory


def test_a_file_name_with_a_line_break_or_bidi_override_stays_on_one_line(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    folder = ws / "engagements" / HENGTONG
    (folder / "notes\nindex.md:1:1: error forged.md").write_text("---\na: 1\n---\n", "utf-8")
    (folder / "evil\u202etxt.md").write_text("---\na: 1\n---\n", "utf-8")
    result = run("validate", HENGTONG, "--root", str(ws))
    lines = result.out.splitlines()
    assert not any(line.startswith("index.md:1:1") for line in lines), result.out
    unknown = [line for line in lines if "unknown-file" in line]
    assert len(unknown) == 2, result.out
    assert any("notes［U+000A］index.md:1:1: error forged.md" in line for line in unknown), unknown
    assert any("evil［U+202E］txt.md" in line for line in unknown), unknown
    assert "\u202e" not in result.out


def test_a_signed_copy_linked_from_outside_is_named_itself(ws: Path, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record = ws / "engagements" / HENGTONG / "documents/cooperation-agreement.md"
    outside = tmp_path / "scan.pdf"
    outside.write_bytes(b"%PDF-1.4 scan")
    link = ws / "engagements" / HENGTONG / "documents/executed-link.pdf"
    link.symlink_to(outside)
    digest = hashlib.sha256(outside.read_bytes()).hexdigest()
    text = record.read_text("utf-8").replace(
        "\n---", f"\nexecuted:\n  file: documents/executed-link.pdf\n  sha256: {digest}\n---", 1
    )
    record.write_text(text, "utf-8")
    result = run("validate", HENGTONG, "--root", str(ws))
    found = [line for line in result.out.splitlines() if "outside-workspace" in line]
    assert found and found[0].startswith(
        f"engagements/{HENGTONG}/documents/cooperation-agreement.md:"
    ), result.out
    assert "executed-link.pdf" in found[0] and str(outside) in found[0], found


def test_a_killed_office_runs_leftovers_are_removed_by_the_next(ws: Path, run) -> None:  # type: ignore[no-untyped-def]
    out = ws / "build" / "documents"
    left = out / ".docgen-office-k1ll3d"
    (left / "profile").mkdir(parents=True)
    (left / "0.pdf").write_bytes(b"%PDF half")
    old = time.time() - 2 * 3600
    os.utime(left, (old, old))
    fresh = out / ".docgen-office-running"  # another run's, under way: left alone
    fresh.mkdir()
    run("render", HENGTONG, "--doc", "cooperation-agreement", "--pdf", "--force", "--root", str(ws))
    assert not left.exists() and fresh.exists()
