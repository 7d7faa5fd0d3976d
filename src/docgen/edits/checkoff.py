"""``docgen done``: mark checklist items done (or waived), named as people name them.

Plan tasks, milestones and meetings' actions are marked done the same way, by title.

An officer knows an item by its title (收集目标行业及潜在合作伙伴的信息) or its step
(市场调研与分析), not by the id the stage file keys it by. `resolve` reads any of them;
`plan_done` writes ``done``/``by``/``evidence`` (or ``waived``) into the item's stage
file as `advance` writes a stage: a surgical edit, checked with the engagement as it
would be before anything is written.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import msg
from docgen.domain.aliases import fold
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.process import Process
from docgen.domain.rules import is_done, is_waived, item_state
from docgen.edits.records import checked_transition
from docgen.edits.workflow import Transition
from docgen.workspace.edit import FrontMatterEdit
from docgen.workspace.load import Portfolio


def resolve(process: Process, ref: str, origin: str | None = None) -> list[str]:
    """The full ids of the items ``ref`` names (`Process.items_named`), or why none."""
    found = process.items_named(ref, origin)
    if found:
        return found
    raise DocgenError(
        msg(
            "no checklist item, step, plan task, milestone or meeting action '%(ref)s'; "
            "write its title as 'docgen status ID' shows it",
            ref=ref,
        )
    )


@dataclass(frozen=True)
class Entry:
    """A plan task, a milestone or a meeting's action: something else an officer marks done."""

    file: Sourced[Any]
    #: where it stands in its file: ``("tasks", 2)``
    keys: tuple[str | int, ...]
    title: str
    owner: str | None
    done: bool


def entries(e: Engagement) -> list[Entry]:
    """The engagement's plan tasks and milestones, and its meetings' actions."""
    found: list[Entry] = []
    if e.plan is not None:
        for i, task in enumerate(e.plan.data.tasks):
            closed = task.done is not None or task.status in ("done", "cancelled")
            found.append(Entry(e.plan, ("tasks", i), task.title, task.owner, closed))
        for i, stone in enumerate(e.plan.data.milestones):
            done = bool(stone.done)
            found.append(Entry(e.plan, ("milestones", i), stone.title, stone.owner, done))
    for meeting in e.meetings:
        for i, act in enumerate(meeting.data.actions):
            found.append(Entry(meeting, ("actions", i), act.task, act.owner, bool(act.done)))
    return found


def _linked(
    process: Process, e: Engagement, ids: list[str], others: list[Entry]
) -> dict[str, str | None]:
    """The checklist items the tasks among ``others`` carry out, beyond ``ids``.

    Each comes with the owner of its task: who did the job.
    """
    origin = e.index.data.origin if e.index is not None else None
    found: dict[str, str | None] = {}
    for entry in others:
        item = getattr(_data(entry), "item", None) if entry.keys[0] == "tasks" else None
        for item_id in process.items_named(item, origin) if item else []:
            if item_id not in ids:
                found.setdefault(item_id, entry.owner)
    return found


def _carries_out(process: Process, e: Engagement, entry: Entry, ids: list[str]) -> bool:
    """Whether ``entry`` is an open task that carries out one of the items ``ids``."""
    if entry.done or entry.keys[0] != "tasks":
        return False
    item = _data(entry).item
    origin = e.index.data.origin if e.index is not None else None
    return bool(item) and any(i in ids for i in process.items_named(item, origin))


def find_entry(e: Engagement, ref: str) -> Entry | None:
    """The task, milestone or action ``ref`` names: its id or title, or a part of one open title."""
    want = fold(ref)
    everything = entries(e)
    for entry in everything:
        data = _data(entry)
        if want in (fold(entry.title), fold(str(getattr(data, "id", "")))):
            return entry
    within = [x for x in everything if not x.done and want in fold(x.title)]
    return within[0] if len(within) == 1 else None


def _data(entry: Entry) -> Any:
    key, index = entry.keys
    return getattr(entry.file.data, str(key))[int(index)]


def plan_done(
    portfolio: Portfolio,
    engagement_id: str,
    refs: list[str],
    today: date,
    *,
    by: str | None = None,
    on: date | None = None,
    evidence: str | None = None,
    waive: str | None = None,
) -> Transition:
    """Plan marking the items ``refs`` name done on ``on`` (today) by ``by``, or waived.

    ``by`` defaults to each item's owner in the stage file, else the engagement's owner.
    An item of a stage the engagement has not reached yet is refused, as is a date after
    today; an item done already keeps its record (and is said to be done).
    """
    e = portfolio.editable(engagement_id)
    assert e.index is not None  # editable: every file loaded
    process = portfolio.process
    day = on or today
    if day > today:
        raise DocgenError(msg("--date %(date)s is after today", date=day.isoformat()))
    data = e.index.data
    ids: list[str] = []
    others: list[Entry] = []
    for ref in refs:
        try:
            ids += [i for i in resolve(process, ref, data.origin) if i not in ids]
        except DocgenError:
            entry = find_entry(e, ref)
            if entry is None:
                raise
            others += [entry] if entry not in others else []
    linked = _linked(process, e, ids, others)
    ids += [i for i in linked if i not in ids]
    others += [x for x in entries(e) if x not in others and _carries_out(process, e, x, ids)]
    edits: dict[Path, FrontMatterEdit] = {}
    marked: list[str] = []
    whom: list[str] = []
    for entry in others:
        if waive:
            raise DocgenError(
                msg("only checklist items are waived; '%(title)s' is not one", title=entry.title)
            )
        if entry.done:
            continue
        path = portfolio.workspace.root / entry.file.path
        edit = edits.get(path) or FrontMatterEdit.open(path, entry.file.path)
        edits[path] = edit
        edit.set((*entry.keys, "done"), day)
        if entry.keys[0] == "tasks":
            edit.set((*entry.keys, "status"), "done")
        who = by or entry.owner or data.owner
        whom += [who] if who not in whom else []
        marked.append(entry.title)
    for item_id in ids:
        stage, _, item = process.items[item_id]
        file, state = item_state(e, process, item_id, this_term=True)
        if file is None and item_id in linked:
            continue  # a task done early: its item is marked when its stage is reached
        if file is None:
            raise DocgenError(
                msg(
                    "'%(item)s' belongs to %(stage)s, which %(id)s has not reached "
                    "(it is in %(current)s)",
                    item=item.title,
                    stage=stage.title,
                    id=e.id,
                    current=process.stages[process.stage_index[data.stage]].title,
                )
            )
        if is_done(state) or ((waive or item_id in linked) and is_waived(state)):
            continue
        path = portfolio.workspace.root / file.path
        edit = edits.get(path) or FrontMatterEdit.open(path, file.path)
        edits[path] = edit
        if waive:
            values: dict[str, object] = {"waived": waive}
        else:
            who = (
                by or linked.get(item_id) or (state.owner if state and state.owner else data.owner)
            )
            values = {"done": day, "by": who}
            whom += [who] if who not in whom else []
            if evidence:
                values["evidence"] = _evidence_link(process, e, evidence)
            elif item_id in linked:
                values["evidence"] = "plan.md"  # the task it carries out, done there
        if state is None:
            edit.set(("checklist", item_id), values)
        else:
            for key, value in values.items():
                edit.set(("checklist", item_id, key), value)
        marked.append(item.title)
    if not marked:
        done_already = "、".join(
            [f"「{process.items[i][2].title}」" for i in ids] + [f"「{x.title}」" for x in others]
        )
        raise DocgenError(msg("nothing to mark: %(items)s done already", items=done_already))
    titles = "、".join(f"「{title}」" for title in marked)
    if waive:
        summary = msg("%(id)s: %(items)s waived (%(reason)s)", id=e.id, items=titles, reason=waive)
    else:
        summary = msg(
            "%(id)s: %(items)s done by %(by)s on %(date)s",
            id=e.id,
            items=titles,
            by="、".join(whom),
            date=day.isoformat(),
        )
    return checked_transition(portfolio, e, summary, {p: ed.result() for p, ed in edits.items()})


def _evidence_link(process: Process, e: Engagement, link: str) -> str:
    """``link`` as the stage file reads it: relative to the engagement's folder.

    A document's id or title (合作方案) is its record, ``documents/<id>.md``. A path
    typed from the workspace root (``engagements/ID/documents/x.pdf``) that exists is
    written relative to the folder; anything else is written as typed (validate says
    when it does not exist).
    """
    doc_id = process.document_id(link)
    if doc_id in process.document_kinds:
        return f"documents/{doc_id}.md"
    typed = Path(link)
    if typed.exists():
        try:
            return Path(os.path.relpath(typed.resolve(), e.folder.resolve())).as_posix()
        except ValueError:
            return link
    return link
