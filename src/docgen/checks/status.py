"""Status: where each engagement stands — stage, progress, next due, overdue, top risk.

Pure computation over a loaded portfolio; `docgen.cli` prints it, the site will chart it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from docgen.core.i18n import msg
from docgen.domain.engagement import Engagement
from docgen.domain.model import CLOSED_STATUSES, Risk
from docgen.domain.process import Process
from docgen.domain.rules import is_done, is_waived
from docgen.domain.terms import current_term
from docgen.workspace.load import Portfolio


@dataclass(frozen=True, slots=True)
class StageProgress:
    """Required items settled (done or waived) out of the stage's required items."""

    stage_id: str
    title: str
    settled: int
    required: int

    @property
    def ratio(self) -> float:
        """Share settled, 0–1 (a stage without required items counts as settled)."""
        return self.settled / self.required if self.required else 1.0


@dataclass(frozen=True, slots=True)
class DueItem:
    """Something with an owner and a due date: a checklist item, task, milestone or action."""

    due: date
    kind: str
    ref: str
    title: str
    owner: str | None
    where: str


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One checklist item of one engagement, for the detailed view."""

    item_id: str
    title: str
    required: bool
    state: str
    owner: str | None
    due: date | None
    done: date | None
    note: str | None
    by: str | None = None


@dataclass(slots=True)
class EngagementStatus:
    """The summary of one engagement."""

    id: str
    title: str
    partner: str
    stage_id: str
    stage_title: str
    stage_number: int
    status: str
    owner: str
    progress: list[StageProgress]
    open_items: list[DueItem]
    top_risk: Risk | None
    checklist: dict[str, list[ItemRow]] = field(default_factory=dict)
    #: why it closed: the termination or the lost reason
    reason: str | None = None

    def overdue(self, today: date) -> list[DueItem]:
        """Open items whose due date has passed (a term's notices are never overdue)."""
        return [d for d in self.open_items if d.due < today and d.kind != NOTICE]

    def next_due(self, today: date) -> DueItem | None:
        """The earliest open item due today or later."""
        upcoming = [d for d in self.open_items if d.due >= today]
        return min(upcoming, key=lambda d: d.due) if upcoming else None


def _open_items(e: Engagement, process: Process) -> list[DueItem]:
    out: list[DueItem] = []
    for stage_file in e.stages.values():
        for item_id, state in stage_file.data.checklist.items():
            if state and state.due and not is_done(state) and not is_waived(state):
                title = process.items[item_id][2].title if item_id in process.items else item_id
                out.append(DueItem(state.due, "item", item_id, title, state.owner, stage_file.path))
    if e.plan:
        for t in e.plan.data.tasks:
            if t.due and not t.done and t.status not in ("done", "cancelled"):
                out.append(DueItem(t.due, "task", t.id, t.title, t.owner, e.plan.path))
        for m in e.plan.data.milestones:
            if not m.done:
                out.append(DueItem(m.due, "milestone", m.id, m.title, m.owner, e.plan.path))
    for meeting in e.meetings:
        for i, a in enumerate(meeting.data.actions):
            if a.due and not a.done:
                out.append(DueItem(a.due, "action", f"#{i + 1}", a.task, a.owner, meeting.path))
    out += term_notices(e, process)
    return sorted(out, key=lambda d: (d.due, d.ref))


NOTICE = "notice"


def term_end(e: Engagement) -> date | None:
    """When the current term ends (``terms.end``, or the renewed term's end)."""
    return current_term(e.index.data).end if e.index is not None else None


def term_notices(e: Engagement, process: Process) -> list[DueItem]:
    """The reminders before the current term ends, at the process's notice days."""
    end = term_end(e)
    if e.index is None or end is None or e.index.data.status not in ("active", "renewed"):
        return []
    return [
        DueItem(
            end - timedelta(days=days),
            NOTICE,
            f"term-{days}",
            msg(
                "the term ends %(end)s (%(days)s days' notice): start the renewal or the "
                "termination review",
                end=end,
                days=days,
            ),
            e.index.data.owner,
            e.index.path,
        )
        for days in sorted(process.term_notice_days, reverse=True)
    ]


def _progress(e: Engagement, process: Process) -> list[StageProgress]:
    out = []
    origin = e.index.data.origin if e.index else None
    for stage in process.stages:
        checklist = e.stages[stage.id].data.checklist if stage.id in e.stages else {}
        required = [
            i
            for i in process.stage_items(stage.id)
            if process.items[i][2].required and process.item_applies(i, origin)
        ]
        settled = sum(
            1 for i in required if is_done(checklist.get(i)) or is_waived(checklist.get(i))
        )
        out.append(StageProgress(stage.id, stage.title, settled, len(required)))
    return out


def _checklist(e: Engagement, process: Process) -> dict[str, list[ItemRow]]:
    out: dict[str, list[ItemRow]] = {}
    origin = e.index.data.origin if e.index else None
    for stage in process.stages:
        checklist = e.stages[stage.id].data.checklist if stage.id in e.stages else {}
        rows = []
        for item_id in process.stage_items(stage.id):
            if not process.item_applies(item_id, origin) and item_id not in checklist:
                continue  # not part of this lead's procedure (a call's items, for a direct one)
            item = process.items[item_id][2]
            st = checklist.get(item_id)
            state = "done" if is_done(st) else "waived" if is_waived(st) else "open"
            rows.append(
                ItemRow(
                    item_id,
                    item.title,
                    item.required,
                    state,
                    st.owner if st else None,
                    st.due if st else None,
                    st.done if st else None,
                    (st.waived if is_waived(st) else st.note) if st else None,  # type: ignore[arg-type]
                    st.by if st else None,
                )
            )
        out[stage.id] = rows
    return out


def engagement_status(
    e: Engagement, process: Process, *, detail: bool = False
) -> EngagementStatus | None:
    """The summary of one engagement (None when its index.md did not load)."""
    if e.index is None:
        return None
    data = e.index.data
    stage_number = process.stage_index.get(data.stage, -1)
    stage_title = process.stages[stage_number].title if stage_number >= 0 else data.stage
    risks = [r for r in e.risks.data.risks if r.status != "closed"] if e.risks else []
    top = max(risks, key=lambda r: (r.score, r.impact), default=None)
    return EngagementStatus(
        id=e.id,
        title=data.title,
        partner=data.partner.short_name or data.partner.name,
        stage_id=data.stage,
        stage_title=stage_title,
        stage_number=stage_number,
        status=data.status,
        owner=data.owner,
        progress=_progress(e, process),
        # a cooperation that ended has nothing due: its open items are no one's to do
        open_items=[] if data.status in CLOSED_STATUSES else _open_items(e, process),
        top_risk=top,
        checklist=_checklist(e, process) if detail else {},
        reason=data.lost_reason if data.status == "lost" else data.termination_reason,
    )


def portfolio_status(portfolio: Portfolio) -> list[EngagementStatus]:
    """Summaries of every engagement whose index.md loaded, in stage then id order."""
    rows = [engagement_status(e, portfolio.process) for e in portfolio.engagements]
    return sorted((r for r in rows if r), key=lambda r: (r.stage_number, r.id))
