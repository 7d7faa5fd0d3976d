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


class Html(str):
    """HTML docgen made; inserted as is (everything else is escaped)."""

    __slots__ = ()


# html.escape's five, and what Python-Markdown would still read inside inline HTML
_ESCAPES = str.maketrans(
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
)


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


def block(content: str, search: bool = True) -> str:
    """An HTML block in a generated page; ``search=False`` keeps it out of the search index.

    The block is taken out of the markdown before MkDocs sees it (`split_blocks`) and put
    back into the page's HTML afterwards: Python-Markdown would otherwise parse every tag
    of every table with html.parser, which cost more than the rest of the build.
    """
    attr = "" if search else " data-search-exclude"
    return f'\n\n<docgen-block><div class="docgen"{attr}>{content}</div></docgen-block>\n\n'


def split_blocks(markdown: str) -> tuple[str, list[str]]:
    """The markdown with each block replaced by a placeholder paragraph, and the blocks."""
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(1))
        return f"DOCGEN-BLOCK-{len(blocks) - 1}"

    return _BLOCK.sub(keep, markdown), blocks


_DEFERRED = re.compile(r'<i data-docgen-block="(\d+)"></i>')


def join_blocks(html_text: str, blocks: list[str], searched: bool) -> str:
    """Put back the blocks search indexes (``searched``), or, later, all the others.

    Blocks kept out of search are put back only into the finished page: the search
    plugin parses every tag it is given, and charts and checklists are most of them.
    """
    if searched:

        def put(m: re.Match[str]) -> str:
            n = int(m.group(1))
            if " data-search-exclude>" in blocks[n][:60]:
                return f'<i data-docgen-block="{n}"></i>'
            return blocks[n]

        return _PLACEHOLDER.sub(put, html_text)
    return _DEFERRED.sub(lambda m: blocks[int(m.group(1))], html_text)
