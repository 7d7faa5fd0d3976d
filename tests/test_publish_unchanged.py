"""A publish whose inputs and output are as the last one left them is said again (issue 28).

Each step changes one thing a publish reads or leaves, and the publish must run again;
with nothing changed it must not run, and must say what the last one said.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import copy_samples

BLUEWAVE = "2026-005-bluewave-biopharma"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The roots of the publishes that ran (opened the workspace), in order."""
    import docgen.pipeline.publish as publishing

    opened: list[Path] = []
    original = publishing.open_workspace

    def counted(root: Path | None = None):  # type: ignore[no-untyped-def]
        opened.append(Path(str(root)))
        return original(root)

    monkeypatch.setattr(publishing, "open_workspace", counted)
    return opened


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.cn", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def test_an_unchanged_publish_is_said_again_and_any_change_runs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs: list[Path]
) -> None:
    from docgen.pipeline.publish import publish

    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = copy_samples(tmp_path / "ws", (BLUEWAVE,))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "samples")

    first = publish(root, jobs=1)
    assert first.built and first.render is not None and first.render.written
    assert len(runs) == 1
    page = next((first.site_dir / "engagements").rglob("index.html"))
    before = {p: p.stat().st_mtime_ns for p in first.site_dir.rglob("*") if p.is_file()}

    again = publish(root, jobs=1)
    assert len(runs) == 1  # not run
    assert again.built and again.site_dir == first.site_dir
    assert again.render is not None and not again.render.written
    assert sorted(again.render.unchanged) == sorted(first.render.written)
    assert sorted(d.format() for d in again.diagnostics) == sorted(
        d.format() for d in first.diagnostics
    )
    assert {p: p.stat().st_mtime_ns for p in first.site_dir.rglob("*") if p.is_file()} == before

    def runs_again(change_what: str) -> None:
        count = len(runs)
        report = publish(root, jobs=1)
        assert report.built, change_what
        assert len(runs) == count + 1, f"{change_what}: the publish did not run"
        publish(root, jobs=1)
        assert len(runs) == count + 1, f"after {change_what}: the next publish ran again"

    index = root / "engagements" / BLUEWAVE / "index.md"
    index.write_text(index.read_text("utf-8") + "\n", "utf-8")
    runs_again("an engagement file edited")

    os.utime(root / "mkdocs.yml")
    runs_again("mkdocs.yml touched")

    (root / "docs" / "extra.md").write_text("# 附录\n", "utf-8")
    runs_again("a page added to docs/")

    page.unlink()
    runs_again("a page of the site deleted")
    assert page.is_file()  # made again

    docx = next((root / "build" / "documents").rglob("*.docx"))
    docx.write_bytes(b"tampered")
    runs_again("a document of the output changed")
    assert docx.read_bytes().startswith(b"PK")

    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-27")
    runs_again("a new day")

    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "more")
    runs_again("a commit (the pages show each file's history)")

    # other sites of the same workspace are kept apart
    count = len(runs)
    partner = publish(root, audience="partner", jobs=1)
    assert partner.built and len(runs) == count + 1
    publish(root, jobs=1)
    publish(root, audience="partner", jobs=1)
    assert len(runs) == count + 1


def test_a_variable_mkdocs_yml_reads_is_an_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs: list[Path]
) -> None:
    from docgen.pipeline.publish import publish

    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = copy_samples(tmp_path / "ws", (BLUEWAVE,))
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8")
    config.write_text(
        text.replace("site_name:", "site_description: !ENV [SITE_NOTE, x]\nsite_name:", 1), "utf-8"
    )
    monkeypatch.setenv("SITE_NOTE", "一")
    publish(root, jobs=1)
    publish(root, jobs=1)
    assert len(runs) == 1
    monkeypatch.setenv("SITE_NOTE", "二")
    publish(root, jobs=1)
    assert len(runs) == 2


def test_a_publish_with_errors_is_never_said_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs: list[Path]
) -> None:
    from docgen.pipeline.publish import publish

    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = copy_samples(tmp_path / "ws", (BLUEWAVE,))
    index = root / "engagements" / BLUEWAVE / "index.md"
    index.write_text(
        index.read_text("utf-8").replace("mode: ", "mode: 不存在的模式  # ", 1), "utf-8"
    )
    for _ in range(2):
        report = publish(root, jobs=1, keep_going=True)
        assert any(d.is_error for d in report.diagnostics)
    assert len(runs) == 2


def test_a_site_folder_inside_the_workspace_is_an_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, runs: list[Path]
) -> None:
    from docgen.pipeline.publish import publish

    monkeypatch.setenv("DOCGEN_TODAY", "2026-11-26")
    root = copy_samples(tmp_path / "ws", (BLUEWAVE,))
    for _ in range(3):
        assert publish(root, site_dir=root / "public", jobs=1).built
    assert len(runs) == 1
    (root / "public" / "index.html").unlink()
    publish(root, site_dir=root / "public", jobs=1)
    assert len(runs) == 2 and (root / "public" / "index.html").is_file()
