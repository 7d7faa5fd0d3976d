"""The ``docgen`` MkDocs plugin: the site layer, a thin client of the library API.

Its section in mkdocs.yml is the workspace configuration (`docgen.workspace`).  For now
it checks that configuration and refuses to build a site from engagements that do not
validate; pages, dashboards and documents are injected by the site layer built on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from docgen.diagnostics import DocgenError
from docgen.load import load_portfolio
from docgen.validate import validate_portfolio


class DocgenConfig(base.Config):
    """Mirror of `docgen.workspace.WorkspaceConfig`, which remains the one schema."""

    process = c.Type(str, default="templates/process.yml")
    engagements = c.Type(str, default="engagements")
    templates = c.Type(str, default="templates")
    output = c.Type(str, default="build")
    timezone = c.Type(str, default="Asia/Shanghai")
    max_file_kb = c.Type(int, default=2048)
    organization = c.Type(dict, default={})


class DocgenPlugin(BasePlugin[DocgenConfig]):
    """Validates the workspace before MkDocs builds the site."""

    def on_pre_build(self, *, config: Any) -> None:
        """Load and validate the engagements; errors stop the build."""
        root = Path(config.config_file_path).parent
        try:
            diagnostics = validate_portfolio(load_portfolio(root))
        except DocgenError as exc:
            details = "\n".join(d.format() for d in exc.diagnostics)
            raise PluginError(f"docgen: {exc.message}\n{details}".rstrip()) from exc
        errors = [d for d in diagnostics if d.is_error]
        if errors:
            lines = "\n".join(d.format() for d in errors)
            raise PluginError(f"docgen: {len(errors)} error(s) in the engagements:\n{lines}")
