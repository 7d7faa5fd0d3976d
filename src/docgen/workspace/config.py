"""The workspace: its root, its configuration (the ``docgen`` section of mkdocs.yml)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import Field, field_validator

from docgen.core.diagnostics import DocgenError, FileProblem, Location
from docgen.core.i18n import msg
from docgen.core.paths import contain, is_inside
from docgen.core.schema import Strict, validate_model
from docgen.core.source import SourceMap, parse_yaml, read_text

CONFIG_FILE = "mkdocs.yml"


class Organization(Strict):
    """Our side of every agreement (甲方)."""

    name: str = "（本单位名称）"
    short_name: str | None = None
    credit_code: str | None = None
    address: str | None = None
    representative: str | None = None
    name_en: str | None = None
    address_en: str | None = None


_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
#: the name of an environment variable: where a secret is read from, never the secret
EnvName = Annotated[str, Field(pattern=_ENV_NAME)]


class WebhookChannel(Strict):
    """A group robot: 企业微信 (wecom), 钉钉 (dingtalk) or 飞书 (feishu)."""

    type: Literal["wecom", "dingtalk", "feishu"]
    #: how reports name the channel (default: the platform's name)
    name: str | None = None
    #: the environment variable holding the robot's webhook URL (it holds the robot's key)
    url_env: EnvName
    #: the environment variable holding the 加签/签名校验 secret, when the robot has one
    secret_env: EnvName | None = None


class EmailChannel(Strict):
    """E-mail over SMTP, one message to each owner with an address."""

    type: Literal["email"]
    name: str | None = None
    host: str
    port: int = Field(465, ge=1, le=65535)
    security: Literal["ssl", "starttls", "none"] = "ssl"
    sender: str = Field(alias="from")
    user_env: EnvName | None = None
    password_env: EnvName | None = None
    #: owner → e-mail address
    addresses: dict[str, str] = {}


Channel = Annotated[WebhookChannel | EmailChannel, Field(discriminator="type")]


class RemindersConfig(Strict):
    """``docgen remind``: how far ahead to look, and where to send."""

    days: int = Field(14, ge=0)
    channels: list[Channel] = []


class CmsBackend(Strict):
    """The git host the published web editor commits to (Decap CMS's ``backend``)."""

    name: Literal["github", "gitlab", "gitea"]
    #: ``owner/name`` on the host
    repo: str = Field(min_length=3, pattern=r"^[^/\s]+/[^\s]+$")
    branch: str = "main"
    #: the OAuth server (GitHub), the host's URL (self-hosted GitLab or Gitea) …
    base_url: str | None = None
    api_root: str | None = None
    auth_endpoint: str | None = None
    #: the OAuth application's id (GitLab, Gitea); GitLab signs in with ``pkce``
    app_id: str | None = None
    auth_type: Literal["pkce", "implicit"] | None = None


#: what the editor may upload: documents and images, never a page, a script or an SVG
UploadType = Literal["pdf", "docx", "xlsx", "pptx", "png", "jpg", "jpeg", "gif", "webp"]


class CmsConfig(Strict):
    """``docgen cms``: the web editor, for people who do not use git."""

    #: ``publish`` writes the editor into the site (``admin/``)
    enabled: bool = False
    #: where the team's edits go; without one, only ``docgen cms serve`` edits (locally)
    backend: CmsBackend | None = None
    #: each edit becomes a merge request that the team's CI validates
    editorial_workflow: bool = True
    #: where uploads go, a folder of the workspace
    media_folder: str = "docs/uploads"
    #: the kinds of file an upload may be (each checked by its content, too)
    upload_types: list[UploadType] = ["pdf", "docx", "xlsx", "png", "jpg"]
    site_url: str | None = None

    @field_validator("media_folder")
    @classmethod
    def _in_workspace(cls, value: str) -> str:
        parts = PurePosixPath(value).parts
        if not parts or value.startswith("/") or ".." in parts or "\\" in value:
            raise ValueError(
                msg(
                    "'%(value)s' is not a folder of the workspace: write a relative path "
                    "such as docs/uploads",
                    value=value,
                )
            )
        return value


class WorkspaceConfig(Strict):
    """The ``docgen`` plugin section of mkdocs.yml: the workspace configuration."""

    process: str = "templates/process.yml"
    engagements: str = "engagements"
    templates: str = "templates"
    output: str = "build"
    timezone: str = "Asia/Shanghai"
    max_file_kb: int = Field(2048, ge=1)
    organization: Organization = Organization()
    #: which site ``mkdocs build``/``serve`` make: everything, or what partners may see
    audience: Literal["internal", "partner"] = "internal"
    #: the language of every word docgen says (site labels…); default: the process file's
    language: Literal["zh", "en"] | None = None
    #: where ``docgen remind --send`` sends each owner's due items
    reminders: RemindersConfig = RemindersConfig()
    #: the web editor (``docgen cms``)
    cms: CmsConfig = CmsConfig()


@dataclass(frozen=True)
class Workspace:
    """A docgen workspace on disk: the folder holding mkdocs.yml, and its config."""

    root: Path
    config: WorkspaceConfig
    #: where each key of the docgen section stands in mkdocs.yml
    source_map: SourceMap = field(default_factory=lambda: SourceMap(CONFIG_FILE), compare=False)

    @property
    def engagements_dir(self) -> Path:
        """The folder holding one sub-folder per engagement."""
        return self.root / self.config.engagements

    @property
    def process_file(self) -> Path:
        """The process definition file."""
        return self.root / self.config.process

    def rel(self, path: Path) -> str:
        """A path relative to the root, with POSIX separators, for diagnostics."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def contain(self, path: Path, rel: str | None = None) -> Path:
        """``path`` if it resolves inside the workspace, else a located `DocgenError`."""
        return contain(self.root, path, rel)

    def today(self) -> date:
        """Today in the workspace's time zone (``DOCGEN_TODAY=YYYY-MM-DD`` overrides)."""
        try:
            return today_in(self.config.timezone)
        except ValueError as exc:
            fixed = os.environ.get("DOCGEN_TODAY")
            if fixed:
                raise DocgenError(
                    msg("DOCGEN_TODAY=%(fixed)s is not a date (YYYY-MM-DD)", fixed=repr(fixed))
                ) from exc
            raise DocgenError(
                msg(
                    "unknown time zone %(timezone)s in mkdocs.yml",
                    timezone=repr(self.config.timezone),
                )
            ) from exc


class _MkdocsLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose ``!!python/name:`` and ``!ENV`` tags docgen does not need."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    return None


class UnsafeTag(yaml.YAMLError):
    """A tag that makes MkDocs' own YAML loader run code: refused before MkDocs reads."""

    def __init__(self, tag: str, mark: Any) -> None:
        super().__init__(tag)
        self.tag = tag
        self.problem_mark = mark


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    # ``!!python/name:`` names a function (the emoji extension's); ``object``, ``apply``,
    # ``new`` and ``module`` would call or import code when MkDocs loads the file
    if suffix.startswith("name:"):
        return None
    raise UnsafeTag(f"!!python/{suffix}", node.start_mark)


_MkdocsLoader.add_multi_constructor("!", _ignore_tag)
_MkdocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


def today_in(timezone: str) -> date:
    """Today in ``timezone`` (``DOCGEN_TODAY=YYYY-MM-DD`` overrides); ValueError if unknown."""
    fixed = os.environ.get("DOCGEN_TODAY")
    if fixed:
        return date.fromisoformat(fixed)
    try:
        return datetime.now(ZoneInfo(timezone)).date()
    except ZoneInfoNotFoundError as exc:
        raise ValueError(timezone) from exc


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds mkdocs.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise DocgenError(
        msg(
            (
                "no %(config)s in %(start)s or any folder above it; run "
                "'docgen init' to make a workspace, or pass --root"
            ),
            config=CONFIG_FILE,
            start=start,
        )
    )


def open_workspace(root: Path | None = None) -> Workspace:
    """Open the workspace at ``root`` (or the one around the current folder)."""
    root = find_root(Path.cwd()) if root is None else root.resolve()
    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise DocgenError(
            msg(
                "%(config_file)s not found; run 'docgen init %(root)s' first",
                config_file=config_file,
                root=root,
            )
        )
    try:
        text = read_text(config_file, CONFIG_FILE)
        # mkdocs.yml may carry tags (emoji extensions); read it permissively, then
        # re-read only the docgen section with line tracking for precise diagnostics.
        raw = yaml.load(text, Loader=_MkdocsLoader)
    except FileProblem as exc:
        raise DocgenError(
            msg("cannot read %(config)s", config=CONFIG_FILE), exc.diagnostics
        ) from exc
    except UnsafeTag as exc:
        mark = exc.problem_mark
        where = Location(CONFIG_FILE, mark.line + 1, mark.column + 1)
        raise DocgenError(
            msg("cannot read %(config)s", config=CONFIG_FILE),
            [
                where.diagnostic(
                    "error",
                    "yaml-unsafe-tag",
                    msg(
                        "the tag %(tag)s would run code when MkDocs reads this file; refused",
                        tag=exc.tag,
                    ),
                    msg("remove it: mkdocs.yml needs no tag but !!python/name: and !ENV"),
                )
            ],
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(CONFIG_FILE, mark.line + 1 if mark else 1, mark.column + 1 if mark else 1)
        raise DocgenError(
            msg("cannot read %(config)s", config=CONFIG_FILE),
            [where.diagnostic("error", "yaml-syntax", str(getattr(exc, "problem", exc)))],
        ) from exc
    section, loc = _docgen_section(raw)
    source_map = _section_map(text, loc)
    config, diags = validate_model(WorkspaceConfig, section, source_map)
    if config is None:
        raise DocgenError(
            msg("the docgen section of %(config)s is not valid", config=CONFIG_FILE),
            diags,
        )
    outside = [
        source_map.locate((key,)).diagnostic(
            "error",
            "outside-workspace",
            msg(
                "'%(key)s: %(value)s' leads outside the workspace",
                key=key,
                value=getattr(config, key),
            ),
            msg("docgen reads and writes only inside the folder holding mkdocs.yml"),
        )
        for key in _FOLDER_KEYS
        if not is_inside(root, root / getattr(config, key))
    ]
    if outside:
        raise DocgenError(
            msg("the docgen section of %(config)s is not valid", config=CONFIG_FILE),
            outside,
        )
    return Workspace(root, config, source_map)


#: Keys of the docgen section that name a file or folder of the workspace.
_FOLDER_KEYS = ("process", "engagements", "templates", "output")


def _docgen_section(raw: Any) -> tuple[dict[str, Any], tuple[str | int, ...]]:
    """Find ``plugins: [..., {docgen: {...}}]`` in mkdocs.yml (absent → defaults)."""
    if not isinstance(raw, dict):
        return {}, ()
    plugins = raw.get("plugins") or []
    if isinstance(plugins, dict):
        section = plugins.get("docgen")
        return (section if isinstance(section, dict) else {}), ("plugins", "docgen")
    for i, entry in enumerate(plugins):
        if isinstance(entry, dict) and "docgen" in entry:
            section = entry["docgen"]
            return (section if isinstance(section, dict) else {}), ("plugins", i, "docgen")
    return {}, ()


def _section_map(text: str, loc: tuple[str | int, ...]) -> SourceMap:
    """Source lines for the docgen section (tags elsewhere make whole-file parsing lossy)."""
    try:
        _, full = parse_yaml(_strip_tags(text), CONFIG_FILE)
    except FileProblem:
        return SourceMap(CONFIG_FILE)
    shifted = SourceMap(CONFIG_FILE)
    for key, pos in full.lines.items():
        if key[: len(loc)] == loc:
            shifted.lines[key[len(loc) :]] = pos
    return shifted


def _strip_tags(text: str) -> str:
    """Blank out YAML tags so the safe parser accepts mkdocs.yml; lines are unchanged."""
    return re.sub(r"(?<![\w'\"])!!?[\w/:.\-]+", "", text)
