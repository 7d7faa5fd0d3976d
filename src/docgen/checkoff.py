"""``docgen done``: mark checklist items done (or waived), named as people name them.

An officer knows an item by its title (收集目标行业及潜在合作伙伴的信息) or its step
(市场调研与分析), not by the id the stage file keys it by. `resolve` reads any of them;
`plan_done` writes ``done``/``by``/``evidence`` (or ``waived``) into the item's stage
file as `advance` writes a stage: a surgical edit, checked with the engagement as it
would be before anything is written.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from docgen.aliases import fold
from docgen.diagnostics import DocgenError
from docgen.edit import FrontMatterEdit
from docgen.i18n import msg
from docgen.load import Engagement, Portfolio
from docgen.process import Process
from docgen.records import checked_transition
from docgen.rules import is_done, is_waived, item_state
from docgen.workflow import Transition


def resolve(process: Process, ref: str, origin: str | None = None) -> list[str]:
    """The full ids of the items ``ref`` names: an item's id or title, or a step's.

    A step stands for those of its items that apply to a lead of ``origin``. A bare item
    id (``collect-info``), or a part of one title, is accepted where it names one item.
    """
    want = fold(ref)
    for item_id, (_, _, item) in process.items.items():
        if want in (fold(item_id), fold(item.title)):
            return [item_id]
    for stage in process.stages:
        for step in stage.steps:
            if want in (fold(step.id), fold(step.title)):
                ids = [f"{step.id}.{i.id}" for i in step.items]
                return [i for i in ids if process.item_applies(i, origin)] or ids
    short = [i for i in process.items if fold(i.split(".", 1)[1]) == want]
    if len(short) == 1:
        return short
    within = [i for i, (_, _, item) in process.items.items() if want in fold(item.title)]
    if len(within) == 1:  # 明确合作模式 for 明确合作模式（如合资、代理、技术授权等）
        return within
    raise DocgenError(
        msg(
            "no checklist item or step '%(ref)s'; write an item's or a step's title as "
            "'docgen status ID' shows it",
            ref=ref,
        )
    )


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
    e = portfolio.get(engagement_id)
    if e.index is None or e.broken:
        raise DocgenError(
            msg("%(id)s has files that do not load; run 'docgen validate %(id)s'", id=e.id)
        )
    process = portfolio.process
    day = on or today
    if day > today:
        raise DocgenError(msg("--date %(date)s is after today", date=day.isoformat()))
    data = e.index.data
    ids: list[str] = []
    for ref in refs:
        ids += [i for i in resolve(process, ref, data.origin) if i not in ids]
    edits: dict[Path, FrontMatterEdit] = {}
    marked: list[str] = []
    whom: list[str] = []
    for item_id in ids:
        stage, _, item = process.items[item_id]
        file, state = item_state(e, process, item_id, this_term=True)
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
        if is_done(state) or (waive and is_waived(state)):
            continue
        path = portfolio.workspace.root / file.path
        edit = edits.get(path) or FrontMatterEdit.open(path, file.path)
        edits[path] = edit
        if waive:
            values: dict[str, object] = {"waived": waive}
        else:
            who = by or (state.owner if state and state.owner else data.owner)
            values = {"done": day, "by": who}
            whom += [who] if who not in whom else []
            if evidence:
                values["evidence"] = _evidence_link(process, e, evidence)
        if state is None:
            edit.set(("checklist", item_id), values)
        else:
            for key, value in values.items():
                edit.set(("checklist", item_id, key), value)
        marked.append(item.title)
    if not marked:
        done_already = "、".join(f"「{process.items[i][2].title}」" for i in ids)
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
