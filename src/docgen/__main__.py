"""``python -m docgen``."""

from docgen.cli import entry

entry()
