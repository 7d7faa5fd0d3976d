"""Words for what the site says about rules: gate rules in words, the fields they name.

The labels of fixed values (statuses, states …) are in `docgen.domain.vocabulary`.
"""

from __future__ import annotations

from docgen.core.i18n import N_, Catalogue
from docgen.domain import process as p
from docgen.domain.process import Process, Rule
from docgen.domain.vocabulary import DOC_STATUS

#: index.md fields that gate rules name, as a reader calls them
FIELDS = {
    "terms.profit_split": N_("the profit split"),
    "terms.exit_mechanism": N_("the exit mechanism"),
    "terms.dispute_resolution.method": N_("the dispute-resolution method"),
    "terms.adjustment_triggers": N_("the adjustment triggers"),
    "partner.credit_code": N_("the partner's unified social credit code"),
    "partner.address": N_("the partner's address"),
    "communication.meetings": N_("the regular meetings"),
    "owner": N_("owner"),
    "due": N_("due date"),
    "deliverable": N_("deliverable standard"),
}


def describe_rule(rule: Rule, process: Process, t: Catalogue) -> str:
    """What a gate rule checks, in the reader's words (never the rule's kind)."""
    sep = "、" if t.language == "zh" else ", "

    def items(ids: list[str]) -> str:
        return sep.join(process.items[i][2].title if i in process.items else i for i in ids)

    def fields(names: list[str]) -> str:
        return sep.join(t.label(FIELDS, f) for f in names)

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
            fields=fields(list(rule.fields)),
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
