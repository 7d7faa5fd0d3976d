"""The render stage: engagements → their documents → .docx files, in shares.

`render_documents` is the whole stage.  The engagements are split into small shares;
each share is loaded, validated (an engagement with errors gets no documents), its
documents chosen and rendered to markdown, and the .docx files whose inputs changed are
built — in this process, or in worker processes when there are many, so that only
names go in and only results come back.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from docgen.checks.validate import validate_portfolio
from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError, sort_key
from docgen.core.fingerprint import (
    Fingerprint,
    code_version,
    file_sha256,
    folder_inputs,
)
from docgen.core.fingerprint import fingerprint as fingerprint_of
from docgen.core.history import History, read_history
from docgen.core.i18n import msg
from docgen.core.office import export_pdfs
from docgen.core.periods import bounds
from docgen.documents.context import EngagementContexts
from docgen.documents.frozen import (
    frozen_versions,
    previous_version,
    record_frozen_digests,
    redline_name,
    version_name,
    write_frozen,
)
from docgen.documents.jobs import (
    DocumentJob,
    RenderedText,
    english_leaks,
    from_frozen,
    plan_jobs,
    render_text,
)
from docgen.documents.templates import DocumentTemplate, environment, template_dirs
from docgen.domain.engagement import Engagement
from docgen.domain.process import Process
from docgen.pipeline.reports import RenderReport
from docgen.workspace.audience import Audience, document_visible, for_audience
from docgen.workspace.config import Workspace
from docgen.workspace.load import Portfolio, load_folders, open_portfolio, select_folders

MANIFEST = ".docgen-render.json"
MANIFEST_FORMAT = 3
#: Engagements per unit of work; below two shares' worth, one process is faster.
SHARE = 8

Manifest = dict[str, dict[str, Any]]
#: Which documents get a PDF too: none, the approved and signed ones, or all.
PdfScope = Literal["none", "final", "all"]


@dataclass(frozen=True)
class _Request:
    """What every share needs besides its engagement names (sent once per worker)."""

    root: Path
    docs: list[str] | None
    every: bool
    out_dir: Path
    force: bool
    manifest: Manifest
    history: History
    audience: Audience = "internal"
    #: engagement id → {"inputs": digest of everything its documents depend on, "outputs"}
    engagements: dict[str, dict[str, Any]] = field(default_factory=dict)
    context: str = ""  # digest of what every engagement's documents depend on
    #: the period of the periodic documents asked for (``2026-Q3``), or None
    period: str | None = None


@dataclass
class _ShareResult:
    written: dict[str, dict[str, Any]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    engagements: dict[str, dict[str, Any]] = field(default_factory=dict)
    frozen: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Checked:
    """A portfolio loaded and checked by the caller (`docgen.pipeline.publish`): used as it is."""

    portfolio: Portfolio
    diagnostics: Sequence[Diagnostic]

    def errors_of(self, rels: set[str]) -> list[Diagnostic]:
        """The errors found in the engagements at ``rels`` (their folders)."""
        return [d for d in self.diagnostics if d.is_error and _in(d, rels)]


def _in(d: Diagnostic, rels: set[str]) -> bool:
    return any(d.path.startswith(rel + "/") for rel in rels)


#: what a worker forked by `render_documents` inherits: the caller's checked portfolio
_given: _Checked | None = None


class _Renderer:
    """One process's tools: workspace, process, templates and the reference, opened once."""

    def __init__(self, request: _Request, given: _Checked | None = None) -> None:
        # python-docx is imported only once a document is to be made: an unchanged
        # publish never needs it
        from docgen.word.writer import Reference

        self.request = request
        self.given = given
        if given is not None:
            self.workspace, self.process = given.portfolio.workspace, given.portfolio.process
        else:
            self.workspace, self.process = open_portfolio(request.root)
        folder = self.workspace.root / self.workspace.config.templates / "documents"
        self.env = environment(tuple(template_dirs(folder)))
        self.templates: dict[str, DocumentTemplate] = {}
        self.contexts = EngagementContexts()
        path = reference_path(self.workspace)
        self.reference = Reference(path)
        self.reference_digest = fingerprint_of(self.reference.data)

    def share(self, digests: dict[str, str]) -> _ShareResult:
        """Load, validate, render and build the documents of these engagements.

        ``digests`` maps each engagement to the digest of its inputs (`inputs_digest`).
        """
        result = _ShareResult()
        names = list(digests)
        request, workspace = self.request, self.workspace
        outputs: dict[str, list[str]] = {n: [] for n in names}
        if self.given is not None:  # loaded and checked once, by the caller
            wanted = set(names)
            kept = [e for e in self.given.portfolio.engagements if e.id in wanted]
            portfolio = replace(self.given.portfolio, engagements=kept)
            errors = self.given.errors_of({e.rel for e in kept})
        else:
            folders = [workspace.engagements_dir / n for n in names]
            portfolio = load_folders(workspace, self.process, folders)
            errors = [d for d in validate_portfolio(portfolio, documents=False) if d.is_error]
        result.diagnostics.extend(errors)
        broken = {
            e.id for e in portfolio.engagements for d in errors if d.path.startswith(e.rel + "/")
        }
        engagements = [e for e in portfolio.engagements if e.id not in broken]
        if request.audience != "internal":
            # documents for partners are made from what partners may see, nothing else
            engagements = for_audience(
                replace(portfolio, engagements=engagements), request.audience
            ).engagements
        jobs = plan_jobs(engagements, self.process, request.docs, request.every, request.period)
        for job in jobs:
            if not document_visible(self.process, job.engagement, job.kind.id, request.audience):
                continue
            text = render_text(
                job,
                workspace,
                self.process,
                request.history,
                self.env,
                self.templates,
                contexts=self.contexts,
            )
            if not isinstance(text, RenderedText):
                if request.audience != "internal":
                    # needs what partners may not see: not made for them, and said so
                    text = [_not_for_partners(d) for d in text]
                result.diagnostics.extend(text)
                continue
            if text.freeze is not None and request.audience == "internal":
                assert text.freeze_path is not None
                write_frozen(text.freeze_path, text.freeze, workspace.root)
                result.frozen.append(text.freeze.rel)
            self.build(text, result, outputs[job.engagement.id])
            result.diagnostics.extend(english_leaks(job, text))
            if job.meeting is None and job.kind.id in job.engagement.documents:
                self.redline_from_earlier(job, text, result, outputs[job.engagement.id])
        for e in engagements:
            self.earlier_versions(e, result, outputs[e.id])
            if request.audience == "internal":
                result.frozen += record_frozen_digests(e, workspace)
        for e in portfolio.engagements:
            # a render with errors is not remembered; its warnings are, to be said again
            found = [d for d in result.diagnostics if d.path.startswith(e.rel + "/")]
            if not any(d.is_error for d in found):
                result.engagements[e.id] = {
                    "inputs": digests[e.id],
                    "outputs": outputs[e.id],
                    "warnings": [asdict(d) for d in found],
                }
        return result

    def earlier_versions(self, e: Engagement, result: _ShareResult, outputs: list[str]) -> None:
        """Each document's earlier frozen versions as .docx: ``<id>/versions/<doc>-<v>.docx``."""
        request = self.request
        asked = {name.partition(".")[0] for name in request.docs or []}
        for kind in self.process.documents:
            if asked and kind.id not in asked:
                continue
            if not document_visible(self.process, e, kind.id, request.audience):
                continue
            record = e.documents.get(kind.id)
            current = record.data.version if record else None
            for language in kind.languages:
                job = DocumentJob(e, kind, language)
                for version, lang, path in frozen_versions(e, kind.id):
                    if lang != language or version == current:
                        continue
                    output = version_name(e.id, job.file_name, version)
                    text = self.frozen(path, output, e, result)
                    if text is not None:
                        self.build(text, result, outputs, earlier=True)

    def redline_from_earlier(
        self, job: DocumentJob, text: RenderedText, result: _ShareResult, outputs: list[str]
    ) -> None:
        """The redline from the newest frozen version before ``text``'s to ``text``.

        ``<id>/redlines/<doc>-<before>-<version>.docx``: the signed 1.0 against the 1.1
        being negotiated, or against the approved 1.1.
        """
        e = job.engagement
        before = previous_version(e, job.kind.id, job.language, text.version)
        if before is None:
            return
        old = self.frozen(before[1], f"{e.id}/{job.file_name}", e, result)
        if old is None:
            return
        from docgen.documents.build import Side, build_redline, revision_author

        old_side, new_side = Side(before[0], old), Side(text.version, text)
        output = redline_name(e.id, job.file_name, old_side.label, new_side.label)
        author = revision_author(e, job.kind.id, text) or text.author
        parts = [t.fingerprint(self.reference_digest) for t in (old, text)] + [author]
        fingerprint = fingerprint_of(*parts)
        outputs.append(output)
        if self.current(output, fingerprint):
            result.unchanged.append(output)
            return
        reference = self.reference
        made = build_redline(old_side, new_side, self.request.out_dir, output, reference, author)
        result.written[output] = self.entry(
            output, fingerprint, made.sha256, final=False, extra=True
        )

    def frozen(
        self, path: Path, output: str, e: Engagement, result: _ShareResult
    ) -> RenderedText | None:
        """A frozen text, or None with its problems said (once)."""
        text = from_frozen(path, output, e, self.workspace)
        if isinstance(text, RenderedText):
            return text
        result.diagnostics += [d for d in text if d not in result.diagnostics]
        return None

    def build(
        self,
        text: RenderedText,
        result: _ShareResult,
        outputs: list[str],
        *,
        earlier: bool = False,
    ) -> None:
        """Make ``text``'s .docx unless it is current; ``earlier``: of an earlier version."""
        fingerprint = text.fingerprint(self.reference_digest)
        outputs.append(text.output)
        if self.current(text.output, fingerprint):
            result.unchanged.append(text.output)
            return
        from docgen.documents.build import build_docx

        digest = build_docx(text, self.request.out_dir, self.reference)
        result.written[text.output] = self.entry(
            text.output, fingerprint, digest, final=not text.draft, extra=earlier
        )

    def current(self, output: str, fingerprint: str) -> bool:
        """True when ``output`` was made from the same inputs and is intact on disk."""
        request = self.request
        known = request.manifest.get(output)
        return bool(
            not request.force
            and known
            and known.get("fingerprint") == fingerprint
            and _intact(request.out_dir / output, known)
        )

    def entry(
        self, output: str, fingerprint: str, digest: str, *, final: bool, extra: bool = False
    ) -> dict[str, Any]:
        """The manifest entry of a file just written.

        ``extra`` marks a redline or an earlier version: never given a PDF.  A PDF made
        from the very same bytes (a document made again: ``--force``, a new docgen) is
        kept, not made again.
        """
        entry = {
            "fingerprint": fingerprint,
            "sha256": digest,
            "final": final,
            "extra": extra,
            **_stat(self.request.out_dir / output),
        }
        known = self.request.manifest.get(output) or {}
        if known.get("pdf") == digest:
            entry["pdf"] = digest
        return entry


_worker: _Renderer | None = None


def inputs_digest(
    workspace: Workspace,
    context: str,
    history: History,
    name: str,
    loaded: Engagement | None = None,
) -> str:
    """Every file of the engagement (by its status) and its commit, with the shared context.

    Files are known by size, times and inode, as `docgen.workspace.findings` explains: a changed
    file always has a new change time.  ``loaded``, the engagement as the caller loaded it,
    gives its files' statuses as they were read; without it the folder is listed here.
    """
    folder = workspace.engagements_dir / name
    if loaded is not None and loaded.inputs:
        status, files = loaded.inputs, loaded.files
    else:
        status, files = folder_inputs(folder, workspace.root)
    h = Fingerprint(context, status)
    base = workspace.rel(folder)
    for file in files:
        for revision in history.for_files([f"{base}/{file}"], limit=1):
            h.add(file, revision.commit)
    return h.hexdigest()


def _unchanged(
    workspace: Workspace, request: _Request, names: list[str], given: _Checked | None
) -> tuple[_ShareResult, dict[str, str]]:
    """Split ``names`` into engagements already rendered and those to render (with digests).

    An engagement none of whose inputs changed since its last render, and whose files
    are intact, is not even loaded.
    """
    result = _ShareResult()
    stale: dict[str, str] = {}
    out = str(request.out_dir)
    loaded = {e.id: e for e in given.portfolio.engagements} if given is not None else {}
    for name in names:
        known = request.engagements.get(name)
        digest = inputs_digest(workspace, request.context, request.history, name, loaded.get(name))
        if (
            not request.force
            and known
            and known.get("inputs") == digest
            and all(
                _intact(os.path.join(out, o), request.manifest.get(o, {}))
                for o in known.get("outputs", [])
            )
        ):
            result.unchanged.extend(known.get("outputs", []))
            result.diagnostics.extend(Diagnostic(**d) for d in known.get("warnings", []))
            result.engagements[name] = known
        else:
            stale[name] = digest
    return result, stale


def _init_worker(request: _Request) -> None:
    global _worker
    # forked, a worker has the caller's portfolio already; spawned, it loads its own
    given = _given if _given and _given.portfolio.workspace.root == request.root else None
    _worker = _Renderer(request, given)


def _share_in_worker(digests: dict[str, str]) -> _ShareResult:
    assert _worker is not None
    return _worker.share(digests)


def _not_for_partners(d: Diagnostic) -> Diagnostic:
    return replace(
        d,
        severity="warning",
        message=msg("%(message)s; not published to partners", message=d.message),
        hint=msg("it needs a value partners may not see, or one the engagement does not give"),
    )


def documents_dir(workspace: Workspace, audience: Audience) -> Path:
    """Where rendered documents go: ``<output>/documents`` (``documents-partner``)."""
    name = "documents" if audience == "internal" else f"documents-{audience}"
    return workspace.root / workspace.config.output / name


def reference_path(workspace: Workspace) -> Path:
    """The workspace's reference .docx, or the default one shipped in the package."""
    own = workspace.root / workspace.config.templates / "reference.docx"
    if own.is_file():
        return workspace.contain(own)
    return Path(str(resources.files("docgen.data").joinpath("reference.docx")))


def _doc_names(process: Process, docs: list[str] | None) -> list[str] | None:
    """``docs`` as ids (a title such as 合作协议 names its document), each one checked."""
    if docs is None:
        return None
    out = []
    for name in docs:
        kind, dot, language = name.partition(".")
        kind = process.document_named(kind)
        if language and language not in ("zh", "en"):
            raise DocgenError(msg("'%(name)s': the language after the dot is zh or en", name=name))
        out.append(kind + dot + language)
    return out


def render_documents(
    root: Path | None = None,
    only: list[str] | None = None,
    docs: list[str] | None = None,
    every: bool = False,
    out_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[int, str], None] | None = None,
    audience: Audience = "internal",
    pdf: PdfScope = "none",
    period: str | None = None,
    portfolio: Portfolio | None = None,
    checked: Sequence[Diagnostic] | None = None,
) -> RenderReport:
    """Render the documents of the engagements ``only`` names (all when None).

    ``docs`` limits the document kinds (see `plan_jobs`); ``every`` makes every kind
    whatever the stage.  Output goes to ``out_dir`` (default ``<output>/documents``),
    one folder per engagement.  A document whose fingerprint and file are unchanged
    since the last render is not rebuilt unless ``force``.  ``progress`` is called with
    the number of engagements first, then once per engagement done.  For ``audience``
    partner, documents are made from the partner view (`docgen.workspace.audience`) into
    ``<output>/documents-partner``.  ``pdf`` says which documents get a PDF beside their
    .docx (`docgen.core.office`); a PDF is remade only when its .docx changed.  ``period``
    (``2026-Q3``) makes the periodic documents (the 评估报告) for that period only.

    ``portfolio`` and ``checked``, when the caller has loaded and validated the workspace
    (`docgen.pipeline.publish`), are used as they are: nothing is opened, read from git or
    checked again.  Without them each engagement is loaded and checked here.
    """
    if period is not None and bounds(period) is None:
        raise DocgenError(
            msg("'%(period)s' is no period: write 2026, 2026-H1, 2026-Q3 or 2026-08", period=period)
        )
    given = _Checked(portfolio, checked) if portfolio is not None and checked is not None else None
    if given is not None:
        workspace, process = given.portfolio.workspace, given.portfolio.process
        history = given.portfolio.history()
    else:
        workspace, process = open_portfolio(root)
        history = read_history(workspace.root, workspace.config.engagements)
    docs = _doc_names(process, docs)
    folders = select_folders(workspace, only)
    out = (out_dir or documents_dir(workspace, audience)).resolve()
    manifest_file = out / MANIFEST
    manifest, engagement_manifest = _read_manifest(manifest_file)
    request = _Request(
        workspace.root,
        docs,
        every,
        out,
        force,
        manifest,
        history,
        audience,
        engagement_manifest,
        _context_digest(workspace, docs, every, audience, period),
        period,
    )
    names = [f.name for f in folders]
    report = RenderReport(out)
    previous = json.loads(json.dumps(engagement_manifest))
    if progress:
        progress(len(names), "")
    fresh, stale = _unchanged(workspace, request, names, given)
    pending = list(stale.items())
    shares = [dict(pending[i : i + SHARE]) for i in range(0, len(pending), SHARE)]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(shares) // 2 or 1))
    try:
        for share, result in zip(
            [list(fresh.engagements), *shares],
            itertools.chain([fresh], _run(request, shares, jobs, given)),
            strict=True,
        ):
            manifest.update(result.written)
            engagement_manifest.update(result.engagements)
            for name in share:
                if name not in result.engagements:
                    engagement_manifest.pop(name, None)
            report.written.extend(result.written)
            report.unchanged.extend(result.unchanged)
            report.diagnostics.extend(result.diagnostics)
            report.frozen.extend(result.frozen)
            if progress:
                for name in share:
                    progress(0, name)
        if pdf != "none":
            _make_pdfs(workspace, report, manifest, pdf)
    finally:
        if report.written or report.pdfs or engagement_manifest != previous:
            body = {
                "format": MANIFEST_FORMAT,
                "documents": dict(sorted(manifest.items())),
                "engagements": dict(sorted(engagement_manifest.items())),
            }
            write_atomic(manifest_file, json.dumps(body, ensure_ascii=False, indent=1))
    report.diagnostics = sorted(set(report.diagnostics), key=sort_key)
    return report


def _make_pdfs(
    workspace: Workspace, report: RenderReport, manifest: Manifest, scope: PdfScope
) -> None:
    """PDFs for the documents in ``scope`` whose .docx changed since their PDF was made.

    With ``final``, a PDF left from when a document was approved or signed is removed once
    the document is a draft again: a PDF on the site is always of a final text.
    """
    out = report.out_dir
    pending: list[tuple[Path, Path]] = []
    for output in sorted({*report.written, *report.unchanged}):
        info = manifest.get(output, {})
        if info.get("extra"):
            continue  # a redline or an earlier version: the .docx is what it is for
        pdf = os.path.join(out, output.removesuffix(".docx") + ".pdf")  # thousands: os.path
        if scope == "final" and not info.get("final"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(pdf)
            info.pop("pdf", None)
        elif info.get("pdf") != info.get("sha256") or not os.path.isfile(pdf):
            pending.append((out / output, Path(pdf)))
    made = export_pdfs(pending, out, workspace.rel(out))
    for target in made.written:
        output = target.relative_to(out).with_suffix(".docx").as_posix()
        manifest[output]["pdf"] = manifest[output]["sha256"]
        report.pdfs.append(output.removesuffix(".docx") + ".pdf")
    report.diagnostics.extend(made.diagnostics)


def _run(
    request: _Request, shares: list[dict[str, str]], jobs: int, given: _Checked | None
) -> Iterator[_ShareResult]:
    global _given
    if not shares:
        return
    if jobs == 1:
        renderer = _Renderer(request, given)
        yield from (renderer.share(s) for s in shares)
        return
    _given = given  # for the workers to inherit when forked
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    try:
        with ProcessPoolExecutor(
            jobs, mp_context=context, initializer=_init_worker, initargs=(request,)
        ) as pool:
            yield from pool.map(_share_in_worker, shares)
    finally:
        _given = None


def _read_manifest(file: Path) -> tuple[Manifest, dict[str, dict[str, Any]]]:
    try:
        data = json.loads(file.read_text("utf-8"))
    except (OSError, ValueError):
        return {}, {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}, {}
    documents, engagements = data.get("documents"), data.get("engagements")
    return (
        documents if isinstance(documents, dict) else {},
        engagements if isinstance(engagements, dict) else {},
    )


def _context_digest(
    workspace: Workspace,
    docs: list[str] | None,
    every: bool,
    audience: Audience,
    period: str | None = None,
) -> str:
    """What every engagement's documents depend on besides the engagement itself."""
    h = Fingerprint(code_version(), repr((docs, every, audience, period)))
    templates = workspace.root / workspace.config.templates
    packaged = Path(str(resources.files("docgen.data")))
    files = [workspace.root / "mkdocs.yml", workspace.process_file, reference_path(workspace)]
    folders = [base / sub for base in (templates, packaged) for sub in ("documents", "clauses")]
    for folder in folders:
        if folder.is_dir():
            files += sorted(p for p in folder.iterdir() if p.is_file())
    for path in files:
        try:
            h.add(str(path), path.read_bytes())
        except OSError:
            h.add(str(path), "missing")
    return h.hexdigest()


def _stat(file: Path | str) -> dict[str, Any]:
    info = os.stat(file)
    return {"size": info.st_size, "mtime_ns": info.st_mtime_ns}


def _intact(file: Path | str, known: dict[str, Any]) -> bool:
    """The file is the one written: same size and time (else its digest is compared)."""
    try:
        if _stat(file) == {"size": known.get("size"), "mtime_ns": known.get("mtime_ns")}:
            return True
    except OSError:
        return False
    return _digest_of(file) == known.get("sha256")


def _digest_of(file: Path | str) -> str | None:
    try:
        return file_sha256(file)
    except OSError:
        return None
