"""Whether each document an engagement gets has every value its template requires.

Validation runs this so that its exit code predicts ``publish``: a clean validate is never
followed by a render that stops for a missing ``terms.scope``.  It reads each template's
header and checks its syntax once per process, and builds each document's context as the
render would, but renders nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from docgen.diagnostics import Diagnostic, DocgenError
from docgen.load import Engagement
from docgen.process import Process
from docgen.render.context import document_context, document_view, engagement_context
from docgen.render.documents import job_findings, plan_jobs
from docgen.render.templates import TemplateSpec, environment, load_spec, template_dirs
from docgen.workspace import Workspace


class DocumentCheck:
    """Checks the documents of engagements against their templates' requirements."""

    def __init__(self, workspace: Workspace, process: Process) -> None:
        self.workspace = workspace
        self.process = process
        folder = workspace.root / workspace.config.templates / "documents"
        self.env = environment(tuple(template_dirs(folder)))
        self.specs: dict[str, TemplateSpec | Diagnostic] = {}

    def spec(self, name: str) -> TemplateSpec | Diagnostic:
        """The template's spec, or the one diagnostic that says why it cannot be read."""
        if name not in self.specs:
            try:
                self.specs[name] = load_spec(self.env, name, self.workspace.rel)
            except DocgenError as exc:
                self.specs[name] = exc.diagnostics[0]
        return self.specs[name]

    def check(self, e: Engagement, today: date) -> Iterator[Diagnostic]:
        """Every value missing from the documents ``e`` has reached (as ``render`` makes)."""
        if e.index is None:
            return
        base: dict[str, Any] | None = None
        for job in plan_jobs([e], self.process):
            spec = self.spec(job.template_name)
            if isinstance(spec, Diagnostic):
                yield spec
                continue
            if base is None:
                base = engagement_context(self.workspace, self.process, e)
            title = spec.header.title or job.kind.title
            doc, _ = document_view(e, self.process, job.kind.id, title)
            context = document_context(base, doc, revisions=[], doc_date=today, meeting=job.meeting)
            yield from job_findings(job, spec, context, self.workspace)
