"""A per-user cache of parsed files, loaded engagements and each engagement's findings.

`ParseCache` keeps parsed files, so unchanged files are not parsed again; `ResultCache`
keeps one result per engagement under a key its user computes (`docgen.workspace.load`,
`docgen.workspace.findings`).

Parsing YAML is most of the cost of loading a portfolio.  Each engagement's parsed
files are kept together as one bundle, keyed by the BLAKE2 hash of each file's bytes, so
a changed file is always parsed afresh whatever its modification time says.

All bundles live in one SQLite file, written in one transaction a run: creating a file
per engagement cost more than parsing (0.8 s for 1,000 engagements on this machine's
disk, against 0.03 s for one file).  Parallel workers each write their own rows; SQLite
serialises them.

The cache lives in the user's cache folder (``$DOCGEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``), never in the workspace: bundles
are pickles, and a pickle planted in a cloned repository must never be loaded.
``DOCGEN_NO_CACHE=1`` turns the cache off.  Anything unreadable counts as a miss, and a
cache that cannot be written only costs speed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sqlite3
import sys
from pathlib import Path
from typing import Any

from docgen.core.file_status import code_version

_NAMESPACE = hashlib.blake2b(
    f"{code_version()} {sys.version_info[:2]}".encode(), digest_size=8
).hexdigest()
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS bundles ("
    " space TEXT NOT NULL, engagement TEXT NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (space, engagement))"
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
    return hashlib.blake2b(raw, digest_size=16).digest()


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


class _Store:
    """A cache database whose rows are set aside during a run and written at its end."""

    db: sqlite3.Connection | None
    pending: list[tuple[Any, ...]]

    def _write(self, insert: str) -> None:
        """Run ``insert`` for the rows set aside, in one transaction; then let go."""
        try:
            if self.db is not None and self.pending:
                with self.db:
                    self.db.executemany(insert, self.pending)
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


@functools.cache
def _forget_older_code() -> None:
    """Remove parse caches that other code made (each code fingerprint names its own file)."""
    root = cache_root()
    if root is None:
        return
    for path in root.glob("parse-*.sqlite3*"):
        if not path.name.startswith(f"parse-{_NAMESPACE}.sqlite3"):
            path.unlink(missing_ok=True)


class ParseCache(_Store):
    """The bundles of one workspace, read one engagement at a time and saved together."""

    def __init__(self, workspace_root: Path) -> None:
        self.space = hashlib.blake2b(str(workspace_root).encode(), digest_size=8).hexdigest()
        self.db: sqlite3.Connection | None = None
        self.pending: list[tuple[str, str, bytes]] = []
        self.db = _connect(f"parse-{_NAMESPACE}.sqlite3", _SCHEMA)
        _forget_older_code()

    def bundle(self, engagement: str) -> Bundle:
        """The engagement's cached bundle (empty on a miss or an unreadable row)."""
        if self.db is not None:
            try:
                row = self.db.execute(
                    "SELECT data FROM bundles WHERE space = ? AND engagement = ?",
                    (self.space, engagement),
                ).fetchone()
                if row is not None:
                    loaded = pickle.loads(row[0])
                    if isinstance(loaded, dict):
                        return Bundle(engagement, loaded)
            except Exception:  # a damaged row is a miss, whatever unpickling raised
                pass
        return Bundle(engagement)

    def keep(self, bundle: Bundle) -> None:
        """Set a loaded engagement's bundle aside for `save`, if it changed.

        It is pickled now, so that its parsed files can be freed with the engagement.
        """
        if self.db is not None and bundle.dirty:
            data = pickle.dumps(bundle.entries, protocol=pickle.HIGHEST_PROTOCOL)
            self.pending.append((self.space, bundle.engagement, data))

    def save(self) -> None:
        """Write the bundles set aside, in one transaction, and let go of the database."""
        self._write("INSERT OR REPLACE INTO bundles (space, engagement, data) VALUES (?, ?, ?)")


_RESULTS_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS results ("
    " space TEXT NOT NULL, engagement TEXT NOT NULL, key BLOB NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (space, engagement))"
)


class ResultCache(_Store):
    """One result per engagement of a workspace, kept under the key of all it was made from.

    ``kind`` names what is kept, one SQLite file each: ``findings`` (`docgen.workspace.findings`),
    ``engagements`` (loaded engagements, `docgen.workspace.load`).  A result is returned only for
    the very key it was stored under; anything unreadable is a miss.
    """

    def __init__(self, workspace_root: Path, kind: str) -> None:
        self.space = hashlib.blake2b(str(workspace_root).encode(), digest_size=8).hexdigest()
        self.pending: list[tuple[str, str, bytes, bytes]] = []
        self.db = _connect(f"{kind}.sqlite3", _RESULTS_SCHEMA)

    def get(self, engagement: str, key: bytes) -> Any:
        """The result stored for ``engagement`` under ``key``, else None."""
        if self.db is None:
            return None
        try:
            row = self.db.execute(
                "SELECT key, data FROM results WHERE space = ? AND engagement = ?",
                (self.space, engagement),
            ).fetchone()
            if row is None or row[0] != key:
                return None
            return pickle.loads(row[1])
        except Exception:  # a damaged row is a miss, whatever unpickling raised
            return None

    def put(self, engagement: str, key: bytes, result: Any) -> None:
        """Set a fresh result aside for `save`."""
        if self.db is not None:
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            self.pending.append((self.space, engagement, key, data))

    def save(self) -> None:
        """Write the results set aside, in one transaction, and let go of the database."""
        self._write(
            "INSERT OR REPLACE INTO results (space, engagement, key, data) VALUES (?, ?, ?, ?)"
        )
