"""Atomic writes: a temporary file in the same folder, fsync, then a rename.

A crash or an error at any point leaves either the old file or the new one, never half
of either.  Used for every write to a user's file.  A file that existed keeps its mode;
a new one gets the mode the user's umask gives (``tempfile`` alone would make it 0600).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from docgen.core.paths import contain, new_file_mode


def write_atomic(
    path: Path, content: str | bytes, *, durable: bool = True, root: Path | None = None
) -> None:
    """Replace ``path`` with ``content`` (text is written as UTF-8 with LF endings as given).

    ``root``, when given, is the workspace the path must resolve inside (a `DocgenError`
    otherwise, before anything is written).  ``durable=False`` skips the fsync: for build
    outputs that a crash only makes stale, never for a user's own files.
    """
    if root is not None:
        contain(root, path)
    tmp = _temporary(path, content, durable)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_output(path: Path, content: bytes, *, root: Path | None = None) -> bool:
    """Write a build output atomically, unless ``path`` holds ``content`` already.

    A document made again (``--force``, a template changed elsewhere) is most often the
    same bytes: the file is then left alone, its time included, which spares a rename
    over it (the dearer half of a write) and tools that copy by time.  ``root`` as for
    `write_atomic`.  True if written.
    """
    if root is not None:
        contain(root, path)
    try:
        if path.stat().st_size == len(content) and path.read_bytes() == content:
            return False
    except OSError:
        pass
    write_atomic(path, content, durable=False)  # a crash only leaves it to be made again
    return True


def _temporary(path: Path, content: str | bytes, durable: bool) -> str:
    """A temporary beside ``path`` holding ``content``, with the mode ``path`` will keep.

    Removed again if writing it fails; the caller renames it over ``path``.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = new_file_mode()
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


#: the names `write_atomic` gives its temporary files: ``.<name>.<random>.tmp``
TEMP_PATTERN = r"^\..+\.[A-Za-z0-9_]{8}\.tmp$"
#: a temporary file older than this was left by a write that did not finish
STRAY_AFTER_SECONDS = 120


def write_all_atomic(files: Mapping[Path, str | bytes], root: Path) -> None:
    """Replace every file of ``files``, or none: all are written to temporaries first.

    Each path must resolve inside the workspace at ``root`` (checked before anything is
    written).  Only once every temporary is written and synced are they renamed, so an
    error or a full disk leaves every file as it was.
    """
    for path in files:
        contain(root, path)
    staged: list[tuple[str, Path]] = []
    try:
        for path, content in files.items():
            staged.append((_temporary(path, content, durable=True), path))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    before = {path: path.read_bytes() if path.exists() else None for _, path in staged}
    done: list[Path] = []
    try:
        for tmp, path in staged:
            os.replace(tmp, path)
            done.append(path)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        for path in done:  # put back what was replaced before the failure
            old = before[path]
            if old is None:
                path.unlink(missing_ok=True)
            else:
                with contextlib.suppress(OSError):
                    path.write_bytes(old)
        raise


def stray_temporaries(folder: Path, now: float | None = None) -> list[Path]:
    """Temporary files under ``folder`` that an interrupted write left behind."""
    pattern = re.compile(TEMP_PATTERN)
    limit = (now or time.time()) - STRAY_AFTER_SECONDS
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in (".git", "node_modules")]
        for name in filenames:
            path = Path(dirpath) / name
            if pattern.match(name):
                try:
                    if path.lstat().st_mtime < limit:
                        found.append(path)
                except OSError:
                    continue
    return sorted(found)
