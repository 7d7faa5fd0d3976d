"""What the web editor may upload: documents and images of the kinds the workspace allows.

An upload lands in the media folder, which the site publishes; a ``.html``, ``.md`` or
``.svg`` file there would become a page or run a script.  Only the configured kinds are
taken, each checked by its content as well as its name.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import PurePosixPath

from docgen.core.i18n import Message, msg

_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
#: an Office Open XML file is a zip holding its main part
_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def upload_problem(name: str, content: bytes, allowed: Iterable[str]) -> Message | None:
    """Why the file ``name`` with ``content`` may not be uploaded, or None."""
    kinds = list(allowed)
    kind = PurePosixPath(name).suffix.lower().lstrip(".")
    if kind not in kinds:
        return msg(
            "%(name)s: the editor uploads only %(kinds)s files",
            name=name,
            kinds=", ".join(kinds),
        )
    if not _looks_like(kind, content):
        return msg(
            "%(name)s is not a %(kind)s file (its content says otherwise)", name=name, kind=kind
        )
    return None


def _looks_like(kind: str, content: bytes) -> bool:
    if kind in _SIGNATURES:
        return content.startswith(_SIGNATURES[kind])
    if kind == "webp":
        return content[:4] == b"RIFF" and content[8:12] == b"WEBP"
    if kind in _PARTS:
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                return _PARTS[kind] in archive.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
    return False
