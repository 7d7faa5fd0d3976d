"""Terminal output: diagnostics, the portfolio table, one engagement's checklist.

Rich renders colour in a terminal and plain text in a pipe; partner data is printed
with markup off so that ``[bold]`` in a partner's name stays text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from docgen.core.control_chars import ONE_LINE
from docgen.core.diagnostics import Diagnostic
from docgen.core.i18n import N_, Catalogue, catalogue
from docgen.domain import vocabulary

if TYPE_CHECKING:
    from docgen.checks.status import EngagementStatus
    from docgen.domain.process import Process
    from docgen.domain.screening import Ranked
    from docgen.edits.next_steps import Step
    from docgen.pipeline.reports import RenderReport
    from docgen.tracking.reminders import Reminder, Stale

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}
ENGLISH = catalogue("en")
_STATE_MARK = {"done": ("✓", "green"), "waived": ("–", "cyan"), "open": ("○", "")}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def print_diagnostics(
    console: Console, diagnostics: Sequence[Diagnostic], t: Catalogue = ENGLISH
) -> None:
    """One line per diagnostic: ``path:line:col: severity code message (hint)``.

    Message and hint are in ``t``'s language; the location, severity and code are the
    line's machine-readable part (editors' problem matchers) and stay as they are.
    """
    for d in diagnostics:
        # one finding, one line: a file name with a line break or U+202E is shown escaped
        line = Text()
        line.append(f"{d.path}:{d.line}:{d.col}: ".translate(ONE_LINE), style="bold")
        line.append(d.severity, style=_SEVERITY_STYLE[d.severity])
        line.append(f" {d.code} ", style="dim")
        line.append(t.say(d.message).translate(ONE_LINE))
        if d.hint:
            space = "" if t.language == "zh" else " "  # （） carry their own space
            hint = t("(%(hint)s)", hint=t.say(d.hint)).translate(ONE_LINE)
            line.append(space + hint, style="dim")
        console.print(line, soft_wrap=True)
        for extra in d.detail.splitlines():
            style = "red" if extra.startswith("-") else "green" if extra.startswith("+") else "dim"
            console.print(Text(f"    {extra.translate(ONE_LINE)}", style=style), soft_wrap=True)


def print_summary(
    console: Console, diagnostics: Sequence[Diagnostic], engagements: int, t: Catalogue = ENGLISH
) -> None:
    """A closing count of errors and warnings."""
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    style = "bold red" if errors else "yellow" if warnings else "green"
    console.print(
        Text(
            t(
                "%(errors)s error(s), %(warnings)s warning(s) in %(engagements)s engagement(s)",
                errors=errors,
                warnings=warnings,
                engagements=engagements,
            ),
            style,
        )
    )


def render_summary(result: RenderReport, t: Catalogue = ENGLISH) -> str:
    """One line on what a render made, naming its folder only when something is in it."""
    written, unchanged = len(result.written), len(result.unchanged)
    if written == 0 and unchanged == 0:
        return t("no document written (nothing to render, or each one was stopped above)")
    values = {"written": written, "unchanged": unchanged, "out": result.out_dir}
    line = (
        t(
            "%(written)s document(s) written, %(unchanged)s unchanged, %(pdfs)s PDF(s) made "
            "in %(out)s",
            pdfs=len(result.pdfs),
            **values,
        )
        if result.pdfs
        else t("%(written)s document(s) written, %(unchanged)s unchanged in %(out)s", **values)
    )
    if result.frozen:
        line += "\n" + t(
            "froze the approved or signed text of %(count)s document(s); commit them: %(files)s",
            count=len(result.frozen),
            files=", ".join(result.frozen),
        )
    return line


def _risk_text(row: EngagementStatus, process: Process) -> Text:
    risk = row.top_risk
    if risk is None:
        return Text("—", style="dim")
    high = risk.score >= process.risk.high_threshold
    medium = risk.score >= process.risk.medium_threshold
    style = "bold red" if high else "yellow" if medium else ""
    return Text(f"{risk.score:>2} {risk.title}", style=style)


def _progress_glyph(ratio: float, settled: int) -> str:
    """One stage's progress: ● settled, ◐ under way, ○ not started."""
    if ratio >= 1:
        return "●"
    return "◐" if settled else "○"


def _stage_text(row: EngagementStatus) -> str:
    n = row.stage_number
    mark = _CIRCLED[n] if 0 <= n < len(_CIRCLED) else "?"
    return f"{mark} {row.stage_title}"


@dataclass(frozen=True)
class _Column:
    header: str
    priority: int  # the column a narrow terminal drops first has the highest number
    cells: list[Text | str]
    options: dict[str, object]


def print_portfolio(
    console: Console,
    rows: Sequence[EngagementStatus],
    process: Process,
    today: date,
    t: Catalogue = ENGLISH,
) -> None:
    """The portfolio table: stage, progress, owner, next due, overdue, highest risk.

    On a narrow terminal the lowest-priority columns go first (the stage progress, the
    status, the top risk …); the engagement's name never goes, it wraps.
    """
    cells: dict[str, list[Text | str]] = {k: [] for k in _COLUMNS}
    for row in rows:
        current = row.progress[row.stage_number] if row.stage_number >= 0 else None
        glyphs = "".join(_progress_glyph(p.ratio, p.settled) for p in row.progress)
        nxt = row.next_due(today)
        overdue = len(row.overdue(today))
        cells["id"].append(row.id)
        cells["title"].append(Text(row.title))
        cells["stage"].append(_stage_text(row))
        cells["progress"].append(
            f"{glyphs} {current.settled}/{current.required}" if current else glyphs
        )
        cells["status"].append(t.label(vocabulary.STATUS, row.status))
        cells["owner"].append(Text(row.owner))
        cells["next"].append(
            Text(f"{nxt.due} {t.say(nxt.title)}") if nxt else Text("—", style="dim")
        )
        cells["overdue"].append(Text(str(overdue), style="bold red" if overdue else "dim"))
        cells["risk"].append(_risk_text(row, process))
    columns = [
        _Column(t(header), priority, cells[key], options)
        for key, (header, priority, options) in _COLUMNS.items()
    ]
    while _needed(columns) > console.width and len(columns) > 1:
        columns.remove(max(columns, key=lambda c: c.priority))
    table = Table(
        title=t("Engagements · %(today)s", today=today), title_justify="left", header_style="bold"
    )
    for column in columns:
        table.add_column(column.header, **column.options)  # type: ignore[arg-type]
    for i in range(len(rows)):
        table.add_row(*(c.cells[i] for c in columns))
    console.print(table)
    for row in rows:
        if row.status in ("terminated", "lost"):
            status = t.label(vocabulary.STATUS, row.status)
            reason = row.reason or t("No reason recorded.")
            console.print(Text(f"{row.id}  {status}：{reason}", style="dim"))


#: key → (header, priority, options); the name wraps (fold) and is never dropped
_COLUMNS: dict[str, tuple[str, int, dict[str, object]]] = {
    "id": (N_("Engagement"), 2, {"no_wrap": True}),
    "title": (N_("Name"), 0, {"min_width": 10, "overflow": "fold", "ratio": 1}),
    "stage": (N_("Stage"), 1, {"no_wrap": True}),
    "progress": (N_("Stage progress"), 8, {"justify": "right", "no_wrap": True}),
    "status": (N_("Status"), 7, {"no_wrap": True}),
    "owner": (N_("Owner"), 3, {"no_wrap": True}),
    "next": (N_("Next due"), 5, {"max_width": 24, "no_wrap": True, "overflow": "ellipsis"}),
    "overdue": (N_("Overdue"), 4, {"justify": "right", "no_wrap": True}),
    "risk": (N_("Top risk"), 6, {"max_width": 22, "no_wrap": True, "overflow": "ellipsis"}),
}


def _needed(columns: list[_Column]) -> int:
    """The width the columns need: each its widest cell (the name at its minimum)."""
    total = 1  # the table's left border
    for c in columns:
        widest = max([cell_len(c.header), *(cell_len(str(x)) for x in c.cells)])
        if "min_width" in c.options:
            widest = int(c.options["min_width"])  # type: ignore[call-overload]
        if "max_width" in c.options:
            widest = min(widest, int(c.options["max_width"]))  # type: ignore[call-overload]
        total += widest + 3  # padding and the border after it
    return total


def status_json(rows: Sequence[EngagementStatus], today: date) -> str:
    """The portfolio as JSON, one object per engagement: for scripts and CI."""
    return json.dumps([_status_entry(r, today) for r in rows], ensure_ascii=False, indent=2)


def _status_entry(r: EngagementStatus, today: date) -> dict[str, object]:
    due = r.next_due(today)
    return {
        "id": r.id,
        "title": r.title,
        "partner": r.partner,
        "stage": r.stage_id,
        "stage_title": r.stage_title,
        "status": r.status,
        "owner": r.owner,
        "progress": {
            p.stage_id: {"settled": p.settled, "required": p.required} for p in r.progress
        },
        "overdue": len(r.overdue(today)),
        "reason": r.reason,
        "next_due": {"due": due.due.isoformat(), "title": due.title} if due else None,
        "top_risk": {"id": r.top_risk.id, "score": r.top_risk.score} if r.top_risk else None,
    }


def print_engagement(
    console: Console,
    row: EngagementStatus,
    process: Process,
    today: date,
    t: Catalogue = ENGLISH,
) -> None:
    """One engagement: heading, each stage's checklist with owners and dates, open items."""
    head = Text()
    head.append(f"{row.title}", style="bold")
    head.append(f"  {row.id}  " + t("Partner %(partner)s", partner=row.partner) + "  ")
    head.append(_stage_text(row), style="bold cyan")
    status = t.label(vocabulary.STATUS, row.status)
    head.append(f"  {status}  " + t("Owner %(owner)s", owner=row.owner))
    console.print(head)
    if row.status in ("terminated", "lost"):
        console.print(Text(t("Reason: %(reason)s", reason=row.reason or t("No reason recorded."))))
    for i, stage in enumerate(process.stages):
        progress = row.progress[i]
        if i > row.stage_number and progress.settled == 0:
            continue
        table = Table(
            title=f"{stage.title}  {progress.settled}/{progress.required}",
            title_justify="left",
            header_style="bold",
        )
        for name in ("", N_("Step"), N_("Item"), N_("Owner"), N_("Due"), N_("Done / note")):
            table.add_column(t(name) if name else "")
        last_step = None
        for item in row.checklist[stage.id]:
            step = process.items[item.item_id][1].title
            step_cell, last_step = ("" if step == last_step else step), step
            mark, style = _STATE_MARK[item.state]
            late = item.state == "open" and item.due is not None and item.due < today
            due = Text(str(item.due or ""), style="bold red" if late else "")
            extra = f"{item.done} {item.by or ''}".rstrip() if item.done else (item.note or "")
            title = item.title if item.required else t("%(item)s (optional)", item=item.title)
            table.add_row(
                Text(mark, style=style),
                Text(step_cell),
                Text(title, style="" if item.required else "dim"),
                Text(item.owner or ""),
                due,
                Text(extra),
            )
        console.print(table)
    if row.top_risk:
        console.print(Text(t("Top risk") + " ").append_text(_risk_text(row, process)))
    overdue = row.overdue(today)
    if overdue:
        console.print(Text(t("%(count)s item(s) overdue", count=len(overdue)), style="bold red"))
        for d in overdue:
            console.print(Text(f"  {d.due}  {d.owner or '—'}  {d.title}  ({d.where})"))


def print_next_steps(console: Console, steps: Sequence[Step], t: Catalogue = ENGLISH) -> None:
    """What to do next, each with where it is written or the command that does it."""
    if not steps:
        return
    console.print(Text(t("Next steps"), style="bold"))
    for step in steps:
        line = Text(f"  • {t.say(step.what)}  ").append(step.where, style="dim")
        console.print(line, soft_wrap=True)


def print_reminders(
    console: Console,
    by_owner: dict[str, list[Reminder]],
    stale: Sequence[Stale],
    today: date,
    horizon: int,
    t: Catalogue = ENGLISH,
) -> None:
    """Overdue and upcoming items grouped by owner, then stale engagements."""
    from docgen.tracking.reminders import stale_note

    console.print(
        Text(
            t(
                "Overdue, and due within %(days)s day(s) of %(today)s",
                days=horizon,
                today=today,
            ),
            style="bold",
        )
    )
    if not by_owner:
        console.print(Text(t("(none)"), style="dim"))
    for owner, items in by_owner.items():
        console.print(
            Text(
                "\n" + t("%(owner)s (%(count)s)", owner=owner, count=len(items)), style="bold cyan"
            )
        )
        for r in items:
            late = r.item.due < today
            line = Text("  ")
            line.append(f"{r.item.due}", style="bold red" if late else "")
            mark = t("overdue")
            line.append(f" {mark} " if late else " " * (cell_len(mark) + 2), style="bold red")
            line.append(f"{r.title} · {t.say(r.item.title)}")
            line.append(f"  ({r.item.where})", style="dim")
            console.print(line)
    if stale:
        console.print(Text("\n" + t("Engagements not updated for long"), style="bold yellow"))
        for s in stale:
            console.print(Text(f"  {s.engagement}  {s.title}  {stale_note(s, today, t)}"))


def print_ranking(
    console: Console, ranked: Sequence[Ranked], process: Process, t: Catalogue = ENGLISH
) -> None:
    """The qualification review: rank, applicant, each criterion's score, total, result."""
    assert process.screening is not None
    criteria = process.screening.criteria
    table = Table(
        title=t(
            "Qualification review (pass: %(score)s)", score=f"{process.screening.pass_score:g}"
        ),
        title_justify="left",
        header_style="bold",
    )
    for name in ("#", t("Applicant"), *(c.title for c in criteria), t("Total"), t("Result")):
        table.add_column(name)
    for r in ranked:
        result = (
            Text(t("shortlisted"), style="green")
            if r.passed
            else Text("；".join(t.say(s) for s in r.shortfalls), style="dim")
        )
        scores = [f"{r.scores[c.id]:g}" if c.id in r.scores else "—" for c in criteria]
        table.add_row(str(r.rank), Text(r.applicant.name), *scores, f"{r.total:g}", result)
    console.print(table)


class RenderProgress:
    """A progress bar over the documents being built (only on a terminal)."""

    def __init__(self, console: Console, t: Catalogue = ENGLISH) -> None:
        self.console = console
        self.t = t
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> RenderProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, total: int, done: str) -> None:
        """First call: ``total`` engagements; then one call per engagement done."""
        if not self.console.is_terminal:
            return
        if self.progress is None:
            self.progress = Progress(
                TextColumn(self.t("rendering")),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=self.console,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("", total=total)
        elif self.task is not None:
            self.progress.update(self.task, advance=1, description=done)
