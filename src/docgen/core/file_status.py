"""Files known by their status, as git's index knows them: what docgen's caches are keyed by.

A file's status is its size, modification and change times and inode.  A change to its
content always moves its change time, which no tool sets back (``touch`` and ``cp -p``
set the modification time only), so a changed file is never taken for the old one; a
file merely touched, copied or checked out again is a miss that costs only speed.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from docgen.core.paths import is_inside

_PACKAGE = Path(__file__).resolve().parent.parent  # the docgen package


def file_status(path: str) -> bytes:
    """What a file's key holds: size, times and inode, or a mark that it is missing."""
    try:
        return _status(os.stat(path))
    except OSError:
        return b"missing"


def file_sha256(path: Path | str) -> str:
    """The sha256 of a file's content, read in chunks (a scanned copy may be gigabytes)."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _status(st: os.stat_result) -> bytes:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}".encode()


def folder_files(folder: Path | str, root: Path) -> list[tuple[tuple[str, ...], str, bytes]]:
    """Every file under ``folder`` as (path parts from the folder, path, status), sorted.

    A link that leads out of the workspace at ``root`` is never followed: it is listed
    with the status ``link out``.  Python's ``__pycache__`` folders are left out, and
    links to folders are not followed.
    """
    found: list[tuple[tuple[str, ...], str, bytes]] = []
    _walk(str(folder), (), root, found)
    return sorted(found)


def _walk(
    top: str, parts: tuple[str, ...], root: Path, found: list[tuple[tuple[str, ...], str, bytes]]
) -> None:
    try:
        entries = list(os.scandir(top))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _walk(entry.path, (*parts, entry.name), root, found)
            elif entry.is_symlink():
                if not is_inside(root, entry.path):  # named, never followed
                    found.append(((*parts, entry.name), entry.path, b"link out"))
                elif entry.is_file():
                    found.append(((*parts, entry.name), entry.path, _status(entry.stat())))
            elif entry.is_file(follow_symlinks=False):
                found.append(((*parts, entry.name), entry.path, _status(entry.stat())))
        except OSError:
            continue


def tree_status(root: Path, folders: Iterable[Path], files: Iterable[Path] = ()) -> bytes:
    """The digest of the status of every file in ``folders`` and of ``files``."""
    h = hashlib.blake2b(digest_size=16)
    for folder in folders:
        for parts, _path, status in folder_files(folder, root):
            h.update("/".join(parts).encode("utf-8", "surrogateescape") + b"\0")
            h.update(status + b"\0")
    for file in files:
        h.update(str(file).encode("utf-8", "surrogateescape") + b"\0" + file_status(str(file)))
    return h.digest()


#: the libraries whose versions change what docgen makes (checks, documents, pages, index)
LIBRARIES = (
    "pydantic",
    "jinja2",
    "pyyaml",
    "ruamel.yaml",
    "python-docx",
    "lxml",
    "markdown-it-py",
    "openpyxl",
    "babel",
    "mkdocs",
    "mkdocs-material",
    "jieba",
)


# once a process: the code it runs does not change under it, and every cache asks
@functools.cache
def code_status() -> bytes:
    """The status of docgen's own files and the versions of the libraries it uses."""
    versions = [f"{p}={_version(p)}" for p in LIBRARIES]
    return tree_status(_PACKAGE, [_PACKAGE]) + "\0".join(versions).encode()


def code_version() -> str:
    """The one fingerprint of the code docgen's products are made by: every cache keys on it.

    A module edited (and reverted: its files' change times still move), a library
    upgraded: every cache is a miss, so nothing made by other code is served.
    """
    return hashlib.blake2b(code_status(), digest_size=16).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"
