"""What to do next for one engagement: what `status ID` and `remind` say after the facts.

The same rules the commands check give the steps: the next stage's gate as `advance
--dry-run` reads it, the documents waiting for an approval or a signature (with the
command that records it), and the KPIs whose period ended without an actual.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docgen.checks.validate import check_engagement
from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import Message, msg
from docgen.domain.model import LIVE_STATUSES
from docgen.edits.workflow import plan_advance
from docgen.workspace.load import Portfolio


@dataclass(frozen=True)
class Step:
    """One thing to do: what, and where (``file:line``) or the command that does it."""

    what: str
    where: str


def next_steps(portfolio: Portfolio, engagement_id: str, today: date) -> list[Step]:
    """The engagement's next steps, most pressing kind first; none once it has ended."""
    e = portfolio.get(engagement_id)
    if e.index is None or e.index.data.status not in LIVE_STATUSES:
        return []
    process = portfolio.process
    steps: list[Step] = []
    stage = e.index.data.stage
    if process.stage_index.get(stage, -1) + 1 < len(process.stages):
        try:
            plan = plan_advance(portfolio, engagement_id, today=today)
        except DocgenError:
            plan = None
        unmet = plan.unmet if plan is not None else []
        for d in unmet:  # each says which gate it is
            steps.append(Step(d.message, f"{d.path}:{d.line}"))
        if any(d.path.endswith(tuple(process.stage_by_file)) for d in unmet):  # an item
            steps.append(Step(msg("mark an item done: docgen done %(id)s ITEM", id=e.id), ""))
    kinds = process.document_kinds
    for doc_id, sourced in sorted(e.documents.items()):
        record = sourced.data
        title = kinds[doc_id].title if doc_id in kinds else doc_id
        name = title if title.split() == [title] else doc_id  # what the command line takes
        command: Message | None = None
        if record.status == "review":
            command = msg(
                "%(title)s %(version)s awaits approval: docgen approve %(id)s %(doc)s --by NAME",
                title=title,
                version=record.version or "",
                id=e.id,
                doc=name,
            )
        elif record.status == "approved" and doc_id in kinds and kinds[doc_id].binding:
            command = msg(
                "%(title)s %(version)s awaits signing: docgen sign %(id)s %(doc)s --date DATE",
                title=title,
                version=record.version or "",
                id=e.id,
                doc=name,
            )
        if command is not None:
            steps.append(Step(command, sourced.path))
    for d in check_engagement(e, portfolio, today):
        if d.code == "kpi-actual-missing":
            steps.append(Step(d.message, f"{d.path}:{d.line}"))
    return steps
