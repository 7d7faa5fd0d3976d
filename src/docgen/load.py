"""Load a workspace into the model: engagements, each file with its source map.

Loading never raises for a user's file: every problem becomes a diagnostic and the file
is left out of the model, so validation can report everything in one run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from docgen.diagnostics import Diagnostic, DocgenError, FileProblem, Location
from docgen.model import (
    FILE_KINDS,
    DocumentRecord,
    EngagementIndex,
    KpisFile,
    Meeting,
    PlanFile,
    RisksFile,
    StageFile,
    Strict,
)
from docgen.process import Process, load_process
from docgen.schema import did_you_mean, validate_model
from docgen.source import SourceMap, read_markdown
from docgen.workspace import Workspace, open_workspace

T = TypeVar("T", bound=Strict)

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_MEETING_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*\.md$")


@dataclass(slots=True)
class Sourced(Generic[T]):
    """A parsed file: its data, its body, and where each value stands."""

    path: str
    data: T
    source_map: SourceMap
    body: str = ""

    def at(self, *loc: str | int) -> Location:
        """The location of the value at ``loc`` in this file."""
        return self.source_map.locate(loc)


@dataclass(slots=True)
class Engagement:
    """One engagement folder, loaded; files that failed to load are ``None``/absent."""

    id: str
    folder: Path
    rel: str
    index: Sourced[EngagementIndex] | None = None
    stages: dict[str, Sourced[StageFile]] = field(default_factory=dict)
    risks: Sourced[RisksFile] | None = None
    kpis: Sourced[KpisFile] | None = None
    plan: Sourced[PlanFile] | None = None
    meetings: list[Sourced[Meeting]] = field(default_factory=list)
    documents: dict[str, Sourced[DocumentRecord]] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)

    @property
    def title(self) -> str:
        """The Chinese name of the engagement (its id if index.md failed to load)."""
        return self.index.data.title if self.index else self.id


@dataclass(slots=True)
class Portfolio:
    """A loaded workspace: config, process, engagements and what loading found."""

    workspace: Workspace
    process: Process
    engagements: list[Engagement]
    diagnostics: list[Diagnostic]

    def get(self, engagement_id: str) -> Engagement:
        """The engagement with this id, or a `DocgenError` with a hint."""
        for e in self.engagements:
            if e.id == engagement_id:
                return e
        hint = did_you_mean(engagement_id, [e.id for e in self.engagements])
        raise DocgenError(f"no engagement '{engagement_id}'" + (f"; {hint}" if hint else ""))


class _FileLoader:
    """Reads the files of one engagement, collecting diagnostics."""

    def __init__(self, workspace: Workspace, diagnostics: list[Diagnostic]) -> None:
        self.workspace = workspace
        self.diagnostics = diagnostics
        self.max_bytes = workspace.config.max_file_kb * 1024

    def read(self, file: Path, model: type[T]) -> Sourced[T] | None:
        rel = self.workspace.rel(file)
        try:
            source = read_markdown(file, rel, max_bytes=self.max_bytes)
        except FileProblem as exc:
            self.diagnostics.append(exc.diagnostic)
            return None
        data, diags = validate_model(model, source.data, source.source_map)
        if data is None:
            self.diagnostics.extend(diags)
            return None
        return Sourced(rel, data, source.source_map, source.body)


def engagement_ids(workspace: Workspace) -> list[Path]:
    """The engagement folders, sorted by name (hidden folders skipped)."""
    base = workspace.engagements_dir
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def load_engagement(
    folder: Path, workspace: Workspace, process: Process, diagnostics: list[Diagnostic]
) -> Engagement:
    """Load one engagement folder; problems go to ``diagnostics``."""
    loader = _FileLoader(workspace, diagnostics)
    rel = workspace.rel(folder)
    engagement = Engagement(folder.name, folder, rel)
    stage_files = process.stage_by_file
    names = sorted(p.name for p in folder.iterdir())
    if "index.md" not in names:
        diagnostics.append(
            Location(f"{rel}/index.md").diagnostic(
                "error",
                "missing-file",
                "engagement folder has no index.md",
                "run 'docgen new' to scaffold an engagement",
            )
        )
    for name in names:
        path = folder / name
        if path.is_dir():
            if name == "meetings":
                for meeting in sorted(path.glob("*.md")):
                    m = loader.read(meeting, Meeting)
                    if m is None:
                        engagement.broken.add(f"meetings/{meeting.name}")
                    else:
                        engagement.meetings.append(m)
            elif name == "documents":
                for doc in sorted(path.glob("*.md")):
                    d = loader.read(doc, DocumentRecord)
                    if d is None:
                        engagement.broken.add(f"documents/{doc.name}")
                    else:
                        engagement.documents[doc.stem] = d
            continue
        if not name.endswith(".md"):
            continue
        if name in stage_files:
            s = loader.read(path, StageFile)
            if s is None:
                engagement.broken.add(name)
            else:
                engagement.stages[stage_files[name].id] = s
        elif name in FILE_KINDS:
            loaded = loader.read(path, FILE_KINDS[name])
            if loaded is None:
                engagement.broken.add(name)
            else:
                setattr(engagement, name.removesuffix(".md"), loaded)
        elif name.lower() != "readme.md":
            known = [*FILE_KINDS, *stage_files]
            diagnostics.append(
                Location(f"{rel}/{name}").diagnostic(
                    "warning",
                    "unknown-file",
                    f"docgen does not know the file '{name}'; it is not read",
                    did_you_mean(name, known) or "keep free notes in a notes/ folder",
                )
            )
    return engagement


def load_portfolio(root: Path | None = None, only: Iterable[str] | None = None) -> Portfolio:
    """Load the workspace at ``root``: config, process and engagements (``only`` limits)."""
    workspace = open_workspace(root)
    process_file = workspace.process_file
    if not process_file.is_file():
        raise DocgenError(
            f"process file {workspace.rel(process_file)} not found; "
            "run 'docgen init' or set 'process:' in the docgen section of mkdocs.yml"
        )
    process = load_process(process_file, workspace.rel(process_file))
    diagnostics: list[Diagnostic] = []
    folders = engagement_ids(workspace)
    if only is not None:
        wanted = list(only)
        by_name = {f.name: f for f in folders}
        for name in wanted:
            if not SLUG.match(name) or name not in by_name:
                hint = did_you_mean(name, by_name)
                raise DocgenError(
                    f"no engagement '{name}' in {workspace.config.engagements}/"
                    + (f"; {hint}" if hint else "")
                )
        folders = [by_name[n] for n in wanted]
    engagements = [load_engagement(f, workspace, process, diagnostics) for f in folders]
    return Portfolio(workspace, process, engagements, diagnostics)
