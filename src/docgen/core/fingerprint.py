"""The fingerprints every docgen cache keys on: files by their status, parts by one hash.

`Fingerprint` is the one way a cache key is made (BLAKE2b over length-prefixed parts, so
two lists of parts never run together into the same bytes); `code_version` is the one
notion of "docgen changed"; `file_status` and `tree_status` know files as git's index
knows them.

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


class Fingerprint:
    """A cache key being made: each part what is cached was made from, in order."""

    __slots__ = ("_hash",)

    def __init__(self, *parts: bytes | str) -> None:
        self._hash = hashlib.blake2b(digest_size=16)
        self.add(*parts)

    def add(self, *parts: bytes | str) -> Fingerprint:
        """Add ``parts`` (text as UTF-8; a name that is not UTF-8 kept as it is)."""
        for part in parts:
            data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
            self._hash.update(len(data).to_bytes(8, "little"))
            self._hash.update(data)
        return self

    def digest(self) -> bytes:
        """The key as 16 bytes."""
        return self._hash.digest()

    def hexdigest(self) -> str:
        """The key as 32 hex digits."""
        return self._hash.hexdigest()


def fingerprint(*parts: bytes | str) -> str:
    """The key (hex) of ``parts``: `Fingerprint` in one call."""
    return Fingerprint(*parts).hexdigest()


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
    h = Fingerprint()
    for folder in folders:
        _add_listing(h, folder_files(folder, root))
    for file in files:
        h.add(str(file), file_status(str(file)))
    return h.digest()


def folder_inputs(folder: Path | str, root: Path) -> tuple[bytes, tuple[str, ...]]:
    """One listing of ``folder``: its `tree_status` and its files' paths from the folder."""
    listing = folder_files(folder, root)
    h = Fingerprint()
    _add_listing(h, listing)
    return h.digest(), tuple("/".join(parts) for parts, _path, _status in listing)


def _add_listing(h: Fingerprint, listing: list[tuple[tuple[str, ...], str, bytes]]) -> None:
    for parts, _path, status in listing:
        h.add("/".join(parts), status)


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
    return fingerprint(code_status())


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"
