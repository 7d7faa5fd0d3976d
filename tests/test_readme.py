"""The README stays true: every diagnostic code is documented, the set-up commands exist."""

from __future__ import annotations

import re

from conftest import REPO
from docgen.core.diagnostics import CODES


def test_every_code_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z][a-z0-9-]+)`", readme))
    assert set(CODES) - documented == set()


def test_setup_commands_exist() -> None:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for target in ("demo", "test"):
        assert f"make {target}" in readme
        assert re.search(rf"^{target}:", makefile, re.M)


def test_the_code_table_says_each_code_in_both_languages() -> None:
    from docgen.core.i18n import catalogue

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| .* \| ([^|]+) \|$", readme, re.M))
    zh = catalogue("zh")
    assert set(rows) == set(CODES)
    for code, meaning in CODES.items():
        assert rows[code].strip() == zh(meaning), code
