"""``docgen init --ci``: the team's CI runs docgen for everyone.

One workflow per git host — GitHub Actions, GitLab CI, Gitea Actions (GitHub's syntax)
— that validates every push and merge request with the host's annotations, publishes
the site from the main branch (and the partner site when engagements are shown to
partners), and sends the reminders on a schedule with the channels' secrets from the
host's secret store.  The files are templates in ``data/ci/``; the names of the secrets
come from mkdocs.yml's ``reminders:``.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Literal

import jinja2

from docgen.core.atomic import write_atomic
from docgen.core.diagnostics import DocgenError
from docgen.workspace.config import EmailChannel, open_workspace

Host = Literal["github", "gitlab", "gitea"]
HOSTS: dict[Host, str] = {
    "github": ".github/workflows/docgen.yml",
    "gitlab": ".gitlab-ci.yml",
    "gitea": ".gitea/workflows/docgen.yml",
}


@dataclass(frozen=True)
class CiSettings:
    """What a workflow needs to know of the workspace."""

    install: str
    branch: str
    secrets: tuple[str, ...]
    partner: bool
    python: str = "3.11"


def settings(root: Path) -> CiSettings:
    """The settings for the workspace at ``root`` (its git branch, secrets, audiences)."""
    secrets: list[str] = []
    partner = False
    try:
        workspace = open_workspace(root)
    except DocgenError:
        workspace = None
    if workspace is not None:
        for channel in workspace.config.reminders.channels:
            names = (
                [channel.user_env, channel.password_env]
                if isinstance(channel, EmailChannel)
                else [channel.url_env, channel.secret_env]
            )
            secrets += [n for n in names if n and n not in secrets]
        partner = _shows_partners(workspace.root)
    return CiSettings(_install_spec(), _branch(root), tuple(secrets), partner)


def workflow(host: Host, ci: CiSettings) -> str:
    """The text of ``host``'s workflow file."""
    env = jinja2.Environment(
        block_start_string="[%",
        block_end_string="%]",
        variable_start_string="[[",
        variable_end_string="]]",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    name = "gitlab.yml.j2" if host == "gitlab" else "github.yml.j2"
    source = resources.files("docgen.data").joinpath(f"ci/{name}").read_text("utf-8")
    return env.from_string(source).render(
        host=host,
        install=ci.install,
        branch=ci.branch,
        secrets=list(ci.secrets),
        partner=ci.partner,
        pages=host == "github",
        python=ci.python,
    )


def _install_spec() -> str:
    try:
        return f"docgen=={metadata.version('docgen')}"
    except metadata.PackageNotFoundError:
        return "docgen"


def _branch(root: Path) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "symbolic-ref", "--quiet", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else "main"


def _shows_partners(root: Path) -> bool:
    """Whether any engagement is for partners' eyes (``visibility: partner`` or public)."""
    from docgen.workspace.load import load_portfolio

    try:
        portfolio = load_portfolio(root)
    except DocgenError:
        return False
    return any(
        e.index is not None and e.index.data.visibility in ("partner", "public")
        for e in portfolio.engagements
    )


def write(root: Path, host: Host, ci: CiSettings) -> tuple[str, bool]:
    """Write ``host``'s workflow into the workspace unless one is there: (path, written)."""
    rel = HOSTS[host]
    path = root / rel
    if path.exists():
        return rel, False
    write_atomic(path, workflow(host, ci), root=root)
    return rel, True
