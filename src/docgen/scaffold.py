"""Creating things: a workspace (``docgen init``) and an engagement (``docgen new``).

Every file is written atomically, and nothing that exists is overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
import yaml

from docgen.diagnostics import DocgenError
from docgen.load import SLUG, load_portfolio
from docgen.process import default_process_text
from docgen.schema import did_you_mean

ENGAGEMENT_TEMPLATES = "engagement"


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class InitResult:
    """What ``init`` wrote and what it left alone because it existed."""

    written: list[str]
    kept: list[str]


def init_workspace(target: Path, language: str = "zh") -> InitResult:
    """Make a workspace in ``target``: mkdocs.yml, process, scaffold, docs, engagements/."""
    if language not in ("zh", "en"):
        raise DocgenError(f"unknown process language '{language}' (zh or en)")
    data = resources.files("docgen.data")
    files: dict[str, str] = {
        "mkdocs.yml": data.joinpath("workspace/mkdocs.yml").read_text("utf-8"),
        "docs/index.md": data.joinpath("workspace/docs/index.md").read_text("utf-8"),
        "templates/process.yml": default_process_text(language),
        "engagements/.gitkeep": "",
    }
    for name in ("index.md.j2", "stage.md.j2"):
        files[f"templates/{ENGAGEMENT_TEMPLATES}/{name}"] = data.joinpath(
            f"{ENGAGEMENT_TEMPLATES}/{name}"
        ).read_text("utf-8")
    written, kept = [], []
    for rel, text in files.items():
        path = target / rel
        if path.exists():
            kept.append(rel)
        else:
            write_atomic(path, text)
            written.append(rel)
    return InitResult(written, kept)


def _yaml_scalar(value: object) -> str:
    """A value as a one-line YAML scalar, quoted only where YAML needs it."""
    if value is None:
        return "null"
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**6)
    text = text.removesuffix("\n").removesuffix("\n...").strip()
    if "\n" in text or yaml.safe_load(text) != value:
        return json.dumps(value, ensure_ascii=False)  # JSON strings are valid YAML
    return text


def _environment(root: Path) -> jinja2.Environment:
    own = root / "templates" / ENGAGEMENT_TEMPLATES
    shipped = Path(str(resources.files("docgen.data").joinpath(ENGAGEMENT_TEMPLATES)))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(own), str(shipped)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters["yaml"] = _yaml_scalar
    return env


def new_engagement(
    root: Path | None,
    engagement_id: str,
    *,
    title: str,
    partner: str,
    mode: str,
    owner: str,
    code: str | None = None,
) -> Path:
    """Scaffold ``engagements/<id>/`` from ``templates/engagement/``; returns the folder."""
    if not SLUG.match(engagement_id):
        raise DocgenError(
            f"'{engagement_id}' is not a valid engagement id: use lower-case ASCII letters, "
            "digits and '-' (e.g. 2026-007-huaxin-storage); the Chinese name goes in --title"
        )
    portfolio = load_portfolio(root, only=[])
    workspace, process = portfolio.workspace, portfolio.process
    folder = workspace.engagements_dir / engagement_id
    if folder.exists():
        raise DocgenError(f"{workspace.rel(folder)} already exists")
    modes = {m.id: m.title for m in process.modes}
    titles = {m.title: m.id for m in process.modes}
    mode = titles.get(mode, mode)
    if mode not in modes:
        raise DocgenError(f"unknown cooperation mode '{mode}'; " + did_you_mean(mode, modes))
    for label, value in (("--title", title), ("--partner", partner), ("--owner", owner)):
        if not value.strip():
            raise DocgenError(f"{label} must not be empty")
    first = process.stages[0]
    env = _environment(workspace.root)
    context = {
        "id": engagement_id,
        "title": title,
        "partner": partner,
        "mode": mode,
        "mode_title": modes[mode],
        "owner": owner,
        "code": code,
        "stage": first.id,
        "stage_title": first.title,
        "today": workspace.today().isoformat(),
    }
    try:
        index = env.get_template("index.md.j2").render(context)
        items = [
            {"id": i, "title": process.items[i][2].title, "required": process.items[i][2].required}
            for i in process.stage_items(first.id)
        ]
        stage = env.get_template("stage.md.j2").render({**context, "items": items})
    except jinja2.TemplateError as exc:
        raise DocgenError(f"engagement template error: {exc}") from exc
    staging = Path(tempfile.mkdtemp(prefix=f".{engagement_id}.", dir=workspace.engagements_dir))
    try:
        write_atomic(staging / "index.md", index)
        write_atomic(staging / first.file, stage)
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
