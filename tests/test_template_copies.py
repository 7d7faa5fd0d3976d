"""One source of templates (issue 28): the repository's templates/ is the package's data.

The workspace at the repository's root (its samples, its site) reads ``templates/``; a
workspace made by ``docgen init`` gets the package's copy.  They are the same files,
byte for byte, or a sample renders with a template no new workspace has.
"""

from __future__ import annotations

from conftest import REPO

DATA = REPO / "src" / "docgen" / "data"


def test_the_repository_templates_are_the_packages() -> None:
    ours = sorted(p.relative_to(REPO / "templates") for p in (REPO / "templates").rglob("*") if p.is_file())
    assert ours, "templates/ is empty"
    for rel in ours:
        packaged = DATA / rel
        assert packaged.is_file(), f"templates/{rel} is not in the package"
        assert (REPO / "templates" / rel).read_bytes() == packaged.read_bytes(), f"templates/{rel} differs"
    # and every template the package ships, the repository has
    for folder in ("clauses", "documents", "engagement"):
        shipped = {p.name for p in (DATA / folder).iterdir() if p.suffix in (".j2", ".md")}
        kept = {p.name for p in (REPO / "templates" / folder).iterdir()}
        assert shipped <= kept, (folder, shipped - kept)


def test_the_repository_guide_is_the_packages() -> None:
    manual = DATA / "workspace" / "docs" / "manual"
    for page in manual.glob("*.md"):
        assert (REPO / "docs" / "manual" / page.name).read_bytes() == page.read_bytes(), page.name
    assert {p.name for p in (REPO / "docs" / "manual").glob("*.md")} == {p.name for p in manual.glob("*.md")}
