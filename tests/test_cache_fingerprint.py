"""Every cache keys on one fingerprint of docgen's code (`docgen.core.fingerprint.code_version`).

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


def _keys(cache: Path, stage: str, variant: str = "") -> dict[str, bytes]:
    """The keys a stage keeps its results under, by engagement, in the one store."""
    (store,) = cache.glob("store-*.sqlite3")
    with sqlite3.connect(store) as db:
        found = db.execute(
            "SELECT engagement, key FROM entries WHERE stage = ? AND variant = ?", (stage, variant)
        )
        return dict(found.fetchall())


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
    findings, loaded = _keys(cache, "findings", "documents"), _keys(cache, "engagements")
    parse = sorted(p.name for p in cache.glob("store-*.sqlite3"))
    search = json.loads((root / "build/search-cache-internal.json").read_text("utf-8"))["key"]
    bytecode = {p.name for p in (cache / "templates").iterdir()}
    docgen(root, cache, "publish")
    assert page.stat().st_mtime_ns == made, "an unchanged publish keeps the page"
    touched("checks/status.py")  # what the engagement page shows as overdue comes from here
    docgen(root, cache, "publish")
    assert page.stat().st_mtime_ns != made, "the page is made again"
    assert _keys(cache, "findings", "documents")[HENGTONG] != findings[HENGTONG], "checked again"
    assert _keys(cache, "engagements")[HENGTONG] != loaded[HENGTONG], "loaded again"
    now = sorted(p.name for p in cache.glob("store-*.sqlite3"))
    assert now != parse and len(now) == 1, (parse, now)  # the store is named for the code: the old one gone
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
    checked = _keys(cache, "findings", "documents")
    assert checked and not _keys(cache, "findings", "rules")
    docgen(root, cache, "render", "--force")  # on its own, render checks with its rules
    rules = _keys(cache, "findings", "rules")
    assert rules
    docgen(root, cache, "publish")
    docgen(root, cache, "render", "--force")
    assert _keys(cache, "findings", "documents") == checked and _keys(cache, "findings", "rules") == rules


def test_every_cache_keys_through_the_one_fingerprint() -> None:
    """Issue 28: seven caches used three hash functions; a cache module hashes nothing itself.

    Integrity records (a frozen text's sha256, a signed copy's) and URLs are not cache
    keys and keep their own; the modules that keep caches go through `Fingerprint`.
    """
    import ast

    import docgen

    src = Path(docgen.__file__).parent
    caches = [
        "core/cache.py", "core/templating.py", "workspace/load.py", "workspace/findings.py",
        "documents/jobs.py", "pipeline/render.py", "pipeline/publish.py",
        "site/page_cache.py", "site/search.py", "site/templates.py",
    ]  # fmt: skip
    for rel in caches:
        tree = ast.parse((src / rel).read_text("utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "hashlib" not in imported, f"{rel} hashes by itself: use docgen.core.fingerprint"
        assert "docgen.core.fingerprint" in imported, f"{rel} keys its cache on nothing shared"
    from docgen.core.fingerprint import Fingerprint

    # parts never run together: ("ab", "c") and ("a", "bc") are different keys
    assert Fingerprint("ab", "c").digest() != Fingerprint("a", "bc").digest()
