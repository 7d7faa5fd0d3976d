"""Recording a document's approval and signing: the record changes, the text is frozen.

`plan_approve` and `plan_sign` plan edits the way the stage transitions do (a
`docgen.edits.workflow.Transition`: refused with located reasons, or a set of files to write
atomically, shown with ``--dry-run``, committed with ``--commit``).  Each writes the
document record with the same comment-keeping edits, and the frozen text of every
language of the document (`docgen.documents.frozen`), made afresh from the data as it
stands with the record as it will be.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from docgen.checks.validate import check_engagement
from docgen.core.diagnostics import Diagnostic, DocgenError, Location
from docgen.core.fingerprint import file_sha256
from docgen.core.i18n import msg
from docgen.core.paths import is_inside
from docgen.documents.freeze import texts_to_freeze
from docgen.documents.frozen import (
    PER_DOCUMENT,
    FrozenText,
    changed_values,
    frozen_file_text,
    frozen_text_findings,
    read_frozen,
    record_digests,
)
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import AmendedBy, Approval, DocumentRecord, ExecutedCopy
from docgen.edits.records import new_record_text
from docgen.edits.workflow import Transition
from docgen.workspace.edit import FrontMatterEdit
from docgen.workspace.load import Portfolio, load_engagement


def _with_new_record(portfolio: Portfolio, e: Engagement, doc_id: str) -> Engagement:
    """``e`` as it would be with a new record of ``doc_id`` (version 1.0, draft), unwritten."""
    rel = f"{e.rel}/documents/{doc_id}.md"
    text = new_record_text(_title(portfolio, doc_id))
    found: list[Diagnostic] = []
    workspace, process = portfolio.workspace, portfolio.process
    return load_engagement(e.folder, workspace, process, found, overlay={rel: text})


def _record(
    portfolio: Portfolio, engagement_id: str, doc_id: str, *, create: bool = False
) -> tuple[Engagement, Sourced[DocumentRecord]]:
    """The engagement and its record of ``doc_id`` (an id, as `Process.document_named` gives)."""
    e = portfolio.editable(engagement_id)
    assert e.index is not None  # editable: every file loaded
    sourced = e.documents.get(doc_id)
    if sourced is None and create:
        e = _with_new_record(portfolio, e, doc_id)
        sourced = e.documents.get(doc_id)
    if sourced is None:
        raise DocgenError(
            msg(
                (
                    "%(id)s keeps no record of %(doc_id)s: create "
                    "%(rel)s/documents/%(doc_id)s.md with its version (version: "
                    '"1.0")'
                ),
                id=e.id,
                doc_id=doc_id,
                rel=e.rel,
            )
        )
    if not sourced.data.version:
        raise DocgenError(
            msg('%(path)s gives no version; write one, e.g. version: "1.0"', path=sourced.path)
        )
    return e, sourced


def _title(portfolio: Portfolio, doc_id: str) -> str:
    """How the people the summary and the commit message speak to name the document."""
    kind = portfolio.process.document_kinds.get(doc_id)
    return kind.title if kind else doc_id


def _with_record(
    e: Engagement, sourced: Sourced[DocumentRecord], record: DocumentRecord, doc_id: str
) -> Engagement:
    return replace(e, documents={**e.documents, doc_id: replace(sourced, data=record)})


def _plan(
    portfolio: Portfolio,
    e: Engagement,
    changed: Engagement,
    doc_id: str,
    edit: FrontMatterEdit,
    summary: str,
    unmet: list[Diagnostic],
) -> tuple[Transition, list[tuple[Path, FrozenText]]]:
    """The transition: new findings the change would cause, the record, the frozen texts."""
    today, root = portfolio.workspace.today(), portfolio.workspace.root
    before = set(check_engagement(e, portfolio, today))
    unmet = unmet + [
        d for d in check_engagement(changed, portfolio, today) if d.is_error and d not in before
    ]
    texts, problems = texts_to_freeze(portfolio, changed, doc_id)
    unmet += [d for d in problems if d.is_error]
    # a frozen text changed by hand is never approved or signed over
    unmet += [d for d in frozen_text_findings(e, doc_id, e.documents[doc_id], root) if d.is_error]
    plan = Transition(e, summary, unmet)
    digests = {}
    for path, text in texts:
        data = frozen_file_text(text).encode("utf-8")
        plan.writes[path] = data
        digests[path.name] = hashlib.sha256(data).hexdigest()
    record_digests(edit, e.documents[doc_id].data, digests)
    plan.writes[edit.path] = edit.result()
    return plan, texts


def plan_approve(
    portfolio: Portfolio,
    engagement_id: str,
    doc_id: str,
    by: str,
    role: str | None = None,
    day: date | None = None,
) -> Transition:
    """Plan recording ``by``'s approval of the document's current version, and freezing it."""
    doc_id = portfolio.process.document_named(doc_id)
    e, sourced = _record(portfolio, engagement_id, doc_id, create=True)
    record = sourced.data
    version = record.version
    assert version is not None
    if record.status == "signed":
        raise DocgenError(
            msg(
                (
                    "%(doc_id)s %(version)s of %(id)s is signed; approvals come "
                    "before signing. A new version starts with status: draft and "
                    "a new version number in %(path)s"
                ),
                doc_id=doc_id,
                version=version,
                id=e.id,
                path=sourced.path,
            )
        )
    if any(a.by == by and a.version == version for a in record.approvals):
        raise DocgenError(
            msg(
                "%(by)s has already approved %(doc_id)s %(version)s of %(id)s",
                by=by,
                doc_id=doc_id,
                version=version,
                id=e.id,
            )
        )
    day = day or portfolio.workspace.today()
    approval = Approval(by=by, role=role, date=day, version=version)
    path = e.folder / "documents" / f"{doc_id}.md"
    made = None if path.exists() else new_record_text(_title(portfolio, doc_id))
    edit = FrontMatterEdit.open(path, sourced.path, made)
    edit.append("approvals", approval.model_dump(exclude_none=True))
    if record.status != "approved":
        edit.set(("status",), "approved")
    new = record.model_copy(
        update={"status": "approved", "approvals": [*record.approvals, approval]}
    )
    changed = _with_record(e, sourced, new, doc_id)
    plan, _ = _plan(
        portfolio,
        e,
        changed,
        doc_id,
        edit,
        msg(
            "approve %(id)s %(doc)s %(version)s (%(by)s)",
            id=e.id,
            doc=_title(portfolio, doc_id),
            version=version,
            by=by,
        ),
        [],
    )
    return plan


def plan_sign(
    portfolio: Portfolio,
    engagement_id: str,
    doc_id: str,
    day: date,
    executed: Path | None = None,
) -> Transition:
    """Plan recording the signing of the approved version, freezing the signed text.

    ``executed`` is the scanned executed copy, a file in the engagement folder; its
    sha256 is recorded so that a later change to it is reported.
    """
    doc_id = portfolio.process.document_named(doc_id)
    e, sourced = _record(portfolio, engagement_id, doc_id)
    record = sourced.data
    version = record.version
    assert version is not None
    where = sourced.at("status")
    unmet: list[Diagnostic] = []
    if record.status == "signed":
        raise DocgenError(
            msg(
                ("%(doc_id)s %(version)s of %(id)s is signed already (on %(signed)s)"),
                doc_id=doc_id,
                version=version,
                id=e.id,
                signed=record.signed,
            )
        )
    if record.status != "approved" or not any(a.version == version for a in record.approvals):
        unmet.append(
            where.diagnostic(
                "error",
                "approval-stale",
                msg(
                    (
                        "%(doc_id)s %(version)s is %(status)s and has no approval of "
                        "version %(version)s"
                    ),
                    doc_id=doc_id,
                    version=version,
                    status=record.status,
                ),
                msg(
                    ("approve it first: docgen approve %(id)s %(doc_id)s --by NAME --role ROLE"),
                    id=e.id,
                    doc_id=doc_id,
                ),
            )
        )
    edit = FrontMatterEdit.open(e.folder / "documents" / f"{doc_id}.md", sourced.path)
    edit.set(("status",), "signed")
    edit.set(("signed",), day)
    copy = None
    if executed is not None:
        copy = _executed_copy(e, executed, portfolio.workspace.root)
        edit.add_mapping("executed", copy.model_dump())
    new = record.model_copy(update={"status": "signed", "signed": day, "executed": copy})
    changed = _with_record(e, sourced, new, doc_id)
    summary = msg(
        "sign %(id)s %(doc)s %(version)s (%(day)s)",
        id=e.id,
        doc=_title(portfolio, doc_id),
        version=version,
        day=day,
    )
    plan, texts = _plan(portfolio, e, changed, doc_id, edit, summary, unmet)
    plan.unmet += _changed_since_approval(e, doc_id, version, texts, portfolio.workspace.rel)
    kind = next(k for k in portfolio.process.documents if k.id == doc_id)
    if kind.amends:
        _record_amendment(e, kind.amends, doc_id, version, day, plan)
    return plan


def _record_amendment(
    e: Engagement, target: str, doc_id: str, version: str, day: date, plan: Transition
) -> None:
    """Note on the amended agreement's record that this signed document changes it.

    The agreement's frozen text stays as it was signed; its record says what changed it.
    """
    sourced = e.documents.get(target)
    if sourced is None or sourced.data.status != "signed":
        where = sourced.at("status") if sourced else e.documents[doc_id].at("status")
        plan.unmet.append(
            where.diagnostic(
                "error",
                "amends-unsigned",
                msg(
                    "%(doc_id)s amends %(target)s, which is not signed",
                    doc_id=doc_id,
                    target=target,
                ),
                msg("sign %(target)s first, or change it as a new version", target=target),
            )
        )
        return
    assert e.index is not None
    supplement = e.index.data.supplement
    articles = [c.article for c in supplement.changes] if supplement else []
    edit = FrontMatterEdit.open(e.folder / "documents" / f"{target}.md", sourced.path)
    entry = AmendedBy(document=doc_id, version=version, signed=day, articles=articles)
    edit.append("amended_by", entry.model_dump(exclude_defaults=True))
    plan.writes[edit.path] = edit.result()


def _executed_copy(e: Engagement, file: Path, root: Path) -> ExecutedCopy:
    path = file if file.is_absolute() else Path.cwd() / file
    if not path.is_file():
        raise DocgenError(msg("no file %(file)s", file=file))
    if not is_inside(e.folder, path) or not is_inside(root, path):
        raise DocgenError(
            msg(
                (
                    "%(file)s is not in %(rel)s/: copy the scanned executed copy "
                    "into the engagement folder (e.g. "
                    "%(rel)s/documents/executed/), commit it, and name it here"
                ),
                file=file,
                rel=e.rel,
            )
        )
    rel = Path(path).resolve().relative_to(e.folder.resolve()).as_posix()
    return ExecutedCopy(file=rel, sha256=file_sha256(path))


def _changed_since_approval(
    e: Engagement,
    doc_id: str,
    version: str,
    texts: list[tuple[Path, FrozenText]],
    rel: Callable[[Path], str],
) -> list[Diagnostic]:
    """What in the data changed between the approved text and the one to be signed."""
    found = []
    for path, text in texts:
        if not path.is_file():
            continue  # approved before texts were frozen: nothing to compare
        approved = read_frozen(path, rel(path))
        changes = [
            f"{p}: {old} → {new}"
            for p, old, new in changed_values(approved.values, text.values)
            if p.split(".")[0] not in PER_DOCUMENT
        ]
        if changes:
            found.append(
                Location(rel(path)).diagnostic(
                    "error",
                    "approved-document-changed",
                    msg(
                        (
                            "the text of %(doc_id)s %(version)s changed since it was "
                            "approved (%(changes)s)"
                        ),
                        doc_id=doc_id,
                        version=version,
                        changes="; ".join(changes[:5]),
                    ),
                    msg(
                        (
                            "approve it again: docgen approve %(id)s %(doc_id)s --by "
                            "NAME --role ROLE"
                        ),
                        id=e.id,
                        doc_id=doc_id,
                    ),
                )
            )
    return found
