"""``docgen import xlsx``: the 项目跟踪表 back in, as surgical edits of the files it came from.

Each row is matched to what it was exported from (an engagement, a task, a risk, a KPI
period); each cell is read as its field's type and compared with the value in the files.
Only a cell that differs becomes an edit, written by `FrontMatterEdit` so that comments,
key order and quoting stay.  A row nothing matches adds a task, milestone, risk or KPI
value, or (on the 项目 sheet) makes a new engagement as ``docgen new`` would.

Every cell is checked before anything is written: a wrong date, an unknown owner, stage
or mode is a finding at ``sheet!A1``, and one finding means no file changes.  Stage and
status are the workflow's (gates); the sheet may not move them.

A team's own sheet is read too: its first sheet, with its columns mapped to the fields
of the 项目 sheet (`read_mapping`).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError, Location
from docgen.core.i18n import msg
from docgen.core.schema import did_you_mean
from docgen.core.source import read_yaml
from docgen.domain import vocabulary
from docgen.domain.engagement import Engagement, Sourced
from docgen.tracking import sheets as tracking
from docgen.tracking.cells import BAD, Cell, CellReader, Row, people, same, text_of
from docgen.workspace.edit import FrontMatterEdit
from docgen.workspace.load import SLUG, Portfolio

#: the 任务 and 风险 sheets' 状态 values: ids, and their labels in either language
_TASK_STATUS = vocabulary.TASK_STATUS
_RISK_STATUS = vocabulary.RISK_STATUS
#: statuses the sheet may set; the others belong to terminate and renew
_SETTABLE_STATUS = ("active", "on-hold")


@dataclass(frozen=True)
class Change:
    """One cell whose value differs from the files: the edit it becomes."""

    cell: Cell
    path: Path
    rel: str
    keys: tuple[str | int, ...]
    old: object
    new: object


@dataclass(frozen=True)
class Addition:
    """A row nothing matched: an item appended to a list (tasks, milestones, risks)."""

    cell: Cell
    path: Path
    rel: str
    key: str
    item: dict[str, Any]


@dataclass(frozen=True)
class NewEngagement:
    """A 项目 row for an engagement that does not exist yet."""

    cell: Cell
    engagement_id: str
    title: str
    partner: str
    mode: str
    owner: str
    code: str | None = None
    opened: date | None = None


@dataclass
class ImportPlan:
    """What a workbook would change, and what stops it."""

    source: str
    changes: list[Change] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    created: list[NewEngagement] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        """Whether no cell is in error."""
        return not any(d.is_error for d in self.findings)

    def writes(self, portfolio: Portfolio) -> dict[Path, bytes]:
        """The edited files' new bytes (the edits checked to change only their values)."""
        edits: dict[Path, FrontMatterEdit] = {}
        for change in self.changes:
            edit = edits.get(change.path) or FrontMatterEdit.open(change.path, change.rel)
            edits[change.path] = edit
            edit.set(change.keys, change.new)
        grouped: dict[tuple[Path, str, str], list[dict[str, Any]]] = {}
        for addition in self.additions:  # one insertion per list: linear in the rows
            grouped.setdefault((addition.path, addition.rel, addition.key), []).append(
                addition.item
            )
        for (path, rel, key), items in grouped.items():
            edit = edits.get(path) or FrontMatterEdit.open(path, rel)
            edits[path] = edit
            edit.extend(key, items)
        return {path: edit.result() for path, edit in edits.items()}


def read_mapping(path: Path | None, pairs: tuple[str, ...], rel: str = "") -> dict[str, str]:
    """A team sheet's column mapping: header → field, from a YAML file and ``表头=字段``."""
    mapping: dict[str, str] = {}
    if path is not None:
        data, _ = read_yaml(path, rel or path.name)
        if not isinstance(data, dict):
            raise DocgenError(
                msg("%(file)s must map column headers to fields, e.g. 项目名称: title", file=rel)
            )
        for header, name in data.items():
            mapping[str(header).strip()] = str(name).strip()
    for pair in pairs:
        header, sep, name = pair.partition("=")
        if not sep:
            raise DocgenError(
                msg("--column takes 表头=字段, e.g. 项目名称=title; not '%(pair)s'", pair=pair)
            )
        mapping[header.strip()] = name.strip()
    for header, name in mapping.items():
        if name not in tracking.ENGAGEMENT_FIELDS:
            raise DocgenError(
                msg(
                    "column '%(header)s' maps to unknown field '%(field)s'; %(hint)s",
                    header=header,
                    field=name,
                    hint=did_you_mean(name, tracking.ENGAGEMENT_FIELDS),
                )
            )
    return mapping


def plan_import(
    portfolio: Portfolio, workbook: Path, source: str, mapping: Mapping[str, str] | None = None
) -> ImportPlan:
    """Read ``workbook`` against the portfolio; nothing is written here.

    ``source`` is how findings name the workbook; ``mapping`` (header → field) reads the
    first sheet as a team's own list of engagements instead of the 项目跟踪表.
    """
    from openpyxl import load_workbook

    check_workbook(workbook, source)
    try:
        book = load_workbook(workbook, data_only=False)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise _unreadable(source, str(exc)) from None
    rows = max((sheet.max_row for sheet in book.worksheets), default=0)
    if rows > MAX_ROWS:
        raise _unreadable(
            source,
            msg("a sheet has %(rows)s rows; docgen reads at most %(max)s", rows=rows, max=MAX_ROWS),
        )
    reader = _Reader(portfolio, ImportPlan(source))
    if mapping:
        sheet = book.worksheets[0]
        reader.engagements(sheet, {h: f for h, f in mapping.items()}, own=True)
        return reader.plan
    known = [name for name in tracking.SHEETS if name in book.sheetnames]
    if not known:
        raise DocgenError(
            msg(
                "%(file)s has none of the sheets %(sheets)s; for a team's own sheet, "
                "map its columns with --map or --column",
                file=source,
                sheets=list(tracking.SHEETS),
            )
        )
    for name in known:
        columns = {header: name for header, name in tracking.SHEETS[name] if name}
        sheet = book[name]
        if name == "项目":
            reader.engagements(sheet, columns)
        elif name == "任务":
            reader.tasks(sheet, columns)
        elif name == "风险":
            reader.risks(sheet, columns)
        else:
            reader.kpis(sheet, columns)
    return reader.plan


#: what a workbook may hold, uncompressed: a tracking sheet of thousands of rows is a few MB
MAX_UNCOMPRESSED = 64 * 1024 * 1024
#: rows a sheet may have
MAX_ROWS = 50_000


def check_workbook(workbook: Path, source: str) -> None:
    """Refuse a file that is no workbook, or one that would not fit in memory, unread.

    A zip bomb's sizes are in its directory, and a DTD (entity expansion) stands in the
    prolog of its XML parts: both are found before openpyxl parses anything.
    """
    try:
        with zipfile.ZipFile(workbook) as archive:
            entries = archive.infolist()
            total = sum(e.file_size for e in entries)
            if total > MAX_UNCOMPRESSED:
                raise _unreadable(
                    source,
                    msg(
                        "it unpacks to %(size)s MB; docgen reads workbooks up to %(max)s MB",
                        size=total // 2**20,
                        max=MAX_UNCOMPRESSED // 2**20,
                    ),
                )
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    with archive.open(entry) as part:
                        head = part.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise _unreadable(
                            source,
                            msg(
                                "%(part)s declares a DTD, which a workbook never needs",
                                part=entry.filename,
                            ),
                        )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _unreadable(
            source, msg("it is not a complete .xlsx file (%(error)s)", error=exc)
        ) from None


def _unreadable(source: str, why: str) -> DocgenError:
    return DocgenError(
        msg("%(file)s cannot be read as an .xlsx workbook", file=source),
        [
            Location(source).diagnostic(
                "error",
                "workbook-invalid",
                msg("%(file)s cannot be read as an .xlsx workbook: %(why)s", file=source, why=why),
                msg(
                    "export it again with docgen export xlsx, or save it from Excel or WPS as .xlsx"
                ),
            )
        ],
    )


class _Reader(CellReader):
    """Reads sheets into the plan: matches rows, compares cells, records changes."""

    def __init__(self, portfolio: Portfolio, plan: ImportPlan) -> None:
        super().__init__(plan.source, portfolio.process, people(portfolio), plan.findings)
        self.portfolio = portfolio
        self.plan = plan
        self.root = portfolio.workspace.root
        self.by_id = {e.id: e for e in portfolio.engagements}
        #: folder names in use, the new engagements' included
        self.taken = {f.name for f in portfolio.workspace.engagements_dir.iterdir() if f.is_dir()}

    def _engagement(self, row: Row, name: str = "engagement") -> Engagement | None:
        value = text_of(row.raw(name))
        e = self.by_id.get(value or "")
        if e is None or e.index is None:
            self.finding(
                row.cell(name),
                "unknown-reference",
                msg("no engagement '%(id)s'", id=value or ""),
                did_you_mean(value or "", self.by_id),
            )
            return None
        return e

    # -- changes ------------------------------------------------------------------------

    def compare(
        self,
        row: Row,
        name: str,
        file: Sourced[Any],
        keys: tuple[str | int, ...],
        old: object,
        new: object,
    ) -> None:
        """Record an edit when the cell's value ``new`` differs from ``old`` in ``file``."""
        if new is BAD or not row.has(name) or same(old, new):
            return
        if new is None:
            self.finding(
                row.cell(name),
                "invalid-value",
                msg(
                    "the cell is empty; docgen does not delete values from a sheet, edit %(file)s",
                    file=file.path,
                ),
                severity="warning",
            )
            return
        self.plan.changes.append(
            Change(row.cell(name), self.root / file.path, file.path, keys, old, new)
        )

    # -- sheets -------------------------------------------------------------------------

    def engagements(self, sheet: Any, columns: Mapping[str, str], own: bool = False) -> None:
        first = self.process.stages[0].id
        titles = {e.index.data.title: e for e in self.portfolio.engagements if e.index}
        for row in self.rows(sheet, columns):
            engagement_id = self.text(row, "id")
            e = self.by_id.get(engagement_id or "")
            if e is None and own and not row.has("id"):
                e = titles.get(self.text(row, "title") or "")
            if e is None or e.index is None:
                self._new_engagement(row, engagement_id, first)
                continue
            index, data = e.index, e.index.data
            self.compare(row, "title", index, ("title",), data.title, self.text(row, "title"))
            self.compare(
                row,
                "partner",
                index,
                ("partner", "name"),
                data.partner.name,
                self.text(row, "partner"),
            )
            self.compare(row, "mode", index, ("mode",), data.mode, self.choice(row, "mode", "mode"))
            self.compare(row, "owner", index, ("owner",), data.owner, self.owner(row))
            self.compare(
                row,
                "opened",
                index,
                ("dates", "opened"),
                data.dates.opened,
                self.date(row, "opened"),
            )
            self.compare(
                row, "code", index, ("code",), getattr(data, "code", None), self.text(row, "code")
            )
            stage = self.choice(row, "stage", "stage")
            if stage not in (None, BAD) and stage != data.stage:
                self.finding(
                    row.cell("stage"),
                    "gate-unmet",
                    msg(
                        "the stage moves with 'docgen advance %(id)s', which checks its gates",
                        id=e.id,
                    ),
                )
            status = self.choice(row, "status", "status")
            if status not in (None, BAD) and status != data.status:
                if status in _SETTABLE_STATUS and data.status in _SETTABLE_STATUS:
                    self.compare(row, "status", index, ("status",), data.status, status)
                else:
                    self.finding(
                        row.cell("status"),
                        "status-unmet",
                        msg(
                            "'%(status)s' is set by 'docgen terminate' or 'docgen renew', "
                            "which check their gates",
                            status=status,
                        ),
                    )

    def _new_engagement(self, row: Row, engagement_id: str | None, first: str) -> None:
        start = len(self.plan.findings)
        needed: dict[str, Any] = {}
        for name in ("title", "partner", "mode", "owner"):
            value = (
                self.choice(row, name, "mode")
                if name == "mode"
                else self.owner(row)
                if name == "owner"
                else self.text(row, name)
            )
            if value is None:
                self.finding(
                    row.cell(name) if row.has(name) else Cell(row.sheet, row.number, 1),
                    "missing-key",
                    msg("a new engagement needs its %(field)s", field=name),
                )
            needed[name] = value
        if engagement_id is None:
            engagement_id = self._next_id(row)
        elif engagement_id in self.taken:
            self.finding(
                row.cell("id"),
                "duplicate-id",
                msg("engagement folder '%(id)s' is there already", id=engagement_id),
            )
        elif not SLUG.match(engagement_id):
            self.finding(
                row.cell("id"),
                "unsafe-slug",
                msg("engagement folder '%(id)s' is not an ASCII slug", id=engagement_id),
                msg(
                    "use lower-case letters, digits and '-', e.g. "
                    "2026-007-huaxin-storage; the Chinese name goes in 'title'"
                ),
            )
        stage = self.choice(row, "stage", "stage")
        if stage not in (None, BAD, first):
            self.finding(
                row.cell("stage"),
                "gate-unmet",
                msg(
                    "a new engagement starts in the first stage; record its checklist, "
                    "then 'docgen advance'"
                ),
                severity="warning",
            )
        if len(self.plan.findings) > start and any(d.is_error for d in self.plan.findings[start:]):
            return
        self.taken.add(engagement_id)
        self.plan.created.append(
            NewEngagement(
                row.cell("id"),
                engagement_id,
                needed["title"],
                needed["partner"],
                needed["mode"],
                needed["owner"],
                self.text(row, "code"),
                opened if isinstance(opened := self.date(row, "opened"), date) else None,
            )
        )

    def _next_id(self, row: Row) -> str:
        """``<year>-<nnn>``: the year the row opened, numbered after the folders there are."""
        opened = self.date(row, "opened")
        year = (opened if isinstance(opened, date) else self.portfolio.workspace.today()).year
        numbers = [
            int(name.split("-")[1])
            for name in self.taken
            if name.startswith(f"{year}-") and name.split("-")[1].isdigit()
        ]
        n = 1 + max(numbers, default=0)
        return f"{year}-{n:03d}"

    def tasks(self, sheet: Any, columns: Mapping[str, str]) -> None:
        for row in self.rows(sheet, columns):
            e = self._engagement(row)
            if e is None:
                continue
            kind, ref = self.text(row, "kind"), self.text(row, "id")
            if kind == tracking.CHECKLIST_ITEM:
                self._checklist_item(row, e, ref or "")
            elif kind == tracking.MEETING_ACTION:
                self._action(row, e, ref or "")
            elif kind in (tracking.TASK, tracking.MILESTONE):
                self._plan_row(row, e, kind, ref)
            else:
                self.finding(
                    row.cell("kind"),
                    "invalid-value",
                    msg("unknown kind '%(kind)s'", kind=kind or ""),
                    msg(
                        "expected one of: %(choices)s",
                        choices=[
                            tracking.TASK,
                            tracking.MILESTONE,
                            tracking.CHECKLIST_ITEM,
                            tracking.MEETING_ACTION,
                        ],
                    ),
                )

    def _plan_row(self, row: Row, e: Engagement, kind: str, ref: str | None) -> None:
        plan = e.plan
        if plan is None:
            self.finding(row.cell("id"), "missing-file", msg("%(id)s has no plan.md", id=e.id))
            return
        milestone = kind == tracking.MILESTONE
        key = "milestones" if milestone else "tasks"
        items: list[Any] = plan.data.milestones if milestone else plan.data.tasks
        i = next((n for n, item in enumerate(items) if item.id == ref), None)
        fields: dict[str, Any] = {
            "title": self.text(row, "title"),
            "owner": self.owner(row),
            "due": self.date(row, "due"),
            "done": self.date(row, "done"),
        }
        if not milestone:
            fields |= {
                "start": self.date(row, "start"),
                "status": self.choice(row, "status", "task status", _TASK_STATUS),
                "deliverable": self.text(row, "deliverable"),
            }
        if i is None:
            required = ("title", "due") if milestone else ("title",)
            self._append(row, plan, key, ref, fields, required)
            return
        current = items[i]
        for name, value in fields.items():
            self.compare(row, name, plan, (key, i, name), getattr(current, name), value)

    def _append(
        self,
        row: Row,
        file: Sourced[Any],
        key: str,
        ref: str | None,
        fields: dict[str, Any],
        required: tuple[str, ...],
    ) -> None:
        if any(v is BAD for v in fields.values()):
            return
        missing = [
            name
            for name in ("id", *required)
            if (ref if name == "id" else fields.get(name)) is None
        ]
        if missing:
            self.finding(
                row.cell(missing[0] if missing[0] != "id" else "id"),
                "missing-key",
                msg("a new row needs %(fields)s", fields=missing),
            )
            return
        item = {"id": ref, **{k: v for k, v in fields.items() if v is not None}}
        self.plan.additions.append(
            Addition(row.cell("id"), self.root / file.path, file.path, key, item)
        )

    def _checklist_item(self, row: Row, e: Engagement, ref: str) -> None:
        item_id = self.process.item_by_reference.get(ref, ref)  # 1.2.3, its title, or its id
        found = self.process.items.get(item_id)
        if found is None:
            self.finding(
                row.cell("id"),
                "unknown-item",
                msg("unknown checklist item '%(item_id)s'", item_id=item_id),
            )
            return
        stage = found[0]
        stage_file = e.stages.get(stage.id)
        state = stage_file.data.checklist.get(item_id) if stage_file else None
        if stage_file is None or state is None:
            self.finding(
                row.cell("id"),
                "unknown-item",
                msg(
                    "'%(item_id)s' is not in %(file)s; add it there first",
                    item_id=item_id,
                    file=f"{e.rel}/{stage.file}",
                ),
            )
            return
        self._owner_and_dates(row, stage_file, ("checklist", item_id), state)

    def _action(self, row: Row, e: Engagement, ref: str) -> None:
        title = self.text(row, "title")
        number = int(ref[1:]) - 1 if ref.startswith("#") and ref[1:].isdigit() else -1
        matches = [
            m
            for m in e.meetings
            if 0 <= number < len(m.data.actions) and m.data.actions[number].task == title
        ]
        if len(matches) != 1:
            self.finding(
                row.cell("title"),
                "unknown-reference",
                msg(
                    "no single meeting action %(ref)s '%(title)s'; edit it in its minutes",
                    ref=ref,
                    title=title or "",
                ),
                severity="warning",
            )
            return
        meeting, action = matches[0], matches[0].data.actions[number]
        self._owner_and_dates(row, meeting, ("actions", number), action)

    def _owner_and_dates(
        self, row: Row, file: Sourced[Any], at: tuple[str | int, ...], current: Any
    ) -> None:
        """Compare a checklist item's or an action's owner, due and done with the row's."""
        for name, value in (
            ("owner", self.owner(row)),
            ("due", self.date(row, "due")),
            ("done", self.date(row, "done")),
        ):
            self.compare(row, name, file, (*at, name), getattr(current, name), value)

    def risks(self, sheet: Any, columns: Mapping[str, str]) -> None:
        for row in self.rows(sheet, columns):
            e = self._engagement(row)
            if e is None:
                continue
            if e.risks is None:
                self.finding(row.cell("id"), "missing-file", msg("%(id)s has no risks.md", id=e.id))
                continue
            ref = self.text(row, "id")
            fields = {
                "title": self.text(row, "title"),
                "category": self.choice(row, "category", "category"),
                "probability": self.number(row, "probability", 1, 5),
                "impact": self.number(row, "impact", 1, 5),
                "owner": self.owner(row),
                "response": self.text(row, "response"),
                "status": self.choice(row, "status", "risk status", _RISK_STATUS),
                "escalated": self.date(row, "escalated"),
            }
            risks = e.risks.data.risks
            i = next((n for n, r in enumerate(risks) if r.id == ref), None)
            if i is None:
                required = ("title", "category", "probability", "impact")
                self._append(row, e.risks, "risks", ref, fields, required)
                continue
            for name, value in fields.items():
                self.compare(row, name, e.risks, ("risks", i, name), getattr(risks[i], name), value)

    def kpis(self, sheet: Any, columns: Mapping[str, str]) -> None:
        for row in self.rows(sheet, columns):
            e = self._engagement(row)
            if e is None:
                continue
            ref = self.text(row, "id")
            listed = e.kpis.data.kpis if e.kpis else []
            i = next((n for n, k in enumerate(listed) if k.id == ref), None)
            if e.kpis is None or i is None:
                self.finding(
                    row.cell("id"),
                    "unknown-reference",
                    msg(
                        "no KPI '%(id)s' in %(engagement)s; add new KPIs in kpis.md",
                        id=ref or "",
                        engagement=e.id,
                    ),
                )
                continue
            kpi = listed[i]
            fields = {
                "metric": self.text(row, "metric"),
                "unit": self.text(row, "unit"),
                "baseline": self.number(row, "baseline"),
                "target": self.number(row, "target"),
                "direction": self.choice(row, "direction", "direction"),
            }
            for name, value in fields.items():
                self.compare(row, name, e.kpis, ("kpis", i, name), getattr(kpi, name), value)
            period, actual = self.text(row, "period"), self.number(row, "actual")
            if period is None:
                if actual not in (None, BAD):
                    self.finding(
                        row.cell("period"),
                        "missing-key",
                        msg("an actual value needs its period, e.g. 2026-Q3"),
                    )
                continue
            if actual is None or actual is BAD:
                continue
            self.compare(
                row,
                "actual",
                e.kpis,
                ("kpis", i, "actuals", period),
                kpi.actuals.get(period),
                actual,
            )


def apply_import(
    plan: ImportPlan,
    portfolio: Portfolio,
    *,
    commit: bool = False,
    force: bool = False,
    message: str = "",
) -> dict[Path, bytes]:
    """Write the plan's edits atomically, then make its new engagements; returns the writes.

    Nothing is written while a cell is in error, or (without ``force``) over a file with
    uncommitted changes.
    """
    from docgen.edits import workflow
    from docgen.edits.scaffold import new_engagement

    if not plan.allowed:
        raise DocgenError(
            msg("%(file)s: nothing imported; correct the cells above", file=plan.source),
            [d for d in plan.findings if d.is_error],
        )
    writes = plan.writes(portfolio)
    root = portfolio.workspace.root

    def create() -> list[Path]:
        folders = []
        for new in plan.created:
            folder = new_engagement(
                root,
                new.engagement_id,
                title=new.title,
                partner=new.partner,
                mode=new.mode,
                owner=new.owner,
                code=new.code,
            )
            if new.opened is not None:  # the scaffold opens it today
                index = folder / "index.md"
                edit = FrontMatterEdit.open(index, portfolio.workspace.rel(index))
                edit.set(("dates", "opened"), new.opened)
                write_atomic(index, edit.result(), root=root)
            folders.append(folder)
        return folders

    transition = workflow.Transition(None, message, [], writes)
    workflow.apply(transition, root, commit=commit, force=force, message=message, then=create)
    return writes
