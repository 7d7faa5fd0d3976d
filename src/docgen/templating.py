"""The one way docgen runs a template: Jinja's sandbox, loading only from its own folders.

Templates live in the workspace, so a cloned repository's template is untrusted code.
`SandboxedEnvironment` refuses attribute paths such as
``cycler.__init__.__globals__`` that reach Python internals; `ContainedLoader` refuses a
template whose file is a symlink leading out of the folder it was found in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from docgen.cache import cache_root
from docgen.paths import is_inside


class ContainedLoader(jinja2.FileSystemLoader):
    """A `FileSystemLoader` that never follows a link out of its search folders.

    ``prefixed`` maps a first path part to folders of their own: with
    ``{"clauses": [templates/clauses, …]}``, ``clauses/scope.md.j2`` is looked up there.
    """

    def __init__(
        self,
        searchpath: Sequence[str],
        encoding: str = "utf-8",
        prefixed: dict[str, Sequence[Path]] | None = None,
    ) -> None:
        super().__init__(searchpath, encoding=encoding)
        self.prefixed = {
            prefix: ContainedLoader([str(f) for f in folders if f.is_dir()], encoding)
            for prefix, folders in (prefixed or {}).items()
        }

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's source, or `jinja2.TemplateNotFound` for a link leading out."""
        prefix, _, rest = template.partition("/")
        if rest and prefix in self.prefixed:
            try:
                return self.prefixed[prefix].get_source(environment, rest)
            except jinja2.TemplateNotFound as exc:
                found = exc.name if exc.name != rest else template  # refused: say why
                raise jinja2.TemplateNotFound(found) from None
        source, filename, uptodate = super().get_source(environment, template)
        if not any(is_inside(Path(folder), filename) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(
                f"{template} (its file leads outside {', '.join(self.searchpath)})"
            )
        return source, filename, uptodate

    def where(self, template: str) -> Path:
        """Where ``template`` is looked for first (to name a missing one)."""
        prefix, _, rest = template.partition("/")
        if rest and prefix in self.prefixed and self.prefixed[prefix].searchpath:
            return Path(self.prefixed[prefix].searchpath[0]) / rest
        return Path(self.searchpath[0]) / template

    def list_templates(self) -> list[str]:
        """Every template name, those under a prefix with it."""
        names = [
            name for name in super().list_templates() if name.partition("/")[0] not in self.prefixed
        ]
        for prefix, loader in self.prefixed.items():
            names += [f"{prefix}/{name}" for name in loader.list_templates()]
        return sorted(set(names))


def sandboxed(
    folders: Sequence[Path],
    prefixed: dict[str, Sequence[Path]] | None = None,
    **options: Any,
) -> SandboxedEnvironment:
    """A sandboxed Jinja environment loading templates from ``folders``, first match wins.

    ``prefixed``: folders for names with a given first part (see `ContainedLoader`).
    """
    loader = ContainedLoader([str(f) for f in folders], encoding="utf-8", prefixed=prefixed)
    return SandboxedEnvironment(loader=loader, **options)


def bytecode_cache(*settings: object) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder (None when caching is off).

    Compiling the site's and the theme's templates costs about 0.5 s a build.  Jinja keys
    what it keeps by template name and source checksum, not by the environment, so each
    environment's ``settings`` (its class, options, extensions) get a folder of their own.
    Like every docgen cache, it lives outside the workspace: nothing a cloned repository
    holds is ever loaded as code.
    """
    root = cache_root()
    if root is None:
        return None
    key = hashlib.blake2b(repr((jinja2.__version__, *settings)).encode(), digest_size=8)
    folder = root / "templates" / key.hexdigest()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))
