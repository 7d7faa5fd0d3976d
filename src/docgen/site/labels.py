"""Words for what the site says about rules: gate rules in words, the fields they name.

The fields' labels are the one table, `docgen.domain.labels`.

The labels of fixed values (statuses, states …) are in `docgen.domain.vocabulary`.
"""

from __future__ import annotations

from docgen.core.i18n import Catalogue
from docgen.domain import process as p
from docgen.domain.labels import field_label
from docgen.domain.process import Process, Rule
from docgen.domain.vocabulary import DOC_STATUS


def describe_rule(rule: Rule, process: Process, t: Catalogue) -> str:
    """What a gate rule checks, in the reader's words (never the rule's kind)."""
    sep = "、" if t.language == "zh" else ", "

    def items(ids: list[str]) -> str:
        return sep.join(process.items[i][2].title if i in process.items else i for i in ids)

    def fields(paths: list[str]) -> str:
        return sep.join(_field_words(path, t) for path in paths)

    def document(kind: str) -> str:
        kinds = process.document_kinds
        return kinds[kind].title if kind in kinds else kind

    if isinstance(rule, p.RequiredItems):
        return t("Every required checklist item is done, or marked not applicable with a reason.")
    if isinstance(rule, p.ItemsDone):
        text = t("Done: %(items)s.", items=items(rule.items))
        if not rule.allow_waiver:
            text += t(" Marking them not applicable does not count.")
        return text
    if isinstance(rule, p.ItemsBefore):
        if rule.before.item:
            trigger = items([rule.before.item])
        else:
            trigger = t(
                "%(document)s reaching %(status)s",
                document=document(rule.before.document or ""),
                status=t.label(DOC_STATUS, rule.before.status or "signed"),
            )
        return t(
            "Before %(trigger)s: %(items)s are done.", trigger=trigger, items=items(rule.items)
        )
    if isinstance(rule, p.HighRisksHandled):
        return t(
            "Every open risk with probability × impact of %(threshold)s or more has an owner, "
            "a response plan and has been escalated.",
            threshold=process.risk.high_threshold,
        )
    if isinstance(rule, p.KpisWithTargets):
        return t.ngettext(
            "At least %(num)s KPI, each with a target.",
            "At least %(num)s KPIs, each with a target.",
            rule.min,
        )
    if isinstance(rule, p.PlanWithOwners):
        return t.ngettext(
            "At least %(num)s task in the plan, each with %(fields)s.",
            "At least %(num)s tasks in the plan, each with %(fields)s.",
            rule.min_tasks,
            fields=fields([f"tasks.{name}" for name in rule.fields]),
        )
    if isinstance(rule, p.FieldsPresent):
        return t("index.md gives %(fields)s.", fields=fields(rule.fields))
    if isinstance(rule, p.DocumentStatus):
        return t(
            "%(document)s has a record and is at least %(status)s.",
            document=document(rule.document),
            status=t.label(DOC_STATUS, rule.status),
        )
    if isinstance(rule, p.OwnersNamed):
        return t("Open checklist items with a due date, tasks and risks all name an owner.")
    if isinstance(rule, p.DocumentsArchived):
        return t("Every passed stage's documents have a record in documents/.")
    if isinstance(rule, p.DocumentsVersioned):
        return t("Approved and signed documents carry a version and their approvals.")
    return rule.kind


def _field_words(path: str, t: Catalogue) -> str:
    """A field as a sentence names it: its label, lower-cased mid-sentence in English."""
    label = field_label(path)
    if label is None:
        return path
    words = t(label)
    if t.language == "en" and words[1:2].islower():
        return words[0].lower() + words[1:]
    return words
