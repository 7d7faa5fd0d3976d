"""Rule kinds about document records: a status reached, not signed, archived, versioned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from docgen.core.i18n import msg
from docgen.domain import vocabulary
from docgen.domain.ids import Id
from docgen.domain.model import DOCUMENT_STATUS_ORDER
from docgen.domain.rules.base import Context, RuleKind, Unmet, document_kind_title
from docgen.domain.terms import current_term

if TYPE_CHECKING:
    from docgen.core.i18n import Catalogue
    from docgen.domain.process import Process


class DocumentStatus(RuleKind):
    """A document record exists and has reached at least ``status``."""

    kind: Literal["document_status"]
    document: Id
    status: Literal["draft", "review", "approved", "signed"]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """No record, a record short of the status, or (a renewal) signed for an earlier term."""
        doc = ctx.engagement.documents.get(self.document)
        title = ctx.document_title(self.document)
        if doc is None:
            yield Unmet(
                ctx.index_where("stage"),
                msg(
                    "%(title)s has no record yet (documents/%(document)s.md); "
                    "it must be %(status)s",
                    document=self.document,
                    title=title,
                    status=vocabulary.label(vocabulary.DOC_STATUS, self.status),
                ),
            )
        elif (
            ctx.this_term
            and self.status == "signed"
            and doc.data.status == "signed"
            and ctx.engagement.index is not None
            and (start := current_term(ctx.engagement.index.data).start) is not None
            and (doc.data.signed is None or doc.data.signed < start)
        ):
            yield Unmet(
                doc.at("status"),
                msg(
                    "%(title)s was signed for an earlier term (%(signed)s); the new term needs "
                    "a new version signed",
                    title=title,
                    signed=doc.data.signed or "—",
                ),
            )
        elif DOCUMENT_STATUS_ORDER.index(doc.data.status) < DOCUMENT_STATUS_ORDER.index(
            self.status
        ):
            yield Unmet(
                doc.at("status"),
                msg(
                    "%(title)s is %(status)s; it must be %(status2)s",
                    title=title,
                    status=vocabulary.label(vocabulary.DOC_STATUS, doc.data.status),
                    status2=vocabulary.label(vocabulary.DOC_STATUS, self.status),
                ),
            )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t(
            "%(document)s has a record and is at least %(status)s.",
            document=document_kind_title(process, self.document),
            status=t.label(vocabulary.DOC_STATUS, self.status),
        )


class NotSigned(RuleKind):
    """A document is not signed yet: what stands before the signing, e.g. a lost lead."""

    kind: Literal["not_signed"]
    document: Id

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """The document, if it is signed."""
        doc = ctx.engagement.documents.get(self.document)
        if doc is not None and doc.data.status == "signed":
            yield Unmet(
                doc.at("status"),
                msg(
                    "%(title)s is signed: a signed cooperation ends with 'docgen terminate'",
                    title=ctx.document_title(self.document),
                ),
            )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t(
            "%(document)s is not signed.", document=document_kind_title(process, self.document)
        )


class DocumentsArchived(RuleKind):
    """Every passed stage's archived documents have a record in documents/."""

    kind: Literal["documents_archived"]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each document of a passed stage with no record."""
        process = ctx.process
        passed = {s.id for s in process.stages[: process.stage_index.get(ctx.current, 0)]}
        for doc in process.documents:
            if doc.archive and doc.stage in passed and doc.id not in ctx.engagement.documents:
                yield Unmet(
                    ctx.index_where("stage"),
                    msg(
                        (
                            "%(stage)s is passed but %(title)s (documents/%(id)s.md) is not "
                            "archived: record its approval with docgen approve %(engagement)s "
                            "%(title)s --by NAME"
                        ),
                        stage=process.stages[process.stage_index[doc.stage]].title,
                        id=doc.id,
                        title=doc.title,
                        engagement=ctx.engagement.id,
                    ),
                )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t("Every passed stage's documents have a record in documents/.")


class DocumentsVersioned(RuleKind):
    """Approved and signed documents carry a version and their approvals."""

    kind: Literal["documents_versioned"]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each approved or signed record without a version or an approval."""
        for doc_id, doc in ctx.engagement.documents.items():
            if doc.data.status in ("approved", "signed"):
                if not doc.data.version:
                    yield Unmet(
                        doc.at("status"),
                        msg(
                            "%(doc_id)s is %(status)s but has no version",
                            doc_id=doc_id,
                            status=doc.data.status,
                        ),
                    )
                if not doc.data.approvals:
                    yield Unmet(
                        doc.at("status"),
                        msg(
                            "%(doc_id)s is %(status)s but records no approval",
                            doc_id=doc_id,
                            status=doc.data.status,
                        ),
                    )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t("Approved and signed documents carry a version and their approvals.")
