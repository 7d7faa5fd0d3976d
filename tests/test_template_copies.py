"""One source of templates (issue 28): the repository keeps one copy, the package's data.

The workspace at the repository's root (its samples, its site) reads the package's own
templates and process; a workspace made by ``docgen init`` gets a copy of them in its
``templates/``, and so does every copy of the samples the tests and benchmarks make.
"""

from __future__ import annotations

from pathlib import Path

from conftest import DATA, REPO, copy_samples
from docgen.workspace.config import open_workspace


def test_the_repository_keeps_one_copy_of_the_templates() -> None:
    assert not (REPO / "templates").exists(), (
        "templates/ is back: the package's data is the one copy"
    )
    workspace = open_workspace(REPO)
    assert workspace.process_file.resolve() == (DATA / "process.yml").resolve()
    assert (workspace.root / workspace.config.templates).resolve() == DATA.resolve()


def test_a_copy_of_the_samples_is_a_workspace_of_its_own(tmp_path: Path) -> None:
    root = copy_samples(tmp_path, ())
    workspace = open_workspace(root)
    assert workspace.process_file == root / "templates" / "process.yml"
    assert workspace.process_file.read_bytes() == (DATA / "process.yml").read_bytes()
    for folder in ("clauses", "documents", "engagement"):
        shipped = {p.name for p in (DATA / folder).iterdir() if p.suffix in (".j2", ".md")}
        assert shipped == {p.name for p in (root / "templates" / folder).iterdir()}, folder
        for name in shipped:
            assert (root / "templates" / folder / name).read_bytes() == (
                DATA / folder / name
            ).read_bytes()


def test_the_repository_guide_is_the_packages() -> None:
    manual = DATA / "workspace" / "docs" / "manual"
    for page in manual.glob("*.md"):
        assert (REPO / "docs" / "manual" / page.name).read_bytes() == page.read_bytes(), page.name
    assert {p.name for p in (REPO / "docs" / "manual").glob("*.md")} == {
        p.name for p in manual.glob("*.md")
    }
