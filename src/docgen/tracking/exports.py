"""Exports: an iCalendar feed of dates, and the 项目跟踪表 workbook.

Both are derived from a loaded portfolio and are deterministic for the same input: event
UIDs are stable (engagement, kind, id), so a calendar client updates events in place.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from docgen.checks.status import engagement_status, term_end, term_notices
from docgen.core.atomic import write_atomic
from docgen.core.i18n import catalogue
from docgen.core.paths import output_file
from docgen.domain import vocabulary
from docgen.domain.rules import is_done, is_waived
from docgen.tracking import sheets as tracking
from docgen.workspace.load import Portfolio


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One dated thing of one engagement."""

    uid: str
    day: date
    summary: str
    description: str


def calendar_entries(portfolio: Portfolio) -> Iterator[CalendarEntry]:
    """Every dated thing of the portfolio, in file order, in the workspace's language.

    Milestones, task and item due dates, meetings and action items, and the current
    term's end with its notices.
    """
    process = portfolio.process
    t = catalogue(portfolio.workspace.config.language or process.language)
    for e in portfolio.engagements:
        if e.index is None:
            continue
        name = e.index.data.title
        for stage_file in e.stages.values():
            for item_id, state in stage_file.data.checklist.items():
                if state and state.due and not is_done(state) and not is_waived(state):
                    title = process.items[item_id][2].title if item_id in process.items else item_id
                    yield CalendarEntry(
                        f"{e.id}/item/{item_id}@docgen",
                        state.due,
                        t("[%(engagement)s] Due: %(title)s", engagement=name, title=title),
                        t("Owner: %(owner)s", owner=state.owner or "—") + f"\n{stage_file.path}",
                    )
        if e.plan:
            for m in e.plan.data.milestones:
                planned = t("Owner: %(owner)s; planned %(due)s", owner=m.owner or "—", due=m.due)
                yield CalendarEntry(
                    f"{e.id}/milestone/{m.id}@docgen",
                    m.done or m.due,
                    t("[%(engagement)s] Milestone: %(title)s", engagement=name, title=m.title),
                    planned + (t("; done %(day)s", day=m.done) if m.done else ""),
                )
            for task in e.plan.data.tasks:
                if task.due:
                    yield CalendarEntry(
                        f"{e.id}/task/{task.id}@docgen",
                        task.due,
                        t(
                            "[%(engagement)s] Task due: %(title)s",
                            engagement=name,
                            title=task.title,
                        ),
                        t(
                            "Owner: %(owner)s; deliverable: %(deliverable)s; status: %(status)s",
                            owner=task.owner or "—",
                            deliverable=task.deliverable or "—",
                            status=t.label(vocabulary.TASK_STATUS, task.status),
                        ),
                    )
        end = term_end(e)
        if end is not None and e.index.data.status in ("active", "renewed"):
            yield CalendarEntry(
                f"{e.id}/term-end/{end.isoformat()}@docgen",
                end,
                t("[%(engagement)s] The term ends", engagement=name),
                t(
                    "Owner: %(owner)s; renew or end the cooperation by this day",
                    owner=e.index.data.owner,
                ),
            )
            for notice in term_notices(e, process):
                yield CalendarEntry(
                    f"{e.id}/{notice.ref}/{end.isoformat()}@docgen",
                    notice.due,
                    f"[{name}] {t.say(notice.title)}",
                    t("Owner: %(owner)s", owner=notice.owner or "—") + f"\n{notice.where}",
                )
        for meeting in e.meetings:
            stem = meeting.path.rsplit("/", 1)[-1].removesuffix(".md")
            yield CalendarEntry(
                f"{e.id}/meeting/{stem}@docgen",
                meeting.data.date,
                t("[%(engagement)s] Meeting: %(title)s", engagement=name, title=meeting.data.title),
                t("Attendees: %(names)s", names=list(meeting.data.attendees)),
            )
            for i, action in enumerate(meeting.data.actions, 1):
                if action.due and not action.done:
                    yield CalendarEntry(
                        f"{e.id}/action/{stem}/{i}@docgen",
                        action.due,
                        t("[%(engagement)s] Action: %(task)s", engagement=name, task=action.task),
                        t(
                            "Owner: %(owner)s; from %(file)s",
                            owner=action.owner or "—",
                            file=meeting.path,
                        ),
                    )


def ics(portfolio: Portfolio) -> bytes:
    """The portfolio's dates as an iCalendar (RFC 5545) feed of all-day events.

    Each event carries a reminder (VALARM) at 09:00 the day before.
    """
    from icalendar import Alarm, Calendar, Event

    stamp = datetime.combine(portfolio.workspace.today(), time(), tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", "-//docgen//招商合作//ZH")
    cal.add("version", "2.0")
    t = catalogue(portfolio.workspace.config.language or portfolio.process.language)
    cal.add("x-wr-calname", t("Engagement calendar"))
    for entry in calendar_entries(portfolio):
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", timedelta(hours=-15))  # 09:00 the day before an all-day event
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())


def xlsx(portfolio: Portfolio, out: Path) -> None:
    """Write the 项目跟踪表: engagements, tasks, risks and KPIs on separate sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    process = portfolio.process
    modes, categories = process.mode_titles, process.category_titles
    # statuses and directions as the team says them (the import reads either)
    words = catalogue(portfolio.workspace.config.language or process.language)
    today = portfolio.workspace.today()
    book = Workbook()
    sheets = {}
    for i, title in enumerate(tracking.SHEETS):
        sheet = book.active if i == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        sheet.append(tracking.headers(title))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheets[title] = sheet
    for e in portfolio.engagements:
        if e.index is None:
            continue
        data = e.index.data
        row = engagement_status(e, process)
        assert row is not None
        current = row.progress[row.stage_number] if row.stage_number >= 0 else None
        sheets["项目"].append(
            [
                e.id,
                data.title,
                data.partner.name,
                modes.get(data.mode, data.mode),
                row.stage_title,
                words.label(vocabulary.STATUS, data.status),
                data.owner,
                data.dates.opened,
                f"{current.settled}/{current.required}" if current else "",
                len(row.overdue(today)),
                row.top_risk.score if row.top_risk else None,
                row.reason,
            ]
        )
        if e.plan:
            for t in e.plan.data.tasks:
                sheets["任务"].append(
                    [
                        e.id,
                        tracking.TASK,
                        t.id,
                        t.title,
                        t.owner,
                        t.start,
                        t.due,
                        t.done,
                        words.label(vocabulary.TASK_STATUS, t.status),
                        t.deliverable,
                    ]
                )
            for m in e.plan.data.milestones:
                sheets["任务"].append(
                    [
                        e.id,
                        tracking.MILESTONE,
                        m.id,
                        m.title,
                        m.owner,
                        None,
                        m.due,
                        m.done,
                        words.label(vocabulary.TASK_STATUS, "done" if m.done else "todo"),
                        None,
                    ]
                )
        for item in row.open_items:
            if item.kind in ("item", "action"):
                sheets["任务"].append(
                    [
                        e.id,
                        tracking.CHECKLIST_ITEM if item.kind == "item" else tracking.MEETING_ACTION,
                        process.item_numbers.get(item.ref, item.ref)
                        if item.kind == "item"
                        else item.ref,
                        item.title,
                        item.owner,
                        None,
                        item.due,
                        None,
                        words.label(vocabulary.TASK_STATUS, "todo"),
                        None,
                    ]
                )
        if e.risks:
            for r in e.risks.data.risks:
                sheets["风险"].append(
                    [
                        e.id,
                        r.id,
                        r.title,
                        categories.get(r.category, r.category),
                        r.probability,
                        r.impact,
                        r.score,
                        r.owner,
                        r.response,
                        words.label(vocabulary.RISK_STATUS, r.status),
                        r.escalated,
                    ]
                )
        if e.kpis:
            for k in e.kpis.data.kpis:
                actuals: dict[str, float | None] = dict(k.actuals) or {"": None}
                for period, value in actuals.items():
                    sheets["KPI"].append(
                        [
                            e.id,
                            k.id,
                            k.metric,
                            k.unit,
                            k.baseline,
                            k.target,
                            words.label(vocabulary.DIRECTION, k.direction),
                            period,
                            value,
                        ]
                    )
    for sheet in sheets.values():
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
        for column in sheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(8, width * 1.6), 60)
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                if isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str):
                    _as_text(cell)
    buffer = io.BytesIO()
    book.save(buffer)
    write_export(portfolio, out, buffer.getvalue())


#: A cell text starting with one of these is a formula, or becomes one when edited.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _as_text(cell: Any) -> None:
    """Store user text as text, never as a formula (OWASP CSV/formula injection).

    openpyxl makes any string starting with ``=`` a formula; the cell is set back to a
    string, and the quote prefix keeps Excel from reading it as one when it is edited.
    """
    if cell.value.startswith(_FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def write_export(portfolio: Portfolio, out: Path, data: bytes) -> None:
    """Write an export where the user asked.

    A missing folder is made only in the workspace or the current folder.
    """
    write_atomic(output_file(out, portfolio.workspace.root), data)
