"""What the portfolio pages show, as plain data: the dashboard and the lists.

A view holds values, never markup or fixed words: labels that name a field are message
ids (marked with `N_`) that the template translates; values with ids (a status, a mode)
are translated here, with the process's own titles for its ids.  Views are testable
without HTML.  The procedure's view is in `docgen.site.procedure`, an engagement's in
`docgen.site.engagement`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markdown_it import MarkdownIt
from markupsafe import Markup

from docgen.checks.status import DueItem, EngagementStatus, engagement_status
from docgen.core.i18n import Catalogue
from docgen.domain import amounts
from docgen.domain.engagement import Engagement
from docgen.domain.labels import FIELDS
from docgen.domain.model import LIVE_STATUSES, Money
from docgen.domain.process import Process
from docgen.domain.vocabulary import (
    STATUS,
)
from docgen.workspace.load import Portfolio

PAGE_SIZE = 100  # engagements per list page
DASHBOARD_ROWS = 50
MILESTONES = 12
CLOSED = ("terminated", "completed", "renewed", "lost")
_NOTES = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def slug(text: str) -> str:
    """A stable ASCII file name for Chinese text (tags, regions, owners)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def notes_html(markdown: str) -> Markup:
    """The team's own markdown notes as HTML; raw HTML in them stays text.

    Their headings go two levels down, below the page's own (a note's ``##`` is h4).
    """
    html = _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 2)}", _NOTES.render(markdown))
    return Markup(html)


_HEADING = re.compile(r"<(/?)h([1-6])")


def amount(value: Money | None, t: Catalogue) -> str | None:
    """6,000 万元 in Chinese, CNY 60,000,000.00 in English."""
    if value is None:
        return None
    return amounts.short(value) if t.language == "zh" else amounts.english(value)


# --- the portfolio, once per build ---------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One engagement in a list: what the tables and the facet pages show."""

    e: Engagement
    status: EngagementStatus

    @property
    def url(self) -> str:
        """Its page, from the site's root."""
        return f"engagements/{self.e.id}/"


def portfolio_rows(portfolio: Portfolio) -> list[Row]:
    """Every engagement that loaded, in stage then id order."""
    rows = []
    for e in portfolio.engagements:
        status = engagement_status(e, portfolio.process, detail=True)
        if status is not None:
            rows.append(Row(e, status))
    rows.sort(key=lambda r: (r.status.stage_number, r.e.id))
    return rows


@dataclass(frozen=True)
class ListRow:
    """An engagement as a table row: the columns that matter first."""

    url: str
    title: str
    partner: str
    stage: str
    status: str  # the id, for styling
    status_label: str  # "" while active
    progress: float | None
    owner: str
    next_due: DueItem | None
    overdue: int
    top_risk: str | None


def list_row(row: Row, today: date, t: Catalogue) -> ListRow:
    """The table row of one engagement."""
    s = row.status
    current = next((p for p in s.progress if p.stage_id == s.stage_id), None)
    risk = s.top_risk
    return ListRow(
        url=row.url,
        title=s.title,
        partner=s.partner,
        stage=s.stage_title,
        status=s.status,
        status_label="" if s.status == "active" else t.label(STATUS, s.status),
        progress=current.ratio if current and s.status == "active" else None,
        owner=s.owner,
        next_due=_said(s.next_due(today), t),
        overdue=len(s.overdue(today)),
        top_risk=f"{risk.title}（{risk.score}）" if risk else None,
    )


# --- dashboard -----------------------------------------------------------------------


def _said(item: DueItem | None, t: Catalogue) -> DueItem | None:
    """``item`` with its title in ``t``'s language (a term notice's is a message)."""
    return dataclasses.replace(item, title=t.say(item.title)) if item is not None else None


@dataclass(frozen=True)
class FunnelStage:
    """How many engagements stand at a stage, by status (active, on-hold, closed ones)."""

    id: str
    title: str
    by_status: dict[str, int]
    #: share of the engagements that reached this stage and went on past it
    onward: float | None

    @property
    def total(self) -> int:
        """Every engagement at this stage, whatever its status."""
        return sum(self.by_status.values())


@dataclass(frozen=True)
class LostLead:
    """A lead closed before signing: where it stood and why (internal sites only)."""

    title: str
    url: str
    stage: str
    closed: date | None
    reason: str | None


@dataclass(frozen=True)
class Milestone:
    """An open milestone on the dashboard's timeline."""

    due: date
    title: str
    engagement: str
    url: str
    overdue: bool


@dataclass(frozen=True)
class FacetValue:
    """One tag, mode, region or owner with its engagements' count."""

    label: str
    url: str
    count: int


@dataclass(frozen=True)
class FacetGroup:
    """The values of one facet kind."""

    kind: str
    title: str  # a message id
    values: list[FacetValue]


@dataclass(frozen=True)
class Dashboard:
    """The portfolio at a glance."""

    as_of: date
    total: int
    active: int
    overdue: int
    high_risks: int
    stages: list[FunnelStage]
    statuses: list[tuple[str, str]]  # (id, label) in the funnel's legend order
    rows: list[ListRow]
    more: bool
    milestones: list[Milestone]
    heat: dict[tuple[int, int], int]
    high_threshold: int
    facets: list[FacetGroup]
    left_out: list[str]
    #: the leads closed before signing, with the stage they closed at and why
    lost: list[LostLead]


#: each facet the portfolio is browsed by, called as its field is (`docgen.domain.labels`)
FACETS = {
    "tag": FIELDS["tags"],
    "mode": FIELDS["mode"],
    "region": FIELDS["region"],
    "owner": FIELDS["owner"],
}


def facets(rows: Sequence[Row], process: Process, t: Catalogue) -> dict[str, dict[str, list[Row]]]:
    """Kind (tag, mode, region, owner) → value label → the engagements with it."""
    found: dict[str, dict[str, list[Row]]] = {k: defaultdict(list) for k in FACETS}
    modes = process.mode_titles
    for row in rows:
        data = row.e.index.data  # type: ignore[union-attr]
        for tag in dict.fromkeys(data.tags):
            found["tag"][tag].append(row)
        found["mode"][modes.get(data.mode, data.mode)].append(row)
        found["region"][data.partner.region or t("Not given")].append(row)
        found["owner"][data.owner].append(row)
    return found


def facet_groups(found: dict[str, dict[str, list[Row]]], root: str) -> list[FacetGroup]:
    """Links to every facet page, most engagements first."""
    return [
        FacetGroup(
            kind,
            FACETS[kind],
            [
                FacetValue(value, f"{root}browse/{kind}-{slug(value)}/", len(members))
                for value, members in sorted(values.items(), key=lambda kv: (-len(kv[1]), kv[0]))
            ],
        )
        for kind, values in found.items()
    ]


def dashboard(
    rows: list[Row],
    process: Process,
    today: date,
    t: Catalogue,
    root: str,
    left_out: Sequence[str] = (),
) -> Dashboard:
    """The dashboard: counts, the funnel by status, urgent engagements, milestones, risks."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts[r.status.stage_id][r.status.status] += 1
    order = ["active", "on-hold", *CLOSED]
    stages = []
    for i, stage in enumerate(process.stages):
        reached = sum(sum(counts[s.id].values()) for s in process.stages[i:])
        onward = sum(sum(counts[s.id].values()) for s in process.stages[i + 1 :])
        stages.append(
            FunnelStage(
                stage.id,
                stage.title,
                {s: counts[stage.id][s] for s in order if counts[stage.id][s]},
                onward / reached if reached and i < len(process.stages) - 1 else None,
            )
        )
    urgent = sorted(
        rows,
        key=lambda r: (-len(r.status.overdue(today)), _next_due_date(r.status, today), r.e.id),
    )[:DASHBOARD_ROWS]
    milestones = sorted(
        (
            Milestone(m.due, m.title, r.status.title, root + r.url, m.due < today)
            for r in rows
            if r.status.status in ("active", "renewed") and r.e.plan
            for m in r.e.plan.data.milestones
            if not m.done
        ),
        key=lambda m: (m.due, m.engagement, m.title),
    )[:MILESTONES]
    heat: Counter[tuple[int, int]] = Counter()
    high = 0
    for r in rows:  # the risks of cooperations going on: an ended one's are history
        if r.status.status not in LIVE_STATUSES:
            continue
        for risk in r.e.risks.data.risks if r.e.risks else []:
            if risk.status != "closed":
                heat[(risk.probability, risk.impact)] += 1
                high += risk.score >= process.risk.high_threshold
    return Dashboard(
        as_of=today,
        total=len(rows),
        active=sum(1 for r in rows if r.status.status == "active"),
        overdue=sum(len(r.status.overdue(today)) for r in rows),
        high_risks=high,
        stages=stages,
        statuses=[(s, t.label(STATUS, s)) for s in order],
        rows=[list_row(r, today, t) for r in urgent],
        more=len(rows) > DASHBOARD_ROWS,
        milestones=milestones,
        heat=dict(heat),
        high_threshold=process.risk.high_threshold,
        facets=facet_groups(facets(rows, process, t), root),
        left_out=list(left_out),
        lost=[
            LostLead(
                r.status.title,
                root + r.url,
                r.status.stage_title,
                r.e.index.data.dates.closed,
                r.status.reason,
            )
            for r in sorted(rows, key=lambda r: (r.status.stage_number, r.e.id))
            if r.status.status == "lost" and r.e.index is not None
        ],
    )


def _next_due_date(status: EngagementStatus, today: date) -> date:
    due = status.next_due(today)
    return due.due if due else date.max


# --- lists ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ListPage:
    """One page of a paginated list of engagements."""

    title: str
    rows: list[ListRow]
    number: int
    pages: list[str]  # every page's URL, relative to this one

    @property
    def paged(self) -> bool:
        """Whether the list has more than one page."""
        return len(self.pages) > 1


def paged(
    folder: str, name: str, title: str, rows: list[Row], today: date, t: Catalogue
) -> list[tuple[str, str, ListPage]]:
    """(path, title, view) of ``folder/name``, ``folder/name-2`` …, PAGE_SIZE rows each."""
    chunks = [rows[i : i + PAGE_SIZE] for i in range(0, len(rows), PAGE_SIZE)] or [[]]
    stems = [name if k == 1 else f"{name}-{k}" for k in range(1, len(chunks) + 1)]
    urls = [f"../{stem}/" for stem in stems]
    out = []
    for n, chunk in enumerate(chunks, 1):
        label = title if n == 1 else t("%(title)s (page %(n)s)", title=title, n=n)
        view = ListPage(title, [list_row(r, today, t) for r in chunk], n, urls)
        out.append((f"{folder}/{stems[n - 1]}.md", label, view))
    return out


@dataclass(frozen=True)
class StageLink:
    """A stage's list page and how many engagements stand there."""

    title: str
    url: str
    count: int


@dataclass(frozen=True)
class StageIndex:
    """engagements/: the stages with their counts."""

    stages: list[StageLink]


@dataclass(frozen=True)
class FacetIndex:
    """browse/: every facet value."""

    groups: list[FacetGroup]
