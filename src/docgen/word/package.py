"""Deterministic .docx packages: the same input gives the same bytes.

python-docx differs run to run only in zip entry dates and the core properties' clock
times; both are fixed here (dates from the caller, e.g. the git commit date).
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from docx.document import Document
from docx.opc.part import Part
from docx.opc.pkgwriter import _ContentTypesItem

from docgen.core.atomic import write_output
from docgen.word import EPOCH


def save_deterministic(
    document: Document,
    path: Path,
    *,
    title: str,
    author: str,
    when: datetime = EPOCH,
    version: str = "",
    root: Path | None = None,
) -> bytes:
    """Set core properties, save with fixed zip dates, write atomically; return the bytes.

    ``root``, when given, is the folder the file must resolve inside.
    """
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = when
    props.modified = when
    props.last_printed = when
    props.revision = 1
    props.version = version
    props.comments = ""
    data = package_bytes(document)
    write_output(path, data, root=root)
    return data


def package_bytes(document: Document) -> bytes:
    """The .docx bytes: parts in python-docx's order, each zip entry with a fixed date."""
    package = document.part.package
    parts = list(package.iter_parts())
    content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
    members = [
        Member("[Content_Types].xml", content_types.blob),
        Member("_rels/.rels", package.rels.xml),
    ]
    for part in parts:
        # a part kept as the reference's bytes is the same bytes in every document
        members.append(Member(part.partname.membername, part.blob, same=type(part) is Part))
        if len(part.rels):
            members.append(Member(part.partname.rels_uri.membername, part.rels.xml))
    return zip_bytes(members)


@dataclass(frozen=True, slots=True)
class Member:
    """One zip entry: its name, its bytes, and whether other packages hold the same bytes."""

    name: str
    data: bytes
    same: bool = False


def zip_bytes(members: list[Member]) -> bytes:
    """A zip archive of ``members``, deflated, every entry dated 1980-01-01 00:00, mode 0644.

    Written here rather than by `zipfile`, which has no way to take an entry already
    deflated: the reference's styles and theme (40 of a contract's ~100 KB) are deflated
    once per process, not once per document.  Plain zip (no zip64): a .docx is far under
    its 4 GiB limits.  Tests read every package back with `zipfile` and LibreOffice.
    """
    out = io.BytesIO()
    directory = []
    for member in members:
        name = member.name.encode("ascii")
        crc, compressed = _deflated(member.data) if member.same else _deflate(member.data)
        # flags, method, time, date, CRC, sizes, name length: the same in both headers
        shared = (0, _DEFLATE, 0, _DOS_DATE, crc, len(compressed), len(member.data), len(name))
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, *shared, 0) + name + compressed)
        # made on Unix (system 3), so the mode in the external attributes is Unix's
        entry = _CENTRAL.pack(b"PK\x01\x02", _VERSION, 3, _VERSION, 0, *shared, 0, 0, 0, 0,
                              0o644 << 16, offset)  # fmt: skip
        directory.append(entry + name)
    start = out.tell()
    out.write(b"".join(directory))
    size = out.tell() - start
    count = len(members)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))
    return out.getvalue()


#: local file header, central directory entry, end of central directory (APPNOTE 4.3)
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION = 20  # 2.0: deflate
_DEFLATE = 8
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01; the time field is 0 (00:00:00)


def _deflate(data: bytes) -> tuple[int, bytes]:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


@functools.lru_cache(maxsize=32)
def _deflated(data: bytes) -> tuple[int, bytes]:
    return _deflate(data)
