"""An engagement as loaded: each file's data with where each value stands in it.

What every later stage reads (checks, documents, the site, edits); `docgen.workspace.load`
makes them from the files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from docgen.core.diagnostics import Location
from docgen.core.schema import Strict
from docgen.core.source import SourceMap
from docgen.domain.model import (
    ApplicantsFile,
    DocumentRecord,
    EngagementIndex,
    KpisFile,
    Meeting,
    PlanFile,
    RisksFile,
    StageFile,
    SurveyFile,
)

T = TypeVar("T", bound=Strict)


@dataclass(slots=True)
class Sourced(Generic[T]):
    """A parsed file: its data, its body, and where each value stands."""

    path: str
    data: T
    source_map: SourceMap
    body: str = ""
    #: the file's content hash (what caches of things made from it are keyed by)
    digest: str = ""

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
    survey: Sourced[SurveyFile] | None = None
    applicants: Sourced[ApplicantsFile] | None = None
    meetings: list[Sourced[Meeting]] = field(default_factory=list)
    documents: dict[str, Sourced[DocumentRecord]] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    #: the status of every file in the folder when it was loaded (`docgen.core.fingerprint`)
    inputs: bytes = b""
    #: its files when it was loaded, from the folder (``meetings/2026-03-02-kickoff.md``)
    files: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The Chinese name of the engagement (its id if index.md failed to load)."""
        return self.index.data.title if self.index else self.id

    def sources(self) -> list[Sourced[Any]]:
        """Every file of the engagement that loaded: index, stages, risks … records."""
        files: list[Sourced[Any] | None] = [self.index, *self.stages.values()]
        files += [self.risks, self.kpis, self.plan, self.survey, self.applicants, *self.meetings]
        return [f for f in [*files, *self.documents.values()] if f is not None]
