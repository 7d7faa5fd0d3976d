"""Frozen texts: what was approved or signed, kept in the engagement folder, readable.

``documents/<doc>/<version>.md`` (``<version>.en.md`` for the English copy) holds the
document's markdown exactly as it was approved or signed, after front matter with what
the Word writer needs to make the same .docx again.  ``values`` records, by the names the
template uses (``terms.profit_split``), every value the text was made from, so that a
later edit can be traced to the field that made it; ``digest`` is their hash, so an
unchanged engagement is recognised without parsing the file.

Which values a template reads is `docgen.documents.templates.template_reads`.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import re
import textwrap
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError, FileProblem, Location
from docgen.core.fingerprint import file_sha256
from docgen.core.history import committed_copy
from docgen.core.i18n import N_, catalogue, msg
from docgen.core.paths import is_inside, outside_error, relative
from docgen.core.source import parse_markdown, read_text
from docgen.domain import vocabulary
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import VERSION_PATTERN, DocumentRecord, version_key
from docgen.workspace.config import Workspace
from docgen.workspace.edit import FrontMatterEdit

#: the comment atop a frozen file, in the document's language
_NOTE = N_(
    "The text of this document as it was %(status)s. docgen renders it from here, whatever "
    "later edits say; do not edit it (its sha256 is kept in the record). A change needs a "
    "new version (or a 补充协议)."
)
_DIGEST_LINE = re.compile(rb"^digest: ([0-9a-f]{64})$", re.MULTILINE)
_VALUE_KEY = re.compile(rb"^  ([A-Za-z_][\w.\-]*):", re.MULTILINE)
_NAME = re.compile(r"^(?P<version>\d+(?:\.\d+){0,2})(?:\.(?P<language>en))?\.md$")
_MISSING = object()


@dataclass(frozen=True)
class FrozenText:
    """A frozen document: its words and what the Word writer needs besides."""

    rel: str
    document: str
    version: str
    language: str
    status: str
    frozen: date
    title: str
    header_title: str
    confidential: bool
    articles: bool
    toc: bool
    author: str
    when: datetime
    values: dict[str, Any]
    digest: str
    markdown: str
    #: the file line each value path is written on (for locating changes)
    lines: dict[str, int] = dataclasses.field(default_factory=dict)


def signed_structure(
    e: Engagement, doc_id: str = "cooperation-agreement"
) -> list[tuple[str, int]] | None:
    """Each article of the signed text of ``doc_id``: its title and how many 款 it has.

    Article N of the list is 第N条: a letter citing the agreement cites these numbers.
    None unless it is signed and its text frozen.
    """
    record = e.documents.get(doc_id)
    if record is None or record.data.status != "signed" or not record.data.version:
        return None
    path = frozen_path(e, doc_id, record.data.version, "zh")
    if not path.is_file():
        return None
    try:
        text = read_frozen(path, f"{e.rel}/documents/{doc_id}/{path.name}").markdown
    except (FileProblem, DocgenError):
        return None
    structure: list[tuple[str, int]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            structure.append((line[3:].strip(), 0))
        elif structure and re.match(r"^\d+\. ", line):
            title, count = structure[-1]
            structure[-1] = (title, count + 1)
    return structure


def frozen_folder(e: Engagement, doc_id: str) -> Path:
    """Where the frozen versions of ``doc_id`` live."""
    return e.folder / "documents" / doc_id


def frozen_path(e: Engagement, doc_id: str, version: str, language: str) -> Path:
    """The frozen text of one version (and language) of a document."""
    suffix = "" if language == "zh" else f".{language}"
    return frozen_folder(e, doc_id) / f"{version}{suffix}.md"


def frozen_versions(e: Engagement, doc_id: str) -> list[tuple[str, str, Path]]:
    """The frozen (version, language, path) of a document, oldest version first."""
    records = os.path.join(e.folder, "documents")
    folder = os.path.join(records, doc_id)  # os.path: a page lists thousands of these
    try:  # one scandir: most documents have no frozen versions, and it fails at once
        with os.scandir(folder) as entries:
            names = [(entry.name, entry.path) for entry in entries if entry.is_file()]
    except OSError:
        return []
    linked = os.path.islink(folder) or os.path.islink(records)
    if linked and not is_inside(e.folder, folder):
        return []  # a folder linked from outside the engagement is not listed
    found = []
    for name, path in names:
        match = _NAME.match(name)
        if match and re.match(VERSION_PATTERN, match["version"]):
            found.append((match["version"], match["language"] or "zh", Path(path)))
    return sorted(found, key=lambda f: (version_key(f[0]), f[1]))


def previous_version(
    e: Engagement, doc_id: str, language: str, version: str
) -> tuple[str, Path] | None:
    """The newest frozen (version, path) of a document older than ``version``, if any."""
    if not re.fullmatch(VERSION_PATTERN, version):
        return None
    older = [
        (v, p)
        for v, lang, p in frozen_versions(e, doc_id)
        if lang == language and version_key(v) < version_key(version)
    ]
    return older[-1] if older else None


def version_name(engagement_id: str, file_name: str, version: str) -> str:
    """Where an earlier version's .docx goes: ``<id>/versions/<doc>[.en]-<version>.docx``."""
    stem = file_name.removesuffix(".docx")
    return f"{engagement_id}/versions/{stem}-{_safe(version)}.docx"


def redline_name(engagement_id: str, file_name: str, old: str, new: str) -> str:
    """Where the redline of a document's .docx goes in the output folder.

    ``<id>/redlines/<doc>[.en]-<from>-<to>.docx``.
    """
    stem = file_name.removesuffix(".docx")
    return f"{engagement_id}/redlines/{stem}-{_safe(old)}-{_safe(new)}.docx"


def _safe(label: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", label)


#: Context variables that differ between the documents of one engagement.
PER_DOCUMENT = frozenset({"doc", "revisions", "meeting", "meeting_notes", "doc_date"})


def read_values(
    context: Mapping[str, Any],
    paths: Iterable[str],
    shared: dict[str, tuple[str, Any]] | None = None,
) -> dict[str, Any]:
    """The values at ``paths`` in a template context, as plain JSON-able data.

    A path that ends in a method (``terms.profit_split.items``) stands for its owner.
    ``shared`` remembers what the engagement's other documents read too (``partner.name``),
    across the calls for one engagement.
    """
    values: dict[str, Any] = {}
    for path in paths:
        known = shared.get(path) if shared is not None else None
        if known is not None:
            values[known[0]] = known[1]
            continue
        root, *parts = path.split(".")
        if root not in context:
            continue  # a loop variable, a macro argument, a filter: not an input
        value = context[root]
        kept = [root]
        for part in parts:
            nxt = _step(value, part)
            if nxt is _MISSING or callable(nxt):
                break
            value = nxt
            kept.append(part)
        found = (".".join(kept), plain(value))
        values[found[0]] = found[1]
        if shared is not None and root not in PER_DOCUMENT:
            shared[path] = found
    return dict(sorted(values.items()))


def _step(value: Any, part: str) -> Any:
    if isinstance(value, Mapping):
        return value.get(part, _MISSING)
    if isinstance(value, list | tuple):
        return value[int(part)] if part.isdigit() and int(part) < len(value) else _MISSING
    return getattr(value, part, _MISSING)


def plain(value: Any) -> Any:
    """``value`` as JSON-able data: models and views dumped, dates as ISO text."""
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return str(value)


def values_digest(values: Mapping[str, Any]) -> str:
    """The hash of a text's values, stable across runs and machines."""
    data = json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def stored_header(path: Path) -> tuple[str, tuple[str, ...]] | None:
    """The ``digest`` a frozen file records and the value paths it was made from.

    Read without parsing the YAML (the paths are the keys of ``values``, written one a
    line by `frozen_file_text`), so that an unchanged engagement costs no parse.  None
    for a file that cannot be read this way; `read_frozen` then says why.
    """
    try:
        data = path.read_bytes()
    except OSError:
        return None
    match = _DIGEST_LINE.search(data)
    start = data.find(b"\nvalues:\n")
    end = data.find(b"\n---\n", start + 1)
    if match is None or start < 0 or end < 0:
        return None
    paths = _VALUE_KEY.findall(data, start, end)
    return match[1].decode(), tuple(p.decode() for p in paths)


def write_frozen(path: Path, text: FrozenText, root: Path) -> None:
    """Write a frozen text (atomically, inside the workspace at ``root``)."""
    write_atomic(path, frozen_file_text(text), durable=True, root=root)


def frozen_file_text(text: FrozenText) -> str:
    """The file a frozen text is kept in: front matter, then the markdown exactly."""
    header = {
        "document": text.document,
        "version": text.version,
        "language": text.language,
        "status": text.status,
        "frozen": text.frozen,
        "title": text.title,
        "header_title": text.header_title,
        "confidential": text.confidential,
        "articles": text.articles,
        "toc": text.toc,
        "author": text.author,
        "when": text.when.isoformat(),
        "digest": text.digest,
        "values": text.values,
    }
    front = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=1000)
    body = text.markdown if text.markdown.endswith("\n") else text.markdown + "\n"
    t = catalogue(text.language)
    status = t.label(vocabulary.DOC_STATUS, text.status)
    status = status.lower() if t.language == "en" else status
    note = "".join(f"# {line}\n" for line in textwrap.wrap(t(_NOTE, status=status), 80))
    return "---\n" + note + front + "---\n" + body


def read_frozen(path: Path, rel: str) -> FrozenText:
    """Read a frozen text, or raise a `FileProblem` naming what is wrong with it."""
    source = parse_markdown(read_text(path, rel), rel)
    data = source.data
    try:
        when = datetime.fromisoformat(str(data["when"]))
        values = data.get("values") or {}
        if not isinstance(values, dict):
            raise TypeError("values")
        frozen = data["frozen"]
        if not isinstance(frozen, date):
            raise TypeError("frozen")
        text = FrozenText(
            rel=rel,
            document=str(data["document"]),
            version=str(data["version"]),
            language=str(data.get("language", "zh")),
            status=str(data.get("status", "signed")),
            frozen=frozen,
            title=str(data["title"]),
            header_title=str(data["header_title"]),
            confidential=bool(data.get("confidential", True)),
            articles=bool(data.get("articles", False)),
            toc=bool(data.get("toc", False)),
            author=str(data["author"]),
            when=when,
            values=values,
            digest=str(data.get("digest", "")),
            markdown=source.body,
            lines={k: source.source_map.locate(("values", k)).line for k in values},
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FileProblem(
            Location(rel).diagnostic(
                "error",
                "frozen-text-invalid",
                msg("the frozen text cannot be read: %(exc)s is missing or wrong", exc=exc),
                msg("restore the file from git (git checkout -- <file>); docgen writes it whole"),
            )
        ) from None
    return text


def changed_values(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> Iterator[tuple[str, Any, Any]]:
    """(path, old, new) for each value that differs; a path missing on one side is None."""
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path), after.get(path)
        if old != new:
            yield path, old, new


def frozen_text_findings(
    e: Engagement, doc_id: str, sourced: Sourced[DocumentRecord], root: Path
) -> Iterator[Diagnostic]:
    """Frozen texts of ``doc_id`` that differ from the sha256 their record keeps, or are gone.

    The digest is written by ``approve``, ``sign`` and a render that freezes, so a hand
    edit of a frozen file (or one through the web editor) is found whatever it changes,
    the body included; a text frozen before digests were kept is said once, as a warning.
    """
    record = sourced.data
    on_disk = {path.name: path for _, _, path in frozen_versions(e, doc_id)}
    for name in record.frozen:
        yield from recorded_text_findings(e, doc_id, sourced, name, root, on_disk.get(name))
    for name in sorted(set(on_disk) - set(record.frozen)):
        rel = relative(root, on_disk[name])
        yield Location(rel).diagnostic(
            "warning",
            "frozen-text-unrecorded",
            msg(
                "%(path)s keeps no sha256 of the frozen text %(rel)s, so a change to it "
                "would go unnoticed",
                path=sourced.path,
                rel=rel,
            ),
            msg(
                "check it against git (git log -p -- %(rel)s); docgen render then records it",
                rel=rel,
            ),
        )


def recorded_text_findings(
    e: Engagement,
    doc_id: str,
    sourced: Sourced[DocumentRecord],
    name: str,
    root: Path,
    path: Path | None,
) -> list[Diagnostic]:
    """Whether the frozen text ``name`` (at ``path``, None when gone) has its recorded sha256."""
    rel = relative(root, frozen_folder(e, doc_id) / name)
    if path is None:
        return [
            sourced.at("frozen", name).diagnostic(
                "error",
                "frozen-text-missing",
                msg("the frozen text %(rel)s is gone", rel=rel),
                msg("restore it from git: git checkout -- %(rel)s", rel=rel),
            )
        ]
    if not is_inside(root, path):
        return list(outside_error(root, path, rel).diagnostics)
    recorded = sourced.data.frozen[name]
    try:
        digest = file_sha256(path)
    except OSError:
        digest = ""
    return [] if digest == recorded else [_tampered(root, rel, path, recorded, doc_id)]


def _tampered(root: Path, rel: str, path: Path, recorded: str, doc_id: str) -> Diagnostic:
    """A changed frozen text: found at its first changed line when git has the original."""
    line, detail = 1, ""
    original = committed_copy(root, rel, recorded)
    if original is not None:
        before = original.decode("utf-8", "replace").splitlines()
        after = path.read_bytes().decode("utf-8", "replace").splitlines()
        diff = list(difflib.unified_diff(before, after, "frozen", "now", n=0, lineterm=""))
        detail = "\n".join(diff[:20])
        for opcode in difflib.SequenceMatcher(None, before, after).get_opcodes():
            if opcode[0] != "equal":
                line = min(opcode[3], len(after) - 1) + 1 if after else 1
                break
    return Location(rel, line).diagnostic(
        "error",
        "frozen-text-tampered",
        msg(
            "the frozen text of %(doc_id)s was changed after it was frozen: it no longer "
            "matches the sha256 its record keeps",
            doc_id=doc_id,
        ),
        msg(
            "restore it from git (git checkout -- %(rel)s); a change needs a new version "
            "or a 补充协议",
            rel=rel,
        ),
        detail=detail,
    )


def record_digests(edit: FrontMatterEdit, record: DocumentRecord, digests: dict[str, str]) -> None:
    """Write each frozen text's sha256 (by file name) into its record's ``frozen:`` mapping."""
    fresh = {name: digest for name, digest in digests.items() if record.frozen.get(name) != digest}
    if not fresh:
        return
    if not record.frozen:  # the first: a new mapping (or one written "frozen: {}")
        if edit.has("frozen"):
            edit.replace_key("frozen", fresh)
        else:
            edit.add_mapping("frozen", fresh)
        return
    for name, digest in fresh.items():
        edit.set(("frozen", name), digest)


def record_frozen_digests(e: Engagement, workspace: Workspace) -> list[str]:
    """Record the sha256 of each frozen text whose record keeps none (render's freezing).

    Returns the records written.  A recorded digest is never replaced here: a text that
    no longer matches is `frozen-text-tampered`, never re-recorded.
    """
    written = []
    for doc_id, sourced in sorted(e.documents.items()):
        digests = {
            path.name: file_sha256(path)
            for _, _, path in frozen_versions(e, doc_id)
            if path.name not in sourced.data.frozen and is_inside(workspace.root, path)
        }
        if digests:
            edit = FrontMatterEdit.open(e.folder / "documents" / f"{doc_id}.md", sourced.path)
            record_digests(edit, sourced.data, digests)
            write_atomic(edit.path, edit.result(), root=workspace.root)
            written.append(sourced.path)
    return written
