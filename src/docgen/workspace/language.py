"""Which language docgen speaks to its user.

In order: ``--lang``; the environment (``DOCGEN_LANG``, then POSIX's ``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG`` when one names Chinese or English; ``C`` and
``POSIX`` say nothing); the workspace (the docgen section's ``language:``, else the process
file's); Chinese.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import yaml

from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import LANGUAGES, Language
from docgen.workspace.config import Workspace, open_workspace

ENVIRONMENT = ("DOCGEN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def chosen(
    flag: str | None,
    root: Path | None,
    environ: Mapping[str, str] = os.environ,
    workspace: Workspace | None = None,
) -> Language:
    """The language to speak: the flag, else the environment, else the workspace's.

    ``workspace``, when already open, is read instead of opening the one at ``root``.
    """
    for candidate in (flag, from_environment(environ), of_workspace(root, workspace)):
        if candidate in LANGUAGES:
            return candidate
    return "zh"


def from_environment(environ: Mapping[str, str]) -> Language | None:
    """The first of the locale variables that names ``zh`` or ``en`` (``zh_CN.UTF-8``…)."""
    for name in ENVIRONMENT:
        for value in environ.get(name, "").split(":"):
            code = value.split(".")[0].split("_")[0].split("-")[0].lower()
            if code in LANGUAGES:
                return code
    return None


def of_workspace(root: Path | None, workspace: Workspace | None = None) -> Language | None:
    """The workspace's language, or None where there is no readable workspace."""
    try:
        workspace = workspace or open_workspace(root)
        if workspace.config.language:
            return workspace.config.language
        text = workspace.process_file.read_text("utf-8")
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (DocgenError, OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    language = data.get("language", "zh") if isinstance(data, dict) else None
    return language if language in LANGUAGES else None
