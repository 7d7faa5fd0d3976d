"""One label table (issue 28): every field is called by `docgen.domain.labels`, once.

The web editor, ``docgen add`` and the site's words for gate rules named fields from
three tables of their own, and the same field was called three things.  Now one table
holds them: no other module keeps a table of field labels, every field of every file
kind has its label there, and each reader says the label the table gives.
"""

from __future__ import annotations

import ast
from typing import Any

from pydantic import BaseModel

from conftest import REPO
from docgen.core.i18n import catalogue
from docgen.domain.labels import FIELDS, field_label
from docgen.domain.model import ENGAGEMENT_FILES
from docgen.edits import records

SRC = REPO / "src" / "docgen"


def _field_names(model: type[BaseModel], seen: set[type[BaseModel]]) -> set[str]:
    """Every field name of ``model`` and the models inside it."""
    if model in seen:
        return set()
    seen.add(model)
    names: set[str] = set()
    for name, info in model.model_fields.items():
        names.add(info.alias or name)
        for inner in _models_in(info.annotation):
            names |= _field_names(inner, seen)
    return names


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models_in(arg)]


def test_every_field_of_every_file_kind_has_a_label() -> None:
    seen: set[type[BaseModel]] = set()
    names = set().union(*(_field_names(kind.model, seen) for kind in ENGAGEMENT_FILES))
    # a checklist item's id is a key of the checklist, not a field
    missing = sorted(n for n in names if field_label(n) is None)
    assert not missing, f"fields with no label in docgen.domain.labels: {missing}"


def test_no_other_module_keeps_a_table_of_field_labels() -> None:
    """A dict literal naming two or more fields' labels outside the one table is a copy.

    An entry names a field's label when its key is a dotted field path, or a field's key
    with the very words the table gives it (``"owner": N_("Owner")``).
    """
    seen: set[type[BaseModel]] = set()
    names = set().union(*(_field_names(kind.model, seen) for kind in ENGAGEMENT_FILES))
    tables = []
    for path in SRC.rglob("*.py"):
        if path == SRC / "domain" / "labels.py":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            copies = 0
            for key, value in zip(node.keys, node.values, strict=True):
                if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
                    continue
                said = (
                    value.args[0].value
                    if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "N_"
                    and value.args and isinstance(value.args[0], ast.Constant)
                    else None
                )  # fmt: skip
                dotted = "." in key.value and key.value.split(".")[-1] in names
                if said is not None and (dotted or (key.value in names and said == FIELDS.get(key.value))):
                    copies += 1
            if copies >= 2:
                tables.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not tables, f"field labels kept outside docgen.domain.labels: {tables}"


def test_docgen_add_says_the_tables_words() -> None:
    zh = catalogue("zh")
    risk = {f.key: zh(f.label) for f in records.FIELDS["risk"]}
    assert risk["title"] == "风险" and risk["owner"] == zh(FIELDS["owner"]) == "负责人"
    task = {f.key: zh(f.label) for f in records.FIELDS["task"]}
    assert task["title"] == "任务" and task["due"] == "完成时限"
    assert task["item"] == zh(FIELDS["tasks.item"])
    # the most specific entry wins, then the key's own
    assert field_label("terms.dispute_resolution.method") == FIELDS["terms.dispute_resolution.method"]
    assert field_label("meetings.method") == FIELDS["method"]
    assert field_label("nothing.such") is None


def test_the_site_names_a_rules_fields_by_the_table() -> None:
    from docgen.domain.process import load_process
    from docgen.domain.rules import FieldsPresent, PlanWithOwners

    process = load_process(REPO / "src/docgen/data/process.yml", "process.yml")
    zh, en = catalogue("zh"), catalogue("en")
    fields = FieldsPresent(kind="fields_present", fields=["terms.profit_split", "partner.credit_code"])
    said = fields.describe(process, zh)
    assert "利益分配机制、合作方统一社会信用代码" in said, said
    said = fields.describe(process, en)
    assert "profit-sharing mechanism, partner's unified social credit code" in said, said
    plan = PlanWithOwners(kind="plan_with_owners", min_tasks=1, fields=["owner", "due"])
    said = plan.describe(process, zh)
    assert "负责人、完成时限" in said, said
