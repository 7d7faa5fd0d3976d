"""Text as Word can hold it."""

from __future__ import annotations

from docgen.core.control_chars import show_controls


def clean(text: str) -> str:
    """Text Word can hold: control characters shown as ［U+XXXX］, as the site shows them."""
    return show_controls(text)
