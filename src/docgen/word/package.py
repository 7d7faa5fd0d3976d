"""Deterministic .docx packages: the same input gives the same bytes.

python-docx differs run to run only in zip entry dates and the core properties' clock
times; both are fixed here (dates from the caller, e.g. the git commit date).
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

from docx.document import Document
from docx.opc.pkgwriter import _ContentTypesItem

from docgen.core.atomic import write_atomic
from docgen.word import EPOCH

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


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
    write_atomic(
        path, data, durable=False, root=root
    )  # a build output: rebuilt if a crash loses it
    return data


def package_bytes(document: Document) -> bytes:
    """The .docx bytes: parts in python-docx's order, each zip entry with a fixed date."""
    package = document.part.package
    parts = list(package.iter_parts())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:

        def put(name: str, blob: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, blob)

        content_types = _ContentTypesItem.from_parts(parts)  # type: ignore[no-untyped-call]
        put("[Content_Types].xml", content_types.blob)
        put("_rels/.rels", package.rels.xml)
        for part in parts:
            put(part.partname.membername, part.blob)
            if len(part.rels):
                put(part.partname.rels_uri.membername, part.rels.xml)
    return out.getvalue()
