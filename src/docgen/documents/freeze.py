"""The texts `approve` and `sign` freeze: a document made afresh from its data as it stands."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docgen.core.diagnostics import Diagnostic
from docgen.core.history import read_history
from docgen.core.templating import render_bounded
from docgen.documents.context import build_context, document_view
from docgen.documents.frozen import FrozenText, read_values, values_digest
from docgen.documents.integrity import with_values
from docgen.documents.jobs import (
    RenderedText,
    article_plan,
    frozen_reads,
    job_findings,
    plan_jobs,
    render_text,
    template_spec,
)
from docgen.documents.templates import (
    DocumentTemplate,
    environment,
    load_template,
    template_dirs,
    template_reads,
)
from docgen.domain.engagement import Engagement
from docgen.workspace.load import Portfolio


def texts_to_freeze(
    portfolio: Portfolio, e: Engagement, doc_id: str
) -> tuple[list[tuple[Path, FrozenText]], list[Diagnostic]]:
    """Each language of ``doc_id`` for ``e`` (whose record must say approved or signed).

    Returns the frozen texts with the paths they belong at, or the diagnostics that stop
    a document being made.
    """
    workspace, process = portfolio.workspace, portfolio.process
    env = environment(
        tuple(template_dirs(workspace.root / workspace.config.templates / "documents"))
    )
    templates: dict[str, DocumentTemplate] = {}
    history = read_history(workspace.root, e.rel)  # its commits only, not the portfolio's
    texts: list[tuple[Path, FrozenText]] = []
    problems: list[Diagnostic] = []
    for job in plan_jobs([e], process, [doc_id]):
        made = render_text(job, workspace, process, history, env, templates, fresh=True)
        if not isinstance(made, RenderedText):
            problems += made
        elif made.freeze is not None and made.freeze_path is not None:
            texts.append((made.freeze_path, made.freeze))
    return texts, problems


def refrozen(
    portfolio: Portfolio, e: Engagement, frozen: FrozenText, *, from_data: bool = False
) -> FrozenText | list[Diagnostic]:
    """``frozen`` made again with today's templates, from the values it was made from.

    For docgen's own sample engagements, whose texts predate today's clause library: each
    is made as of the day it became final (`document_context`'s ``as_of``), with every
    value it recorded put back over today's data, so a later edit or a later meeting
    never reaches it.  ``from_data`` takes today's data as it stands instead (a sample
    whose data was corrected), still as of that day.  A user's approved or signed text
    is never made again: it changes only by a new version or a 补充协议.
    """
    workspace, process = portfolio.workspace, portfolio.process
    env = environment(
        tuple(template_dirs(workspace.root / workspace.config.templates / "documents"))
    )
    jobs = [
        job
        for job in plan_jobs([e], process, [f"{frozen.document}.{frozen.language}"])
        if job.meeting is None
    ]
    if not jobs:
        return []
    job = jobs[0]
    template = load_template(env, job.template_name, workspace.rel)
    title = template.header.title or job.kind.title
    view, _ = document_view(e, process, frozen.document, title)
    record = view.record.model_copy(update={"version": frozen.version, "status": frozen.status})
    doc = replace(
        view,
        version=frozen.version,
        status=frozen.status,
        draft=False,
        signed=frozen.frozen if frozen.status == "signed" else None,
        record=record,
    )
    context = build_context(
        workspace, process, e, doc, doc_date=frozen.when.date(), as_of=frozen.frozen
    )
    # a value today's templates no longer read stays out
    for path, value in {} if from_data else frozen.values.items():
        context = with_values(context, [(path, value)]) or context
    specs: dict[str, DocumentTemplate] = {job.template_name: template}
    plan = article_plan(
        job,
        template,
        context,
        workspace,
        process,
        lambda n: template_spec(env, n, specs, workspace),
    )
    missing = job_findings(job, template, context, workspace, plan)
    if missing:
        return missing
    assert template.template is not None
    markdown = render_bounded(template.template, context)
    values = read_values(context, frozen_reads(template_reads(env, job.template_name), context))
    return replace(frozen, markdown=markdown, values=values, digest=values_digest(values))
