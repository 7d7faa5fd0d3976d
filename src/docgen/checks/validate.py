"""Validation: every check docgen makes on a loaded portfolio, as diagnostics."""

from __future__ import annotations

import functools
import itertools
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docgen.checks.rules import diagnose
from docgen.core import periods
from docgen.core.diagnostics import Diagnostic, Location, Severity, sort_key
from docgen.core.i18n import msg
from docgen.core.paths import is_inside
from docgen.core.schema import did_you_mean
from docgen.documents.frozen import signed_structure
from docgen.documents.parties import known_sides
from docgen.documents.requirements import DocumentCheck
from docgen.domain import amounts, vocabulary
from docgen.domain.credit_code import check_credit_code
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import CLOSED_STATUSES, ItemState, PlanFile, StageFile
from docgen.domain.process import Process
from docgen.domain.rules import Context, Rule, is_done, is_waived, item_state
from docgen.workspace.findings import FindingsCache
from docgen.workspace.load import (
    SLUG,
    CodeUse,
    Portfolio,
    engagement_codes,
    engagement_folders,
    load_engagement,
    load_folders,
    load_portfolio,
    open_portfolio,
    select_folders,
)

_FULLWIDTH_SEPARATOR = re.compile("[，、；]")
_MEETING = re.compile(r"^(\d{4}-\d{2}-\d{2})-[a-z0-9][a-z0-9-]*\.md$")


#: Below this many engagements a second process costs more than it saves.
PARALLEL_MIN = 100


@dataclass(slots=True)
class Report:
    """The outcome of validating a workspace."""

    diagnostics: list[Diagnostic]
    engagements: int


def validate(
    root: Path | None = None, only: list[str] | None = None, jobs: int | None = None
) -> Report:
    """Validate the workspace at ``root``, fanning out over ``jobs`` processes when large.

    Each process loads and checks its share of the engagements; only diagnostics come
    back, so nothing heavy crosses a process boundary.  Portfolio-wide checks (duplicate
    codes, ids differing in case) run once over what the shares report.
    """
    workspace, process = open_portfolio(root)
    folders = select_folders(workspace, only)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(folders) // PARALLEL_MIN or 1))
    today = workspace.today()
    shares = [folders[i::jobs] for i in range(jobs)]
    if jobs == 1:
        results = [_check_share(load_folders(workspace, process, folders), today)]
    else:
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        )
        with ProcessPoolExecutor(jobs - 1, mp_context=context) as pool:
            futures = [
                pool.submit(_validate_share, workspace.root, [f.name for f in share], today)
                for share in shares[1:]
            ]
            # the workers start first; this process checks its own share meanwhile
            own = _check_share(load_folders(workspace, process, shares[0]), today)
            results = [own] + [f.result() for f in futures]
    diagnostics = [d for share, _ in results for d in share]
    folder_rels = [(f.name, workspace.rel(f)) for f in folders]
    codes = [c for _, share_codes in results for c in share_codes]
    others: list[CodeUse] = []
    if only is not None:  # a code or a name is taken by engagements not checked here too
        chosen = {f.name for f in folders}
        rest = [f for f in engagement_folders(workspace) if f.name not in chosen]
        others = engagement_codes(workspace, rest)
        folder_rels += [(f.name, workspace.rel(f)) for f in rest]
    diagnostics += _portfolio_checks(codes, folder_rels, others, {f.name for f in folders})
    return Report(sorted(set(diagnostics), key=sort_key), len(folders))


def _validate_share(
    root: Path, names: list[str], today: date
) -> tuple[list[Diagnostic], list[CodeUse]]:
    """A worker's share: load the named engagements and check each."""
    return _check_share(load_portfolio(root, names), today)


def _check_share(
    portfolio: Portfolio, today: date, documents: bool = True
) -> tuple[list[Diagnostic], list[CodeUse]]:
    diagnostics = list(portfolio.diagnostics)
    check = DocumentCheck(portfolio.workspace, portfolio.process) if documents else None
    cache = FindingsCache(portfolio.workspace, portfolio.process, today, documents=documents)

    def findings(e: Engagement) -> list[Diagnostic]:
        found = list(check_engagement(e, portfolio, today))
        if check is not None and e.index is not None and not e.broken:
            found.extend(check.check(e, today))
        return found

    for engagement in portfolio.engagements:
        diagnostics.extend(cache.findings(engagement, functools.partial(findings, engagement)))
    cache.save()
    return diagnostics, _code_uses(portfolio)


def validate_portfolio(
    portfolio: Portfolio, today: date | None = None, *, documents: bool = True
) -> list[Diagnostic]:
    """All diagnostics for a loaded portfolio: loading problems and every check.

    ``documents`` checks that each document the engagements have reached has the values
    its template requires (``render`` turns it off: it checks each document it makes).
    """
    diagnostics, codes = _check_share(portfolio, today or portfolio.workspace.today(), documents)
    folder_rels = [(e.id, e.rel) for e in portfolio.engagements]
    return sorted(set(diagnostics) | set(_portfolio_checks(codes, folder_rels)), key=sort_key)


def check_engagement(e: Engagement, portfolio: Portfolio, today: date) -> Iterator[Diagnostic]:
    """Every check of one engagement.

    A cooperation that ended (terminated, completed, lost) has nothing due: what it left
    open is no one's to do, so nothing of it is reported overdue.
    """
    closed = e.index is not None and e.index.data.status in CLOSED_STATUSES
    for found in _every_check(e, portfolio, today):
        if not (closed and found.code == "overdue"):
            yield found


def _every_check(e: Engagement, portfolio: Portfolio, today: date) -> Iterator[Diagnostic]:
    process = portfolio.process
    if not SLUG.match(e.id):
        yield Location(f"{e.rel}/index.md").diagnostic(
            "error",
            "unsafe-slug",
            msg("engagement folder '%(id)s' is not an ASCII slug", id=e.id),
            msg(
                "use lower-case letters, digits and '-', e.g. "
                "2026-007-huaxin-storage; the Chinese name goes in 'title'"
            ),
        )
    yield from _index(e, process, today)
    root = portfolio.workspace.root
    for stage_id, stage_file in e.stages.items():
        yield from _checklist(e, stage_id, stage_file, process, today, root)
    yield from _risks(e, process)
    yield from _kpis(e, today)
    yield from _applicants(e, process)
    yield from _plan(e, process, today)
    yield from _meetings(e, today)
    yield from _documents(e, process, today)
    yield from _survey(e, process)
    if e.index is not None and not e.broken and e.index.data.stage in process.stage_index:
        yield from _gates(e, process, today)


def _index(e: Engagement, process: Process, today: date) -> Iterator[Diagnostic]:
    if e.index is None:
        return
    idx, data = e.index, e.index.data
    if data.stage not in process.stage_index:
        yield idx.at("stage").diagnostic(
            "error",
            "unknown-stage",
            msg("unknown stage '%(stage)s'", stage=data.stage),
            process.aliases.hint("stage", data.stage),
        )
    modes = {m.id for m in process.modes}
    if data.mode not in modes:
        yield idx.at("mode").diagnostic(
            "error",
            "unknown-mode",
            msg("unknown cooperation mode '%(mode)s'", mode=data.mode),
            process.aliases.hint("mode", data.mode),
        )
    yield from _implied_ratio(e)
    yield from _project(e)
    yield from _licence_annex(e)
    yield from _registered_capital(e)
    yield from _cited_articles(e)
    yield from _amendments(e)
    yield from _other_parties(e)
    sides = known_sides(data, process)
    if data.terms.we_are is not None and data.terms.we_are.strip().casefold() not in {
        s.casefold() for s in [*sides, "a", "b", "party a", "party b"]
    }:
        yield idx.at("terms", "we_are").diagnostic(
            "error",
            "invalid-value",
            msg("we_are: '%(side)s' is not a side of this agreement", side=data.terms.we_are),
            msg("expected one of: %(choices)s", choices="、".join(sides)),
        )
    if data.origin is not None and data.origin not in {o.id for o in process.origins}:
        yield idx.at("origin").diagnostic(
            "error",
            "invalid-value",
            msg("unknown origin of a lead '%(origin)s'", origin=data.origin),
            process.aliases.hint("origin", data.origin),
        )
    if data.partner.credit_code:
        finding = check_credit_code(data.partner.credit_code)
        if finding:
            yield idx.at("partner", "credit_code").diagnostic(
                finding.severity, finding.code, finding.message, finding.hint
            )
    for key in ("team", "tags"):
        for i, entry in enumerate(getattr(data, key)):
            if _FULLWIDTH_SEPARATOR.search(entry):
                parts = [p.strip() for p in _FULLWIDTH_SEPARATOR.split(entry) if p.strip()]
                yield idx.at(key, i).diagnostic(
                    "warning",
                    "invalid-value",
                    msg(
                        (
                            "'%(key)s' holds '%(entry)s' as one entry; the '，' or '、' "
                            "does not separate a YAML list"
                        ),
                        key=key,
                        entry=entry,
                    ),
                    msg(
                        "separate with ASCII commas: %(key)s: [%(parts)s]",
                        key=key,
                        parts=", ".join(parts),
                    ),
                )
    d = data.dates
    order = [
        ("opened", d.opened),
        ("signed", d.signed),
        ("kickoff", d.kickoff),
        ("closed", d.closed),
    ]
    present = [(n, v) for n, v in order if v is not None]
    for (n1, v1), (n2, v2) in itertools.pairwise(present):
        if v2 < v1:
            yield idx.at("dates", n2).diagnostic(
                "error",
                "date-order",
                msg(
                    "dates.%(n2)s (%(v2)s) is before dates.%(n1)s (%(v1)s)",
                    n2=n2,
                    v2=v2,
                    n1=n1,
                    v1=v1,
                ),
            )
    for n, v in present:
        if v > today and n != "kickoff":
            yield idx.at("dates", n).diagnostic(
                "error",
                "done-in-future",
                msg("dates.%(n)s is %(v)s, after today (%(today)s)", n=n, v=v, today=today),
            )
    split = data.terms.profit_split
    if split and abs(split.us + split.partner - 100) > 1e-6:
        yield idx.at("terms", "profit_split").diagnostic(
            "error",
            "invalid-value",
            msg(
                "profit split adds up to %(value)s%%, not 100%%",
                value=format(split.us + split.partner, "g"),
            ),
        )
    t = data.terms
    if t.start and t.end and t.end < t.start:
        yield idx.at("terms", "end").diagnostic(
            "error",
            "date-order",
            msg("terms.end (%(end)s) is before terms.start (%(start)s)", end=t.end, start=t.start),
        )
    dr = t.dispute_resolution
    if dr and dr.method == "arbitration" and not dr.institution:
        yield idx.at("terms", "dispute_resolution").diagnostic(
            "error",
            "missing-key",
            msg("arbitration needs 'institution' (仲裁机构)"),
            msg("name it now to avoid delays later, e.g. 上海国际仲裁中心"),
        )
    if data.status in ("terminated", "completed", "lost") and d.closed is None:
        yield idx.at("status").diagnostic(
            "warning",
            "missing-key",
            msg("status is %(status)s but dates.closed is not set", status=data.status),
        )
    if data.status == "lost" and not data.lost_reason:
        yield idx.at("status").diagnostic(
            "warning",
            "missing-key",
            msg("a lost lead needs its lost_reason: why it closed is what the team learns from"),
        )


def _checklist(
    e: Engagement,
    stage_id: str,
    stage_file: Sourced[StageFile],
    process: Process,
    today: date,
    root: Path,
) -> Iterator[Diagnostic]:
    stage_ids = set(process.stage_items(stage_id))
    for item_id, state in stage_file.data.checklist.items():
        known = process.items.get(item_id)
        if known is None:
            yield stage_file.at("checklist", item_id).diagnostic(
                "error",
                "unknown-item",
                msg("unknown checklist item '%(item_id)s'", item_id=item_id),
                did_you_mean(item_id, stage_ids) or did_you_mean(item_id, process.items),
            )
            continue
        if item_id not in stage_ids:
            yield stage_file.at("checklist", item_id).diagnostic(
                "error",
                "item-wrong-stage",
                msg(
                    "'%(item_id)s' belongs to stage '%(id)s' (%(title)s)",
                    item_id=item_id,
                    id=known[0].id,
                    title=known[0].title,
                ),
                msg("move it to %(file)s", file=known[0].file),
            )
        if state is not None:
            yield from _item(stage_file, item_id, known[2].title, state, today, e, root)
            if known[2].evidence and is_done(state) and not state.evidence:
                yield stage_file.at("checklist", item_id, "done").diagnostic(
                    "error",
                    "evidence-missing",
                    msg(
                        (
                            "'%(title)s' is done without evidence; the process requires "
                            "evidence for it"
                        ),
                        title=known[2].title,
                    ),
                    msg(
                        "name it: docgen done %(engagement)s '%(title)s' --evidence %(example)s "
                        "(a document's name, or a file's path)",
                        engagement=e.id,
                        title=known[2].title,
                        example=next(
                            (
                                process.document_kinds[d].title
                                for d in known[1].documents
                                if d in process.document_kinds
                            ),
                            "documents/…pdf",
                        ),
                    ),
                )


def _item(
    stage_file: Sourced[StageFile],
    item_id: str,
    title: str,
    state: ItemState,
    today: date,
    e: Engagement,
    root: Path,
) -> Iterator[Diagnostic]:
    at = stage_file.at
    if state.waived is None and ("checklist", item_id, "waived") in stage_file.source_map.lines:
        yield at("checklist", item_id, "waived").diagnostic(
            "error",
            "item-state",
            msg(
                ("'%(item_id)s' has an empty 'waived:'; the item counts as not done"),
                item_id=item_id,
            ),
            msg("write the reason after it (waived: 不适用——……), or delete the line"),
        )
    if state.waived is True or (isinstance(state.waived, str) and not state.waived.strip()):
        yield at("checklist", item_id, "waived").diagnostic(
            "error",
            "item-state",
            msg("'%(item_id)s' is waived without a reason", item_id=item_id),
            msg("write the reason: waived: 不适用——……"),
        )
    if is_done(state) and is_waived(state):
        yield at("checklist", item_id).diagnostic(
            "error",
            "item-state",
            msg("'%(item_id)s' is both done and waived; keep one", item_id=item_id),
        )
    if state.done and state.done > today:
        yield at("checklist", item_id, "done").diagnostic(
            "error",
            "done-in-future",
            msg(
                ("'%(item_id)s' is marked done on %(done)s, after today (%(today)s)"),
                item_id=item_id,
                done=state.done,
                today=today,
            ),
            msg("record the date it was actually done"),
        )
    if state.due and state.due < today and not is_done(state) and not is_waived(state):
        owner = msg(" (owner %(owner)s)", owner=state.owner) if state.owner else ""
        yield at("checklist", item_id, "due").diagnostic(
            "warning",
            "overdue",
            msg(
                "'%(title)s' was due %(due)s and is not done%(owner)s",
                title=title,
                due=state.due,
                owner=owner,
            ),
        )
    links = state.evidence
    if isinstance(links, str):
        yield from _evidence(links, e, root, at("checklist", item_id, "evidence"))
    else:
        for i, link in enumerate(links or []):
            yield from _evidence(link, e, root, at("checklist", item_id, "evidence", i))


def _evidence(link: str, e: Engagement, root: Path, where: Location) -> Iterator[Diagnostic]:
    if "://" in link or link.startswith("mailto:"):
        return
    # normpath, not resolve(): no symlink look-ups for thousands of links
    target = os.path.normpath(os.path.join(e.folder, link.split("#", 1)[0]))
    if not target.startswith(os.path.join(os.path.normpath(root), "")):
        yield where.diagnostic(
            "error",
            "evidence-missing",
            msg("evidence '%(link)s' points outside the workspace", link=link),
        )
    elif not os.path.exists(target):
        yield where.diagnostic(
            "error",
            "evidence-missing",
            msg("evidence '%(link)s' does not exist", link=link),
            msg("paths are relative to %(rel)s/", rel=e.rel),
        )


def _duplicates(ids: list[str], file: Sourced[Any], key: str, what: str) -> Iterator[Diagnostic]:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            yield file.at(key, i).diagnostic(
                "error", "duplicate-id", msg("%(what)s id '%(id)s' is used twice", what=what, id=x)
            )
        seen.add(x)


def _risks(e: Engagement, process: Process) -> Iterator[Diagnostic]:
    if e.risks is None:
        return
    categories = {c.id for c in process.risk.categories}
    risks = e.risks.data.risks
    yield from _duplicates([r.id for r in risks], e.risks, "risks", "risk")
    for i, r in enumerate(risks):
        if r.category not in categories:
            yield e.risks.at("risks", i, "category").diagnostic(
                "error",
                "unknown-category",
                msg("unknown risk category '%(category)s'", category=r.category),
                process.aliases.hint("category", r.category),
            )
        if r.escalated_to and r.escalated is None:
            yield e.risks.at("risks", i, "escalated_to").diagnostic(
                "error",
                "missing-key",
                msg("risk '%(id)s' names escalated_to but no escalated date", id=r.id),
            )


def _applicants(e: Engagement, process: Process) -> Iterator[Diagnostic]:
    """The call's applicants: ids, credit codes, scores on the process's criteria."""
    file = e.applicants
    if file is None:
        return
    applicants = file.data.applicants
    yield from _duplicates([a.id for a in applicants], file, "applicants", "applicant")
    screening = process.screening
    if screening is None:
        yield file.at().diagnostic(
            "warning",
            "process",
            msg("the process file defines no screening criteria to score the applicants on"),
        )
    criteria = {c.id: c for c in screening.criteria} if screening else {}
    for i, a in enumerate(applicants):
        if a.credit_code:
            finding = check_credit_code(a.credit_code)
            if finding is not None:
                yield file.at("applicants", i, "credit_code").diagnostic(
                    finding.severity, finding.code, finding.message, finding.hint
                )
        for key, score in a.scores.items():
            where = file.at("applicants", i, "scores", key)
            if screening is None:
                continue
            if key not in criteria:
                yield where.diagnostic(
                    "error",
                    "invalid-value",
                    msg("'%(key)s' is not a screening criterion", key=key),
                    did_you_mean(key, criteria),
                )
            elif not 0 <= score <= criteria[key].scale:
                yield where.diagnostic(
                    "error",
                    "invalid-value",
                    msg(
                        "%(criterion)s is scored 0 to %(scale)s, not %(score)s",
                        criterion=criteria[key].title,
                        scale=criteria[key].scale,
                        score=f"{score:g}",
                    ),
                )
    chosen = file.data.chosen
    if chosen is not None and chosen not in {a.id for a in applicants}:
        yield file.at("chosen").diagnostic(
            "error",
            "unknown-reference",
            msg("chosen applicant '%(id)s' is not among the applicants", id=chosen),
            did_you_mean(chosen, [a.id for a in applicants]),
        )


def _kpis(e: Engagement, today: date) -> Iterator[Diagnostic]:
    if e.kpis is None:
        return
    yield from _duplicates([k.id for k in e.kpis.data.kpis], e.kpis, "kpis", "KPI")
    if e.index is None or e.index.data.status not in ("active", "renewed"):
        return
    began = e.index.data.dates.kickoff or e.index.data.dates.signed
    for i, kpi in enumerate(e.kpis.data.kpis):
        if kpi.frequency not in periods.MONTHS:
            continue
        recorded = sorted(p for p in kpi.actuals if periods.bounds(p) is not None)
        start = (
            recorded[0]
            if recorded
            else (periods.period_of(began, kpi.frequency) if began else None)
        )
        if start is None:
            continue
        missing = [
            p for p in periods.periods_between(start, today, kpi.frequency) if p not in kpi.actuals
        ]
        if missing:
            yield e.kpis.at("kpis", i).diagnostic(
                "warning",
                "kpi-actual-missing",
                msg(
                    "KPI '%(id)s' (%(metric)s) has no actual for %(periods)s, ended; it is "
                    "reported %(frequency)s",
                    id=kpi.id,
                    metric=kpi.metric,
                    periods=missing,
                    frequency=msg(vocabulary.FREQUENCY[kpi.frequency]),
                ),
                msg("record it under actuals, e.g. %(period)s: …", period=missing[-1]),
            )


def _linked_items(e: Engagement, process: Process, plan: Sourced[PlanFile]) -> Iterator[Diagnostic]:
    """A task that carries out a checklist item agrees with it: both done, or neither."""
    origin = e.index.data.origin if e.index is not None else None
    for i, task in enumerate(plan.data.tasks):
        if task.item is None:
            continue
        ids = process.items_named(task.item, origin)
        if not ids:
            yield plan.at("tasks", i, "item").diagnostic(
                "error",
                "unknown-reference",
                msg(
                    "task '%(id)s' carries out checklist item '%(item)s', which the process "
                    "does not have",
                    id=task.id,
                    item=task.item,
                ),
                msg("write an item's or a step's title as 'docgen status ID' shows it"),
            )
            continue
        for item_id in ids:
            file, state = item_state(e, process, item_id)
            if file is None:
                continue  # its stage is not reached yet
            item_closed = is_done(state) or is_waived(state)
            if task.closed == item_closed:
                continue
            title = process.items[item_id][2].title
            yield plan.at("tasks", i, "status" if task.closed else "item").diagnostic(
                "warning",
                "linked-disagree",
                msg(
                    "task '%(id)s' is done but the item it carries out, '%(item)s', is not",
                    id=task.id,
                    item=title,
                )
                if task.closed
                else msg(
                    "'%(item)s' is done but task '%(id)s', which carries it out, is not",
                    id=task.id,
                    item=title,
                ),
                msg(
                    "mark both with 'docgen done %(engagement)s %(title)s'",
                    engagement=e.id,
                    title=task.title,
                ),
            )


def _plan(e: Engagement, process: Process, today: date) -> Iterator[Diagnostic]:
    plan = e.plan
    if plan is None:
        return
    tasks = plan.data.tasks
    yield from _linked_items(e, process, plan)
    yield from _duplicates([t.id for t in tasks], plan, "tasks", "task")
    yield from _duplicates([m.id for m in plan.data.milestones], plan, "milestones", "milestone")
    ids = {t.id for t in tasks}
    for i, t in enumerate(tasks):
        for dep in t.depends_on:
            if dep not in ids:
                yield plan.at("tasks", i, "depends_on").diagnostic(
                    "error",
                    "unknown-reference",
                    msg("task '%(id)s' depends on unknown task '%(dep)s'", id=t.id, dep=dep),
                    did_you_mean(dep, ids),
                )
        if t.start and t.due and t.due < t.start:
            yield plan.at("tasks", i, "due").diagnostic(
                "error",
                "date-order",
                msg(
                    "task '%(id)s' is due (%(due)s) before it starts (%(start)s)",
                    id=t.id,
                    due=t.due,
                    start=t.start,
                ),
            )
        if t.done and t.done > today:
            yield plan.at("tasks", i, "done").diagnostic(
                "error",
                "done-in-future",
                msg("task '%(id)s' is marked done on %(done)s, after today", id=t.id, done=t.done),
            )
        if t.due and t.due < today and not t.done and t.status not in ("done", "cancelled"):
            yield plan.at("tasks", i, "due").diagnostic(
                "warning",
                "overdue",
                msg(
                    "task '%(id)s' (%(title)s) was due %(due)s (owner %(owner)s)",
                    id=t.id,
                    title=t.title,
                    due=t.due,
                    owner=t.owner or "—",
                ),
            )
    for i, m in enumerate(plan.data.milestones):
        if m.done and m.done > today:
            yield plan.at("milestones", i, "done").diagnostic(
                "error",
                "done-in-future",
                msg(
                    "milestone '%(id)s' is marked done on %(done)s, after today",
                    id=m.id,
                    done=m.done,
                ),
            )
        if m.due < today and not m.done:
            yield plan.at("milestones", i, "due").diagnostic(
                "warning",
                "overdue",
                msg(
                    "milestone '%(id)s' (%(title)s) was due %(due)s",
                    id=m.id,
                    title=m.title,
                    due=m.due,
                ),
            )


def _meetings(e: Engagement, today: date) -> Iterator[Diagnostic]:
    for m in e.meetings:
        name = m.path.rsplit("/", 1)[-1]
        match = _MEETING.match(name)
        if not match:
            yield m.at().diagnostic(
                "error",
                "meeting-file-name",
                msg("meeting file '%(name)s' is not named <YYYY-MM-DD>-<slug>.md", name=name),
            )
        elif match.group(1) != m.data.date.isoformat():
            yield m.at("date").diagnostic(
                "error",
                "meeting-file-name",
                msg(
                    "meeting date %(date)s differs from the file name's %(named)s",
                    date=m.data.date,
                    named=match.group(1),
                ),
            )
        for i, a in enumerate(m.data.actions):
            if a.due and a.due < today and not a.done:
                yield m.at("actions", i, "due").diagnostic(
                    "warning",
                    "overdue",
                    msg(
                        "action '%(task)s' was due %(due)s (owner %(owner)s)",
                        task=a.task,
                        due=a.due,
                        owner=a.owner or "—",
                    ),
                )


def _documents(e: Engagement, process: Process, today: date) -> Iterator[Diagnostic]:
    kinds = {d.id: d for d in process.documents}
    for doc_id, doc in e.documents.items():
        kind = kinds.get(doc_id)
        if kind is None:
            yield doc.at().diagnostic(
                "error",
                "unknown-document",
                msg("unknown document '%(doc_id)s'", doc_id=doc_id),
                did_you_mean(doc_id, kinds),
            )
        elif doc.data.language not in kind.languages:
            yield doc.at("language").diagnostic(
                "error",
                "invalid-value",
                msg(
                    "%(title)s is made in %(languages)s, not %(language)s",
                    title=kind.title,
                    languages=", ".join(kind.languages),
                    language=doc.data.language,
                ),
            )
        if doc.data.signed and doc.data.signed > today:
            yield doc.at("signed").diagnostic(
                "error",
                "done-in-future",
                msg("signed date %(signed)s is after today", signed=doc.data.signed),
            )
        for i, approval in enumerate(doc.data.approvals):
            if approval.date > today:
                yield doc.at("approvals", i, "date").diagnostic(
                    "error",
                    "done-in-future",
                    msg("approval date %(day)s is after today", day=approval.date),
                )
        if doc.data.status == "signed" and doc.data.signed is None:
            yield doc.at("status").diagnostic(
                "error",
                "missing-key",
                msg("status is signed but 'signed' (the signing date) is missing"),
            )


def _implied_ratio(e: Engagement) -> Iterator[Diagnostic]:
    """A profit split that differs from the contributions' ratio, with nothing saying why.

    6% against 8,000 万 of 128,000 万 (6.25%) is a typo a lawyer would sign; a split that
    is agreed otherwise says so in its ``note``.
    """
    assert e.index is not None
    terms = e.index.data.terms
    ours, theirs, split = terms.investment, terms.partner_investment, terms.profit_split
    if not (ours and theirs and split) or split.note or ours.currency != theirs.currency:
        return
    total = ours.amount + theirs.amount
    if not total:
        return
    implied = 100 * ours.amount / total
    if abs(implied - split.us) > 0.005:
        yield e.index.at("terms", "profit_split", "us").diagnostic(
            "warning",
            "ratio-mismatch",
            msg(
                "profit split %(us)s%% differs from the contributions' ratio %(implied)s%% "
                "(%(ours)s of %(total)s)",
                us=f"{split.us:g}",
                implied=f"{implied:.2f}".rstrip("0").rstrip("."),
                ours=amounts.short(ours),
                total=amounts.short(ours.model_copy(update={"amount": total})),
            ),
            msg("correct one of them, or say in profit_split.note why the split differs"),
        )


def _project(e: Engagement) -> Iterator[Diagnostic]:
    """A 投资落地 project's figures agree: the schedule in order, the intensity reachable."""
    assert e.index is not None
    project = e.index.data.terms.project
    if project is None:
        return
    steps = [(k, getattr(project.schedule, k)) for k in
             ("start", "completion", "production", "full_production")]  # fmt: skip
    dated = [(k, d) for k, d in steps if d is not None]
    for (before, early), (key, late) in itertools.pairwise(dated):
        if late < early:
            yield e.index.at("terms", "project", "schedule", key).diagnostic(
                "error",
                "date-order",
                msg(
                    "schedule: %(key)s (%(late)s) comes before %(before)s (%(early)s)",
                    key=key,
                    late=late,
                    before=before,
                    early=early,
                ),
            )
    reached = project.fixed_intensity
    if project.intensity is not None and reached is not None and project.intensity > reached:
        yield e.index.at("terms", "project", "intensity").diagnostic(
            "warning",
            "ratio-mismatch",
            msg(
                "an intensity of %(intensity)s 万元 a 亩 needs more than the fixed assets "
                "give (%(reached)s 万元 a 亩 on %(area)s 亩)",
                intensity=f"{project.intensity:g}",
                reached=f"{reached:.0f}",
                area=f"{project.land.area_mu:g}",
            ),
            msg("correct the fixed assets, the land's area or the intensity"),
        )


def _registered_capital(e: Engagement) -> Iterator[Diagnostic]:
    """A joint venture's registered capital is what the two sides subscribe."""
    assert e.index is not None
    terms = e.index.data.terms
    jv, ours, theirs = terms.joint_venture, terms.investment, terms.partner_investment
    if jv is None or ours is None or theirs is None:
        return
    capital = jv.registered_capital
    if {ours.currency, theirs.currency} != {capital.currency}:
        return
    if abs(ours.amount + theirs.amount - capital.amount) > 0.005:
        yield e.index.at("terms", "joint_venture", "registered_capital").diagnostic(
            "warning",
            "ratio-mismatch",
            msg(
                "the registered capital %(capital)s is not the contributions' sum %(sum)s",
                capital=amounts.short(capital),
                sum=amounts.short(
                    capital.model_copy(update={"amount": ours.amount + theirs.amount})
                ),
            ),
            msg("correct the capital or a contribution (investment, partner_investment)"),
        )


def _cited_articles(e: Engagement) -> Iterator[Diagnostic]:
    """A 重大事项告知函 or a 续约协议 cites only articles the signed agreement has."""
    assert e.index is not None
    data = e.index.data
    cited = [("major_event", a) for a in (data.major_event.articles if data.major_event else [])]
    cited += [("renewal", a) for a in (data.renewal.continuing if data.renewal else [])]
    if not cited:
        return
    structure = _agreement(e)
    if structure is _NOT_FROZEN:
        return
    articles = None if structure is None else [title for title, _ in structure]
    for (key, title), i in zip(cited, _positions(cited), strict=True):
        where = e.index.at(key, "articles" if key == "major_event" else "continuing", i)
        if articles is None:
            yield where.diagnostic(
                "error",
                "unknown-reference",
                msg("'%(title)s': there is no signed 合作协议 to cite", title=title),
            )
        elif title not in articles:
            yield where.diagnostic(
                "error",
                "unknown-reference",
                msg("the signed 合作协议 has no article '%(title)s'", title=title),
                msg("its articles: %(known)s", known="、".join(articles)),
            )


#: a signed agreement whose text render has not frozen yet (document-not-frozen says so)
_NOT_FROZEN: list[tuple[str, int]] = []


def _agreement(e: Engagement) -> list[tuple[str, int]] | None:
    """The signed 合作协议's articles (title, 款), None without one, or `_NOT_FROZEN`."""
    structure = signed_structure(e)
    record = e.documents.get("cooperation-agreement")
    if structure is None and record is not None and record.data.status == "signed":
        return _NOT_FROZEN
    return structure


def _positions(cited: list[tuple[str, str]]) -> list[int]:
    """Each entry's index within its own list."""
    seen: Counter[str] = Counter()
    out = []
    for key, _ in cited:
        out.append(seen[key])
        seen[key] += 1
    return out


def _amendments(e: Engagement) -> Iterator[Diagnostic]:
    """A 补充协议 changes 条 and 款 the signed agreement has, and a whole 条 only on purpose."""
    assert e.index is not None
    supplement = e.index.data.supplement
    if supplement is None:
        return
    structure = _agreement(e)
    if structure is _NOT_FROZEN:
        return
    articles = dict(structure or [])
    for i, change in enumerate(supplement.changes):
        at = e.index.at("supplement", "changes", i)
        if change.article not in articles:
            yield at.diagnostic(
                "error",
                "unknown-reference",
                msg("the signed 合作协议 has no article '%(title)s'", title=change.article),
                msg("its articles: %(known)s", known="、".join(articles) or "—"),
            )
        elif change.clause is not None and change.clause > articles[change.article]:
            yield at.diagnostic(
                "error",
                "unknown-reference",
                msg(
                    "'%(title)s' has %(count)s 款; there is no 款 %(clause)s",
                    title=change.article,
                    count=articles[change.article],
                    clause=change.clause,
                ),
            )
        elif change.action == "replace" and change.clause is None and not change.whole:
            yield at.diagnostic(
                "error",
                "amendment-unplaced",
                msg(
                    "the change to '%(title)s' names no 款: it would rewrite the whole article",
                    title=change.article,
                ),
                msg("name the 款 (clause: 2), add one (action: 增加), or say whole: true"),
            )


def _other_parties(e: Engagement) -> Iterator[Diagnostic]:
    """Parties beyond the two: at most three sign; one that does not sign binds nothing here."""
    assert e.index is not None
    others = e.index.data.terms.other_parties
    signing = [i for i, o in enumerate(others) if o.signs]
    for i in signing[3:]:
        yield e.index.at("terms", "other_parties", i).diagnostic(
            "error",
            "invalid-value",
            msg("an agreement has at most five signing parties (甲方 to 戊方)"),
        )
    for i, o in enumerate(others):
        if not o.signs and o.obligations:
            yield e.index.at("terms", "other_parties", i, "obligations").diagnostic(
                "warning",
                "covenant-of-non-party",
                msg(
                    "%(name)s does not sign the agreement: its undertakings are not printed in it",
                    name=o.name,
                ),
                msg("have it sign (signs: true), or take its 承诺函 (a separate undertaking)"),
            )
        if o.credit_code and (finding := check_credit_code(o.credit_code)):
            yield e.index.at("terms", "other_parties", i, "credit_code").diagnostic(
                finding.severity, finding.code, finding.message, finding.hint
            )


def _licence_annex(e: Engagement) -> Iterator[Diagnostic]:
    """A licence's technology annex is one of the agreement's annexes, and attached."""
    assert e.index is not None
    terms = e.index.data.terms
    if terms.licence is None:
        return
    annex = next((a for a in terms.annexes if a.title == terms.licence.annex), None)
    if annex is None:
        yield e.index.at("terms", "licence", "annex").diagnostic(
            "error",
            "unknown-reference",
            msg(
                "the licence's annex '%(annex)s' is not among terms.annexes",
                annex=terms.licence.annex,
            ),
            msg("add {title: %(annex)s, file: …} to terms.annexes", annex=terms.licence.annex),
        )
        return
    i = terms.annexes.index(annex)
    if not annex.file:
        yield e.index.at("terms", "annexes", i).diagnostic(
            "warning",
            "annex-not-attached",
            msg("the licensed technology's annex '%(annex)s' has no file", annex=annex.title),
            msg("keep it in the engagement folder and name it: file: documents/…pdf"),
        )
    elif not is_inside(e.folder, e.folder / annex.file):
        yield e.index.at("terms", "annexes", i, "file").diagnostic(
            "error",
            "annex-not-attached",
            msg("the annex file %(file)s lies outside the engagement's folder", file=annex.file),
        )
    elif not (e.folder / annex.file).is_file():
        yield e.index.at("terms", "annexes", i, "file").diagnostic(
            "error",
            "annex-not-attached",
            msg("the annex file %(file)s does not exist", file=annex.file),
            msg("paths are relative to %(rel)s/", rel=e.rel),
        )


def _survey(e: Engagement, process: Process) -> Iterator[Diagnostic]:
    if e.survey is None:
        return
    known = {q.id for q in process.survey.questions} if process.survey else set()
    for i, result in enumerate(e.survey.data.surveys):
        groups = [("questions", result.questions)] + [
            (f"groups.{g}.questions", r.questions) for g, r in result.groups.items()
        ]
        for where, questions in groups:
            for qid in questions:
                if qid not in known:
                    yield e.survey.at("surveys", i, *where.split("."), qid).diagnostic(
                        "error",
                        "unknown-reference",
                        msg("survey question '%(qid)s' is not in the process file", qid=qid),
                        did_you_mean(qid, known),
                    )


def _gates(e: Engagement, process: Process, today: date) -> Iterator[Diagnostic]:
    """Stage, status, invariants and policies: the process's rules for this engagement."""
    assert e.index is not None
    data = e.index.data
    current = process.stage_index[data.stage]

    seen: set[tuple[Location, str]] = set()  # an item unmet under two rules is said once

    def run(
        rules: list[Rule], stage_id: str, severity: Severity, code: str, prefix: str
    ) -> Iterator[Diagnostic]:
        ctx = Context(e, process, today, stage_id, data.stage)
        return diagnose(rules, ctx, severity, code, prefix, seen)

    for i, stage in enumerate(process.stages[: current + 1]):
        yield from run(
            stage.entry,
            stage.id,
            "error",
            "gate-unmet",
            msg("[entering %(stage)s] ", stage=stage.title),
        )
        if i < current:
            yield from run(
                stage.gate,
                stage.id,
                "error",
                "gate-unmet",
                msg("[leaving %(stage)s] ", stage=stage.title),
            )
    last = process.stages[-1]
    status_rules: dict[str, tuple[str, list[Rule]]] = {"completed": (last.id, last.gate)}
    for transition in process.transitions.values():
        if transition.status:
            status_rules[transition.status] = (data.stage, transition.gate)
    if data.status in status_rules:
        stage_id, rules = status_rules[data.status]
        yield from run(
            rules,
            stage_id,
            "error",
            "status-unmet",
            msg("[status %(status)s] ", status=vocabulary.label(vocabulary.STATUS, data.status)),
        )
    yield from run(process.invariants, data.stage, "error", "gate-unmet", "")
    for policy in process.policies:
        if policy.rule is None:
            continue
        if policy.from_stage and current < process.stage_index[policy.from_stage]:
            continue
        yield from run(
            [policy.rule],
            data.stage,
            policy.severity,
            "policy",
            msg("[%(rule)s] ", rule=policy.title),
        )


def _code_uses(portfolio: Portfolio) -> list[CodeUse]:
    return [
        CodeUse(e.id, e.index.data.code, e.index.at("code"))
        for e in portfolio.engagements
        if e.index and e.index.data.code
    ]


def _portfolio_checks(
    codes: list[CodeUse],
    folders: list[tuple[str, str]],
    elsewhere: Sequence[CodeUse] = (),
    checked: set[str] | None = None,
) -> Iterator[Diagnostic]:
    """Checks across engagements: codes used twice, folder names differing only in case.

    ``elsewhere`` are codes of engagements not being checked, and ``checked`` names those
    that are (None: all): findings are reported for checked engagements only.
    """
    users: dict[str, list[str]] = {}
    for use in [*codes, *elsewhere]:
        users.setdefault(use.code, []).append(use.engagement)
    for use in codes:
        others = [o for o in users[use.code] if o != use.engagement]
        if others:
            yield use.where.diagnostic(
                "error",
                "duplicate-id",
                msg(
                    "engagement code '%(code)s' is also used by %(others)s",
                    code=use.code,
                    others=", ".join(sorted(others)),
                ),
            )
    folded = Counter(i.casefold() for i, _ in folders)
    for i, rel in folders:
        if folded[i.casefold()] > 1 and (checked is None or i in checked):
            yield Location(f"{rel}/index.md").diagnostic(
                "error",
                "duplicate-id",
                msg("engagement id '%(id)s' differs from another only in case", id=i),
            )


def edit_findings(
    portfolio: Portfolio, engagement_id: str, overlay: Mapping[str, bytes] | None = None
) -> list[Diagnostic]:
    """Every finding of one engagement as it would be with ``overlay``'s files written.

    ``overlay`` maps workspace-relative paths to their new content (files of the
    engagement, new or changed); nothing is written and no cache is used, so an edit
    is checked before it reaches the disk.  Without one, the engagement as it stands.
    """
    workspace, process = portfolio.workspace, portfolio.process
    folder = workspace.engagements_dir / engagement_id
    found: list[Diagnostic] = []
    e = load_engagement(folder, workspace, process, found, overlay=overlay)
    today = workspace.today()
    found += check_engagement(e, portfolio, today)
    if e.index is not None and not e.broken:
        found += DocumentCheck(workspace, process).check(e, today)
    return found
