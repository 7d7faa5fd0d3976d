"""What every rule kind shares: the context it is checked in, its findings, checklist state.

A rule kind is a unit (`docgen.domain.rules`): its schema (the fields the process file
gives it), its check (`RuleKind.unmet`) and its description in the reader's words
(`RuleKind.describe`) stand together in one class.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from docgen.core.diagnostics import Location
from docgen.core.i18n import Message, msg
from docgen.core.schema import Strict
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.labels import field_label
from docgen.domain.model import ItemState, StageFile
from docgen.domain.terms import archived_state

if TYPE_CHECKING:
    from docgen.core.i18n import Catalogue
    from docgen.domain.process import Process


@dataclass(frozen=True, slots=True)
class Unmet:
    """One reason a rule does not hold."""

    where: Location
    message: str
    owner: str | None = None


@dataclass(slots=True)
class Context:
    """What a rule sees: the engagement, the process, today, and the stage it guards."""

    engagement: Engagement
    process: Process
    today: date
    stage_id: str
    current: str
    #: a renewal's gate: re-opened items count only when done in the current term
    this_term: bool = False

    def index_where(self, *loc: str) -> Location:
        """A location in index.md (its top if index.md failed to load)."""
        e = self.engagement
        return e.index.at(*loc) if e.index else Location(f"{e.rel}/index.md")

    def document_title(self, doc_id: str) -> str:
        """The title of a document kind."""
        return next((d.title for d in self.process.documents if d.id == doc_id), doc_id)


class RuleKind(Strict):
    """A kind of rule: the process file's fields for it, its check and its description.

    A rule may override the diagnostic code and add a message of its own; it yields
    `Unmet` findings and knows nothing of severity: the caller decides whether an unmet
    rule is an error (a gate the engagement has passed), a warning (a policy) or a to-do
    (the gate of the current stage).
    """

    code: str | None = None
    message: str | None = None

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Every reason the rule does not hold for the engagement in ``ctx``."""
        raise NotImplementedError

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words (never the rule's kind)."""
        raise NotImplementedError


def item_state(
    engagement: Engagement, process: Process, item_id: str, this_term: bool = False
) -> tuple[Sourced[StageFile] | None, ItemState | None]:
    """The stage file an item belongs in, and the item's state there (None if absent).

    An item re-opened by a renewal and not done again counts with its state of the term
    it was done in, unless ``this_term`` (the next renewal's gate) asks for this term's.
    """
    stage, _, _ = process.items[item_id]
    file = engagement.stages.get(stage.id)
    if file is None:
        return None, None
    state = file.data.checklist.get(item_id)
    if not this_term and not is_done(state) and not is_waived(state) and engagement.index:
        state = archived_state(engagement.index.data, item_id) or state
    return file, state


def is_done(state: ItemState | None) -> bool:
    """Whether the item is marked done."""
    return state is not None and state.done is not None


def is_waived(state: ItemState | None) -> bool:
    """Whether the item is waived with a written reason."""
    return state is not None and isinstance(state.waived, str) and bool(state.waived.strip())


def item_titles(process: Process, ids: list[str], t: Catalogue) -> str:
    """Checklist items by their titles, as a list in a sentence."""
    return t.join([process.items[i][2].title if i in process.items else i for i in ids])


def document_kind_title(process: Process, kind: str) -> str:
    """A document kind by its title."""
    kinds = process.document_kinds
    return kinds[kind].title if kind in kinds else kind


def too_few(
    ctx: Context, file: Sourced[Any] | None, name: str, count: int, needed: int, what: Message
) -> Unmet:
    """Too few entries in ``name``: at its top, or at the file itself when it is missing."""
    if file is None:
        where = Location(f"{ctx.engagement.rel}/{name}")
        return Unmet(
            where,
            msg(
                "%(name)s does not exist; at least %(needed)s %(what)s needed",
                name=name,
                needed=needed,
                what=what,
            ),
        )
    return Unmet(
        file.at(),
        msg(
            ("%(name)s holds %(count)s %(what)s; at least %(needed)s needed"),
            name=name,
            count=count,
            what=what,
            needed=needed,
        ),
    )


def field_words(path: str, t: Catalogue) -> str:
    """A field as a sentence names it: its label, lower-cased mid-sentence in English."""
    label = field_label(path)
    if label is None:
        return path
    words = t(label)
    if t.language == "en" and words[1:2].islower():
        return words[0].lower() + words[1:]
    return words
