"""The message catalogue: every word docgen says has its Chinese, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import REPO
from docgen.core.i18n import catalogue

PO = REPO / "src/docgen/data/locale/zh/LC_MESSAGES/docgen.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "t": None, "msg": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)(?:![rs])?\}")


def _method_map() -> tuple[list[tuple[str, str]], dict[str, dict[str, str]]]:
    """babel.cfg's sections, as Babel's extractor takes them."""
    methods, options = [], {}
    section = None
    for line in (REPO / "babel.cfg").read_text("utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            method, pattern = line[1:-1].split(":", 1)
            section = pattern.strip()
            methods.append((section, method.strip()))
            options[section] = {}
        elif "=" in line and section and not line.startswith("#"):
            key, value = line.split("=", 1)
            options[section][key.strip()] = value.strip()
    return methods, options


def _extracted() -> set[str]:
    methods, options = _method_map()
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        REPO, methods, options, KEYWORDS, directory_filter=lambda d: ".venv" not in d
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _po() -> dict[str, object]:
    with PO.open("rb") as f:
        catalog = read_po(f, locale="zh")
    return {m.id[0] if isinstance(m.id, tuple) else m.id: m for m in catalog if m.id}


def test_every_message_has_its_chinese() -> None:
    extracted = _extracted()
    assert len(extracted) > 150
    po = _po()
    missing = sorted(m for m in extracted if m not in po)
    assert not missing, f"not in the .po (run make messages): {missing}"
    untranslated = sorted(m for m in extracted if not _strings(po[m]) or "fuzzy" in po[m].flags)
    assert not untranslated, f"no Chinese yet: {untranslated}"
    stale = sorted(set(po) - extracted)
    assert not stale, f"in the .po but no longer said (run make messages): {stale}"


def _strings(message: object) -> list[str]:
    string = message.string  # type: ignore[attr-defined]
    return [s for s in (string if isinstance(string, tuple) else (string,)) if s]


def test_translations_keep_their_placeholders() -> None:
    for msgid, message in _po().items():
        ids = set(PLACEHOLDER.findall(msgid)) | set(
            PLACEHOLDER.findall(message.id[1]) if isinstance(message.id, tuple) else ()  # type: ignore[attr-defined]
        )
        for text in _strings(message):
            assert set(PLACEHOLDER.findall(text)) == ids, (msgid, text)


def test_the_catalogues_say_it_in_each_language() -> None:
    zh, en = catalogue("zh"), catalogue("en")
    assert zh("Portfolio overview") == "项目总览" and en("Portfolio overview") == "Portfolio overview"
    assert zh.ngettext("%(num)s engagement", "%(num)s engagements", 3) == "3 个项目"
    assert en.ngettext("%(num)s engagement", "%(num)s engagements", 1) == "1 engagement"
    assert en.ngettext("%(num)s engagement", "%(num)s engagements", 3) == "3 engagements"
    assert zh("As of %(date)s", date="2026-11-26") == "数据截至 2026-11-26"
    assert catalogue("fr").language == "en"  # anything else reads as English


def test_the_po_is_the_only_source(tmp_path: Path) -> None:
    # no compiled .mo ships beside the .po to drift from it
    assert not list((REPO / "src/docgen/data/locale").rglob("*.mo"))
