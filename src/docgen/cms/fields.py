"""The web editor's form fields, made from the JSON Schema of each file kind.

Every file kind's pydantic model already says each field's type, whether it is required
and which values it takes (`docgen.edits.schemas`); this turns that into Decap CMS widgets:
dates become date pickers that store ``YYYY-MM-DD``, fixed values and the process's own
ids (modes, stages, risk categories) and the team's people become selects, nested models
become objects and lists.  Labels come from the catalogue, so the form is in the
workspace's language.  A mapping with free keys (a KPI's actuals by period) has no form:
the editor keeps it as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docgen.core.i18n import Catalogue
from docgen.domain import vocabulary
from docgen.domain.labels import FIELDS

#: fields holding a person's name: a select of the people the files already name
PEOPLE = frozenset({"owner", "by", "chair", "recorder", "escalated_to"})
#: fields holding a list of people
PEOPLE_LISTS = frozenset({"team", "attendees"})
#: free-text fields long enough for a text area
LONG = frozenset(
    {
        "summary",
        "response",
        "contingency",
        "conclusion",
        "text",
        "reason",
        "note",
        "internal_note",
        "exit_mechanism",
        "breach_liability",
        "confidentiality",
        "scope",
        "termination_reason",
        "lost_reason",
        "credit",
        "legal",
        "finance",
        "third_party",
        "settlement",
    }
)
#: fixed values and the words readers know them by
VALUE_LABELS: tuple[Mapping[str, str], ...] = (
    vocabulary.STATUS,
    vocabulary.DOC_STATUS,
    vocabulary.DISPUTE,
    vocabulary.RISK_STATUS,
    vocabulary.TASK_STATUS,
    vocabulary.FREQUENCY,
    vocabulary.DIRECTION,
    vocabulary.SIZE,
    vocabulary.VISIBILITY,
    vocabulary.KPI_CATEGORY,
    vocabulary.MEETING_KIND,
    vocabulary.TARGET_FOR,
)


@dataclass(frozen=True)
class Choices:
    """The values the workspace offers for fields the models leave open."""

    #: field name → [(value, label)]: modes, stages, risk categories …
    by_field: Mapping[str, list[tuple[str, str]]]
    people: list[str]


def form_fields(schema: dict[str, Any], t: Catalogue, choices: Choices) -> list[dict[str, Any]]:
    """The form fields of a file kind's top-level model, in the model's order.

    A field is marked required where the validator requires it whenever its file has
    it: inside an optional object (``renewal``) nothing is, as the form cannot say
    "required once the object is given".
    """
    return _properties(schema, schema, t, choices, True)


def _properties(
    node: dict[str, Any], root: dict[str, Any], t: Catalogue, choices: Choices, given: bool
) -> list[dict[str, Any]]:
    required = set(node.get("required", [])) if given else set()
    fields = []
    for name, spec in node.get("properties", {}).items():
        field = _field(name, spec, root, t, choices, name in required)
        if field is not None:
            fields.append(field)
    return fields


def _resolve(spec: dict[str, Any], root: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The spec behind ``$ref`` and ``X | None`` unions, and whether it may be null."""
    nullable = False
    if "anyOf" in spec:
        options = [o for o in spec["anyOf"] if o.get("type") != "null"]
        nullable = len(options) < len(spec["anyOf"])
        if len(options) == 1:
            spec = {**spec, **options[0]}
            spec.pop("anyOf")
    if "$ref" in spec:
        name = spec["$ref"].rsplit("/", 1)[-1]
        spec = {**root["$defs"][name], **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec, nullable


def _field(
    name: str,
    spec: dict[str, Any],
    root: dict[str, Any],
    t: Catalogue,
    choices: Choices,
    required: bool,
) -> dict[str, Any] | None:
    spec, _ = _resolve(spec, root)
    out: dict[str, Any] = {"name": name, "label": t.label(FIELDS, name), "required": required}
    kind = spec.get("type")
    if "anyOf" in spec:  # str | list[str] (evidence) and the like: a list of lines
        kinds = {o.get("type") for o in spec["anyOf"]}
        if kinds <= {"string", "array", "boolean"}:
            return {**out, "widget": "list"} if "array" in kinds else {**out, "widget": "string"}
        return None
    if "enum" in spec or "const" in spec:
        values = spec.get("enum") or [spec["const"]]
        return {**out, "widget": "select", "options": _options(values, t)}
    if name in choices.by_field and kind == "string":
        options = [{"label": label, "value": value} for value, label in choices.by_field[name]]
        return {**out, "widget": "select", "options": options}
    if name in PEOPLE and kind == "string" and choices.people:
        return {**out, "widget": "select", "options": choices.people}
    if kind == "string" and spec.get("format") == "date":
        return {**out, **DATE}
    if kind == "string":
        return {**out, "widget": "text" if name in LONG else "string"}
    if name == "amount" and kind == "number":  # a sum as people type it: 8000万, 1.2亿
        return {
            **out,
            "widget": "string",
            "hint": t("in 元; 8000万, 1.2亿 and 3,000,000 are read too"),
        }
    if kind in ("integer", "number"):
        number = {**out, "widget": "number", "value_type": "int" if kind == "integer" else "float"}
        for key, decap in (("minimum", "min"), ("maximum", "max")):
            if key in spec:
                number[decap] = spec[key]
        return number
    if kind == "boolean":
        return {**out, "widget": "boolean"}
    if kind == "array":
        return _list(out, spec, root, t, choices)
    if kind == "object" and spec.get("properties"):
        inner = _properties(spec, root, t, choices, required)
        return {**out, "widget": "object", "collapsed": not required, "fields": inner}
    return None  # a mapping with free keys: kept as it is


def _list(
    out: dict[str, Any], spec: dict[str, Any], root: dict[str, Any], t: Catalogue, choices: Choices
) -> dict[str, Any] | None:
    items, _ = _resolve(spec.get("items", {}), root)
    name = out["name"]
    if name in PEOPLE_LISTS and choices.people:
        return {**out, "widget": "select", "multiple": True, "options": choices.people}
    if items.get("type") == "object" and items.get("properties"):
        inner = _properties(items, root, t, choices, True)  # an item, once added
        first = next((f["name"] for f in inner if f.get("widget") in ("string", "text")), None)
        extra = {"summary": "{{fields." + first + "}}"} if first else {}
        return {**out, "widget": "list", "collapsed": True, "fields": inner, **extra}
    if items.get("type") in ("string", "integer", "number"):
        return {**out, "widget": "list"}
    return None


def _options(values: list[Any], t: Catalogue) -> list[dict[str, Any]]:
    labels = next((m for m in VALUE_LABELS if set(values) <= set(m)), {})
    return [{"label": t.label(labels, v) if v in labels else str(v), "value": v} for v in values]


#: a date picker that stores what docgen reads: ``2026-11-26``, no time, no time zone
DATE = {
    "widget": "datetime",
    "format": "YYYY-MM-DD",
    "date_format": "YYYY-MM-DD",
    "time_format": False,
    "picker_utc": True,
}
