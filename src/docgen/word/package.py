"""Deterministic .docx packages: the same input gives the same bytes.

python-docx differs run to run only in zip entry dates and the core properties' clock
times; both are fixed here (dates from the caller, e.g. the git commit date).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx.document import Document

from docgen.atomic import write_atomic

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def save_deterministic(
    document: Document,
    path: Path,
    *,
    title: str,
    author: str,
    when: datetime = EPOCH,
    version: str = "",
) -> bytes:
    """Set core properties, save with fixed zip dates, write atomically; return the bytes."""
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
    buffer = io.BytesIO()
    document.save(buffer)
    data = normalise_zip(buffer.getvalue())
    write_atomic(path, data)
    return data


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry dates and attributes, entries in their order."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
