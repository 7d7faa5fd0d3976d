"""A per-user cache of parsed files, so unchanged files are not parsed again.

Parsing YAML is most of the cost of loading a portfolio.  Each engagement's parsed
files are kept in one bundle, keyed by the BLAKE2 hash of each file's bytes, so a
changed file is always parsed afresh whatever its modification time says.

The cache lives in the user's cache folder (``$DOCGEN_CACHE_DIR``, else
``$XDG_CACHE_HOME/docgen``, else ``~/.cache/docgen``), never in the workspace: bundles
are pickles, and a pickle planted in a cloned repository must never be loaded.
``DOCGEN_NO_CACHE=1`` turns the cache off.  Any unreadable bundle counts as a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from docgen import source

_NAMESPACE = hashlib.blake2b(
    Path(source.__file__).read_bytes() + f"{sys.version_info[:2]} {yaml.__version__}".encode(),
    digest_size=8,
).hexdigest()


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

    def __init__(self, workspace_root: Path, engagement: str) -> None:
        root = cache_root()
        self.path: Path | None = None
        self.entries: dict[str, tuple[bytes, Any]] = {}
        self.dirty = False
        if root is None:
            return
        space = hashlib.blake2b(str(workspace_root).encode(), digest_size=8).hexdigest()
        self.path = root / _NAMESPACE / space / f"{engagement}.pickle"
        try:
            with open(self.path, "rb") as fh:
                loaded = pickle.load(fh)
            if isinstance(loaded, dict):
                self.entries = loaded
        except Exception:
            self.entries = {}

    def get(self, rel: str, key: bytes) -> Any:
        """The cached result for ``rel`` if its content key matches, else None."""
        hit = self.entries.get(rel)
        return hit[1] if hit is not None and hit[0] == key else None

    def put(self, rel: str, key: bytes, result: Any) -> None:
        """Remember a fresh result."""
        self.entries[rel] = (key, result)
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the bundle if it changed, dropping files that no longer exist."""
        stale = set(self.entries) - keep
        for rel in stale:
            del self.entries[rel]
        if self.path is None or not (self.dirty or stale):
            return
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            if tmp is not None:  # a read-only or full cache folder only costs speed
                Path(tmp).unlink(missing_ok=True)
