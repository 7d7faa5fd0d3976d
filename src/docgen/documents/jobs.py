"""Which documents an engagement gets, and each one's markdown, metadata and fingerprint.

A document kind applies to an engagement once the engagement has reached the kind's stage
or keeps a record of it in ``documents/``; the termination and renewal agreements (kinds
a transition's gate names) only once the engagement's status is that transition's, or a
record exists.  English versions are made for kinds whose process entry lists ``en`` when
the engagement has an ``en:`` block.  Meeting minutes are one document per meeting.
"""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import jinja2

from docgen.core.diagnostics import Diagnostic, DocgenError, Location
from docgen.core.fingerprint import code_version, fingerprint
from docgen.core.history import History, Revision
from docgen.core.i18n import msg
from docgen.core.periods import bounds
from docgen.core.templating import TemplateLimit, render_bounded
from docgen.documents.clauses import ArticlePlan, plan_articles
from docgen.documents.context import (
    DocView,
    EngagementContexts,
    build_context,
    document_view,
    missing_fields,
)
from docgen.documents.frozen import (
    FrozenText,
    frozen_path,
    read_frozen,
    read_values,
    recorded_text_findings,
    values_digest,
)
from docgen.documents.parties import data_reads
from docgen.documents.templates import (
    DocumentTemplate,
    EmptyValue,
    TemplateSpec,
    load_template,
    template_reads,
)
from docgen.domain.engagement import Engagement, Sourced
from docgen.domain.model import DateRange, DocumentRecord, Meeting
from docgen.domain.process import DocumentKind, Process
from docgen.word import EPOCH
from docgen.workspace.config import Workspace

#: a character of Chinese text: CJK, or full-width punctuation
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: where an English text's values part: table cells, lines, clauses, list separators
_PARTS = re.compile(r"\||\n|; |, ")


def _chinese_values(markdown: str) -> list[str]:
    """Each stretch of Chinese in ``markdown``, from its first CJK character to its last."""
    found: list[str] = []
    for part in _PARTS.split(markdown):
        hits = [m.start() for m in _CJK.finditer(part)]
        if hits:
            snippet = re.sub(r"\\(.)", r"\1", part[hits[0] : hits[-1] + 1].strip())
            if snippet not in found:
                found.append(snippet)
    return found


def english_leaks(job: DocumentJob, text: RenderedText) -> list[Diagnostic]:
    """A warning naming the Chinese an English text prints: values with no English wording.

    docgen keeps English wording for the fields an English document needs most (``en:``);
    other values (a payment's name, a technology, a project's land) are written once, in
    Chinese.  The reader of the English text is told which, rather than finding out.
    """
    if text.language != "en":
        return []
    found = _chinese_values(text.markdown)
    if not found:
        return []
    e = job.engagement
    assert e.index is not None
    where = e.index.at("en") if e.index.data.en is not None else e.index.at()
    shown = "、".join(found[:6]) + (f" … (+{len(found) - 6})" if len(found) > 6 else "")
    return [
        where.diagnostic(
            "warning",
            "english-has-chinese",
            msg(
                "the English %(document)s prints %(count)s value(s) in Chinese: %(shown)s",
                document=job.kind.title,
                count=len(found),
                shown=shown,
            ),
            msg(
                "these values have no English wording in the engagement's files; translate "
                "them in the English text before it is signed, or give them in English"
            ),
        )
    ]


@dataclass(frozen=True, slots=True)
class DocumentJob:
    """One document to make: who, which kind, which language (and which meeting)."""

    engagement: Engagement
    kind: DocumentKind
    language: str
    meeting: Sourced[Meeting] | None = None
    ahead: bool = False  # of the current stage and without a record: may not be ready
    #: the period a periodic document (the 评估报告) is made for, e.g. ``2026-Q3``
    period: str | None = None

    @property
    def template_name(self) -> str:
        """``<doc>.md.j2`` or ``<doc>.en.md.j2``."""
        suffix = "" if self.language == "zh" else f".{self.language}"
        return f"{self.kind.id}{suffix}.md.j2"

    @property
    def file_name(self) -> str:
        """The .docx name inside the engagement's output folder."""
        stem = self.kind.id
        if self.meeting is not None:
            stem += "-" + Path(self.meeting.path).stem
        if self.period is not None:
            stem += f"-{self.period}"
        if self.language != "zh":
            stem += f".{self.language}"
        return stem + ".docx"


@dataclass(frozen=True, slots=True)
class RenderedText:
    """A document rendered to markdown, with what the Word writer needs besides."""

    output: str  # relative to the output folder: <id>/<file>.docx
    markdown: str
    title: str
    header_title: str
    version: str
    draft: bool
    confidential: bool
    articles: bool
    toc: bool
    author: str
    when: datetime
    language: str
    base: str  # the engagement folder, for images
    #: for an approved or signed document not frozen yet: the frozen text to keep
    freeze: FrozenText | None = None
    freeze_path: Path | None = None

    def fingerprint(self, reference_digest: str) -> str:
        """Everything the .docx depends on, hashed: the code that writes it too."""
        return fingerprint(
            code_version(),
            reference_digest,
            self.markdown,
            self.title,
            self.header_title,
            self.version,
            str(self.draft),
            str(self.confidential),
            str(self.articles),
            str(self.toc),
            self.author,
            self.when.isoformat(),
            self.language,
        )


def plan_jobs(
    engagements: list[Engagement],
    process: Process,
    only: list[str] | None = None,
    every: bool = False,
    period: str | None = None,
) -> Iterator[DocumentJob]:
    """The documents to make.

    ``only`` names kinds (``cooperation-agreement``) or one language of a kind
    (``cooperation-agreement.en``); ``every`` makes every kind whatever the stage.  With
    ``period``, only the periodic kinds, each for that period.
    """
    if period is not None:  # reported by period from the stage before the kind's (执行与监控)
        periodic = [k.id for k in process.documents if k.periodic]
        at = process.stage_index
        for job in plan_jobs(engagements, process, only or periodic, True):
            assert job.engagement.index is not None
            reached = at.get(job.engagement.index.data.stage, -1)
            if job.kind.periodic and reached >= at[job.kind.stage] - 1:
                yield replace(job, period=period, ahead=False)
        return
    stage_index = process.stage_index
    wanted: dict[str, set[str] | None] = {}
    for name in only or []:
        kind_id, _, language = name.partition(".")
        if language:
            previous = wanted.get(kind_id, set())
            wanted[kind_id] = None if previous is None else previous | {language}
        else:
            wanted[kind_id] = None
    for e in engagements:
        if e.index is None:
            continue
        index = e.index.data
        reached = stage_index.get(index.stage, -1)
        for kind in process.documents:
            if only and kind.id not in wanted:
                continue
            explicit = bool(only) or every
            # a meeting's minutes are made whenever it was held, 前期准备's meetings too
            minutes = kind.id == "meeting-minutes" and bool(e.meetings)
            applies = kind.id in e.documents or (
                (stage_index[kind.stage] <= reached or minutes)
                and (kind.status is None or kind.status == index.status)
                and not kind.on_record
                and (kind.needs_file is None or _has_file(e, kind.needs_file))
                and process.document_applies(kind.id, index.origin)
            )
            if not (explicit or applies):
                continue
            # a document of the stage under way may not be ready yet: say so, don't fail
            ahead = (
                not explicit and kind.id not in e.documents and stage_index[kind.stage] == reached
            )
            asked = wanted.get(kind.id) if only else None
            for language in kind.languages:
                if asked is not None and language not in asked:
                    continue
                if language != "zh" and asked is None and index.en is None:
                    continue
                if kind.id == "meeting-minutes":
                    for meeting in sorted(e.meetings, key=lambda m: m.path):
                        yield DocumentJob(e, kind, language, meeting, ahead)
                else:
                    yield DocumentJob(e, kind, language, ahead=ahead)


def job_findings(
    job: DocumentJob,
    template: TemplateSpec,
    context: dict[str, Any],
    workspace: Workspace,
    plan: ArticlePlan | None = None,
) -> list[Diagnostic]:
    """The values ``job``'s template (and its contract's clauses) require and lack.

    Errors, except for a document of the stage under way (``ahead``): that one may not be
    ready yet, so its gaps are warnings.  A field two clauses need is reported once.
    """
    said: set[str] = set()
    e = job.engagement
    missing = missing_fields(template, context, e, workspace, job.meeting, said)
    if plan is not None:
        for spec in plan.required:
            missing += missing_fields(spec, context, e, workspace, said=said)
        missing += plan.problems
    if job.ahead:
        return [replace(d, severity="warning") for d in missing]
    return missing


def article_plan(
    job: DocumentJob,
    template: TemplateSpec,
    context: dict[str, Any],
    workspace: Workspace,
    process: Process,
    spec_of: Callable[[str], TemplateSpec | Diagnostic],
) -> ArticlePlan | None:
    """For a contract made of clauses, its articles, put in ``context`` as ``articles``."""
    if not template.header.clauses:
        return None
    e = job.engagement
    record = e.documents.get(job.kind.id)
    plan = plan_articles(process, e, record, job.language, context, workspace, spec_of)
    context["articles"] = plan.articles
    return plan


def render_text(
    job: DocumentJob,
    workspace: Workspace,
    process: Process,
    history: History,
    env: jinja2.Environment,
    templates: dict[str, DocumentTemplate],
    *,
    fresh: bool = False,
    contexts: EngagementContexts | None = None,
) -> RenderedText | list[Diagnostic]:
    """The job's markdown and metadata, or the diagnostics that stop it.

    An approved or signed document comes from its frozen text; ``fresh`` makes it from
    the data as it stands instead (for `approve` and `sign`, which freeze it).
    ``contexts`` keeps an engagement's part of the context for its next document.
    """
    e = job.engagement
    assert e.index is not None
    if job.template_name not in templates:
        templates[job.template_name] = load_template(env, job.template_name, workspace.rel)
    template = templates[job.template_name]
    doc, record = document_view(e, process, job.kind.id, template.header.title or job.kind.title)
    if job.period is not None:  # a report of its own period: a draft, never the record's
        doc, record = period_view(doc, job.period), None
    output = f"{e.id}/{job.file_name}"
    frozen_file = None
    if doc.record.final and job.meeting is None:
        frozen_file = frozen_path(e, job.kind.id, doc.version, job.language)
        exists = os.path.lexists(frozen_file)
        sourced = e.documents.get(job.kind.id)
        if not fresh and sourced is not None and frozen_file.name in sourced.data.frozen:
            # a text changed (or removed) since it was frozen is never made, nor made anew
            found = recorded_text_findings(
                e,
                job.kind.id,
                sourced,
                frozen_file.name,
                workspace.root,
                frozen_file if exists else None,
            )
            if found:
                return found
        if not fresh and exists:
            return from_frozen(frozen_file, output, e, workspace)
    inputs = [e.index.path] + ([record.path] if record else [])
    if job.meeting is not None:
        inputs.append(job.meeting.path)
    revisions = history.for_files(inputs)
    when = _document_time(revisions, doc.signed, [a.date for a in doc.approvals])
    # a text to freeze is of the day it became final, and knows nothing after it
    final = final_date(doc.record) if frozen_file is not None else None
    context = build_context(
        workspace,
        process,
        e,
        doc,
        doc_date=final or when.date(),
        meeting=job.meeting,
        as_of=final,
        contexts=contexts,
    )
    plan = article_plan(
        job,
        template,
        context,
        workspace,
        process,
        lambda n: template_spec(env, n, templates, workspace),
    )
    missing = job_findings(job, template, context, workspace, plan)
    if missing:
        return missing
    assert template.template is not None
    try:
        markdown = render_bounded(template.template, context)
    except TemplateLimit as exc:
        return [_template_problem(template, f"stopped: {exc}", e, workspace)]
    except RecursionError:
        return [_template_problem(template, "stopped: it calls itself without end", e, workspace)]
    except MemoryError:
        return [
            _template_problem(template, "stopped: it needs more memory than there is", e, workspace)
        ]
    except EmptyValue:
        return [
            _template_problem(template, "prints a value this engagement leaves empty", e, workspace)
        ]
    except jinja2.UndefinedError as exc:
        return [_template_problem(template, f"uses {exc.message}", e, workspace)]
    except jinja2.TemplateError as exc:
        return [_template_problem(template, f"fails: {exc}", e, workspace)]
    index = e.index.data
    title = template.header.title or job.kind.title
    text = RenderedText(
        output=output,
        markdown=markdown,
        title=f"{index.title} {title}" if job.language == "zh" else title,
        header_title=title if job.meeting is None else f"{title}（{job.meeting.data.date}）",
        version=doc.version,
        draft=doc.draft,
        confidential=doc.record.confidential,
        articles=template.header.articles,
        toc=template.header.toc,
        author=index.owner,
        when=when,
        language=job.language,
        base=str(e.folder),
    )
    if frozen_file is None:
        return text
    # approved or signed, and not frozen yet: what is made now is what gets kept, dated
    # the day it became final (its .docx is then the same today and in ten years)
    # what the text was made from; parsed only here, as freezing is rare
    values = read_values(context, frozen_reads(template_reads(env, job.template_name), context))
    if final is not None:
        when = datetime(final.year, final.month, final.day, tzinfo=UTC)
        text = replace(text, when=when)
    freeze = FrozenText(
        rel=workspace.rel(frozen_file),
        document=job.kind.id,
        version=doc.version,
        language=job.language,
        status=doc.status,
        frozen=final or when.date(),
        title=text.title,
        header_title=text.header_title,
        confidential=text.confidential,
        articles=text.articles,
        toc=text.toc,
        author=text.author,
        when=when,
        values=values,
        digest=values_digest(values),
        markdown=markdown,
    )
    return replace(text, freeze=freeze, freeze_path=frozen_file)


def template_spec(
    env: jinja2.Environment, name: str, templates: dict[str, DocumentTemplate], workspace: Workspace
) -> TemplateSpec | Diagnostic:
    """Template ``name``, compiled once into ``templates``, or the diagnostic that stops it."""
    if name not in templates:
        try:
            templates[name] = load_template(env, name, workspace.rel)
        except DocgenError as exc:
            return exc.diagnostics[0]
    return templates[name]


def frozen_reads(reads: tuple[str, ...], context: dict[str, Any]) -> tuple[str, ...]:
    """The value paths a frozen text records: the data the template reads, but its date.

    A frozen document keeps the date it was made with, so ``doc_date`` is not an input;
    nor are ``articles``, which the clause library makes from the values recorded.  The
    sides (``party_a`` …) are views: their data is recorded instead (`data_reads`).
    """
    return data_reads((p for p in reads if p not in ("doc_date", "articles")), context)


def final_date(record: DocumentRecord) -> date | None:
    """When the record became final: its signing, else its newest approval of its version."""
    if record.status == "signed" and record.signed:
        return record.signed
    dates = [a.date for a in record.approvals if a.version == record.version]
    return max(dates) if dates else None


def from_frozen(
    path: Path, output: str, e: Engagement, workspace: Workspace
) -> RenderedText | list[Diagnostic]:
    """The document as it was frozen: the same words, date and furniture as that day."""
    rel = workspace.rel(path)
    try:
        frozen = read_frozen(workspace.contain(path, rel), rel)
    except DocgenError as exc:
        return exc.diagnostics
    return RenderedText(
        output=output,
        markdown=frozen.markdown,
        title=frozen.title,
        header_title=frozen.header_title,
        version=frozen.version,
        draft=False,
        confidential=frozen.confidential,
        articles=frozen.articles,
        toc=frozen.toc,
        author=frozen.author,
        when=frozen.when,
        language=frozen.language,
        base=str(e.folder),
    )


def _document_time(
    revisions: list[Revision], signed: date | None, approvals: list[date]
) -> datetime:
    """The newest commit of the inputs; else the newest signing or approval date."""
    if revisions:
        return max(r.when for r in revisions).astimezone(UTC).replace(microsecond=0)
    dates = [d for d in [signed, *approvals] if d is not None]
    if dates:
        newest = max(dates)
        return datetime(newest.year, newest.month, newest.day, tzinfo=UTC)
    return EPOCH


def _template_problem(
    template: DocumentTemplate, what: str, e: Engagement, workspace: Workspace
) -> Diagnostic:
    file, line = _template_line()
    path = workspace.rel(Path(file)) if file else template.path
    return Location(path, line).diagnostic(
        "error",
        "template-error",
        msg("template %(what)s (rendering %(id)s)", what=what, id=e.id),
        msg("check the template's variables against templates/documents/README.md"),
    )


def _template_line() -> tuple[str, int]:
    """The innermost template frame of the exception being handled (Jinja maps lines)."""
    found = ("", 1)
    for frame, lineno in traceback.walk_tb(sys.exc_info()[2]):
        if frame.f_code.co_filename.endswith(".j2"):
            found = (frame.f_code.co_filename, lineno)
    return found


def _has_file(e: Engagement, name: str) -> bool:
    """Whether the engagement has loaded the fixed file ``name`` (``applicants.md``)."""
    return getattr(e, name.removesuffix(".md"), None) is not None


def period_view(doc: DocView, period: str) -> DocView:
    """``doc`` as a first draft of the report for ``period`` (its 评估期间)."""
    span = bounds(period)
    assert span is not None
    record = DocumentRecord(period=DateRange(start=span[0], end=span[1]))
    return replace(doc, record=record, version="0.1", status="draft", draft=True, signed=None)
