"""Audiences: what an internal build shows, and the much smaller part a partner may see.

A partner build keeps only engagements whose ``index.md`` says ``visibility: partner`` or
``public``; in them, only files not marked ``internal``, no field the process lists in
``internal_fields``, no checklist item the process marks ``internal``, and no document
kind the process marks internal.  The pages, search index, charts and copied documents
are all made from what this leaves, so nothing else can leak into them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import EngagementIndex, RisksFile, StageFile
from docgen.domain.process import Process
from docgen.workspace.load import Portfolio

Audience = Literal["internal", "partner"]
AUDIENCES: tuple[Audience, ...] = ("internal", "partner")
_SHOWN = ("partner", "public")


def for_audience(portfolio: Portfolio, audience: Audience) -> Portfolio:
    """The portfolio as ``audience`` may see it (the same object for internal)."""
    if audience == "internal":
        return portfolio
    process = portfolio.process
    kept = []
    for e in portfolio.engagements:
        if e.index is None or e.index.data.visibility not in _SHOWN:
            continue
        kept.append(_partner_view(e, process))
    return replace(portfolio, engagements=kept, diagnostics=[], process=partner_process(process))


def partner_process(process: Process) -> Process:
    """The process as a partner may read it: no internal item, step or document kind.

    Steps left without items go, and so do rules that name internal items only; every
    page of a partner build (the procedure page included) is made from this copy.
    """
    internal_docs = {d.id for d in process.documents if d.visibility == "internal"}
    internal_items = {i for i, (_, _, item) in process.items.items() if item.internal}
    data = process.model_dump(exclude_none=True)

    def rules(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            r
            for r in listed
            if not (r.get("items") and set(r["items"]) <= internal_items)
            and r.get("document") not in internal_docs
        ]

    for stage in data["stages"]:
        steps = []
        for step in stage["steps"]:
            step["items"] = [i for i in step["items"] if not i.get("internal")]
            step["documents"] = [d for d in step.get("documents", []) if d not in internal_docs]
            if step["items"]:
                steps.append(step)
        stage["steps"] = steps
        stage["entry"], stage["gate"] = rules(stage.get("entry", [])), rules(stage.get("gate", []))
    data["documents"] = [d for d in data["documents"] if d["id"] not in internal_docs]
    data["invariants"] = rules(data.get("invariants", []))
    for transition in data.get("transitions", {}).values():
        transition["gate"] = rules(transition.get("gate", []))
    return Process.model_validate(data)


def document_visible(process: Process, e: Engagement, doc_id: str, audience: Audience) -> bool:
    """Whether the rendered document ``doc_id`` of ``e`` may be published to ``audience``."""
    if audience == "internal":
        return True
    kind = process.document_kinds.get(doc_id)
    if kind is None or kind.visibility == "internal":
        return False
    record = e.documents.get(doc_id)
    return record is None or _visible(record.data.visibility, e)


def _visible(visibility: str | None, e: Engagement) -> bool:
    # a file without its own visibility has the engagement's
    assert e.index is not None
    return (visibility or e.index.data.visibility) in _SHOWN


def _partner_view(e: Engagement, process: Process) -> Engagement:
    assert e.index is not None
    index_fields = [f for f in process.internal_fields if not f.startswith("risks.")]
    risk_fields = [
        f.removeprefix("risks.") for f in process.internal_fields if f.startswith("risks.")
    ]
    index = replace(e.index, data=_without(e.index.data, index_fields), body="")
    internal_items = {
        f"{step.id}.{item.id}"
        for stage in process.stages
        for step in stage.steps
        for item in step.items
        if item.internal
    }
    stages = {}
    for stage_id, sourced in e.stages.items():
        if not _visible(sourced.data.visibility, e):
            continue
        checklist = {k: v for k, v in sourced.data.checklist.items() if k not in internal_items}
        data = sourced.data.model_copy(update={"checklist": checklist})
        stages[stage_id] = replace(
            sourced, data=StageFile.model_validate(data.model_dump()), body=""
        )
    risks = None
    if e.risks is not None and _visible(e.risks.data.visibility, e):
        cleaned = [r.model_copy(update=dict.fromkeys(risk_fields)) for r in e.risks.data.risks]
        risks = replace(e.risks, data=RisksFile(risks=cleaned, visibility=e.risks.data.visibility))
    kinds = process.document_kinds
    return Engagement(
        id=e.id,
        folder=e.folder,
        rel=e.rel,
        index=index,
        stages=stages,
        risks=risks,
        kpis=_if_visible(e.kpis, e),
        plan=_if_visible(e.plan, e),
        survey=_if_visible(e.survey, e),
        meetings=[replace(m, body="") for m in e.meetings if _visible(m.data.visibility, e)],
        documents={
            k: v
            for k, v in e.documents.items()
            if _visible(v.data.visibility, e) and k in kinds and kinds[k].visibility != "internal"
        },
    )


def _if_visible(sourced: Sourced[Any] | None, e: Engagement) -> Sourced[Any] | None:
    if sourced is None or not _visible(sourced.data.visibility, e):
        return None
    return sourced


def _without(index: EngagementIndex, fields: list[str]) -> EngagementIndex:
    data = index.model_dump()
    for path in fields:
        *parents, last = path.split(".")
        node: Any = data
        for key in parents:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and last in node:
            node[last] = None if last not in ("team", "tags") else []
    return EngagementIndex.model_validate(data)
