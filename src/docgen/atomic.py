"""Atomic writes: a temporary file in the same folder, fsync, then a rename.

A crash or an error at any point leaves either the old file or the new one, never half
of either.  Used for every write to a user's file.  A file that existed keeps its mode;
a new one gets the mode the user's umask gives (``tempfile`` alone would make it 0600).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from docgen.paths import contain, new_file_mode


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
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
