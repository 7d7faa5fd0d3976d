"""Evaluate the process's rules (gates, invariants, policies) against one engagement.

A rule yields `Unmet` findings — where, what, and whose — and knows nothing of
severity: the caller decides whether an unmet rule is an error (a gate the engagement
has passed), a warning (a policy) or a to-do (the gate of the current stage).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from docgen.core.diagnostics import Diagnostic, Location, Severity
from docgen.core.i18n import Message, msg
from docgen.domain import vocabulary
from docgen.domain.model import DOCUMENT_STATUS_ORDER, ItemState, StageFile
from docgen.domain.process import (
    DocumentsArchived,
    DocumentStatus,
    DocumentsVersioned,
    FieldsPresent,
    HighRisksHandled,
    ItemsBefore,
    ItemsDone,
    KpisWithTargets,
    NotSigned,
    OwnersNamed,
    PlanWithOwners,
    Process,
    RequiredItems,
    Rule,
)
from docgen.domain.terms import archived_state, archived_states, current_term
from docgen.workspace.load import Engagement, Sourced


@dataclass(frozen=True, slots=True)
class Unmet:
    """One reason a rule does not hold."""

    where: Location
    message: str
    owner: str | None = None


def item_state(
    engagement: Engagement, process: Process, item_id: str, this_term: bool = False
) -> tuple[Sourced[StageFile] | None, ItemState | None]:
    """The stage file an item belongs in, and the item's state there (None if absent).

    An item re-opened by a renewal and not done again counts with its state of the term
    it was done in, unless ``this_term`` (the next renewal's gate) asks for this term's.
    """
    stage, _, _ = process.items[item_id]
    file = engagement.stages.get(stage.id)
    if file is None:
        return None, None
    state = file.data.checklist.get(item_id)
    if not this_term and not is_done(state) and not is_waived(state) and engagement.index:
        state = archived_state(engagement.index.data, item_id) or state
    return file, state


def is_done(state: ItemState | None) -> bool:
    """Whether the item is marked done."""
    return state is not None and state.done is not None


def is_waived(state: ItemState | None) -> bool:
    """Whether the item is waived with a written reason."""
    return state is not None and isinstance(state.waived, str) and bool(state.waived.strip())


def _item_where(engagement: Engagement, process: Process, item_id: str) -> Location:
    file, _ = item_state(engagement, process, item_id)
    if file is not None:
        return file.at("checklist", item_id) if item_id in file.data.checklist else file.at()
    if engagement.index is not None:
        return engagement.index.at("stage")
    return Location(f"{engagement.rel}/index.md")


def _item_unmet(
    engagement: Engagement,
    process: Process,
    item_id: str,
    allow_waiver: bool,
    this_term: bool = False,
) -> Unmet | None:
    _, state = item_state(engagement, process, item_id, this_term)
    if is_done(state) or (allow_waiver and is_waived(state)):
        return None
    stage, _, item = process.items[item_id]
    if state is None and engagement.stages.get(stage.id) is None:
        why = msg("is not recorded (%(file)s is missing)", file=stage.file)
    elif is_waived(state) and not allow_waiver:
        why = msg("is waived, but this rule does not accept a waiver")
    else:
        why = msg("is not done")
    return Unmet(
        _item_where(engagement, process, item_id),
        msg("'%(title)s' %(why)s", title=item.title, why=why),
        state.owner if state else None,
    )


def _required_items(rule: RequiredItems, ctx: Context) -> Iterator[Unmet]:
    stage_id = rule.stage or ctx.stage_id
    origin = ctx.engagement.index.data.origin if ctx.engagement.index else None
    for item_id in ctx.process.stage_items(stage_id):
        if ctx.process.items[item_id][2].required and ctx.process.item_applies(item_id, origin):
            unmet = _item_unmet(
                ctx.engagement, ctx.process, item_id, allow_waiver=True, this_term=ctx.this_term
            )
            if unmet:
                yield unmet


def _items_done(rule: ItemsDone, ctx: Context) -> Iterator[Unmet]:
    for item_id in rule.items:
        unmet = _item_unmet(ctx.engagement, ctx.process, item_id, rule.allow_waiver, ctx.this_term)
        if unmet:
            yield unmet


def _trigger_date(rule: ItemsBefore, ctx: Context) -> tuple[date, Location] | None:
    e = ctx.engagement
    if rule.before.item:
        file, state = item_state(e, ctx.process, rule.before.item)
        if file is not None and state is not None and state.done is not None:
            return state.done, file.at("checklist", rule.before.item, "done")
        return None
    if rule.before.document:
        doc = e.documents.get(rule.before.document)
        wanted = DOCUMENT_STATUS_ORDER.index(rule.before.status or "signed")
        if doc and DOCUMENT_STATUS_ORDER.index(doc.data.status) >= wanted:
            when = doc.data.signed or max((a.date for a in doc.data.approvals), default=ctx.today)
            return when, doc.at("status")
    return None


def _items_before(rule: ItemsBefore, ctx: Context) -> Iterator[Unmet]:
    trigger = _trigger_date(rule, ctx)
    if trigger is None:
        return
    when, where = trigger
    for item_id in rule.items:
        _, state = item_state(ctx.engagement, ctx.process, item_id)
        if ctx.engagement.index is not None and state is not None and state.done is not None:
            # an item re-opened by a renewal and done again later: its first term's record
            earlier = [s for s in archived_states(ctx.engagement.index.data, item_id) if s.done]
            state = min([state, *earlier], key=lambda s: s.done or when)
        title = ctx.process.items[item_id][2].title
        if state is None or state.done is None:
            yield Unmet(
                where,
                msg(
                    "signed on %(when)s but '%(title)s' is not done",
                    when=when,
                    title=title,
                ),
            )
        elif state.done > when:
            yield Unmet(
                where,
                msg(
                    ("signed on %(when)s but '%(title)s' was done later, on %(done)s"),
                    when=when,
                    title=title,
                    done=state.done,
                ),
            )


def _high_risks(rule: HighRisksHandled, ctx: Context) -> Iterator[Unmet]:
    risks = ctx.engagement.risks
    if risks is None:
        return
    threshold = ctx.process.risk.high_threshold
    for i, risk in enumerate(risks.data.risks):
        if risk.score < threshold or risk.status == "closed":
            continue
        missing = [
            name
            for name, ok in (
                (msg("owner"), bool(risk.owner)),
                (msg("response plan"), bool(risk.response)),
                (msg("escalation date (escalated)"), risk.escalated is not None),
            )
            if not ok
        ]
        if missing:
            yield Unmet(
                risks.at("risks", i),
                msg(
                    "high risk '%(id)s' (%(title)s, %(probability)s×%(impact)s=%(score)s ≥ "
                    "%(threshold)s) has no %(missing)s",
                    id=risk.id,
                    title=risk.title,
                    probability=risk.probability,
                    impact=risk.impact,
                    score=risk.score,
                    threshold=threshold,
                    missing=missing,
                ),
                risk.owner,
            )


def _too_few(
    ctx: Context, file: Sourced[Any] | None, name: str, count: int, needed: int, what: Message
) -> Unmet:
    """Too few entries in ``name``: at its top, or at the file itself when it is missing."""
    if file is None:
        where = Location(f"{ctx.engagement.rel}/{name}")
        return Unmet(
            where,
            msg(
                "%(name)s does not exist; at least %(needed)s %(what)s needed",
                name=name,
                needed=needed,
                what=what,
            ),
        )
    return Unmet(
        file.at(),
        msg(
            ("%(name)s holds %(count)s %(what)s; at least %(needed)s needed"),
            name=name,
            count=count,
            what=what,
            needed=needed,
        ),
    )


def _kpis(rule: KpisWithTargets, ctx: Context) -> Iterator[Unmet]:
    kpis = ctx.engagement.kpis
    listed = kpis.data.kpis if kpis else []
    if len(listed) < rule.min:
        yield _too_few(ctx, kpis, "kpis.md", len(listed), rule.min, msg("KPI(s)"))
    for i, kpi in enumerate(listed):
        if kpi.target is None and kpis is not None:
            yield Unmet(
                kpis.at("kpis", i),
                msg("KPI '%(id)s' (%(metric)s) has no target", id=kpi.id, metric=kpi.metric),
            )


def _plan(rule: PlanWithOwners, ctx: Context) -> Iterator[Unmet]:
    plan = ctx.engagement.plan
    tasks = plan.data.tasks if plan else []
    if len(tasks) < rule.min_tasks:
        yield _too_few(ctx, plan, "plan.md", len(tasks), rule.min_tasks, msg("task(s)"))
    for i, task in enumerate(tasks):
        missing = [f for f in rule.fields if not getattr(task, f)]
        if missing and plan is not None and task.status != "cancelled":
            yield Unmet(
                plan.at("tasks", i),
                msg(
                    "task '%(id)s' (%(title)s) has no %(missing)s",
                    id=task.id,
                    title=task.title,
                    missing=missing,
                ),
                task.owner,
            )


def _field(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = getattr(data, part, None)
        if data is None:
            return None
    return data


def _fields(rule: FieldsPresent, ctx: Context) -> Iterator[Unmet]:
    index = ctx.engagement.index
    if index is None:
        return
    for dotted in rule.fields:
        value = _field(index.data, dotted)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            parent = tuple(dotted.split(".")[:-1])
            yield Unmet(index.at(*parent), msg("'%(dotted)s' is not filled in", dotted=dotted))


def _document_status(rule: DocumentStatus, ctx: Context) -> Iterator[Unmet]:
    doc = ctx.engagement.documents.get(rule.document)
    title = ctx.document_title(rule.document)
    if doc is None:
        yield Unmet(
            ctx.index_where("stage"),
            msg(
                "%(title)s has no record yet (documents/%(document)s.md); it must be %(status)s",
                document=rule.document,
                title=title,
                status=vocabulary.label(vocabulary.DOC_STATUS, rule.status),
            ),
        )
    elif (
        ctx.this_term
        and rule.status == "signed"
        and doc.data.status == "signed"
        and ctx.engagement.index is not None
        and (start := current_term(ctx.engagement.index.data).start) is not None
        and (doc.data.signed is None or doc.data.signed < start)
    ):
        yield Unmet(
            doc.at("status"),
            msg(
                "%(title)s was signed for an earlier term (%(signed)s); the new term needs "
                "a new version signed",
                title=title,
                signed=doc.data.signed or "—",
            ),
        )
    elif DOCUMENT_STATUS_ORDER.index(doc.data.status) < DOCUMENT_STATUS_ORDER.index(rule.status):
        yield Unmet(
            doc.at("status"),
            msg(
                "%(title)s is %(status)s; it must be %(status2)s",
                title=title,
                status=vocabulary.label(vocabulary.DOC_STATUS, doc.data.status),
                status2=vocabulary.label(vocabulary.DOC_STATUS, rule.status),
            ),
        )


def _not_signed(rule: NotSigned, ctx: Context) -> Iterator[Unmet]:
    doc = ctx.engagement.documents.get(rule.document)
    if doc is not None and doc.data.status == "signed":
        yield Unmet(
            doc.at("status"),
            msg(
                "%(title)s is signed: a signed cooperation ends with 'docgen terminate'",
                title=ctx.document_title(rule.document),
            ),
        )


def _owners(rule: OwnersNamed, ctx: Context) -> Iterator[Unmet]:
    e = ctx.engagement
    for stage_file in e.stages.values():
        for item_id, state in stage_file.data.checklist.items():
            if state and state.due and not state.owner and not is_done(state):
                yield Unmet(
                    stage_file.at("checklist", item_id),
                    msg("'%(item_id)s' has a due date but no owner", item_id=item_id),
                )
    if e.plan:
        for i, task in enumerate(e.plan.data.tasks):
            if not task.owner and task.status not in ("done", "cancelled"):
                yield Unmet(e.plan.at("tasks", i), msg("task '%(id)s' has no owner", id=task.id))
    if e.risks:
        for i, risk in enumerate(e.risks.data.risks):
            if not risk.owner and risk.status != "closed":
                yield Unmet(e.risks.at("risks", i), msg("risk '%(id)s' has no owner", id=risk.id))


def _archived(rule: DocumentsArchived, ctx: Context) -> Iterator[Unmet]:
    passed = {s.id for s in ctx.process.stages[: ctx.process.stage_index.get(ctx.current, 0)]}
    for doc in ctx.process.documents:
        if doc.archive and doc.stage in passed and doc.id not in ctx.engagement.documents:
            yield Unmet(
                ctx.index_where("stage"),
                msg(
                    (
                        "%(stage)s is passed but %(title)s (documents/%(id)s.md) is not "
                        "archived: record its approval with docgen approve %(engagement)s "
                        "%(title)s --by NAME"
                    ),
                    stage=ctx.process.stages[ctx.process.stage_index[doc.stage]].title,
                    id=doc.id,
                    title=doc.title,
                    engagement=ctx.engagement.id,
                ),
            )


def _versioned(rule: DocumentsVersioned, ctx: Context) -> Iterator[Unmet]:
    for doc_id, doc in ctx.engagement.documents.items():
        if doc.data.status in ("approved", "signed"):
            if not doc.data.version:
                yield Unmet(
                    doc.at("status"),
                    msg(
                        "%(doc_id)s is %(status)s but has no version",
                        doc_id=doc_id,
                        status=doc.data.status,
                    ),
                )
            if not doc.data.approvals:
                yield Unmet(
                    doc.at("status"),
                    msg(
                        "%(doc_id)s is %(status)s but records no approval",
                        doc_id=doc_id,
                        status=doc.data.status,
                    ),
                )


@dataclass(slots=True)
class Context:
    """What a rule sees: the engagement, the process, today, and the stage it guards."""

    engagement: Engagement
    process: Process
    today: date
    stage_id: str
    current: str
    #: a renewal's gate: re-opened items count only when done in the current term
    this_term: bool = False

    def index_where(self, *loc: str) -> Location:
        """A location in index.md (its top if index.md failed to load)."""
        e = self.engagement
        return e.index.at(*loc) if e.index else Location(f"{e.rel}/index.md")

    def document_title(self, doc_id: str) -> str:
        """The title of a document kind."""
        return next((d.title for d in self.process.documents if d.id == doc_id), doc_id)


_EVALUATORS: dict[type[Any], Callable[[Any, Context], Iterator[Unmet]]] = {
    RequiredItems: _required_items,
    ItemsDone: _items_done,
    ItemsBefore: _items_before,
    HighRisksHandled: _high_risks,
    KpisWithTargets: _kpis,
    PlanWithOwners: _plan,
    FieldsPresent: _fields,
    DocumentStatus: _document_status,
    NotSigned: _not_signed,
    OwnersNamed: _owners,
    DocumentsArchived: _archived,
    DocumentsVersioned: _versioned,
}


def unmet(rule: Rule, ctx: Context) -> list[Unmet]:
    """Every reason ``rule`` does not hold for the engagement in ``ctx``."""
    return list(_EVALUATORS[type(rule)](rule, ctx))


def diagnose(
    rules: list[Rule],
    ctx: Context,
    severity: Severity,
    code: str,
    prefix: str = "",
    seen: set[tuple[Location, str]] | None = None,
) -> Iterator[Diagnostic]:
    """Each unmet reason of ``rules`` as a diagnostic (the rule's own code, else ``code``).

    A reason two rules share (an item both required and named by ``items_done``) is
    said once; pass the same ``seen`` set to several calls to say it once across them.
    """
    seen = set() if seen is None else seen
    for rule in rules:
        for miss in unmet(rule, ctx):
            if (miss.where, miss.message) in seen:
                continue
            seen.add((miss.where, miss.message))
            why = f"{rule.message}: " if rule.message else ""
            yield miss.where.diagnostic(
                severity,
                rule.code or code,
                msg("%(prefix)s%(why)s%(message)s", prefix=prefix, why=why, message=miss.message),
                (msg("owner %(owner)s", owner=miss.owner) if miss.owner else msg("")),
            )
