"""Deliverable integrity: approved and signed texts stay as they were, approvals match.

Validation runs these for every document record:

- an approved or signed document whose text is not frozen yet (`document-not-frozen`);
- an edit that would change a frozen text: for a signed document an error
  (`signed-document-changed`), for an approved one a warning
  (`approved-document-changed`), each at the file:line of a field that changed, with the
  text's diff.  A signed agreement (``binding`` in the process file) is compared for
  good; any other frozen text only while the engagement is in the document's stage —
  after that it is a record of its time, and the data it was made from moves on;
- an approved or signed record without an approval of its version, or with one of a
  version it has not reached (`approval-stale`);
- a draft that reuses a frozen version number (`version-frozen`);
- a scanned executed copy that is missing or no longer matches its hash
  (`executed-copy-changed`).

A frozen text is compared only when the values its template reads differ from those it
was made with (one hash, read without parsing the file), so an unchanged engagement costs
a few dictionary lookups.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from docgen.core.diagnostics import Diagnostic, DocgenError, Location, Severity
from docgen.core.fingerprint import file_sha256
from docgen.core.i18n import msg
from docgen.core.paths import is_inside
from docgen.documents.context import DocView, document_context, field_location
from docgen.documents.frozen import (
    FrozenText,
    changed_values,
    frozen_path,
    frozen_text_findings,
    frozen_versions,
    read_frozen,
    read_values,
    stored_header,
    values_digest,
)
from docgen.documents.jobs import DocumentJob
from docgen.documents.parties import parties_again, source_path
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import DocumentRecord, version_key
from docgen.workspace.config import Workspace

#: Diff lines shown under a changed frozen text; the rest is counted.
DIFF_LINES = 40

Render = Callable[[DocumentJob, dict[str, Any]], str | None]


def record_findings(e: Engagement, workspace: Workspace) -> Iterator[Diagnostic]:
    """What is wrong with the records themselves: approvals, versions, executed copies."""
    for doc_id, sourced in sorted(e.documents.items()):
        record = sourced.data
        yield from _approvals(sourced)
        yield from frozen_text_findings(e, doc_id, sourced, workspace.root)
        if not record.final and record.version:
            for version, _, path in frozen_versions(e, doc_id):
                if version == record.version:
                    yield sourced.at("version").diagnostic(
                        "error",
                        "version-frozen",
                        msg(
                            (
                                "version %(version)s is %(status)s, but that version's text "
                                "is frozen (%(rel)s)"
                            ),
                            version=version,
                            status=record.status,
                            rel=workspace.rel(path),
                        ),
                        msg(
                            (
                                "a new draft needs a new version number, e.g. version: "
                                '"%(next_version)s"'
                            ),
                            next_version=_next_version(version),
                        ),
                    )
                    break
        if record.executed is not None:
            yield from _executed(e, sourced, workspace)


def _approvals(sourced: Sourced[DocumentRecord]) -> Iterator[Diagnostic]:
    record = sourced.data
    current = record.version
    for i, approval in enumerate(record.approvals):
        if current and version_key(approval.version) > version_key(current):
            yield sourced.at("approvals", i, "version").diagnostic(
                "error",
                "approval-stale",
                msg(
                    (
                        "this approval is of version %(version)s, which the record "
                        "(version %(current)s) has not reached"
                    ),
                    version=approval.version,
                    current=current,
                ),
                msg("correct the approval's version, or the record's"),
            )
    if not record.final:
        return
    if current and not any(a.version == current for a in record.approvals):
        others = sorted({a.version for a in record.approvals}, key=version_key)
        where = sourced.at("approvals") if record.approvals else sourced.at("status")
        yield where.diagnostic(
            "error",
            "approval-stale",
            msg(
                "the record says %(status)s at version %(version)s, but no approval of "
                "version %(version)s is on record (only of %(others)s)",
                status=record.status,
                version=current,
                others=others,
            )
            if others
            else msg(
                "the record says %(status)s at version %(version)s, but no approval of "
                "version %(version)s is on record",
                status=record.status,
                version=current,
            ),
            msg(
                (
                    "record the approval: docgen approve <engagement> <doc> --by "
                    "NAME --role ROLE; or, if %(current)s was never approved, "
                    "set the version back"
                ),
                current=current,
            ),
        )


def _executed(
    e: Engagement, sourced: Sourced[DocumentRecord], workspace: Workspace
) -> Iterator[Diagnostic]:
    executed = sourced.data.executed
    assert executed is not None
    path = e.folder / executed.file
    where = sourced.at("executed", "file")
    if not is_inside(workspace.root, path):  # named here, a link out: the copy is never read
        yield where.diagnostic(
            "error",
            "outside-workspace",
            msg(
                "the executed copy %(file)s resolves to %(real)s, outside the workspace",
                file=workspace.rel(path),
                real=os.path.realpath(path),
            ),
            msg("keep the scanned copy itself in the engagement folder, not a link to it"),
        )
        return
    try:
        digest = file_sha256(path)
    except OSError:
        yield where.diagnostic(
            "error",
            "executed-copy-changed",
            msg("the executed copy %(file)s is missing", file=executed.file),
            msg(
                "restore the scanned copy from git, or record it again with docgen sign --executed"
            ),
        )
        return
    if digest != executed.sha256:
        yield sourced.at("executed", "sha256").diagnostic(
            "error",
            "executed-copy-changed",
            msg(
                (
                    "the executed copy %(file)s no longer matches the sha256 "
                    "recorded when it was signed"
                ),
                file=executed.file,
            ),
            msg("restore the original scan from git; a signed copy is never replaced"),
        )


def _next_version(version: str) -> str:
    parts = version.split(".")
    if len(parts) == 1:
        return f"{version}.1"
    return ".".join([*parts[:-1], str(int(parts[-1]) + 1)])


def frozen_findings(
    job: DocumentJob,
    doc: DocView,
    context: dict[str, Any],
    workspace: Workspace,
    render: Render,
    *,
    compare: bool = True,
    shared: dict[str, tuple[str, Any]] | None = None,
) -> Iterator[Diagnostic]:
    """Whether ``job``'s approved or signed text is frozen, and would still be the same.

    The values the frozen text was made from are read again, by the paths it recorded;
    ``render`` makes the job's text from a context (None when that fails).  ``compare`` False only
    checks that the text is frozen (see the module's notes on ``binding``).  ``shared``
    is `read_values`' memory for the engagement's documents.
    """
    e = job.engagement
    sourced = e.documents.get(job.kind.id)
    if sourced is None:
        return
    record = sourced.data
    path = frozen_path(e, job.kind.id, doc.version, job.language)
    if not os.path.lexists(path):
        rel = workspace.rel(path)
        yield sourced.at("status").diagnostic(
            "warning",
            "document-not-frozen",
            msg(
                (
                    "%(title)s %(version)s is %(status)s, but its text is not "
                    "frozen (%(rel)s does not exist)"
                ),
                title=doc.title,
                version=doc.version,
                status=record.status,
                rel=rel,
            ),
            msg("docgen render freezes it; commit the file it writes"),
        )
        return
    if not compare:
        return
    rel = workspace.rel(path)
    try:
        workspace.contain(path, rel)  # a frozen text linked from outside is never read
    except DocgenError as exc:
        yield from exc.diagnostics
        return
    header = stored_header(path)
    if header is not None:
        digest, paths = header
        if digest == values_digest(read_values(context, paths, shared)):
            return  # made from the same values as today's
    try:
        frozen = read_frozen(path, rel)
    except DocgenError as exc:
        yield from exc.diagnostics
        return
    # the values the text was made from, read now: a template may read others today
    now = read_values(context, tuple(frozen.values), shared)
    changes = list(changed_values(frozen.values, now))
    if not changes:
        return
    when, day = frozen.when.date(), frozen.frozen
    text = render(job, document_context(context, doc, doc_date=when, as_of=day))
    if text is not None and text == frozen.markdown:
        return
    # today's template may word the text otherwise than the frozen one: what counts is
    # whether the edit shows in the text, so the text is made again from the old values
    before = with_values(context, [(path, old) for path, old, _ in changes])
    if (
        before is not None
        and text is not None
        and render(job, document_context(before, doc, doc_date=when, as_of=day)) == text
        and not _printed(frozen.markdown, changes)
    ):
        return  # a value neither text prints (a 出资期限 a 意向书 leaves out)
    yield from _changed(job, doc, record, frozen, text, changes, workspace)


def _printed(markdown: str, changes: list[tuple[str, Any, Any]]) -> bool:
    """Whether the frozen text shows an old value the edit changes (甲方 40% → 50%).

    Today's template may not print a value the signed text printed: the signed words
    still say it, and an edit of it is an edit of them.
    """
    for path, old, new in changes:
        for _, before, _after in _leaves(path, old, new):
            shown = _short(before)
            if before is None or shown == "—" or (isinstance(before, str) and len(shown) < 2):
                continue
            if re.search(rf"(?<![\d.,]){re.escape(shown)}(?![\d.,])", markdown):
                return True
    return False


def with_values(context: dict[str, Any], values: list[tuple[str, Any]]) -> dict[str, Any] | None:
    """``context`` with each path's value put back as it was (None when one cannot be).

    The old values are plain data (`docgen.documents.frozen.plain`); each is read back into the
    type of the model field it stands in.
    """
    out: Any = dict(context)
    for path, value in values:
        out = _put(out, path.split("."), value)
        if out is None:
            return None
    if "party_a" in out:  # the sides are made from the values: made again from the old
        out.update(parties_again(out))
    return dict(out)


def _put(owner: Any, parts: list[str], value: Any) -> Any:
    key, rest = parts[0], parts[1:]
    try:
        if isinstance(owner, BaseModel):
            field = type(owner).model_fields.get(key)
            if field is None or field.annotation is None:
                return None
            new = (
                TypeAdapter(field.annotation).validate_python(value)
                if not rest
                else _put(getattr(owner, key), rest, value)
            )
            return None if new is None and rest else owner.model_copy(update={key: new})
        if isinstance(owner, dict) and rest and key in owner:
            new = _put(owner[key], rest, value)
            return None if new is None else {**owner, key: new}
        if isinstance(owner, list) and key.isdigit() and int(key) < len(owner):
            item = owner[int(key)]
            if rest:
                new = _put(item, rest, value)
            elif isinstance(item, BaseModel):
                new = type(item).model_validate(value)
            else:
                return None
            return None if new is None else [*owner[: int(key)], new, *owner[int(key) + 1 :]]
    except (ValidationError, TypeError, ValueError):
        return None
    return None  # a view or a root value: the edit is judged on the text alone


def _changed(
    job: DocumentJob,
    doc: DocView,
    record: DocumentRecord,
    frozen: FrozenText,
    text: str | None,
    changes: list[tuple[str, Any, Any]],
    workspace: Workspace,
) -> Iterator[Diagnostic]:
    e = job.engagement
    signed = record.status == "signed"
    code = "signed-document-changed" if signed else "approved-document-changed"
    severity: Severity = "error" if signed else "warning"
    day = frozen.frozen.isoformat()
    when = msg("signed on %(day)s", day=day) if signed else msg("approved on %(day)s", day=day)
    hint = (
        msg(
            "change a signed %(title)s through a 补充协议, or start a new version: "
            'status: draft and version: "%(next)s" in %(file)s',
            title=doc.title,
            next=_next_version(doc.version),
            file=f"{e.rel}/documents/{job.kind.id}.md",
        )
        if signed
        else msg(
            "approve the new text (docgen approve), or start version %(next)s",
            next=_next_version(doc.version),
        )
    )
    # a side's field (party_a.investment) is told by the data it is made from
    recorded = {**frozen.values, **{path: new for path, _, new in changes if new is not None}}
    leaves = sorted(
        {
            (source_path(leaf, recorded), old, new)
            for path, old, new in changes
            for leaf, old, new in _leaves(path, old, new)
        }
    )
    detail = _diff(frozen, text, [(_short(old), _short(new)) for _, old, new in leaves])
    located: dict[Location, list[str]] = {}
    for leaf, old, new in leaves:
        root, *keys = leaf.split(".")
        where = field_location(root, tuple(keys), e, workspace, None, job.kind.id)
        located.setdefault(where, []).append(f"{leaf}: {_short(old)} → {_short(new)}")
    if not located:
        located[Location(frozen.rel)] = []
    for i, (where, what) in enumerate(sorted(located.items(), key=lambda x: x[0].line)):
        yield where.diagnostic(
            severity,
            code,
            msg(
                "%(title)s %(version)s (%(file)s) was %(when)s; this edit changes its text "
                "(%(changes)s)",
                title=doc.title,
                version=doc.version,
                file=frozen.rel,
                when=when,
                changes="; ".join(what),
            )
            if what
            else msg(
                "%(title)s %(version)s (%(file)s) was %(when)s; this edit changes its text",
                title=doc.title,
                version=doc.version,
                file=frozen.rel,
                when=when,
            ),
            hint,
            detail if i == 0 else "",
        )


def _leaves(path: str, old: Any, new: Any) -> Iterator[tuple[str, Any, Any]]:
    """The innermost differing values under ``path`` (keys of mappings, items of lists)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                yield from _leaves(f"{path}.{key}", old.get(key), new.get(key))
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            if a != b:
                yield from _leaves(f"{path}.{i}", a, b)
    else:
        yield path, _hashable(old), _hashable(new)


def _hashable(value: Any) -> Any:
    return repr(value) if isinstance(value, dict | list) else value


def _short(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "—" if value is None else str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _diff(frozen: FrozenText, text: str | None, values: list[tuple[str, str]]) -> str:
    """The changed lines, those showing a changed value first (``values``: old, new).

    A template may have changed since the text was frozen, so the diff can hold more than
    the edit; the hunks where the edited values appear lead.
    """
    if text is None:
        return "(the new text cannot be made: see the document's own diagnostics)"
    lines = list(
        difflib.unified_diff(
            frozen.markdown.splitlines(),
            text.splitlines(),
            f"{frozen.rel} (frozen)",
            "now",
            n=0,
            lineterm="",
        )
    )
    head, hunks = lines[:2], list[list[str]]()
    for line in lines[2:]:
        if line.startswith("@@"):
            hunks.append([])
        elif hunks:
            hunks[-1].append(line)

    def word(value: str) -> re.Pattern[str]:  # 40 in "40%", not in "1,400" or "40.5"
        return re.compile(rf"(?<![\d.,]){re.escape(value)}(?![\d.,])")

    olds = [word(old) for old, _ in values if old != "—"]
    news = [word(new) for _, new in values if new != "—"]

    def shows_a_change(hunk: list[str]) -> bool:
        return any(any(p.search(line) for p in (olds if line[0] == "-" else news)) for line in hunk)

    ordered = sorted(hunks, key=lambda hunk: not shows_a_change(hunk))
    shown = head + [line for hunk in ordered for line in hunk]
    if len(shown) > DIFF_LINES:
        shown = [*shown[:DIFF_LINES], f"… {len(shown) - DIFF_LINES} more line(s)"]
    return "\n".join(shown)
