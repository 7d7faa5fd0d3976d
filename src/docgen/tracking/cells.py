"""Reading the 项目跟踪表's cells: each as its field's type, or a finding at ``sheet!A1``.

`CellReader` turns a cell into a date, a number, an owner or an id (a title or label in
either language is accepted, as everywhere), and reports a cell it cannot read as a
diagnostic naming the workbook, the row and column, and ``sheet!A1`` in its message.
A reported cell reads as `BAD`, and no change is made of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from docgen.core.diagnostics import Diagnostic, Location, Severity
from docgen.core.i18n import LANGUAGES, N_, Message, catalogue, msg
from docgen.core.schema import did_you_mean, iso_date
from docgen.domain.process import Process
from docgen.workspace.load import Portfolio

#: the kinds of value a cell may name, in words
KINDS = {
    "mode": N_("cooperation mode"),
    "stage": N_("stage"),
    "status": N_("status"),
    "category": N_("risk category"),
    "direction": N_("direction"),
    "task status": N_("task status"),
    "risk status": N_("risk status"),
}


@dataclass(frozen=True)
class Cell:
    """Where a value stands in the workbook: its sheet, row and column (1-based)."""

    sheet: str
    row: int
    col: int

    @property
    def ref(self) -> str:
        """``项目!F3``."""
        from openpyxl.utils import get_column_letter

        return f"{self.sheet}!{get_column_letter(self.col)}{self.row}"


class Row:
    """One row of a sheet, by field: its cells and their values."""

    def __init__(self, sheet: str, number: int, cells: dict[str, tuple[int, Any]]) -> None:
        self.sheet, self.number, self.cells = sheet, number, cells

    def cell(self, name: str) -> Cell:
        """Where the field ``name`` stands in this row."""
        return Cell(self.sheet, self.number, self.cells.get(name, (1, None))[0])

    def raw(self, name: str) -> Any:
        """The cell's value as the workbook holds it (None when the column is absent)."""
        return self.cells.get(name, (0, None))[1]

    def has(self, name: str) -> bool:
        """Whether the sheet has a column for ``name``."""
        return name in self.cells


class CellReader:
    """Reads cells as values; what it cannot read becomes a finding in ``findings``."""

    def __init__(
        self, source: str, process: Process, people: list[str], findings: list[Diagnostic]
    ) -> None:
        self.source, self.process, self.people, self.findings = source, process, people, findings

    def rows(self, sheet: Any, columns: Mapping[str, str]) -> Iterator[Row]:
        """The sheet's rows that hold anything, by field (``columns``: header → field)."""
        rows = sheet.iter_rows()
        header = next(rows, None)
        if header is None:
            return
        where: dict[str, int] = {}
        for cell in header:
            name = columns.get(str(cell.value).strip()) if cell.value is not None else None
            if name:
                where[name] = cell.column
        for row in rows:
            values: dict[str, tuple[int, Any]] = {}
            for name, column in where.items():
                cell = row[column - 1] if column - 1 < len(row) else None
                if cell is None:
                    continue
                if cell.data_type == "f":
                    self.finding(
                        Cell(sheet.title, cell.row, column),
                        "invalid-value",
                        msg("a formula; docgen reads values only: type the value itself"),
                    )
                    values[name] = (column, None)
                    continue
                values[name] = (column, cell.value)
            if any(blank(v) is not None for _, v in values.values()):
                yield Row(sheet.title, row[0].row, values)

    def finding(
        self, cell: Cell, code: str, message: Message, hint: str = "", severity: Severity = "error"
    ) -> None:
        """Report the cell ``cell`` as ``code``: ``sheet!A1: message``."""
        text = msg("%(cell)s: %(message)s", cell=cell.ref, message=message)
        location = Location(self.source, cell.row, cell.col)
        self.findings.append(location.diagnostic(severity, code, text, hint))

    def text(self, row: Row, name: str) -> str | None:
        """The cell as text (None when empty)."""
        return text_of(row.raw(name))

    def date(self, row: Row, name: str) -> date | Bad | None:
        """The cell as a date: a date cell, or 2026-03-16, 2026/3/16, 2026年3月16日."""
        value = row.raw(name)
        if blank(value) is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = str(value).strip()
        fixed = iso_date(text)
        if fixed is None:
            self.finding(
                row.cell(name),
                "invalid-date",
                msg("'%(value)s' is not a date", value=text),
                msg("write dates as YYYY-MM-DD, e.g. 2026-03-16"),
            )
            return BAD
        return date.fromisoformat(fixed)

    def number(self, row: Row, name: str, low: int | None = None, high: int | None = None) -> Any:
        """The cell as a number; with ``low`` and ``high``, a whole number between them."""
        value = row.raw(name)
        if blank(value) is None:
            return None
        try:
            number = float(str(value).replace(",", "").strip())
        except ValueError:
            self.finding(
                row.cell(name), "invalid-type", msg("'%(value)s' is not a number", value=value)
            )
            return BAD
        if low is not None and high is not None:
            if number != int(number) or not low <= number <= high:
                self.finding(
                    row.cell(name),
                    "invalid-value",
                    msg(
                        "'%(value)s' is not a whole number from %(low)s to %(high)s",
                        value=value,
                        low=low,
                        high=high,
                    ),
                )
                return BAD
            return int(number)
        return int(number) if number == int(number) and isinstance(value, int) else number

    def owner(self, row: Row, name: str = "owner") -> str | Bad | None:
        """The cell as a person the files already name (an unknown one is a finding)."""
        value = self.text(row, name)
        if value is None or value in self.people:
            return value
        self.finding(
            row.cell(name),
            "unknown-reference",
            msg("unknown owner '%(owner)s'", owner=value),
            _closest_person(value, self.people)
            or msg("name a new colleague in an engagement's team: first"),
        )
        return BAD

    def choice(
        self, row: Row, name: str, kind: str, labels: Mapping[str, str] | None = None
    ) -> Any:
        """The id the cell names: an id, a title or a label (``labels``) in either language."""
        value = self.text(row, name)
        if value is None:
            return None
        found = (
            _label_id(labels, value)
            if labels is not None
            else self.process.aliases.id_of(kind, value)
        )
        if found is None:
            choices = list(labels) if labels is not None else []
            self.finding(
                row.cell(name),
                f"unknown-{kind}" if kind in ("stage", "mode", "category") else "invalid-value",
                msg("unknown %(kind)s '%(value)s'", kind=msg(KINDS[kind]), value=value),
                self.process.aliases.hint(kind, value)
                if labels is None
                else did_you_mean(value, choices),
            )
            return BAD
        return found


class Bad:
    """A cell already reported as wrong: no change is made of it."""


BAD = Bad()


def blank(value: Any) -> Any:
    """``value``, or None for an empty cell (nothing, or only spaces)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def text_of(value: Any) -> str | None:
    """A cell's value as text: a whole number without ``.0``, a date as YYYY-MM-DD."""
    if blank(value) is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def same(old: object, new: object) -> bool:
    """Whether a file's value and a cell's are the same (3 and 3.0 are)."""
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return old == new


def _label_id(labels: Mapping[str, str], value: str) -> str | None:
    """The id ``value`` names: the id itself, or its label in any language."""
    folded = value.strip().casefold()
    for key, label in labels.items():
        names = {key, label, *(catalogue(lang)(label) for lang in LANGUAGES)}
        if folded in {n.casefold() for n in names}:
            return key
    return None


def _closest_person(name: str, people: list[str]) -> str:
    """A "did you mean" for a name: two-character names differ by one character often."""
    close = difflib.get_close_matches(name, people, n=3, cutoff=0.5)
    if len(close) > 1:
        return msg("did you mean one of %(names)s?", names=close)
    return msg("did you mean '%(word)s'?", word=close[0]) if close else ""


def people(portfolio: Portfolio) -> list[str]:
    """Everyone the files name as owner, team member, chair, recorder or doer: owners."""
    people: set[str] = set()
    for e in portfolio.engagements:
        if e.index is not None:
            people.add(e.index.data.owner)
            people.update(e.index.data.team)
        for stage in e.stages.values():
            for state in stage.data.checklist.values():
                if state is not None:
                    people.update(name for name in (state.owner, state.by) if name)
        for meeting in e.meetings:
            people.update(name for name in (meeting.data.chair, meeting.data.recorder) if name)
            people.update(a.owner for a in meeting.data.actions if a.owner)
        if e.plan:
            people.update(t.owner for t in e.plan.data.tasks if t.owner)
            people.update(m.owner for m in e.plan.data.milestones if m.owner)
        if e.risks:
            people.update(r.owner for r in e.risks.data.risks if r.owner)
    return sorted(p for p in people if p)
