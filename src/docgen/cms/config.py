"""The Decap CMS configuration of a workspace, generated so it never drifts from docgen.

Collections follow the engagement folder's layout (`docgen.workspace.load`):

- **项目** (all engagements): every ``engagements/<id>/index.md``; a new entry is a new
  engagement, its folder name asked for as the entry's path;
- one collection per engagement, named by its partner, with its files: index.md, the
  stage files (each checklist item under its title, with done, by, owner, due,
  evidence, not applicable and note), risks, KPIs, plan, and the document records;
- one collection per engagement for its meetings, where a new entry is a new meeting.

Field types, required fields and fixed values come from the models' JSON Schema
(`docgen.cms.fields`); modes, stages and risk categories from the process file, and the
people from those the files already name.
"""

from __future__ import annotations

from typing import Any

from docgen.cms.fields import DATE, Choices, form_fields
from docgen.cms.merge import BASE_KEY, DONE_TODAY_KEY
from docgen.core.i18n import N_, Catalogue
from docgen.domain.engagement import Engagement
from docgen.domain.labels import FIELDS
from docgen.domain.model import ENGAGEMENT_FILES
from docgen.domain.process import Process, Stage
from docgen.edits.schemas import json_schema
from docgen.tracking.cells import people
from docgen.workspace.config import CmsConfig
from docgen.workspace.load import Portfolio

#: the kinds of engagement file the editor has forms for (survey.md and applicants.md are
#: written by their commands)
_KINDS = ("index", "stage", "risks", "kpis", "plan", "meeting", "document")
#: the forms' files of fixed name: file name → kind
FILE_KINDS = {k.name: k.id for k in ENGAGEMENT_FILES if k.name and k.id in _KINDS}


def cms_config(
    portfolio: Portfolio, t: Catalogue, local_backend: str | None = None
) -> dict[str, Any]:
    """The ``config.yml`` of the CMS admin for ``portfolio``.

    ``local_backend`` is the URL of `docgen cms serve`'s API, which the CMS uses when it
    is opened on this computer; the published admin uses the git host the workspace's
    ``cms:`` section names.
    """
    workspace, process = portfolio.workspace, portfolio.process
    settings = workspace.config.cms
    choices = Choices(
        by_field={
            "mode": [(m.id, m.title) for m in process.modes],
            "stage": [(s.id, s.title) for s in process.stages],
            "category": [(c.id, c.title) for c in process.risk.categories],
        },
        people=people(portfolio),
    )
    schemas = {kind: form_fields(json_schema(kind), t, choices) for kind in _KINDS}
    _hint_gates(schemas["index"], process, t)
    base = workspace.config.engagements.strip("/")
    engagements = sorted(portfolio.engagements, key=lambda e: (_name(e), e.id))
    config: dict[str, Any] = {
        **_backend(settings),
        "locale": "zh_Hans" if t.language == "zh" else "en",
        "media_folder": settings.media_folder,
        "site_url": settings.site_url or None,
        "collections": [
            {
                "name": "engagements",
                "editor": {"preview": False},
                "label": t("All engagements"),
                "label_singular": t("Engagement"),
                "folder": base,
                "create": True,
                "nested": {"depth": 2},
                "path": "{{slug}}/index",
                "meta": {
                    "path": {
                        "widget": "string",
                        "label": t("Folder (an ASCII id such as 2026-007-huaxin-storage)"),
                        "index_file": "index",
                    }
                },
                "summary": "{{title}}",
                "fields": [*schemas["index"], _body(t)],
            },
            *(c for e in engagements for c in _engagement(e, base, process, schemas, choices, t)),
        ],
    }
    if local_backend:
        config["local_backend"] = {"url": local_backend}
        # which version of which file a form was opened from, sent back with its save
        hidden = {"name": BASE_KEY, "widget": "hidden", "required": False}
        for collection in config["collections"]:
            for form in [collection, *collection.get("files", [])]:
                if "fields" in form:
                    form["fields"] = [hidden, *form["fields"]]
    return {k: v for k, v in config.items() if v is not None}


def _hint_gates(fields: list[dict[str, Any]], process: Process, t: Catalogue) -> None:
    """Mark the fields a stage's gate needs: 进入合作确立前必填 under 统一社会信用代码.

    One form serves engagements at every stage, so a field the gate needs cannot be
    required in it; its hint says from when it is.
    """
    for stage in process.stages:
        leave = t("required to leave %(stage)s", stage=stage.title)
        enter = t("required to enter %(stage)s", stage=stage.title)
        for when, rules in ((leave, stage.gate), (enter, stage.entry)):
            for rule in rules:
                for path in getattr(rule, "fields", []) if rule.kind == "fields_present" else []:
                    field = _field_at(fields, path.split("."))
                    if field is not None:
                        field["hint"] = "；".join(filter(None, [field.get("hint"), when]))


def _field_at(fields: list[dict[str, Any]], keys: list[str]) -> dict[str, Any] | None:
    field = next((f for f in fields if f.get("name") == keys[0]), None)
    if field is None or len(keys) == 1:
        return field
    return _field_at(field.get("fields", []), keys[1:])


def _backend(settings: CmsConfig) -> dict[str, Any]:
    backend = settings.backend
    if backend is None:  # only `docgen cms serve` on this computer
        return {"backend": {"name": "git-gateway"}}
    out: dict[str, Any] = {"name": backend.name, "repo": backend.repo, "branch": backend.branch}
    for key in ("base_url", "api_root", "auth_endpoint", "app_id", "auth_type"):
        value = getattr(backend, key)
        if value:
            out[key] = value
    config: dict[str, Any] = {"backend": out}
    if settings.editorial_workflow:
        config["publish_mode"] = "editorial_workflow"
    return config


def _name(e: Engagement) -> str:
    if e.index is None:
        return e.id
    return e.index.data.partner.short_name or e.index.data.title


def _engagement(
    e: Engagement,
    base: str,
    process: Process,
    schemas: dict[str, list[dict[str, Any]]],
    choices: Choices,
    t: Catalogue,
) -> list[dict[str, Any]]:
    folder = f"{base}/{e.id}"
    files = []
    if e.index is not None or "index.md" in e.broken:
        files.append(_file("index", t("Engagement"), f"{folder}/index.md", schemas["index"], t))
    for stage in process.stages:
        if stage.id in e.stages or stage.file in e.broken:
            # the checklist maps item ids to states: a form of the stage's own items
            fields = [_done_today(stage, t), _checklist(stage, choices, t), *schemas["stage"]]
            files.append(_file(stage.id, stage.title, f"{folder}/{stage.file}", fields, t))
    for name, kind in FILE_KINDS.items():
        if kind != "index" and (getattr(e, kind) is not None or name in e.broken):
            label = t.label(_FILE_TITLES, kind)
            files.append(_file(kind, label, f"{folder}/{name}", schemas[kind], t))
    kinds = process.document_kinds
    for doc_id in sorted(e.documents):
        title = kinds[doc_id].title if doc_id in kinds else doc_id
        path = f"{folder}/documents/{doc_id}.md"
        files.append(_file(f"doc-{doc_id}", title, path, schemas["document"], t))
    label = _name(e)
    return [
        {
            "name": f"e-{e.id}",
            "label": label,
            "description": e.title,
            "editor": {"preview": False},
            "files": files,
        },
        {
            "name": f"m-{e.id}",
            "label": t("%(name)s · meetings", name=label),
            "label_singular": t("Meeting"),
            "folder": f"{folder}/meetings",
            "create": True,
            "editor": {"preview": False},
            "slug": "{{fields.date}}-meeting",
            "summary": "{{date}} {{title}}",
            "sortable_fields": ["date", "title"],
            "fields": [*schemas["meeting"], _body(t)],
        },
    ]


def _file(
    name: str, label: str, path: str, fields: list[dict[str, Any]], t: Catalogue
) -> dict[str, Any]:
    return {"name": name, "label": label, "file": path, "fields": [*fields, _body(t)]}


def _done_today(stage: Stage, t: Catalogue) -> dict[str, Any]:
    """A choice of the stage's items to mark done today: pick, publish (not 9 clicks)."""
    return {
        "name": DONE_TODAY_KEY,
        "label": t("Done today"),
        "hint": t("choose the items done today and publish: each is marked done, by its owner"),
        "widget": "select",
        "multiple": True,
        "required": False,
        "options": [
            {"label": f"{step.title} · {item.title}", "value": f"{step.id}.{item.id}"}
            for step in stage.steps
            for item in step.items
        ],
    }


def _checklist(stage: Stage, choices: Choices, t: Catalogue) -> dict[str, Any]:
    """The stage's checklist: each item under its step's and its own title."""
    person: dict[str, Any] = (
        {"widget": "select", "options": choices.people} if choices.people else {"widget": "string"}
    )
    item_fields = [
        {**DATE, "name": "done"},
        {**person, "name": "by"},
        {**person, "name": "owner"},
        {**DATE, "name": "due"},
        {"name": "evidence", "widget": "list"},
        {"name": "waived", "widget": "string"},
        {"name": "note", "widget": "text"},
    ]
    fields = [{**f, "label": t.label(FIELDS, f["name"]), "required": False} for f in item_fields]
    items = [
        {
            "name": f"{step.id}.{item.id}",
            "label": f"{step.title} · {item.title}",
            "widget": "object",
            "collapsed": True,
            "required": False,
            "fields": fields,
        }
        for step in stage.steps
        for item in step.items
    ]
    label = t.label(FIELDS, "checklist")
    return {"name": "checklist", "label": label, "widget": "object", "fields": items}


def _body(t: Catalogue) -> dict[str, Any]:
    # raw first: the rich-text mode writes the whole body anew in its own markdown style
    return {
        "name": "body",
        "label": t("Notes"),
        "widget": "markdown",
        "modes": ["raw", "rich_text"],
        "required": False,
    }


_FILE_TITLES = {"risks": N_("Risk register"), "kpis": N_("KPIs"), "plan": N_("Plan")}
