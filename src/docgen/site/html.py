"""HTML for generated pages: every value from the engagements is escaped text.

Pages are markdown files for MkDocs, but docgen writes their tables and cards as HTML
blocks (Python-Markdown passes raw HTML through), so partner data never meets a markdown
or HTML parser unescaped: ``<script>``, ``**`` and ``{{ }}`` show literally.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import date
from typing import Any


class Html(str):
    """HTML docgen made; inserted as is (everything else is escaped)."""

    __slots__ = ()


def esc(value: Any) -> Html:
    """``value`` as HTML text: escaped, with markdown's own specials neutralised."""
    if isinstance(value, Html):
        return value
    if value is None:
        return Html("—")
    if isinstance(value, date):
        return Html(f"{value.year}-{value.month:02d}-{value.day:02d}")
    text = html.escape(str(value), quote=True)
    # Python-Markdown still reads *, _, ` and \ inside inline HTML: make them entities
    for char, entity in (
        ("*", "&#42;"),
        ("_", "&#95;"),
        ("`", "&#96;"),
        ("\\", "&#92;"),
        ("[", "&#91;"),
        ("]", "&#93;"),
        ("{", "&#123;"),
        ("}", "&#125;"),
    ):
        text = text.replace(char, entity)
    return Html(text.replace("\n", " "))


def link(href: str, text: Any) -> Html:
    """An ``<a>`` to a site-relative ``href`` (docgen-made) with escaped text."""
    return Html(f'<a href="{html.escape(href, quote=True)}">{esc(text)}</a>')


def table(headers: Iterable[Any], rows: Iterable[Iterable[Any]], cls: str = "") -> Html:
    """A table with escaped cells (an `Html` cell goes in as is)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return Html(f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def block(content: str) -> str:
    """Raw HTML as a markdown block (blank lines around, so markdown leaves it alone)."""
    return f'\n<div class="docgen">\n{content}\n</div>\n\n'
