"""Rule kinds about the checklist: required items, named items, items before a step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Literal

from docgen.core.diagnostics import Location
from docgen.core.i18n import msg
from docgen.core.schema import Strict
from docgen.domain import vocabulary
from docgen.domain.engagement import Engagement
from docgen.domain.ids import Id, ItemId
from docgen.domain.model import DOCUMENT_STATUS_ORDER
from docgen.domain.rules.base import (
    Context,
    RuleKind,
    Unmet,
    document_kind_title,
    is_done,
    is_waived,
    item_state,
    item_titles,
)
from docgen.domain.terms import archived_states

if TYPE_CHECKING:
    from docgen.core.i18n import Catalogue
    from docgen.domain.process import Process


class RequiredItems(RuleKind):
    """Every required item of a stage is done, or waived with a written reason."""

    kind: Literal["required_items"]
    stage: Id | None = None

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each required item of the stage (the guarded one, by default) not done or waived."""
        stage_id = self.stage or ctx.stage_id
        origin = ctx.engagement.index.data.origin if ctx.engagement.index else None
        for item_id in ctx.process.stage_items(stage_id):
            if ctx.process.items[item_id][2].required and ctx.process.item_applies(item_id, origin):
                unmet = _item_unmet(ctx, item_id, allow_waiver=True)
                if unmet:
                    yield unmet

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t("Every required checklist item is done, or marked not applicable with a reason.")


class ItemsDone(RuleKind):
    """The listed items are done (waivers count only if ``allow_waiver``)."""

    kind: Literal["items_done"]
    items: list[ItemId]
    allow_waiver: bool = False

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each listed item not done (or waived, where that counts)."""
        for item_id in self.items:
            unmet = _item_unmet(ctx, item_id, self.allow_waiver)
            if unmet:
                yield unmet

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        text = t("Done: %(items)s.", items=item_titles(process, self.items, t))
        if not self.allow_waiver:
            text += t(" Marking them not applicable does not count.")
        return text


class Trigger(Strict):
    """What a prerequisite guards: an item marked done, or a document reaching a status."""

    item: ItemId | None = None
    document: Id | None = None
    status: Literal["review", "approved", "signed"] | None = None


class ItemsBefore(RuleKind):
    """Once the trigger has happened, the items must be done, and on or before its date."""

    kind: Literal["items_before"]
    before: Trigger
    items: list[ItemId]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each item not done by the day the trigger happened (nothing before it happens)."""
        trigger = self._trigger_date(ctx)
        if trigger is None:
            return
        when, where = trigger
        for item_id in self.items:
            _, state = item_state(ctx.engagement, ctx.process, item_id)
            if ctx.engagement.index is not None and state is not None and state.done is not None:
                # an item re-opened by a renewal and done again later: its first term's record
                index = ctx.engagement.index.data
                earlier = [s for s in archived_states(index, item_id) if s.done]
                state = min([state, *earlier], key=lambda s: s.done or when)
            title = ctx.process.items[item_id][2].title
            if state is None or state.done is None:
                yield Unmet(
                    where,
                    msg("signed on %(when)s but '%(title)s' is not done", when=when, title=title),
                )
            elif state.done > when:
                yield Unmet(
                    where,
                    msg(
                        ("signed on %(when)s but '%(title)s' was done later, on %(done)s"),
                        when=when,
                        title=title,
                        done=state.done,
                    ),
                )

    def _trigger_date(self, ctx: Context) -> tuple[date, Location] | None:
        e = ctx.engagement
        if self.before.item:
            file, state = item_state(e, ctx.process, self.before.item)
            if file is not None and state is not None and state.done is not None:
                return state.done, file.at("checklist", self.before.item, "done")
            return None
        if self.before.document:
            doc = e.documents.get(self.before.document)
            wanted = DOCUMENT_STATUS_ORDER.index(self.before.status or "signed")
            if doc and DOCUMENT_STATUS_ORDER.index(doc.data.status) >= wanted:
                when = doc.data.signed or max(
                    (a.date for a in doc.data.approvals), default=ctx.today
                )
                return when, doc.at("status")
        return None

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        if self.before.item:
            trigger = item_titles(process, [self.before.item], t)
        else:
            trigger = t(
                "%(document)s reaching %(status)s",
                document=document_kind_title(process, self.before.document or ""),
                status=t.label(vocabulary.DOC_STATUS, self.before.status or "signed"),
            )
        return t(
            "Before %(trigger)s: %(items)s are done.",
            trigger=trigger,
            items=item_titles(process, self.items, t),
        )


def _item_where(engagement: Engagement, process: Process, item_id: str) -> Location:
    file, _ = item_state(engagement, process, item_id)
    if file is not None:
        return file.at("checklist", item_id) if item_id in file.data.checklist else file.at()
    if engagement.index is not None:
        return engagement.index.at("stage")
    return Location(f"{engagement.rel}/index.md")


def _item_unmet(ctx: Context, item_id: str, allow_waiver: bool) -> Unmet | None:
    engagement, process = ctx.engagement, ctx.process
    _, state = item_state(engagement, process, item_id, ctx.this_term)
    if is_done(state) or (allow_waiver and is_waived(state)):
        return None
    stage, _, item = process.items[item_id]
    if state is None and engagement.stages.get(stage.id) is None:
        why = msg("is not recorded (%(file)s is missing)", file=stage.file)
    elif is_waived(state) and not allow_waiver:
        why = msg("is waived, but this rule does not accept a waiver")
    else:
        why = msg("is not done")
    return Unmet(
        _item_where(engagement, process, item_id),
        msg("'%(title)s' %(why)s", title=item.title, why=why),
        state.owner if state else None,
    )
