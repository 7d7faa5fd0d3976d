"""The process's rules, one unit a kind: its schema, its check and its words together.

A rule kind is a `RuleKind` class: its fields are what the process file gives it
(``kind: items_done``, ``items: [...]``), `RuleKind.unmet` checks an engagement against
it, and `RuleKind.describe` says what it checks in the reader's words (the site's
procedure page).  To add a kind, write its class in the module of its subject and add
it to `Rule`, the process file's schema for a rule (`KINDS` lists them).
"""

from __future__ import annotations

from typing import Annotated, get_args

from pydantic import Field

from docgen.domain.rules.base import (
    Context,
    RuleKind,
    Unmet,
    is_done,
    is_waived,
    item_state,
)
from docgen.domain.rules.checklist import ItemsBefore, ItemsDone, RequiredItems, Trigger
from docgen.domain.rules.documents import (
    DocumentsArchived,
    DocumentStatus,
    DocumentsVersioned,
    NotSigned,
)
from docgen.domain.rules.execution import (
    HighRisksHandled,
    KpisWithTargets,
    OwnersNamed,
    PlanWithOwners,
)
from docgen.domain.rules.index_fields import FieldsPresent

#: a rule as the process file gives it: one of the kinds, chosen by its ``kind``
Rule = Annotated[
    RequiredItems
    | ItemsDone
    | ItemsBefore
    | HighRisksHandled
    | KpisWithTargets
    | PlanWithOwners
    | FieldsPresent
    | DocumentStatus
    | NotSigned
    | OwnersNamed
    | DocumentsArchived
    | DocumentsVersioned,
    Field(discriminator="kind"),
]
#: every rule kind, in the order the README lists them
KINDS: tuple[type[RuleKind], ...] = get_args(get_args(Rule)[0])

__all__ = [
    "KINDS",
    "Context",
    "DocumentStatus",
    "DocumentsArchived",
    "DocumentsVersioned",
    "FieldsPresent",
    "HighRisksHandled",
    "ItemsBefore",
    "ItemsDone",
    "KpisWithTargets",
    "NotSigned",
    "OwnersNamed",
    "PlanWithOwners",
    "RequiredItems",
    "Rule",
    "RuleKind",
    "Trigger",
    "Unmet",
    "is_done",
    "is_waived",
    "item_state",
]
