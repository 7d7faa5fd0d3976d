"""What a document template sees: the engagement, our organisation, and derived views.

Variables (every template gets all of them; ``templates/documents/README.md`` lists each):
``org``, ``engagement``, ``partner``, ``terms``, ``en``, ``mode``, ``doc``, ``stages``,
``items``, ``risks``, ``high_threshold``, ``kpis``, ``tasks``, ``milestones``,
``meetings``, ``meeting`` (per-meeting documents), ``survey``, ``survey_questions``,
``revisions`` (the record's curated 修订记录), ``doc_date`` (the date of the newest
commit of the document's inputs — never the clock; for an approved or signed text, the
day it became final), ``process_title``.  An approved or signed text sees the
engagement as of that day (`document_context`'s ``as_of``).

`missing_fields` checks a template's ``requires`` against this context before rendering
and names the engagement file and line where the value belongs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache, cached_property
from typing import Any

import jinja2

from docgen.core.diagnostics import Diagnostic, Location
from docgen.core.i18n import catalogue, msg
from docgen.core.periods import bounds
from docgen.documents.frozen import signed_structure
from docgen.documents.parties import parties
from docgen.documents.templates import Markdown, TemplateSpec
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import Amendment, DocumentRecord, Kpi, Meeting, Risk, version_key
from docgen.domain.process import Process
from docgen.domain.screening import rank
from docgen.workspace.config import Workspace


@dataclass(frozen=True)
class RiskView:
    """A risk with its score, level and category title."""

    risk: Risk
    score: int
    level: str  # 高 / 中 / 低
    category: str

    def __getattr__(self, name: str) -> Any:
        return getattr(self.risk, name)


@dataclass(frozen=True)
class KpiView:
    """A KPI with its latest actual, change from baseline and achievement of target."""

    kpi: Kpi
    periods: list[tuple[str, float]]
    latest: float | None
    latest_period: str | None
    change: float | None  # recent − baseline
    achievement: float | None  # of ``measured``: percent of target, inverted for "down" metrics
    #: what is held against the target: the latest period's actual, or for a target of
    #: the whole term the total so far; in a report, the latest period ended by its end
    measured: float | None = None
    #: over what ``measured`` runs: a period (``2025``, ``2026-Q2``), or 累计 for the term
    measured_over: str | None = None
    #: the latest period's actual (in a report, of the latest period ended by its end)
    recent: float | None = None
    recent_over: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.kpi, name)


@dataclass(frozen=True)
class ItemView:
    """A checklist item of the process with this engagement's state of it."""

    id: str
    title: str
    step: str
    done: date | None = None
    by: str | None = None
    owner: str | None = None
    due: date | None = None
    waived: str | None = None
    note: str | None = None
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocView:
    """The document being rendered: kind, title and the engagement's record of it."""

    id: str
    title: str
    version: str
    status: str
    draft: bool
    signed: date | None
    record: DocumentRecord

    def __getattr__(self, name: str) -> Any:
        return getattr(self.record, name)


def _risk_views(e: Engagement, process: Process) -> list[RiskView]:
    if e.risks is None:
        return []
    titles = process.category_titles
    views = []
    for risk in e.risks.data.risks:
        score = risk.score
        level = (
            "高"
            if score >= process.risk.high_threshold
            else "中"
            if score >= process.risk.medium_threshold
            else "低"
        )
        views.append(RiskView(risk, score, level, titles.get(risk.category, risk.category)))
    return sorted(views, key=lambda v: (-v.score, v.risk.id))


def _screening(e: Engagement, process: Process) -> dict[str, Any] | None:
    """The qualification review of the call's applicants, worded in the process's language."""
    if e.applicants is None or process.screening is None:
        return None
    t = catalogue(process.language)
    ranked = [
        {
            "rank": r.rank,
            "name": r.applicant.name,
            "scores": r.scores,
            "total": r.total,
            "passed": r.passed,
            "reasons": [t.say(reason) for reason in r.shortfalls],
        }
        for r in rank(e.applicants.data.applicants, process.screening)
    ]
    chosen = next(
        (a.name for a in e.applicants.data.applicants if a.id == e.applicants.data.chosen), None
    )
    return {
        "criteria": process.screening.criteria,
        "pass_score": process.screening.pass_score,
        "ranked": ranked,
        "shortlist": [r for r in ranked if r["passed"]],
        "chosen": chosen,
    }


def _kpi_views(e: Engagement) -> list[KpiView]:
    return [
        _kpi_view(kpi, sorted(kpi.actuals.items())) for kpi in (e.kpis.data.kpis if e.kpis else [])
    ]


def _kpi_view(kpi: Kpi, periods: list[tuple[str, float]], end: date | None = None) -> KpiView:
    """``kpi`` with its actuals, and what is held against its target.

    ``end`` (a report's) holds the target against the latest period ended by then, so a
    year's target is never met by a quarter of that year.
    """
    latest_period, latest = periods[-1] if periods else (None, None)
    ended = [(p, x) for p, x in periods if end is None or _ended(p, end)]
    recent_over, recent = (ended or periods)[-1] if periods else (None, None)
    change = recent - kpi.baseline if recent is not None and kpi.baseline is not None else None
    measured: float | None
    if kpi.target_for == "term":
        measured, over = (sum(x for _, x in periods), "累计") if periods else (None, None)
    else:
        measured, over = recent, recent_over
    achievement = None
    if measured is not None and kpi.target:
        achievement = (
            measured / kpi.target * 100
            if kpi.direction == "up"
            else (kpi.target / measured * 100 if measured else None)
        )
    return KpiView(
        kpi,
        periods,
        latest,
        latest_period,
        change,
        achievement,
        measured=measured,
        measured_over=over,
        recent=recent,
        recent_over=recent_over,
    )


def _ended(period: str, end: date) -> bool:
    span = bounds(period)
    return span is None or span[1] <= end


def _kpis_until(views: list[KpiView], end: date) -> list[KpiView]:
    """The KPIs as of ``end``: only the periods begun by then (an evaluation period)."""
    return [
        _kpi_view(
            v.kpi, [(p, x) for p, x in v.periods if (b := bounds(p)) is None or b[0] <= end], end
        )
        for v in views
    ]


def _items(e: Engagement, process: Process) -> tuple[dict[str, Any], dict[str, ItemView]]:
    stages: dict[str, Any] = {}
    items: dict[str, ItemView] = {}
    for stage in process.stages:
        sourced = e.stages.get(stage.id)
        checklist = sourced.data.checklist if sourced else {}
        views = []
        for step in stage.steps:
            for item in step.items:
                key = f"{step.id}.{item.id}"
                state = checklist.get(key)
                evidence = state.evidence if state else None
                view = ItemView(
                    id=key,
                    title=item.title,
                    step=step.title,
                    done=state.done if state else None,
                    by=state.by if state else None,
                    owner=state.owner if state else None,
                    due=state.due if state else None,
                    waived=(
                        (state.waived if isinstance(state.waived, str) else "是")
                        if state and state.waived
                        else None
                    ),
                    note=state.note if state else None,
                    evidence=[evidence] if isinstance(evidence, str) else list(evidence or []),
                )
                views.append(view)
                items[key] = view
        stages[stage.id] = {"id": stage.id, "title": stage.title, "items": views}
    return stages, items


class _Checklists:
    """Stage and item views of one engagement, built when a template first reads them.

    Most documents never do, and building them is most of an engagement's context.
    """

    def __init__(self, e: Engagement, process: Process) -> None:
        self.e = e
        self.process = process

    @cached_property
    def views(self) -> tuple[dict[str, Any], dict[str, ItemView]]:
        return _items(self.e, self.process)


class _Lazy(Mapping[str, Any]):
    """A read-only mapping whose contents are computed on first use."""

    def __init__(self, build: Callable[[], Mapping[str, Any]]) -> None:
        self._build = build

    def __getitem__(self, key: str) -> Any:
        return self._build()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._build())

    def __len__(self) -> int:
        return len(self._build())


def document_view(
    e: Engagement, process: Process, doc_id: str, title: str
) -> tuple[DocView, Sourced[DocumentRecord] | None]:
    """The document's view: its record's version and status, or a first draft."""
    sourced = e.documents.get(doc_id)
    record = sourced.data if sourced else DocumentRecord()
    view = DocView(
        id=doc_id,
        title=title,
        version=record.version or "0.1",
        status=record.status,
        draft=record.status not in ("approved", "signed"),
        signed=record.signed,
        record=record,
    )
    return view, sourced


def build_context(
    workspace: Workspace,
    process: Process,
    e: Engagement,
    doc: DocView,
    *,
    doc_date: date,
    meeting: Sourced[Meeting] | None = None,
    as_of: date | None = None,
    contexts: EngagementContexts | None = None,
) -> dict[str, Any]:
    """Everything a template may use; ``e.index`` must have loaded.

    ``contexts``, when given, keeps the engagement's part for its next document.
    """
    if contexts is None:
        base = engagement_context(workspace, process, e)
    else:
        base = contexts.of(workspace, process, e)
    return document_context(base, doc, doc_date=doc_date, meeting=meeting, as_of=as_of)


class EngagementContexts:
    """`engagement_context` made once for the documents of an engagement made in turn.

    It keeps the last engagement's only: a render makes an engagement's documents one
    after another.  Templates cannot change what they are given (the sandbox is
    immutable), so one document's template never sees another's doings.
    """

    def __init__(self) -> None:
        self._last: tuple[Engagement, dict[str, Any]] | None = None

    def of(self, workspace: Workspace, process: Process, e: Engagement) -> dict[str, Any]:
        """The engagement part of ``e``'s context, made on the first of its documents."""
        if self._last is None or self._last[0] is not e:
            self._last = (e, engagement_context(workspace, process, e))
        return self._last[1]


def engagement_context(workspace: Workspace, process: Process, e: Engagement) -> dict[str, Any]:
    """The part of a template's context that is the same for every document of ``e``."""
    assert e.index is not None
    index = e.index.data
    checklists = _Checklists(e, process)
    modes = process.mode_titles
    survey = e.survey.data.surveys[-1] if e.survey and e.survey.data.surveys else None
    # the signed agreement's articles, read once, for the letters that cite them
    cites = index.supplement or index.major_event or index.renewal
    structure = (signed_structure(e) or []) if cites else []
    return {
        "org": workspace.config.organization,
        #: party_a, party_b, us, them, side: who is who in an agreement
        **parties(workspace.config.organization, index, process),
        "engagement": index,
        "partner": index.partner,
        "terms": index.terms,
        "en": index.en,
        "call": index.call,
        "intent": index.intent,
        "due_diligence": index.due_diligence,
        "settlement": index.settlement,
        "renewal": index.renewal,
        "supplement": index.supplement,
        "retrospective": index.retrospective,
        "major_event": index.major_event,
        "mode": {
            "id": index.mode,
            "title": modes.get(index.mode, index.mode),
            "title_en": next((m.title_en for m in process.modes if m.id == index.mode), None),
        },
        "stages": _Lazy(lambda: checklists.views[0]),
        "items": _Lazy(lambda: checklists.views[1]),
        "risks": _risk_views(e, process),
        "high_threshold": process.risk.high_threshold,
        "kpis": _kpi_views(e),
        "screening": _screening(e, process),
        "tasks": e.plan.data.tasks if e.plan else [],
        "milestones": e.plan.data.milestones if e.plan else [],
        "meetings": sorted((m.data for m in e.meetings), key=lambda m: m.date),
        "survey": survey,
        "survey_questions": process.question_titles,
        "process_title": process.title,
        #: when the 意向书 was signed (the contract's recitals cite it), or None
        "loi_signed": _signed(e, "letter-of-intent"),
        #: when the 合作协议 was signed (a 补充协议 cites it), or None
        "agreement_signed": _signed(e, "cooperation-agreement"),
        #: the 补充协议's changes, each placed at its 条 and 款 of the signed agreement
        "amendments": _placed(structure, index.supplement.changes) if index.supplement else [],
        #: the 重大事项告知函's articles as the signed agreement numbers them: (16, 合作调整)
        "cited_articles": _cited(structure, index.major_event.articles)
        if index.major_event
        else [],
        #: the original articles a 续约协议 keeps, cited the same way
        "continuing_articles": _cited(structure, index.renewal.continuing) if index.renewal else [],
    }


def _cited(structure: list[tuple[str, int]], titles: list[str]) -> list[tuple[int, str]]:
    """(N, title) of each of ``titles`` the signed agreement has, in its order (第N条).

    A title it lacks is left out here; validate says so.
    """
    articles = [title for title, _ in structure]
    return [
        (n + 1, articles[n]) for n in sorted(articles.index(t) for t in titles if t in articles)
    ]


@dataclass(frozen=True)
class Placed:
    """A 补充协议's change placed in the signed agreement, for its template to word."""

    action: str  # replace, add or delete
    title: str
    number: int  # the article's number (第N条); 0 when the signed text lacks it
    clause: int | None  # the 款 it rewrites or deletes
    next_clause: int  # the number an added 款 takes
    text: str


def _placed(structure: list[tuple[str, int]], changes: list[Amendment]) -> list[Placed]:
    """Each change at its article's number and 款 in the signed text."""
    at = {title: (n, clauses) for n, (title, clauses) in enumerate(structure, 1)}
    placed = []
    for c in changes:
        n, clauses = at.get(c.article, (0, 0))
        text = (c.text or "").strip()
        placed.append(Placed(c.action, c.article, n, c.clause, clauses + 1, text))
    return placed


def _signed(e: Engagement, doc_id: str) -> date | None:
    record = e.documents.get(doc_id)
    return record.data.signed if record and record.data.status == "signed" else None


def document_context(
    base: dict[str, Any],
    doc: DocView,
    *,
    doc_date: date,
    meeting: Sourced[Meeting] | None = None,
    as_of: date | None = None,
) -> dict[str, Any]:
    """``base`` (`engagement_context`) completed for one document (and meeting).

    ``as_of``, the day an approved or signed text became final, leaves out what happened
    after it (`_as_of`); a draft is of today and sees everything.

    ``revisions`` is the record's own 修订记录, oldest version first: never git's commit
    messages or authors, which are for the internal site.
    """
    period = getattr(doc.record, "period", None)
    kpis = _kpis_until(base["kpis"], period.end) if period is not None else base["kpis"]
    revisions = sorted(doc.record.revisions, key=lambda r: version_key(r.version))
    context = {
        **base,
        "kpis": kpis,
        "doc": doc,
        "meeting": meeting.data if meeting else None,
        "meeting_notes": Markdown(meeting.body.strip()) if meeting else None,
        "revisions": revisions,
        "doc_date": doc_date,
    }
    return context if as_of is None else _as_of(context, as_of, doc.version)


def _as_of(context: dict[str, Any], day: date, version: str) -> dict[str, Any]:
    """``context`` as it stood on ``day``: what an approved or signed text may know.

    A text signed in July holds no November meeting: meetings, risks identified, KPI
    periods, approvals and revisions after ``day`` are left out (and approvals of other
    versions), and what was done after it is shown as not done yet.
    """

    def undone(record: Any) -> Any:
        done = getattr(record, "done", None)
        if done is None or done <= day:
            return record
        if isinstance(record, ItemView):
            return replace(record, done=None, by=None)
        return record.model_copy(update={"done": None})

    def items_then() -> tuple[dict[str, Any], dict[str, ItemView]]:
        stages, items = context["stages"], context["items"]
        then = {key: undone(view) for key, view in items.items()}
        return (
            {
                key: {**stage, "items": [then[view.id] for view in stage["items"]]}
                for key, stage in stages.items()
            },
            then,
        )

    lazy = cache(items_then)
    risks = [
        replace(v, risk=v.risk.model_copy(update={"escalated": None}))
        if v.risk.escalated and v.risk.escalated > day
        else v
        for v in context["risks"]
        if v.risk.identified is None or v.risk.identified <= day
    ]
    doc = context["doc"]
    approvals = [a for a in doc.record.approvals if a.date <= day and a.version == version]
    return {
        **context,
        "doc": replace(doc, record=doc.record.model_copy(update={"approvals": approvals})),
        "stages": _Lazy(lambda: lazy()[0]),
        "items": _Lazy(lambda: lazy()[1]),
        "risks": risks,
        "kpis": _kpis_until(context["kpis"], day),
        "tasks": [undone(t) for t in context["tasks"]],
        "milestones": [undone(m) for m in context["milestones"]],
        "meetings": [m for m in context["meetings"] if m.date <= day],
        "revisions": [
            r
            for r in context["revisions"]
            if r.date <= day and version_key(r.version) <= version_key(version)
        ],
    }


# Where each context root lives, for diagnostics: (file in the engagement, key prefix).
_HOMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "partner": ("index.md", ("partner",)),
    "terms": ("index.md", ("terms",)),
    "screening": ("applicants.md", ()),
    "engagement": ("index.md", ()),
    "en": ("index.md", ("en",)),
    "intent": ("index.md", ("intent",)),
    "call": ("index.md", ("call",)),
    "due_diligence": ("index.md", ("due_diligence",)),
    "settlement": ("index.md", ("settlement",)),
    "renewal": ("index.md", ("renewal",)),
    "supplement": ("index.md", ("supplement",)),
    "retrospective": ("index.md", ("retrospective",)),
    "major_event": ("index.md", ("major_event",)),
    "risks": ("risks.md", ("risks",)),
    "kpis": ("kpis.md", ("kpis",)),
    "tasks": ("plan.md", ("tasks",)),
    "milestones": ("plan.md", ("milestones",)),
    "survey": ("survey.md", ("surveys",)),
}


def _lookup(context: dict[str, Any], path: str) -> Any:
    value: Any = context
    for part in path.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
    return value


def missing_fields(
    template: TemplateSpec,
    context: dict[str, Any],
    e: Engagement,
    workspace: Workspace,
    meeting_source: Sourced[Meeting] | None = None,
    said: set[str] | None = None,
) -> list[Diagnostic]:
    """A diagnostic for every value the template requires and the engagement lacks.

    ``said`` holds the value paths reported already (for the clauses of one contract):
    each is reported once, and those reported now are added.
    """
    found: list[Diagnostic] = []
    for path, condition in template.requirements:
        if condition is not None and not holds(condition, context):
            continue
        value = _lookup(context, path)
        if value not in (None, "", [], {}):
            continue
        if said is not None:
            if path in said:
                continue
            said.add(path)
        root, _, rest = path.partition(".")
        keys = tuple(rest.split(".")) if rest else ()
        where = field_location(root, keys, e, workspace, meeting_source, context["doc"].id)
        name = where.path.rsplit("/", 1)[-1]
        exists = (workspace.root / where.path).exists()
        field = _as_written(root, keys) or path
        found.append(
            where.diagnostic(
                "error",
                "document-field-missing",
                msg(
                    "%(document)s needs %(field)s, which this file does not give",
                    document=template.header.title or template.name,
                    field=field,
                )
                if exists
                else msg(
                    "%(document)s needs %(field)s, but %(file)s does not exist",
                    document=template.header.title or template.name,
                    field=field,
                    file=name,
                ),
                (
                    msg("required by the template %(path)s", path=template.path)
                    if exists
                    else msg(
                        "create %(file)s with %(key)s; required by the template %(path)s",
                        file=where.path,
                        key=path.rsplit(".", 1)[-1],
                        path=template.path,
                    )
                ),
            )
        )
    return found


def holds(condition: Any, context: dict[str, Any]) -> bool:
    """Whether a requirement's ``if`` holds; one that reads into a missing value does not."""
    try:
        return bool(condition(**context))
    except jinja2.UndefinedError:
        return False


def _as_written(root: str, keys: tuple[str, ...]) -> str:
    """The value ``root.keys…`` named as its key stands in its file (``organization.address``)."""
    if root == "org":
        return ".".join(("organization", *keys))
    if root not in _HOMES:
        return ""
    return ".".join((*_HOMES[root][1], *keys))


def field_location(
    root: str,
    keys: tuple[str, ...],
    e: Engagement,
    workspace: Workspace,
    meeting_source: Sourced[Meeting] | None,
    doc_id: str,
) -> Location:
    """Where the context value ``root.keys…`` is written: its file, line and column."""
    if root == "org":
        return workspace.source_map.locate(("organization", *keys))
    if root == "meeting" and meeting_source is not None:
        return meeting_source.at(*keys)
    if root in ("doc", "revisions"):
        record = e.documents.get(doc_id)
        if record is None:
            return Location(f"{e.rel}/documents/{doc_id}.md")
        path = keys if root == "doc" else ("revisions", *keys)
        return record.at(*(int(k) if k.isdigit() else k for k in path))
    file, prefix = _HOMES.get(root, ("index.md", (root,)))
    # each of an engagement's files is loaded into the attribute named as its stem
    sourced: Any = getattr(e, file.removesuffix(".md"), None)
    if sourced is None:
        return Location(f"{e.rel}/{file}")
    return sourced.at(*prefix, *(int(k) if k.isdigit() else k for k in keys))  # type: ignore[no-any-return]
