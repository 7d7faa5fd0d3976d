"""HTML for generated pages: every value from the engagements is escaped text.

Pages are markdown files for MkDocs, but docgen writes their tables and cards as HTML
blocks (Python-Markdown passes raw HTML through), so partner data never meets a markdown
or HTML parser unescaped: ``<script>``, ``**`` and ``{{ }}`` show literally.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from docgen.control_chars import VISIBLE


class Html(str):
    """HTML docgen made; inserted as is (everything else is escaped)."""

    __slots__ = ()


# html.escape's five, and what Python-Markdown would still read inside inline HTML
_ESCAPES: dict[int, str] = {
    **VISIBLE,
    **str.maketrans(
        {
            "&": "&amp;",
            "<": "&lt;",
            ">": "&gt;",
            '"': "&quot;",
            "'": "&#x27;",
            "*": "&#42;",
            "_": "&#95;",
            "`": "&#96;",
            "\\": "&#92;",
            "[": "&#91;",
            "]": "&#93;",
            "{": "&#123;",
            "}": "&#125;",
            "\n": " ",
        }
    ),
}


def esc(value: Any) -> Html:
    """``value`` as HTML text: escaped, with markdown's own specials neutralised."""
    if isinstance(value, Html):
        return value
    if value is None:
        return Html("—")
    if isinstance(value, date):
        return Html(f"{value.year}-{value.month:02d}-{value.day:02d}")
    if isinstance(value, float):
        return Html(f"{value:,.2f}".rstrip("0").rstrip("."))
    return Html(str(value).translate(_ESCAPES))


def link(href: str, text: Any) -> Html:
    """An ``<a>`` to a site-relative ``href`` (docgen-made) with escaped text."""
    return Html(f'<a href="{html.escape(href, quote=True)}">{esc(text)}</a>')


def table(headers: Iterable[Any], rows: Iterable[Iterable[Any]], cls: str = "") -> Html:
    """A table with escaped cells (an `Html` cell goes in as is)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return Html(
        f'<div class="docgen-scroll"><table{attr}><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


_BLOCK = re.compile(r"<docgen-block>(.*?)</docgen-block>", re.S)
_PLACEHOLDER = re.compile(r"<p>DOCGEN-BLOCK-(\d+)</p>")


def block(content: str) -> str:
    """An HTML block in a generated page.

    The block is taken out of the markdown before MkDocs sees it (`split_blocks`) and put
    back into the page's HTML afterwards: Python-Markdown would otherwise parse every tag
    of every table with html.parser, which cost more than the rest of the build.
    """
    return f'\n\n<docgen-block><div class="docgen">{content}</div></docgen-block>\n\n'


def split_blocks(markdown: str) -> tuple[str, list[str]]:
    """The markdown with each block replaced by a placeholder paragraph, and the blocks."""
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"DOCGEN-BLOCK-{len(blocks) - 1}"

    return _BLOCK.sub(keep, markdown), blocks


def join_blocks(html_text: str, blocks: list[str]) -> str:
    """Put the blocks back into the page's HTML in place of their placeholders."""
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html_text)
