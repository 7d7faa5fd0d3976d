"""`docgen redline`: what two texts of a document are, and the redline between them.

Each side of a comparison is named the way a user names a text of a document:

- a version (``1.0``): its frozen text, ``documents/<doc>/1.0.md``;
- a git revision (``HEAD~3``, a commit id, a tag): the document as ``docgen render``
  made it at that commit, from the workspace as it was committed then;
- nothing: ``--from`` is the newest frozen version, ``--to`` the working tree (the
  document made afresh from the data as it stands).

The redline itself is `docgen.documents.build.build_redline`.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from docgen.core.diagnostics import DocgenError
from docgen.core.history import read_history
from docgen.core.i18n import msg
from docgen.core.paths import user_output
from docgen.documents.build import Redline, Side, build_redline, revision_author
from docgen.documents.frozen import frozen_versions, redline_name
from docgen.documents.jobs import DocumentJob, RenderedText, from_frozen, plan_jobs, render_text
from docgen.documents.templates import DocumentTemplate, environment, template_dirs
from docgen.domain.engagement import Engagement
from docgen.domain.model import VERSION_PATTERN, version_key
from docgen.pipeline.render import documents_dir, reference_path
from docgen.word.writer import Reference
from docgen.workspace.load import Portfolio, load_portfolio

#: What a git revision may look like (no options, no ranges).
_REVISION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./~^@{}-]*$")
_GIT_SECONDS = 120


@dataclass(frozen=True)
class RedlineRequest:
    """What to compare: one document of one engagement, in one language, from → to."""

    engagement: str
    document: str
    language: str = "zh"
    start: str | None = None  # --from
    end: str | None = None  # --to
    author: str | None = None


def make_redline(
    portfolio: Portfolio, request: RedlineRequest, output: Path | None = None
) -> tuple[Path, Redline, Side, Side]:
    """Write the redline ``request`` asks for; return its path, what it holds and its sides.

    The default output is ``<output>/documents/<id>/redlines/<doc>-<from>-<to>.docx``.
    """
    workspace = portfolio.workspace
    request = replace(request, document=portfolio.process.document_named(request.document))
    e = portfolio.get(request.engagement)
    job = _job(portfolio, e, request)
    old = _side(portfolio, e, job, request.start, start=True)
    new = _side(portfolio, e, job, request.end, start=False)
    if output is None:
        out_dir = documents_dir(workspace, "internal")
        name = redline_name(e.id, job.file_name, old.label, new.label)
    else:
        target = user_output(output, workspace.root)
        out_dir, name = target.parent, target.name
    author = request.author or revision_author(e, request.document, new.text) or new.text.author
    reference = Reference(reference_path(workspace))
    redline = build_redline(old, new, out_dir, name, reference, author)
    return out_dir / name, redline, old, new


def _job(portfolio: Portfolio, e: Engagement, request: RedlineRequest) -> DocumentJob:
    e = portfolio.editable(e.id)
    assert e.index is not None  # editable: every file loaded
    if request.document == "meeting-minutes":
        raise DocgenError(msg("meeting minutes have no versions to compare"))
    wanted = f"{request.document}.{request.language}"
    for job in plan_jobs([e], portfolio.process, [wanted]):
        return job
    raise DocgenError(
        msg(
            "%(document)s has no %(language)s version in the process",
            document=request.document,
            language=request.language,
        )
    )


def _side(
    portfolio: Portfolio, e: Engagement, job: DocumentJob, name: str | None, *, start: bool
) -> Side:
    frozen = {
        v: path for v, language, path in frozen_versions(e, job.kind.id) if language == job.language
    }
    if name is None and start:
        if not frozen:
            raise DocgenError(
                msg(
                    (
                        "%(id)s of %(engagement)s has no frozen version to compare with; "
                        "name one with --from (a version or a git revision)"
                    ),
                    id=job.kind.id,
                    engagement=e.id,
                )
            )
        name = max(frozen, key=version_key)
    if name is None:
        return _working_tree(portfolio, job, frozen)
    if name in frozen:
        return Side(name, _frozen_text(portfolio, e, job, frozen[name]))
    if re.fullmatch(VERSION_PATTERN, name) and not _is_revision(portfolio, name):
        listed = "、".join(sorted(frozen, key=version_key)) or "none"
        raise DocgenError(
            msg(
                (
                    "%(id)s %(name)s of %(engagement)s was never frozen (frozen "
                    "versions: %(listed)s); name a git revision instead, e.g. "
                    "--from HEAD~3"
                ),
                id=job.kind.id,
                name=name,
                engagement=e.id,
                listed=listed,
            )
        )
    return _at_revision(portfolio, e, job, name)


def _frozen_text(portfolio: Portfolio, e: Engagement, job: DocumentJob, path: Path) -> RenderedText:
    made = from_frozen(path, f"{e.id}/{job.file_name}", e, portfolio.workspace)
    if not isinstance(made, RenderedText):
        raise DocgenError(msg("%(rel)s cannot be read", rel=portfolio.workspace.rel(path)), made)
    return made


def _working_tree(portfolio: Portfolio, job: DocumentJob, frozen: dict[str, Path]) -> Side:
    text = _render(portfolio, job, fresh=True)
    label = text.version if text.version not in frozen else f"{text.version}-working"
    return Side(label, text)


def _render(portfolio: Portfolio, job: DocumentJob, *, fresh: bool) -> RenderedText:
    workspace = portfolio.workspace
    env = environment(
        tuple(template_dirs(workspace.root / workspace.config.templates / "documents"))
    )
    templates: dict[str, DocumentTemplate] = {}
    history = read_history(workspace.root, job.engagement.rel)  # this engagement's commits
    made = render_text(job, workspace, portfolio.process, history, env, templates, fresh=fresh)
    if not isinstance(made, RenderedText):
        raise DocgenError(
            msg(
                "%(id)s of %(engagement)s cannot be made",
                id=job.kind.id,
                engagement=job.engagement.id,
            ),
            made,
        )
    return replace(made, freeze=None, freeze_path=None)


# --- a git revision -----------------------------------------------------------------


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=_GIT_SECONDS,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise DocgenError(msg("git cannot be run: %(exc)s", exc=exc)) from None


def _is_revision(portfolio: Portfolio, name: str) -> bool:
    if not _REVISION.match(name):
        return False
    found = _git(portfolio.workspace.root, "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
    return found.returncode == 0


def _at_revision(portfolio: Portfolio, e: Engagement, job: DocumentJob, name: str) -> Side:
    """The document as ``docgen render`` made it at commit ``name``."""
    root = portfolio.workspace.root
    if not _is_revision(portfolio, name):
        raise DocgenError(
            msg(
                ("'%(name)s' is neither a frozen version of %(id)s nor a git revision of %(root)s"),
                name=name,
                id=job.kind.id,
                root=root,
            )
        )
    commit = _git(root, "rev-parse", f"{name}^{{commit}}").stdout.decode().strip()
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode().strip()
    when = _git(root, "show", "-s", "--format=%cI", commit).stdout.decode().strip()
    with tempfile.TemporaryDirectory(prefix="docgen-redline-") as folder:
        _checkout(portfolio, e, f"{commit}:{prefix}", Path(folder))
        try:
            then = load_portfolio(Path(folder), only=[e.id])
            e_then = then.get(e.id)
        except DocgenError as exc:
            raise DocgenError(
                msg(
                    "%(id)s cannot be loaded as it was at %(commit)s: %(message)s",
                    id=e.id,
                    commit=commit[:8],
                    message=exc.message,
                ),
                exc.diagnostics,
            ) from None
        job_then = _job(then, e_then, RedlineRequest(e.id, job.kind.id, job.language))
        text = _render(then, job_then, fresh=False)
    dated = datetime.fromisoformat(when) if when else text.when
    return Side(commit[:8], replace(text, base=str(e.folder), when=dated))


def _checkout(portfolio: Portfolio, e: Engagement, tree: str, folder: Path) -> None:
    """Write the workspace files ``e``'s documents need, as of ``tree``, into ``folder``."""
    workspace = portfolio.workspace
    root = workspace.root
    listed = _git(root, "ls-tree", "--name-only", "-z", tree)
    if listed.returncode != 0:
        raise DocgenError(
            msg(
                "git cannot list %(tree)s: %(error)s",
                tree=tree,
                error=listed.stderr.decode(errors="replace"),
            )
        )
    engagements = Path(workspace.config.engagements).parts[0]
    output = Path(workspace.config.output).parts[0]
    names = [n for n in listed.stdout.decode().split("\0") if n and n not in (engagements, output)]
    names.append(workspace.rel(e.folder))
    archive = _git(root, "archive", "--format=tar", tree, "--", *names)
    if archive.returncode != 0:
        raise DocgenError(
            f"{e.rel} is not in git at {tree.partition(':')[0][:8]}: "
            + archive.stderr.decode(errors="replace").strip()
        )
    try:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
    except tarfile.FilterError as exc:  # a link, at that commit, leading out of the workspace
        name = exc.tarinfo.name
        raise DocgenError(
            msg(
                "at %(commit)s, %(name)s is a link leading outside the workspace; docgen does "
                "not follow it, so that version cannot be made",
                commit=tree.partition(":")[0][:8],
                name=name,
            )
        ) from None
    except (tarfile.TarError, OSError) as exc:
        raise DocgenError(
            msg("git's copy of %(tree)s cannot be read: %(error)s", tree=tree[:8], error=exc)
        ) from None
