"""Creating things: a workspace (``docgen init``) and an engagement (``docgen new``).

Every file is written atomically, and nothing that exists is overwritten.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2

from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError
from docgen.core.i18n import msg
from docgen.core.paths import new_folder_mode
from docgen.core.schema import did_you_mean
from docgen.core.templating import sandboxed
from docgen.domain.process import Process, default_process_text
from docgen.workspace.config import Workspace
from docgen.workspace.edit import yaml_scalar
from docgen.workspace.load import SLUG, engagement_codes, engagement_folders, load_portfolio

ENGAGEMENT_TEMPLATES = "engagement"
DOCUMENT_TEMPLATES = "documents"
CLAUSE_TEMPLATES = "clauses"
#: What ``init`` keeps out of git: everything docgen builds again from the sources.
GITIGNORE = """\
# made again by 'docgen publish' / 'docgen render' (documents, site, caches)
/build/
/site/
"""


#: the values the packaged mkdocs.yml leaves for ``init --name/--organization`` to fill
_PLACEHOLDERS = {
    "site_name": ("招商合作项目库", "Partnership portfolio"),
    "name": ("（本单位名称）", "(your organisation)"),
}


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``init`` wrote and what it left alone because it existed."""

    written: list[str]
    kept: list[str]
    #: the workspace's git repository: ``made`` by init, ``exists`` already, ``none`` (no git)
    git: str = "none"


def init_workspace(
    target: Path,
    language: str = "zh",
    *,
    site_name: str | None = None,
    organization: str | None = None,
) -> InitResult:
    """Make a workspace in ``target``: mkdocs.yml, process, scaffold, docs, engagements/.

    ``site_name`` names the site (and heads its home page); ``organization`` is our side
    of every agreement.  Without them, the placeholders stand for the team to fill in.
    """
    if language not in ("zh", "en"):
        raise DocgenError(
            msg("unknown process language '%(language)s' (zh or en)", language=language)
        )
    data = resources.files("docgen.data")
    suffix = "" if language == "zh" else f".{language}"
    files: dict[str, str] = {
        "mkdocs.yml": data.joinpath(f"workspace/mkdocs{suffix}.yml").read_text("utf-8"),
        "docs/guide.md": data.joinpath(f"workspace/docs/guide{suffix}.md").read_text("utf-8"),
        "engagements/.gitkeep": "",
        ".gitignore": GITIGNORE,
    }
    for given, key in ((site_name, "site_name"), (organization, "name")):
        if given is not None and given.strip():
            files["mkdocs.yml"] = _with_value(files["mkdocs.yml"], key, given.strip())
    if site_name and site_name.strip():
        heading = files["docs/guide.md"].split("\n", 1)
        files["docs/guide.md"] = f"# {site_name.strip()}\n{heading[1]}"
    if language == "zh":  # the 用户手册 is written in Chinese
        for entry in sorted(data.joinpath("workspace/docs/manual").iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".md"):
                files[f"docs/manual/{entry.name}"] = entry.read_text("utf-8")
    files_bytes: dict[str, str | bytes] = dict(files)
    files_bytes.update(template_files(language))
    written, kept = [], []
    target.mkdir(parents=True, exist_ok=True)
    root = target.resolve()
    for rel, text in files_bytes.items():
        path = root / rel
        if path.exists():
            kept.append(rel)
        else:
            write_atomic(path, text, root=root)
            written.append(rel)
    return InitResult(written, kept, _git_repository(root))


def template_files(language: str = "zh") -> dict[str, str | bytes]:
    """The templates a new workspace gets, ``templates/…`` → content: the package's own.

    The package's data is the one source; ``init`` and whoever else needs a workspace's
    own copy (the tests' and benchmarks' copies of the samples) take it from here.
    """
    data = resources.files("docgen.data")
    files: dict[str, str | bytes] = {"templates/process.yml": default_process_text(language)}
    for name in ("index.md.j2", "stage.md.j2"):
        files[f"templates/{ENGAGEMENT_TEMPLATES}/{name}"] = data.joinpath(
            f"{ENGAGEMENT_TEMPLATES}/{name}"
        ).read_text("utf-8")
    for folder in (DOCUMENT_TEMPLATES, CLAUSE_TEMPLATES):
        for entry in sorted(data.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".j2") or entry.name == "README.md":
                files[f"templates/{folder}/{entry.name}"] = entry.read_text("utf-8")
    files["templates/reference.docx"] = data.joinpath("reference.docx").read_bytes()
    return files


def _with_value(config: str, key: str, value: str) -> str:
    """``config`` with the value of the line ``key: <placeholder>`` replaced, comment kept."""
    lines = config.split("\n")
    for i, line in enumerate(lines):
        head, sep, rest = line.partition(f"{key}: ")
        if sep and not head.strip() and rest.split("  #")[0].strip() in _PLACEHOLDERS[key]:
            _, hash_, comment = rest.partition("  #")
            lines[i] = f"{head}{key}: {yaml_scalar(value)}" + (f"  #{comment}" if hash_ else "")
            return "\n".join(lines)
    raise AssertionError(f"no {key} in the packaged mkdocs.yml")


def _git_repository(root: Path) -> str:
    """Make the workspace a git repository unless it is in one (the history is its record)."""
    try:
        inside = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"],
            cwd=root,
            capture_output=True,
            check=False,
        )
        if inside.returncode == 0:
            return "exists"
        made = subprocess.run(["git", "init", "-q"], cwd=root, capture_output=True, check=False)
    except OSError:
        return "none"
    return "made" if made.returncode == 0 else "none"


def _environment(workspace: Workspace) -> jinja2.Environment:
    """The engagement scaffold's templates: the workspace's own first, then the package's."""
    own = workspace.root / workspace.config.templates / ENGAGEMENT_TEMPLATES
    shipped = Path(str(resources.files("docgen.data").joinpath(ENGAGEMENT_TEMPLATES)))
    env = sandboxed(
        [own, shipped],
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["yaml"] = yaml_scalar
    return env


def stage_file_text(
    workspace: Workspace, process: Process, stage_id: str, owner: str, origin: str | None = None
) -> str:
    """A new stage file listing the stage's items for a lead of ``origin``, owned by ``owner``."""
    stage = process.stage(stage_id)
    items = [
        {"id": i, "title": process.items[i][2].title, "required": process.items[i][2].required}
        for i in process.stage_items(stage_id)
        if process.item_applies(i, origin)
    ]
    context = {"stage_title": stage.title, "owner": owner, "items": items}
    try:
        return _environment(workspace).get_template("stage.md.j2").render(context)
    except jinja2.TemplateError as exc:
        raise DocgenError(msg("engagement template error: %(exc)s", exc=exc)) from exc


def contract_needs(workspace: Workspace, process: Process, mode: str) -> set[str]:
    """The values (``terms.investment`` …) the articles of a ``mode`` contract require.

    A new engagement's index.md offers a key, with an example, for each of them.
    """
    from docgen.documents.clauses import clause_template
    from docgen.documents.requirements import DocumentCheck

    check = DocumentCheck(workspace, process)
    needs: set[str] = set()
    for clause in process.contract_clauses(mode):
        spec = check.spec(clause_template(clause.id, "zh"))
        if not isinstance(spec, Diagnostic):
            needs.update(path for path, _ in spec.requirements)
    return needs


def plan_new_engagement(
    root: Path | None,
    engagement_id: str,
    *,
    title: str,
    partner: str,
    mode: str,
    owner: str,
    code: str | None = None,
    origin: str | None = None,
) -> tuple[Workspace, Path, dict[str, str]]:
    """The workspace, the folder of a new engagement and its files' texts by name.

    Nothing is written; `new_engagement` writes them.
    """
    if not SLUG.match(engagement_id):
        raise DocgenError(
            msg(
                (
                    "'%(engagement_id)s' is not a valid engagement id: use "
                    "lower-case ASCII letters, digits and '-' (e.g. "
                    "2026-007-huaxin-storage); the Chinese name goes in --title"
                ),
                engagement_id=engagement_id,
            )
        )
    portfolio = load_portfolio(root, only=[])
    workspace, process = portfolio.workspace, portfolio.process
    folder = workspace.engagements_dir / engagement_id
    if folder.exists():
        raise DocgenError(msg("%(rel)s already exists", rel=workspace.rel(folder)))
    if code is not None:
        taken = [
            u for u in engagement_codes(workspace, engagement_folders(workspace)) if u.code == code
        ]
        if taken:
            where = taken[0].where
            raise DocgenError(
                msg(
                    (
                        "project code '%(code)s' is already used by %(engagement)s "
                        "(%(path)s:%(line)s); choose another --code"
                    ),
                    code=code,
                    engagement=taken[0].engagement,
                    path=where.path,
                    line=where.line,
                )
            )
    modes = process.mode_titles
    mode = process.aliases.id_of("mode", mode) or mode
    if mode not in modes:
        raise DocgenError(
            msg(
                "unknown cooperation mode '%(mode)s'; %(hint)s",
                mode=mode,
                hint=did_you_mean(mode, modes),
            )
        )
    origins = {o.id: o.title for o in process.origins}
    if origin is not None:
        origin = process.aliases.id_of("origin", origin) or origin
        if origin not in origins:
            raise DocgenError(
                msg(
                    "unknown origin '%(origin)s'; origins: %(known)s",
                    origin=origin,
                    known="、".join(f"{k}（{v}）" for k, v in origins.items()),
                )
            )
    for label, value in (("--title", title), ("--partner", partner), ("--owner", owner)):
        if not value.strip():
            raise DocgenError(msg("%(label)s must not be empty", label=label))
    first = process.stages[0]
    env = _environment(workspace)
    context = {
        "origins": "、".join(f"{o.id}（{o.title}）" for o in process.origins),
        "id": engagement_id,
        "title": title,
        "partner": partner,
        "mode": mode,
        "mode_title": modes[mode],
        "origin": origin,
        "origin_title": origins.get(origin or "", ""),
        "owner": owner,
        "code": code,
        "stage": first.id,
        "stage_title": first.title,
        "today": workspace.today().isoformat(),
        "needs": contract_needs(workspace, process, mode),
        "roles": next((m.roles for m in process.modes if m.id == mode), []),
        "documents": {k.id for k in process.documents if process.document_applies(k.id, origin)},
    }
    try:
        index = env.get_template("index.md.j2").render(context)
    except jinja2.TemplateError as exc:
        raise DocgenError(msg("engagement template error: %(exc)s", exc=exc)) from exc
    stage = stage_file_text(workspace, process, first.id, owner, origin)
    return workspace, folder, {"index.md": index, first.file: stage}


def new_engagement(
    root: Path | None,
    engagement_id: str,
    *,
    title: str,
    partner: str,
    mode: str,
    owner: str,
    code: str | None = None,
    origin: str | None = None,
) -> Path:
    """Scaffold ``engagements/<id>/`` from ``templates/engagement/``; returns the folder.

    ``mode`` and ``origin`` are ids or titles (合资, 定向招商); without ``origin`` the
    file leaves it out, which means the process's first (a lead from a 招商公告).
    """
    workspace, folder, files = plan_new_engagement(
        root,
        engagement_id,
        title=title,
        partner=partner,
        mode=mode,
        owner=owner,
        code=code,
        origin=origin,
    )
    workspace.engagements_dir.mkdir(parents=True, exist_ok=True)
    workspace.contain(workspace.engagements_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{engagement_id}.", dir=workspace.engagements_dir))
    try:
        os.chmod(staging, new_folder_mode())  # mkdtemp makes it 0700
        for name, text in files.items():
            write_atomic(staging / name, text)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
