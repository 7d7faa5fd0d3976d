"""HTML blocks in generated pages, kept out of Python-Markdown's way.

A generated page is a markdown file whose body is one HTML block made by the page
templates (escaped by Jinja's autoescape).  The block is taken out before
Python-Markdown parses the page and put back into its HTML afterwards: the parser would
otherwise read every tag of every table, which cost more than the rest of the build, and
its markdown syntax (``**``, ``{{ }}``, attribute lists) must not touch partner data.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r"<docgen-block>(.*?)</docgen-block>", re.S)
_PLACEHOLDER = re.compile(r"<p>DOCGEN-BLOCK-(\d+)</p>")


def block(content: str) -> str:
    """An HTML block in a generated page (see the module's docstring)."""
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
