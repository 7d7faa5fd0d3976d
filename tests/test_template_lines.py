"""Templates keep their line breaks: a line that ends in a block tag loses its newline.

Jinja's ``trim_blocks`` removes the newline after a block tag, so a text line ending in
``{% endif %}`` is glued to the next (a licence's 改进成果 ran into 再许可).  Such a line
needs ``{% endif +%}`` or a blank line after it.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "src" / "docgen" / "data"
TEMPLATES = sorted((DATA / "clauses").glob("*.j2")) + sorted((DATA / "documents").glob("*.j2"))
_ENDS_IN_TAG = re.compile(r"\{%-?\s*end\w+\s*-?%\}$")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_no_text_line_is_glued_to_the_next(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    glued = [
        n
        for n, (line, after) in enumerate(itertools.pairwise(lines), 1)
        if _ENDS_IN_TAG.search(line)
        and not line.lstrip().startswith("{%")
        and after.strip()
        and not after.lstrip().startswith("{%")
    ]
    assert not glued, f"{path.name}: line(s) {glued} end in a block tag and lose their newline"


def test_the_check_sees_a_glued_line() -> None:
    import jinja2

    env = jinja2.Environment(trim_blocks=True)
    glued = env.from_string("1. a{% if x %}b{% endif %}\n1. c").render(x=True)
    kept = env.from_string("1. a{% if x %}b{% endif +%}\n1. c").render(x=True)
    assert (glued, kept) == ("1. ab1. c", "1. ab\n1. c")  # what the test above guards against
    assert _ENDS_IN_TAG.search("1. a{% if x %}b{% endif %}")
    assert not _ENDS_IN_TAG.search("1. a{% if x %}b{% endif +%}")
