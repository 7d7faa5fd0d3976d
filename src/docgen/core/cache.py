"""The one keyed store of docgen's cached results, and the parse cache built on it.

Every result a stage keeps between runs is kept here, under ``(stage, engagement,
variant)`` with the `Fingerprint <docgen.core.fingerprint.Fingerprint>` of all it was
made from: parsed files (``parse``), loaded engagements (``engagements``), each
engagement's findings (``findings``, variant ``documents`` or ``rules``).  A result is
returned only for the very key it was stored under; anything unreadable is a miss.
What a stage makes as files (documents, pages) stays beside them in the output folder,
each with its manifest (`docgen.pipeline.render`, `docgen.site.page_cache`).

Parsing YAML is most of the cost of loading a portfolio.  Each engagement's parsed
files are kept together as one bundle, keyed by the hash of each file's bytes, so a
changed file is always parsed afresh whatever its modification time says.

All entries live in one SQLite file, written in one transaction a run: creating a file
per engagement cost more than parsing (0.8 s for 1,000 engagements on this machine's
disk, against 0.03 s for one file).  Parallel workers each write their own rows; SQLite
serialises them.  The file is named for the code that wrote it (`code_version`), and
files other code wrote are removed: no entry outlives the code that made it.

The store lives in the user's cache folder (``$DOCGEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``), never in the workspace: entries
are pickles, and a pickle planted in a cloned repository must never be loaded.
``DOCGEN_NO_CACHE=1`` turns the cache off.  A cache that cannot be written only costs
speed.
"""

from __future__ import annotations

import functools
import os
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any

from docgen.core.fingerprint import Fingerprint, code_version, fingerprint

_NAMESPACE = fingerprint(code_version(), repr(sys.version_info[:2]))[:16]
_FILE = f"store-{_NAMESPACE}.sqlite3"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS entries ("
    " space TEXT NOT NULL, stage TEXT NOT NULL, engagement TEXT NOT NULL,"
    " variant TEXT NOT NULL, key BLOB NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (space, stage, engagement, variant))"
)


def cache_root() -> Path | None:
    """The cache folder, or None when caching is off."""
    if os.environ.get("DOCGEN_NO_CACHE"):
        return None
    explicit = os.environ.get("DOCGEN_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "docgen"


def digest(raw: bytes) -> bytes:
    """The key of a file's content."""
    return Fingerprint(raw).digest()


class Bundle:
    """The cached parse results of one engagement folder: ``{rel: (digest, result)}``."""

    def __init__(self, engagement: str, entries: dict[str, tuple[bytes, Any]] | None = None):
        self.engagement = engagement
        self.entries: dict[str, tuple[bytes, Any]] = entries or {}
        self.dirty = False

    def get(self, rel: str, key: bytes) -> Any:
        """The cached result for ``rel`` if its content key matches, else None."""
        hit = self.entries.get(rel)
        return hit[1] if hit is not None and hit[0] == key else None

    def put(self, rel: str, key: bytes, result: Any) -> None:
        """Remember a fresh result."""
        self.entries[rel] = (key, result)
        self.dirty = True

    def keep_only(self, keep: set[str]) -> None:
        """Forget the files that no longer exist."""
        for rel in set(self.entries) - keep:
            del self.entries[rel]
            self.dirty = True


def _connect(name: str, schema: str) -> sqlite3.Connection | None:
    """The cache database ``name`` with ``schema``, or None when it cannot be had."""
    root = cache_root()
    if root is None:
        return None
    path = root / name
    for attempt in (1, 2):
        db = None
        try:
            root.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=OFF")  # a lost cache costs only speed
            db.execute(schema)
            return db
        except sqlite3.DatabaseError as exc:
            if db is not None:
                db.close()
            if attempt == 2 or isinstance(exc, sqlite3.OperationalError):
                return None  # locked, read-only, full: run without the cache
            for suffix in ("", "-wal", "-shm"):  # not a database: start it again
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:
            if db is not None:
                db.close()
            return None
    return None


@functools.cache
def _forget_older_code() -> None:
    """Remove the stores other code made (and the files of docgen before the one store)."""
    root = cache_root()
    if root is None:
        return
    for pattern in (
        "store-*.sqlite3*",
        "parse-*.sqlite3*",
        "findings*.sqlite3*",
        "engagements.sqlite3*",
    ):
        for path in root.glob(pattern):
            if not path.name.startswith(_FILE):
                path.unlink(missing_ok=True)


class Store:
    """One stage's entries in the store, for one workspace: ``engagement → (key, result)``.

    Reads go to the database at once; writes are set aside and made in one transaction
    by `save`, which also lets the database go.
    """

    def __init__(self, workspace_root: Path, stage: str, variant: str = "") -> None:
        self.space = fingerprint(str(workspace_root))[:16]
        self.stage, self.variant = stage, variant
        self.pending: list[tuple[str, str, str, str, bytes, bytes]] = []
        self.db = _connect(_FILE, _SCHEMA)
        _forget_older_code()

    def get(self, engagement: str, key: bytes) -> Any:
        """The result stored for ``engagement`` under ``key``, else None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT key, data FROM entries"
                " WHERE space = ? AND stage = ? AND engagement = ? AND variant = ?",
                (self.space, self.stage, engagement, self.variant),
            ).fetchone()
            if row is None or row[0] != key:
                return None
            return pickle.loads(row[1])
        except Exception:  # a damaged row is a miss, whatever unpickling raised
            return None

    def put(self, engagement: str, key: bytes, result: Any) -> None:
        """Set a fresh result aside for `save` (pickled now: its objects may then be freed)."""
        if self.db is not None:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            self.pending.append((self.space, self.stage, engagement, self.variant, key, data))

    def save(self) -> None:
        """Write the results set aside, in one transaction, and let go of the database."""
        try:
            if self.db is not None and self.pending:
                with self.db:
                    self.db.executemany(
                        "INSERT OR REPLACE INTO entries"
                        " (space, stage, engagement, variant, key, data)"
                        " VALUES (?, ?, ?, ?, ?, ?)",
                        self.pending,
                    )
        except sqlite3.Error:
            pass
        finally:
            self.pending.clear()
            self.close()

    def close(self) -> None:
        """Let go of the database (saving does so too)."""
        if self.db is not None:
            self.db.close()
            self.db = None


class ParseCache(Store):
    """The parse bundles of one workspace (stage ``parse``), one engagement at a time."""

    def __init__(self, workspace_root: Path) -> None:
        super().__init__(workspace_root, "parse")

    def bundle(self, engagement: str) -> Bundle:
        """The engagement's cached bundle (empty on a miss or an unreadable row)."""
        loaded = self.get(engagement, b"")
        return Bundle(engagement, loaded) if isinstance(loaded, dict) else Bundle(engagement)

    def keep(self, bundle: Bundle) -> None:
        """Set a loaded engagement's bundle aside for `save`, if it changed."""
        if bundle.dirty:
            self.put(bundle.engagement, b"", bundle.entries)
