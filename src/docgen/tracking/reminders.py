"""Reminders: what is overdue or due soon, by owner, and engagements gone stale.

Staleness is read from git history: the last commit touching an engagement's folder,
against the ``stale_after_days`` of its stage in the process file — the "rotting deal"
of a CRM.  Outside a git repository nothing is reported stale.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from docgen.checks.status import NOTICE, DueItem, engagement_status
from docgen.core.i18n import Catalogue
from docgen.domain.model import LIVE_STATUSES
from docgen.workspace.load import Portfolio


@dataclass(frozen=True, slots=True)
class Reminder:
    """A due item of one engagement."""

    engagement: str
    title: str
    item: DueItem


@dataclass(frozen=True, slots=True)
class Stale:
    """An engagement with no change for longer than its stage allows."""

    engagement: str
    title: str
    stage: str
    last_change: date
    limit_days: int
    owner: str = ""


def stale_note(s: Stale, today: date, t: Catalogue) -> str:
    """How long a stale engagement has been quiet, against its stage's limit."""
    return t(
        "last updated %(day)s (%(days)s day(s); this stage allows %(limit)s)",
        day=s.last_change,
        days=(today - s.last_change).days,
        limit=s.limit_days,
    )


def due_by_owner(portfolio: Portfolio, today: date, horizon_days: int) -> dict[str, list[Reminder]]:
    """Open items overdue or due within ``horizon_days``, grouped by owner, earliest first."""
    until = today + timedelta(days=horizon_days)
    out: dict[str, list[Reminder]] = {}
    for e in portfolio.engagements:
        row = engagement_status(e, portfolio.process)
        if row is None or row.status not in LIVE_STATUSES:
            continue
        for item in row.open_items:
            if item.due <= until and (item.kind != NOTICE or item.due >= today):
                out.setdefault(item.owner or "（未指定）", []).append(
                    Reminder(e.id, row.title, item)
                )
    for items in out.values():
        items.sort(key=lambda r: (r.item.due, r.engagement))
    return dict(sorted(out.items()))


def last_changes(root: Path, engagements_dir: str) -> dict[str, date]:
    """The date of the last commit touching each engagement folder (one git call)."""
    result = subprocess.run(
        ["git", "-C", str(root), "log", "--format=@%cs", "--name-only", "--", engagements_dir],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return {}
    out: dict[str, date] = {}
    current: date | None = None
    prefix = engagements_dir.rstrip("/") + "/"
    for line in result.stdout.splitlines():
        if line.startswith("@"):
            current = date.fromisoformat(line[1:])
        elif line.startswith(prefix) and current is not None:
            engagement = line[len(prefix) :].split("/", 1)[0]
            out.setdefault(engagement, current)  # newest first: keep the first seen
    return out


def stale(portfolio: Portfolio, today: date) -> list[Stale]:
    """Active engagements unchanged for longer than their stage's ``stale_after_days``."""
    changed = last_changes(portfolio.workspace.root, portfolio.workspace.config.engagements)
    out = []
    for e in portfolio.engagements:
        if (
            e.index is None
            or e.index.data.status not in ("active", "on-hold")
            or e.id not in changed
        ):
            continue
        stage = e.index.data.stage
        if stage not in portfolio.process.stage_index:
            continue
        limit = portfolio.process.stage(stage).stale_after_days
        if limit is not None and (today - changed[e.id]).days > limit:
            data = e.index.data
            out.append(Stale(e.id, data.title, stage, changed[e.id], limit, data.owner))
    return sorted(out, key=lambda s: s.last_change)
