"""Every cache keys on one fingerprint of docgen's code (`docgen.core.file_status.code_version`).

Each test changes a module a cache's product depends on (its file's status, as an edit
and its revert leave it) and sees the product made again, through the real command in a
fresh process, as a user's next run would.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import copy_samples

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "docgen"
HENGTONG = "2025-014-hengtong-logistics"


def docgen(root: Path, cache: Path, *args: str) -> str:
    env = {**os.environ, "DOCGEN_CACHE_DIR": str(cache), "DOCGEN_LANG": "en",
           "DOCGEN_TODAY": "2026-11-26"}
    done = subprocess.run([sys.executable, "-m", "docgen", *args, "--root", str(root)],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.stdout + done.stderr


def touched(module: str) -> None:
    """As an edit of ``module`` and its revert leave it: same bytes, a new change time."""
    path = PACKAGE / module
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    (tmp_path / "ws").mkdir()
    root = copy_samples(tmp_path / "ws")
    yield root, tmp_path / "cache"


def _keys(cache: Path, kind: str) -> dict[str, bytes]:
    with sqlite3.connect(cache / f"{kind}.sqlite3") as db:
        return dict(db.execute("SELECT engagement, key FROM results").fetchall())


def test_a_changed_render_module_makes_the_documents_again(ws: tuple[Path, Path]) -> None:
    root, cache = ws
    assert "0 document(s) written" not in docgen(root, cache, "render", HENGTONG)
    assert "0 document(s) written" in docgen(root, cache, "render", HENGTONG)
    touched("documents/filters.py")
    again = docgen(root, cache, "render", HENGTONG)
    assert "0 document(s) written" not in again and "document(s) written" in again, again


def test_a_changed_module_rebuilds_pages_checks_loads_and_parses(ws: tuple[Path, Path]) -> None:
    root, cache = ws
    page = root / "build/site/engagements" / HENGTONG / "index.html"
    docgen(root, cache, "publish")
    docgen(root, cache, "publish")
    made = page.stat().st_mtime_ns
    findings, loaded = _keys(cache, "findings"), _keys(cache, "engagements")
    parse = sorted(p.name for p in cache.glob("parse-*.sqlite3"))
    search = json.loads((root / "build/search-cache-internal.json").read_text("utf-8"))["key"]
    bytecode = {p.name for p in (cache / "templates").iterdir()}
    docgen(root, cache, "publish")
    assert page.stat().st_mtime_ns == made, "an unchanged publish keeps the page"
    touched("checks/status.py")  # what the engagement page shows as overdue comes from here
    docgen(root, cache, "publish")
    assert page.stat().st_mtime_ns != made, "the page is made again"
    assert _keys(cache, "findings")[HENGTONG] != findings[HENGTONG], "checked again"
    assert _keys(cache, "engagements")[HENGTONG] != loaded[HENGTONG], "loaded again"
    now = sorted(p.name for p in cache.glob("parse-*.sqlite3"))
    assert now != parse and len(now) == 1, (parse, now)  # parsed again; the old cache gone
    again = json.loads((root / "build/search-cache-internal.json").read_text("utf-8"))["key"]
    assert again != search, "segmented again"
    assert {p.name for p in (cache / "templates").iterdir()} - bytecode, "compiled again"


def test_a_new_partner_name_segments_the_index_again(ws: tuple[Path, Path]) -> None:
    root, cache = ws
    docgen(root, cache, "publish")
    before = json.loads((root / "build/search-cache-internal.json").read_text("utf-8"))["key"]
    index = root / "engagements" / HENGTONG / "index.md"
    text = index.read_text("utf-8")
    short = text.split("short_name: ", 1)[1].split("\n", 1)[0]
    index.write_text(text.replace(f"short_name: {short}", "short_name: 恒通智运", 1), "utf-8")
    docgen(root, cache, "publish")
    after = json.loads((root / "build/search-cache-internal.json").read_text("utf-8"))["key"]
    assert after != before, "the jieba dictionary changed, so every text is segmented anew"


def test_validation_and_render_keep_their_findings_apart(ws: tuple[Path, Path]) -> None:
    root, cache = ws
    docgen(root, cache, "publish")  # checks once: render is handed what publish checked
    checked = _keys(cache, "findings")
    assert checked and not (cache / "findings-rules.sqlite3").exists()
    docgen(root, cache, "render", "--force")  # on its own, render checks with its rules
    rules = _keys(cache, "findings-rules")
    assert rules
    docgen(root, cache, "publish")
    docgen(root, cache, "render", "--force")
    assert _keys(cache, "findings") == checked and _keys(cache, "findings-rules") == rules
