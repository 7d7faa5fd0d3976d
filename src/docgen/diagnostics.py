"""Diagnostics: what validation finds, where, and the one exception root.

Every finding names a file (relative to the workspace root, POSIX separators), a
1-based line and column, a severity, a stable code and a message, optionally with a
hint.  Codes are part of the user-facing contract (CI scripts match on them); they are
listed with their meaning in `CODES`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]

#: Every diagnostic code docgen emits, with a one-line meaning (documented in the README).
CODES: dict[str, str] = {
    # reading files
    "encoding": "file is not UTF-8 (GBK/GB18030 files are named as such)",
    "file-too-large": "file is larger than the configured limit",
    "front-matter-missing": "file has no YAML front matter block",
    "front-matter-unclosed": "front matter opened with --- but never closed",
    "front-matter-empty": "front matter holds no keys",
    "front-matter-type": "front matter is not a mapping",
    "yaml-syntax": "YAML does not parse",
    "yaml-duplicate-key": "the same key appears twice in one mapping",
    "yaml-key-type": "a mapping key is not a plain scalar",
    "yaml-too-deep": "YAML nests deeper than docgen reads",
    # schema
    "unknown-key": "key not allowed here",
    "missing-key": "required key is missing",
    "invalid-type": "value has the wrong type",
    "invalid-value": "value is not one of the allowed values or out of range",
    "invalid-date": "not a valid calendar date",
    # workspace layout
    "workspace": "the workspace itself cannot be read (no mkdocs.yml, process file broken)",
    "process": "the process definition is inconsistent",
    "outside-workspace": "a path (a symlink, a configured folder) leads out of the workspace",
    "unsafe-slug": "engagement folder name is not an ASCII slug",
    "unknown-file": "file in an engagement folder that docgen does not know",
    "missing-file": "an engagement folder lacks index.md",
    "duplicate-id": "an id (engagement code, risk, KPI, task) is used twice",
    # engagement content
    "unknown-stage": "stage id not in the process",
    "unknown-mode": "cooperation mode not in the process",
    "unknown-category": "risk category not in the process",
    "unknown-item": "checklist item id not in the process",
    "unknown-document": "document id not in the process",
    "unknown-reference": "reference to a task or milestone that does not exist",
    "item-wrong-stage": "checklist item belongs to another stage's file",
    "item-state": "checklist item state is contradictory (done and waived, waiver without reason)",
    "done-in-future": "an item is marked done on a date after today",
    "overdue": "a due date has passed and the item is not done",
    "date-order": "dates are out of order (signed before opened, …)",
    "meeting-file-name": "meeting file name does not match <date>-<slug>.md and its date",
    "evidence-missing": "an evidence link points to a file that does not exist",
    "credit-code": "统一社会信用代码 fails its check digit or form",
    "credit-code-legacy": "code is not a current USCC but plausibly a legal early code",
    "gate-unmet": "the engagement stands past a stage whose gate is not met",
    "status-unmet": "the engagement's status needs conditions that are not met",
    "high-risk-unhandled": "a high risk lacks an owner, a response plan or escalation",
    "signed-before-review": "a contract is signed before due diligence and legal review",
    "policy": "a cross-cutting rule of the procedure (注意事项) is not followed",
    "control-character": "a value holds a control or bidi-override character (U+000B, U+202E)",
    # documents
    "document-field-missing": "a document template needs a value the engagement does not give",
    "template-error": "a document template fails to render (unknown variable, bad expression)",
    # deliverable integrity
    "document-not-frozen": "an approved or signed document's text is not frozen yet",
    "signed-document-changed": "an edit would change the text of a signed document",
    "approved-document-changed": "an edit would change the text of an approved document",
    "approval-stale": "an approved or signed record has no approval of its version",
    "version-frozen": "a draft reuses the number of a frozen version",
    "executed-copy-changed": "the scanned executed copy is missing or differs from its hash",
    "frozen-text-invalid": "a frozen text file cannot be read",
    "pdf-unavailable": "PDFs were asked for and LibreOffice is not installed",
    "pdf-failed": "LibreOffice could not turn a .docx into a PDF",
    # contracts
    "clause-unknown": "an engagement's clause replaces no clause of its contract",
    "clause-untitled": "an article an engagement adds has no title",
    "amends-unsigned": "a 补充协议 is signed while the agreement it amends is not",
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: ``path:line:col: severity code message (hint)``."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""
    #: more lines to show under the finding (a diff of a frozen text); never a location
    detail: str = ""

    def format(self) -> str:
        """Render as the text form editors and CI logs understand: one line, then detail."""
        text = f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {self.message}"
        text = f"{text} ({self.hint})" if self.hint else text
        return text + "".join(f"\n    {line}" for line in self.detail.splitlines())

    @property
    def is_error(self) -> bool:
        """Whether this finding fails validation without ``--strict``."""
        return self.severity == "error"


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a workspace file: path relative to the root, 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def diagnostic(
        self, severity: Severity, code: str, message: str, hint: str = "", detail: str = ""
    ) -> Diagnostic:
        """Make a diagnostic at this location."""
        return Diagnostic(self.path, self.line, self.col, severity, code, message, hint, detail)


class DocgenError(Exception):
    """The root of every error docgen reports to a user; caught once at the CLI edge.

    It carries the diagnostics that explain it, so the edge prints them the same way as
    validation findings.  ``exit_code`` 2 means a usage or workspace problem.
    """

    exit_code = 2

    def __init__(self, message: str, diagnostics: Iterable[Diagnostic] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = list(diagnostics)


class FileProblem(DocgenError):
    """A single file could not be read into data; carries its one diagnostic."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format(), [diagnostic])
        self.diagnostic = diagnostic


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str, str, str, str]:
    """Order diagnostics by file, position, code, then text: one order, run after run."""
    return (d.path, d.line, d.col, d.code, d.message, d.severity, d.hint, d.detail)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Serialise diagnostics for ``--format json`` (stable keys, UTF-8 text)."""
    items = [asdict(d) for d in diagnostics]
    summary = {
        "errors": sum(1 for d in items if d["severity"] == "error"),
        "warnings": sum(1 for d in items if d["severity"] == "warning"),
    }
    return json.dumps({"diagnostics": items, **summary}, ensure_ascii=False, indent=2)
