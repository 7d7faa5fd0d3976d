"""Whether each document an engagement gets has every value its template requires.

Validation runs this so that its exit code predicts ``publish``: a clean validate is never
followed by a render that stops for a missing ``terms.scope``.  It reads each template's
header and checks its syntax once per process, and builds each document's context as the
render would.  It renders a document only to show how an approved or signed text would
change (`docgen.documents.integrity`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from docgen.core.diagnostics import Diagnostic, DocgenError
from docgen.core.i18n import msg
from docgen.core.templating import render_bounded
from docgen.documents.clauses import clause_template
from docgen.documents.context import (
    document_context,
    document_view,
    engagement_context,
    missing_fields,
)
from docgen.documents.frozen import frozen_path
from docgen.documents.integrity import frozen_findings, record_findings
from docgen.documents.jobs import (
    DocumentJob,
    article_plan,
    job_findings,
    plan_jobs,
)
from docgen.documents.templates import (
    DocumentTemplate,
    TemplateSpec,
    environment,
    load_spec,
    load_template,
    template_dirs,
)
from docgen.domain.engagement import Engagement
from docgen.domain.model import CLOSED_STATUSES
from docgen.domain.process import Process
from docgen.workspace.config import Workspace


class DocumentCheck:
    """Checks the documents of engagements against their templates' requirements."""

    def __init__(self, workspace: Workspace, process: Process) -> None:
        self.workspace = workspace
        self.process = process
        folder = workspace.root / workspace.config.templates / "documents"
        self.env = environment(tuple(template_dirs(folder)))
        self.specs: dict[str, TemplateSpec | Diagnostic] = {}
        self.templates: dict[str, DocumentTemplate | None] = {}

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
        yield from record_findings(e, self.workspace)
        yield from self._mode_terms_ahead(e, today)
        base: dict[str, Any] | None = None
        shared: dict[str, tuple[str, Any]] = {}
        for job in plan_jobs([e], self.process):
            spec = self.spec(job.template_name)
            if isinstance(spec, Diagnostic):
                yield spec
                continue
            if base is None:
                base = engagement_context(self.workspace, self.process, e)
            title = spec.header.title or job.kind.title
            doc, _ = document_view(e, self.process, job.kind.id, title)
            context = document_context(base, doc, doc_date=today, meeting=job.meeting)
            frozen = (
                doc.record.final
                and job.meeting is None
                and os.path.lexists(frozen_path(e, job.kind.id, doc.version, job.language))
            )
            if not frozen:  # a frozen text is made from its file, whatever the data lacks
                plan = article_plan(job, spec, context, self.workspace, self.process, self.spec)
                yield from job_findings(job, spec, context, self.workspace, plan)
            if doc.record.final and job.meeting is None:
                stages = self.process.stage_index
                left = stages[job.kind.stage] < stages.get(e.index.data.stage, -1)
                # an agreement binds for good; any other text is a record of its stage
                compare = not left or (job.kind.binding and doc.record.status == "signed")
                yield from frozen_findings(
                    job,
                    doc,
                    context,
                    self.workspace,
                    self.render,
                    compare=compare,
                    shared=shared,
                )

    def _mode_terms_ahead(self, e: Engagement, today: date) -> Iterator[Diagnostic]:
        """What the mode's own articles need, asked for the stage before the contract's.

        The negotiations (合作洽谈) settle a 合资's contributions or a licence's scope;
        saying so only when the contract is drafted is late.  Warnings, as the stage
        under way's own documents get.
        """
        assert e.index is not None
        index = e.index.data
        if index.status in CLOSED_STATUSES:
            return  # a lead that was lost will never have the contract
        stages = self.process.stage_index
        mode = next((m for m in self.process.modes if m.id == index.mode), None)
        contracts = [k for k in self.process.documents if k.binding and not k.on_record
                     and k.status is None and k.id not in e.documents]  # fmt: skip
        for kind in contracts:
            if stages[kind.stage] != stages.get(index.stage, -2) + 1 or mode is None:
                continue
            base = engagement_context(self.workspace, self.process, e)
            doc, _ = document_view(e, self.process, kind.id, kind.title)
            context = document_context(base, doc, doc_date=today)
            said: set[str] = set()
            for clause in mode.clauses:
                spec = self.spec(clause_template(clause.rstrip("?"), "zh"))
                if isinstance(spec, Diagnostic):
                    continue
                for found in missing_fields(spec, context, e, self.workspace, said=said):
                    yield replace(
                        found,
                        severity="warning",
                        hint=msg(
                            "the %(document)s of %(stage)s needs it: settle it in these talks",
                            document=kind.title,
                            stage=self.process.stages[stages[kind.stage]].title,
                        ),
                    )

    def render(self, job: DocumentJob, context: dict[str, Any]) -> str | None:
        """The job's markdown from ``context``, or None when it cannot be made."""
        name = job.template_name
        if name not in self.templates:
            try:
                self.templates[name] = load_template(self.env, name, self.workspace.rel)
            except DocgenError:
                self.templates[name] = None
        template = self.templates[name]
        if template is None or template.template is None:
            return None
        if "articles" not in context:  # a contract's clauses, planned only when needed
            plan = article_plan(job, template, context, self.workspace, self.process, self.spec)
            if plan is not None and plan.problems:
                return None
        try:
            return render_bounded(template.template, context)
        except Exception:  # whatever the template raises, its own check reports it
            return None
