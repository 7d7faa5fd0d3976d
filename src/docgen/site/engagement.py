"""One engagement's page as plain data, for the engagement template.

Facts, terms, checklists, risks, KPIs, plan, meetings, documents and history: each
section is a field, left empty when the engagement has nothing for it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from docgen.checks.status import EngagementStatus
from docgen.core.history import History
from docgen.core.i18n import N_, Catalogue
from docgen.documents.frozen import frozen_versions
from docgen.domain.amounts import rate_en, rate_zh
from docgen.domain.engagement import Engagement
from docgen.domain.model import EngagementIndex, Payment, version_key
from docgen.domain.process import Process, ScreeningCriterion
from docgen.domain.screening import rank
from docgen.domain.terms import all_terms, current_term
from docgen.domain.vocabulary import (
    DISPUTE,
    DOC_STATUS,
    ITEM_STATE,
    PARTY,
    RISK_STATUS,
    STATUS,
    TASK_STATUS,
)
from docgen.site.documents import DocumentFile
from docgen.site.views import CLOSED, Row, amount, notes_html


@dataclass(frozen=True)
class Step:
    """A stage in the engagement's stepper."""

    title: str
    state: str  # done, current, upcoming


@dataclass(frozen=True)
class ChecklistRow:
    """A checklist item as the engagement page shows it."""

    title: str
    required: bool
    state: str
    state_label: str
    owner: str | None
    due: date | None
    done: date | None
    evidence: str | None
    note: str | None
    #: who completed it
    by: str | None = None
    #: due and not done (never for a cooperation that ended)
    overdue: bool = False


@dataclass(frozen=True)
class Checklist:
    """One stage's checklist; a passed stage's is folded away."""

    title: str
    passed: bool
    settled: int
    required: int
    rows: list[ChecklistRow]


@dataclass(frozen=True)
class RiskRow:
    """A risk, highest score first."""

    id: str
    title: str
    category: str
    probability: int
    impact: int
    score: int
    high: bool
    owner: str | None
    response: str | None
    status: str
    escalated: date | None


@dataclass(frozen=True)
class KpiView:
    """A KPI with its actuals per period."""

    metric: str
    unit: str
    periods: list[tuple[str, float]]
    target: float | None
    baseline: float | None
    latest: float | None
    change: float | None
    direction: str
    #: the target is the term's total: ``periods`` and ``latest`` are running totals
    cumulative: bool = False


@dataclass(frozen=True)
class MeetingView:
    """A meeting, newest first."""

    held: date
    title: str
    attendees: list[str]
    decisions: list[str]
    actions: list[tuple[str, str | None, date | None, date | None]]
    notes: Markup | None


@dataclass(frozen=True)
class DocumentRow:
    """A document of the engagement with its files."""

    title: str
    version: str | None
    amended: str | None
    earlier: list[tuple[str, str | None]]  # (version, its .docx or None)
    redline: str | None
    compared: str
    status: str
    docx: str | None
    pdf: str | None
    executed: str | None


@dataclass(frozen=True)
class Revision:
    """A commit that touched the engagement's files."""

    when: date
    author: str
    summary: str
    short: str


@dataclass(frozen=True)
class Closing:
    """How a closed or paused engagement ended: status, date and the reason given."""

    status: str
    label: str
    date: date | None
    reason: str | None


@dataclass
class EngagementPage:
    """Everything about one engagement, section by section (empty sections are left out)."""

    id: str
    title: str
    summary: str | None
    stage: str
    status: str
    status_label: str
    mode: str
    tags: list[str]
    steps: list[Step]
    closing: Closing | None
    facts: list[tuple[str, Any]]
    terms: list[tuple[str, Any]]
    negotiation_position: str | None
    internal_notes: str | None
    due_diligence: list[tuple[str, str]]
    checklists: list[Checklist]
    risks: list[RiskRow]
    heat: dict[tuple[int, int], int]
    high_threshold: int
    kpis: list[KpiView]
    tasks: list[tuple[str, str, str | None, date | None, int, str | None, str]]
    milestones: list[tuple[str, str, date, date | None, str | None]]
    meetings: list[MeetingView]
    survey: tuple[date, int, list[tuple[str, float, int]]] | None
    documents: list[DocumentRow]
    revisions: list[Revision]
    notes: Markup | None
    edit_url: str | None = None
    files: list[str] = field(default_factory=list)
    #: the cooperation's terms, oldest first, once it has been renewed
    term_history: list[TermRow] = field(default_factory=list)
    #: the qualification review of the call's applicants (internal sites only)
    screening: ScreeningView | None = None
    #: the history is the documents' 修订记录 (a partner's site), not git's commits
    curated_history: bool = False
    #: where it stands, said first: next due, what is overdue, the top risk
    standing: Standing | None = None


@dataclass(frozen=True)
class Standing:
    """What an officer opens the page for: what is due next, what is late, the top risk."""

    next_due: tuple[date, str] | None
    overdue: list[tuple[date, str, str | None]]
    top_risk: tuple[str, int] | None


@dataclass(frozen=True)
class RankedRow:
    """One applicant in the qualification review."""

    rank: int
    name: str
    scores: dict[str, float]
    total: float
    passed: bool
    reasons: list[str]
    chosen: bool


@dataclass(frozen=True)
class ScreeningView:
    """The ranking of a call's applicants on the process's criteria."""

    criteria: list[ScreeningCriterion]
    pass_score: float
    ranked: list[RankedRow]


@dataclass(frozen=True)
class TermRow:
    """One term of a renewed cooperation."""

    number: int
    start: date | None
    end: date | None
    renewed: date | None
    current: bool


def _screening(e: Engagement, process: Process, t: Catalogue) -> ScreeningView | None:
    if e.applicants is None or process.screening is None:
        return None
    chosen = e.applicants.data.chosen
    return ScreeningView(
        process.screening.criteria,
        process.screening.pass_score,
        [
            RankedRow(
                r.rank,
                r.applicant.name,
                r.scores,
                r.total,
                r.passed,
                [t.say(reason) for reason in r.shortfalls],
                r.applicant.id == chosen,
            )
            for r in rank(e.applicants.data.applicants, process.screening)
        ],
    )


def _term_history(data: EngagementIndex) -> list[TermRow]:
    terms = all_terms(data)
    if len(terms) < 2:
        return []
    return [
        TermRow(
            term.number,
            term.start,
            term.end,
            getattr(term, "renewed", None),
            term is terms[-1],
        )
        for term in terms
    ]


def engagement_page(
    row: Row,
    process: Process,
    history: History,
    documents: list[DocumentFile],
    t: Catalogue,
    *,
    hide_internal_items: bool = False,
    edit_url: Callable[[str], str | None] = lambda path: None,
    today: date | None = None,
    us: str | None = None,
) -> EngagementPage:
    """The view of one engagement; ``today`` dates what is overdue and due next.

    ``us``: our name, for a page the partner reads — there 我方 would be the partner
    itself, so both sides are named.
    """
    e, s = row.e, row.status
    assert e.index is not None
    data = e.index.data
    p = data.partner
    current = process.stage_index.get(data.stage, -1)
    closed = data.status in CLOSED
    steps = [
        Step(
            stage.title,
            "done"
            if i < current or (i == current and closed)
            else "current"
            if i == current
            else "upcoming",
        )
        for i, stage in enumerate(process.stages)
    ]
    closing = (
        Closing(
            data.status,
            t.label(STATUS, data.status),
            data.dates.closed,
            data.lost_reason if data.status == "lost" else data.termination_reason,
        )
        if data.status not in ("active", "renewed")
        else None
    )
    dates = (data.dates.opened, data.dates.signed, data.dates.kickoff, data.dates.closed)
    facts: list[tuple[str, Any]] = [
        (N_("Code"), data.code),
        (N_("Partner"), p.name),
        (N_("Unified social credit code"), p.credit_code),
        (N_("Legal representative"), p.legal_representative),
        (N_("Address"), p.address),
        (N_("Region / industry"), f"{p.region or '—'} / {p.industry or '—'}"),
        (
            N_("Partner contacts"),
            "、".join(f"{c.name}（{c.role}）" if c.role else c.name for c in p.contacts) or None,
        ),
        (N_("Owner / team"), f"{data.owner} / {'、'.join(data.team) or '—'}"),
        (N_("Opened / signed / kick-off / closed"), " / ".join(str(d or "—") for d in dates)),
    ]
    terms = data.terms
    dispute = terms.dispute_resolution
    # the terms in force: a renewal's re-negotiated ones over the first agreement's
    now = current_term(data)
    renewal = data.renewal if now.number > 1 else None
    scope = (renewal.scope if renewal else None) or terms.scope
    investment = (renewal.investment if renewal else None) or terms.investment
    split = (renewal.profit_split if renewal else None) or terms.profit_split
    payments = (renewal.payments if renewal else None) or terms.payments
    months = (renewal.term_months if renewal else None) or (None if renewal else terms.term_months)
    them = p.short_name or p.name
    term_rows: list[tuple[str, Any]] = [
        (N_("Scope"), scope),
        (
            t("Investment by %(party)s", party=us) if us else N_("Our investment"),
            amount(investment, t),
        ),
        (
            t("Investment by %(party)s", party=them) if us else N_("Partner's investment"),
            amount(terms.partner_investment, t),
        ),
        (
            N_("Profit split"),
            (
                t(
                    "%(us_name)s %(us)s%% / %(partner_name)s %(partner)s%%",
                    us_name=us,
                    us=f"{split.us:g}",
                    partner_name=them,
                    partner=f"{split.partner:g}",
                )
                if us
                else t(
                    "us %(us)s%% / partner %(partner)s%%",
                    us=f"{split.us:g}",
                    partner=f"{split.partner:g}",
                )
            )
            + (f"（{split.note}）" if split.note else "")
            if split
            else None,
        ),
        (N_("Payments"), _payments(payments, us or t.label(PARTY, "us"), them, t) or None),
        (
            N_("Term"),
            (t("Term %(n)s: ", n=now.number) if now.number > 1 else "")
            + t(
                "%(months)s months (%(start)s to %(end)s)",
                months=months,
                start=now.start or "—",
                end=now.end or "—",
            )
            if months or now.number > 1
            else None,
        ),
        (N_("Changed at renewal"), "；".join(renewal.changes) if renewal else None),
        (N_("Goals of this term"), "；".join(renewal.goals) if renewal else None),
        (N_("Exit mechanism"), terms.exit_mechanism),
        (
            N_("Dispute resolution"),
            " ".join(x for x in (t.label(DISPUTE, dispute.method), dispute.institution) if x)
            if dispute
            else None,
        ),
        (N_("Adjustment triggers"), "；".join(terms.adjustment_triggers) or None),
    ]
    dd = data.due_diligence
    due_diligence = (
        [
            (label, value)
            for label, value in (
                (N_("Credit"), dd.credit),
                (N_("Legal compliance"), dd.legal),
                (N_("Team"), dd.team),
                (N_("Finances"), dd.finance),
                (N_("Third party"), dd.third_party),
                (N_("Conclusion"), dd.conclusion),
            )
            if value
        ]
        if dd
        else []
    )
    return EngagementPage(
        id=e.id,
        title=data.title,
        summary=data.summary,
        stage=s.stage_title,
        status=data.status,
        status_label=t.label(STATUS, data.status),
        mode=process.mode_titles.get(data.mode, data.mode),
        tags=list(data.tags),
        steps=steps,
        closing=closing,
        facts=facts,
        terms=[(label, value) for label, value in term_rows if value],
        negotiation_position=data.negotiation_position,
        internal_notes=data.internal_notes,
        due_diligence=due_diligence,
        checklists=_checklists(e, s, process, t, current, closed, hide_internal_items, today),
        standing=_standing(s, today, t) if today else None,
        risks=_risks(e, process, t),
        heat=dict(
            Counter(
                (r.probability, r.impact)
                for r in (e.risks.data.risks if e.risks else [])
                if r.status != "closed"
            )
        ),
        high_threshold=process.risk.high_threshold,
        kpis=_kpis(e),
        tasks=[
            (
                x.id,
                x.title,
                x.owner,
                x.due,
                x.buffer_days,
                x.deliverable,
                t.label(TASK_STATUS, x.status),
            )
            for x in (e.plan.data.tasks if e.plan else [])
        ],
        milestones=[
            (m.id, m.title, m.due, m.done, m.owner)
            for m in (e.plan.data.milestones if e.plan else [])
        ],
        meetings=[
            MeetingView(
                m.data.date,
                m.data.title,
                list(m.data.attendees),
                list(m.data.decisions),
                [(a.task, a.owner, a.due, a.done) for a in m.data.actions],
                notes_html(m.body) if m.body.strip() else None,
            )
            for m in sorted(e.meetings, key=lambda m: m.data.date, reverse=True)
        ],
        survey=_survey(e, process),
        documents=_documents(e, process, documents, t, hide_internal_items),
        revisions=(
            _curated_revisions(e, process)
            if hide_internal_items
            else [
                Revision(r.when.date(), r.author, r.summary, r.short)
                for r in history.for_files(files_of(e), limit=15)
            ]
        ),
        notes=notes_html(e.index.body) if e.index.body.strip() else None,
        edit_url=edit_url(e.index.path),
        files=files_of(e),
        term_history=_term_history(data),
        screening=_screening(e, process, t),
        curated_history=hide_internal_items,
    )


def _standing(s: EngagementStatus, today: date, t: Catalogue) -> Standing:
    upcoming = s.next_due(today)
    late = s.overdue(today)
    return Standing(
        (upcoming.due, t.say(upcoming.title)) if upcoming else None,
        [(d.due, t.say(d.title), d.owner) for d in late],
        (s.top_risk.title, s.top_risk.score) if s.top_risk else None,
    )


def _curated_revisions(e: Engagement, process: Process) -> list[Revision]:
    """What a partner reads as the history: the 修订记录 of the documents it may see.

    Never git's commits, whose messages and authors are the team's own.
    """
    titles = {k.id: k.title for k in process.documents}
    rows = [
        Revision(r.date, r.by, f"{titles.get(doc_id, doc_id)}：{r.changes}", r.version)
        for doc_id, sourced in e.documents.items()
        for r in sourced.data.revisions
    ]
    return sorted(rows, key=lambda r: (r.when, r.summary), reverse=True)[:15]


def _checklists(
    e: Engagement,
    s: EngagementStatus,
    process: Process,
    t: Catalogue,
    current: int,
    closed: bool,
    hide_internal: bool,
    today: date | None,
) -> list[Checklist]:
    progress = {p.stage_id: p for p in s.progress}
    late = {d.ref for d in s.overdue(today) if d.kind == "item"} if today else set()
    out = []
    for i, stage in enumerate(process.stages):
        items = s.checklist.get(stage.id)
        if not items or stage.id not in e.stages:
            continue
        states = e.stages[stage.id].data.checklist
        rows = []
        for item in items:
            if hide_internal and process.items[item.item_id][2].internal:
                continue
            state = states.get(item.item_id)
            evidence = state.evidence if state else None
            rows.append(
                ChecklistRow(
                    item.title,
                    item.required,
                    item.state,
                    t.label(ITEM_STATE, item.state),
                    item.owner,
                    item.due,
                    item.done,
                    # the partner sees that an item is done, not our files behind it
                    None
                    if hide_internal
                    else "、".join(evidence_name(link, e, process, t) for link in _links(evidence))
                    or None,
                    item.note,
                    state.by if state and item.state == "done" else None,
                    item.item_id in late,
                )
            )
        pr = progress[stage.id]
        out.append(Checklist(stage.title, i < current or closed, pr.settled, pr.required, rows))
    return out


def _links(evidence: str | list[str] | None) -> list[str]:
    return [evidence] if isinstance(evidence, str) else list(evidence or [])


def evidence_name(link: str, e: Engagement, process: Process, t: Catalogue) -> str:
    """What a checklist item's evidence is, as people call it: 合作方案, 首次洽谈（2026-11-30）.

    A document record is named by its document's title, a meeting by its title and date,
    the plan as the plan; any other file by its name.
    """
    path = PurePosixPath(link)
    if path.parent.name == "documents" and path.stem in process.document_kinds:
        return process.document_kinds[path.stem].title
    if path.parent.name == "meetings":
        meeting = next((m for m in e.meetings if PurePosixPath(m.path).name == path.name), None)
        if meeting is not None:
            return t("%(title)s (%(date)s)", title=meeting.data.title, date=meeting.data.date)
    if link == "plan.md":
        return t("Plan")
    return path.name


def _risks(e: Engagement, process: Process, t: Catalogue) -> list[RiskRow]:
    categories = process.category_titles
    threshold = process.risk.high_threshold
    return [
        RiskRow(
            r.id,
            r.title,
            categories.get(r.category, r.category),
            r.probability,
            r.impact,
            r.score,
            r.score >= threshold and r.status != "closed",
            r.owner,
            r.response,
            t.label(RISK_STATUS, r.status),
            r.escalated,
        )
        for r in sorted(e.risks.data.risks if e.risks else [], key=lambda r: (-r.score, r.id))
    ]


def _kpis(e: Engagement) -> list[KpiView]:
    out = []
    for k in e.kpis.data.kpis if e.kpis else []:
        periods = sorted(k.actuals.items())
        if k.target_for == "term":  # a target for the whole term: the running total meets it
            running = list(itertools.accumulate(v for _, v in periods))
            periods = [(p, total) for (p, _), total in zip(periods, running, strict=True)]
        latest = periods[-1][1] if periods else None
        change = latest - k.baseline if latest is not None and k.baseline is not None else None
        out.append(
            KpiView(
                k.metric,
                k.unit or "",
                periods,
                k.target,
                k.baseline,
                latest,
                change,
                k.direction,
                k.target_for == "term",
            )
        )
    return out


def _survey(
    e: Engagement, process: Process
) -> tuple[date, int, list[tuple[str, float, int]]] | None:
    if not (e.survey and e.survey.data.surveys):
        return None
    survey = e.survey.data.surveys[-1]
    titles = process.question_titles
    return (
        survey.date,
        survey.respondents,
        [(titles.get(q, q), r.mean, r.n) for q, r in survey.questions.items()],
    )


def _documents(
    e: Engagement,
    process: Process,
    documents: list[DocumentFile],
    t: Catalogue,
    hide_internal: bool,
) -> list[DocumentRow]:
    titles = {k.id: k.title for k in process.documents}
    out = []
    for kind in process.documents:
        record = e.documents.get(kind.id)
        made = [d for d in documents if d.doc_id == kind.id]
        if record is None and not made:
            continue
        version = record.data.version if record else None
        earlier = sorted(
            {v for v, _, _ in frozen_versions(e, kind.id)} - {version}, key=version_key
        )
        executed = record.data.executed if record and not hide_internal else None
        amended = (
            "、".join(
                f"{a.signed.isoformat()} {titles.get(a.document, a.document)} {a.version}"
                for a in record.data.amended_by
            )
            if record and record.data.amended_by
            else None
        )
        for found in made or [DocumentFile(kind.id, "", "", "", "", {})]:
            out.append(
                DocumentRow(
                    title=kind.title + (f"（{_label(found.label, t)}）" if found.label else ""),
                    version=version,
                    amended=amended,
                    earlier=[(v, found.earlier.get(v)) for v in earlier],
                    redline=found.redline or None,
                    compared=found.compared,
                    status=t.label(DOC_STATUS, record.data.status) if record else t("No record"),
                    docx=found.docx or None,
                    pdf=found.pdf or None,
                    executed=f"executed/{Path(executed.file).name}"
                    if executed and not found.label
                    else None,
                )
            )
    return out


def _label(label: str, t: Catalogue) -> str:
    """A rendered document's label: its language translated, or a meeting's date."""
    return t("English") if label == "English" else label


def files_of(e: Engagement) -> list[str]:
    """The engagement's files (workspace-relative), whose history the page shows."""
    return [f.path for f in e.sources()]


def _payments(payments: list[Payment], us: str, them: str, t: Catalogue) -> str:
    """Who pays whom what, for each payment in force.

    续约许可费：我方 → 海芯，500 万元（2026-10-15）; in English with English marks.
    """
    names = {"us": us, "partner": them, "company": t.label(PARTY, "company")}
    zh = t.language == "zh"
    colon, comma, join = ("：", "，", "；") if zh else (": ", ", ", "; ")
    rate = rate_zh if zh else rate_en
    return join.join(
        f"{p.milestone}{colon}{names[p.payer]} → {names[p.receiver]}{comma}"
        + ((amount(p.amount, t) if p.amount else rate(p.rate)) or "")
        + (f"（{p.due}）" if zh and p.due else f" ({p.due})" if p.due else "")
        for p in payments
    )
