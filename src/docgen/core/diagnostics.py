"""Diagnostics: what validation finds, where, and the one exception root.

Every finding names a file (relative to the workspace root, POSIX separators), a
1-based line and column, a severity, a stable code and a message, optionally with a
hint.  Codes are part of the user-facing contract (CI scripts match on them); they are
listed with their meaning in `CODES`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

from docgen.core.control_chars import ONE_LINE
from docgen.core.i18n import N_, Catalogue

Severity = Literal["error", "warning"]

#: Every diagnostic code docgen emits, with a one-line meaning (documented in the README).
CODES: dict[str, str] = {
    # reading files
    "encoding": N_("file is not UTF-8 (GBK/GB18030 files are named as such)"),
    "file-too-large": N_("file is larger than the configured limit"),
    "front-matter-missing": N_("file has no YAML front matter block"),
    "front-matter-unclosed": N_("front matter opened with --- but never closed"),
    "front-matter-empty": N_("front matter holds no keys"),
    "front-matter-type": N_("front matter is not a mapping"),
    "yaml-syntax": N_("YAML does not parse"),
    "yaml-duplicate-key": N_("the same key appears twice in one mapping"),
    "yaml-key-type": N_("a mapping key is not a plain scalar"),
    "yaml-too-deep": N_("YAML nests deeper than docgen reads"),
    "yaml-unsafe-tag": N_("mkdocs.yml holds a tag that would run code (!!python/object/apply …)"),
    # schema
    "unknown-key": N_("key not allowed here"),
    "missing-key": N_("required key is missing"),
    "invalid-type": N_("value has the wrong type"),
    "invalid-value": N_("value is not one of the allowed values or out of range"),
    "invalid-date": N_("not a valid calendar date"),
    # workspace layout
    "workspace": N_("the workspace itself cannot be read (no mkdocs.yml, process file broken)"),
    "process": N_("the process definition is inconsistent"),
    "outside-workspace": N_("a path (a symlink, a configured folder) leads out of the workspace"),
    "unsafe-slug": N_("engagement folder name is not an ASCII slug"),
    "unknown-file": N_("file in an engagement folder that docgen does not know"),
    "missing-file": N_("an engagement folder lacks index.md"),
    "workbook-invalid": N_(
        "an imported workbook is not a complete .xlsx, too large, or holds a DTD"
    ),
    "stray-temp-file": N_("a temporary file left by a write that was interrupted"),
    "duplicate-id": N_("an id (engagement code, risk, KPI, task) is used twice"),
    # engagement content
    "unknown-stage": N_("stage id not in the process"),
    "unknown-mode": N_("cooperation mode not in the process"),
    "unknown-category": N_("risk category not in the process"),
    "unknown-item": N_("checklist item id not in the process"),
    "unknown-document": N_("document id not in the process"),
    "unknown-reference": N_("reference to a task or milestone that does not exist"),
    "linked-disagree": N_("a task and the checklist item it carries out disagree"),
    "amendment-unplaced": N_("a 补充协议's change names no 款 and would rewrite a whole article"),
    "covenant-of-non-party": N_("undertakings of someone who does not sign the agreement"),
    "english-has-chinese": N_("an English document prints values that exist only in Chinese"),
    "annex-not-attached": N_("an annex the agreement relies on has no file, or no such file"),
    "item-wrong-stage": N_("checklist item belongs to another stage's file"),
    "item-state": N_(
        "checklist item state is contradictory (done and waived, waiver without reason)"
    ),
    "done-in-future": N_("an item is marked done on a date after today"),
    "overdue": N_("a due date has passed and the item is not done"),
    "date-order": N_("dates are out of order (signed before opened, …)"),
    "meeting-file-name": N_("meeting file name does not match <date>-<slug>.md and its date"),
    "evidence-missing": N_("an evidence link points to a file that does not exist"),
    "kpi-actual-missing": N_("a KPI has no actual for a period that has ended (its frequency)"),
    "credit-code": N_("统一社会信用代码 fails its check digit or form"),
    "ratio-mismatch": N_("a profit split differs from the ratio of the contributions"),
    "credit-code-legacy": N_("code is not a current USCC but plausibly a legal early code"),
    "gate-unmet": N_("the engagement stands past a stage whose gate is not met"),
    "status-unmet": N_("the engagement's status needs conditions that are not met"),
    "high-risk-unhandled": N_("a high risk lacks an owner, a response plan or escalation"),
    "signed-before-review": N_("a contract is signed before due diligence and legal review"),
    "policy": N_("a cross-cutting rule of the procedure (注意事项) is not followed"),
    "control-character": N_("a value holds a control or bidi-override character (U+000B, U+202E)"),
    # documents
    "document-field-missing": N_("a document template needs a value the engagement does not give"),
    "template-error": N_("a document template fails to render (unknown variable, bad expression)"),
    # deliverable integrity
    "document-not-frozen": N_("an approved or signed document's text is not frozen yet"),
    "signed-document-changed": N_("an edit would change the text of a signed document"),
    "approved-document-changed": N_("an edit would change the text of an approved document"),
    "approval-stale": N_("an approved or signed record has no approval of its version"),
    "version-frozen": N_("a draft reuses the number of a frozen version"),
    "executed-copy-changed": N_("the scanned executed copy is missing or differs from its hash"),
    "frozen-text-invalid": N_("a frozen text file cannot be read"),
    "frozen-text-tampered": N_("a frozen text differs from the sha256 its record keeps"),
    "frozen-text-missing": N_("a frozen text whose sha256 is recorded is gone"),
    "frozen-text-unrecorded": N_(
        "a frozen text has no sha256 in its record (frozen before they were kept)"
    ),
    "pdf-unavailable": N_("PDFs were asked for and LibreOffice is not installed"),
    "pdf-failed": N_("LibreOffice could not turn a .docx into a PDF"),
    "cms-not-installed": N_("the web editor is enabled and its JavaScript is not installed"),
    # contracts
    "clause-unknown": N_("an engagement's clause replaces no clause of its contract"),
    "clause-untitled": N_("an article an engagement adds has no title"),
    "amends-unsigned": N_("a 补充协议 is signed while the agreement it amends is not"),
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

    def format(self, t: Catalogue | None = None) -> str:
        """Render as the text form editors and CI logs understand: one line, then detail.

        Message and hint are in ``t``'s language (as made, in English, without one).
        """
        say = t.say if t is not None else str
        message, hint = say(self.message), say(self.hint)
        text = f"{self.path}:{self.line}:{self.col}: {self.severity} {self.code} {message}"
        if hint:
            text = (
                f"{text}（{hint}）" if t is not None and t.language == "zh" else f"{text} ({hint})"
            )
        # one finding, one line: a file name holding a line break or U+202E is shown escaped
        text = text.translate(ONE_LINE)
        return text + "".join(
            f"\n    {line.translate(ONE_LINE)}" for line in self.detail.splitlines()
        )

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


def to_json(diagnostics: Iterable[Diagnostic], t: Catalogue | None = None) -> str:
    """Serialise diagnostics for ``--format json`` (stable keys, UTF-8 text).

    Messages and hints are in ``t``'s language (English without one); codes never change.
    """
    say = t.say if t is not None else str
    items = [{**asdict(d), "message": say(d.message), "hint": say(d.hint)} for d in diagnostics]
    summary = {
        "errors": sum(1 for d in items if d["severity"] == "error"),
        "warnings": sum(1 for d in items if d["severity"] == "warning"),
    }
    return json.dumps({"diagnostics": items, **summary}, ensure_ascii=False, indent=2)


def to_github(diagnostics: Iterable[Diagnostic], t: Catalogue | None = None) -> str:
    """GitHub Actions workflow commands: each finding an annotation on its file and line."""
    lines = []
    for d in diagnostics:
        text = _said(d, t)
        where = f"file={_gh(d.path, True)},line={d.line},col={d.col},title={_gh(d.code, True)}"
        lines.append(f"::{d.severity} {where}::{_gh(text, False)}")
    return "\n".join(lines)


def _said(d: Diagnostic, t: Catalogue | None) -> str:
    """A finding's message and hint as one line, in ``t``'s language."""
    say = t.say if t is not None else str
    return say(d.message) + (f" ({say(d.hint)})" if d.hint else "")


def _gh(text: str, property_value: bool) -> str:
    """Escape for a workflow command (its data, or a property's value)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def to_codequality(diagnostics: Iterable[Diagnostic], t: Catalogue | None = None) -> str:
    """A GitLab Code Quality report (Code Climate issues): findings in merge requests."""
    issues = []
    for d in diagnostics:
        text = _said(d, t)
        key = f"{d.path}:{d.line}:{d.col}:{d.code}:{d.message}"
        issues.append(
            {
                "description": text,
                "check_name": d.code,
                "fingerprint": hashlib.sha256(key.encode()).hexdigest(),
                "severity": "major" if d.is_error else "minor",
                "location": {"path": d.path, "lines": {"begin": d.line}},
            }
        )
    return json.dumps(issues, ensure_ascii=False, indent=2)
