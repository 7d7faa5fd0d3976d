"""The one way docgen runs a template: Jinja's sandbox, loading only from its own folders.

Templates live in the workspace, so a cloned repository's template is untrusted code.
`SandboxedEnvironment` refuses attribute paths such as
``cycler.__init__.__globals__`` that reach Python internals; `ContainedLoader` refuses a
template whose file is a symlink leading out of the folder it was found in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from docgen.paths import is_inside


class ContainedLoader(jinja2.FileSystemLoader):
    """A `FileSystemLoader` that never follows a link out of its search folders."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's source, or `jinja2.TemplateNotFound` for a link leading out."""
        source, filename, uptodate = super().get_source(environment, template)
        if not any(is_inside(Path(folder), filename) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(
                f"{template} (its file leads outside {', '.join(self.searchpath)})"
            )
        return source, filename, uptodate


def sandboxed(folders: Sequence[Path], **options: Any) -> SandboxedEnvironment:
    """A sandboxed Jinja environment loading templates from ``folders``, first match wins."""
    return SandboxedEnvironment(
        loader=ContainedLoader([str(f) for f in folders], encoding="utf-8"), **options
    )
