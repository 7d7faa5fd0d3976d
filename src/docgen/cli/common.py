"""What every command of the command line shares: the ``--root`` option and the console."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console

#: ``--root``, as every command that reads a workspace takes it
ROOT: dict[str, Any] = {
    "type": click.Path(file_okay=False, path_type=Path),
    "default": None,
    "help": "Workspace folder (default: the folder holding mkdocs.yml, here or above).",
}
root_option = click.option("--root", **ROOT)


def console(err: bool = False) -> Console:
    """Where a command prints: wide lines into a pipe unless COLUMNS says how wide."""
    stream = sys.stderr if err else sys.stdout
    tty = stream.isatty()
    width = None if tty or os.environ.get("COLUMNS") else 200
    return Console(file=stream, width=width, no_color=not tty, highlight=False)
