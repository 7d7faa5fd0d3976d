"""The rendered documents of an engagement, as the site links them.

Render writes ``<id>/<doc>.docx`` (and ``.pdf``, ``versions/``, ``redlines/``) into the
output folder; this finds what is there, so a page never links a file that was not made.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from docgen.load import Engagement
from docgen.render.frozen import frozen_versions, previous_version, redline_name, version_name


class DocumentFile(NamedTuple):
    """A rendered document of an engagement, as the files beside each other in the output."""

    doc_id: str
    label: str  # "" for the Chinese text, "English", or a meeting's date
    docx: str
    pdf: str  # "" without a PDF (only approved and signed documents get one)
    redline: str  # "redlines/…docx" from the previous frozen version to this one, or ""
    earlier: dict[str, str]  # earlier frozen version → "versions/…docx"
    compared: str = ""  # the redline's versions: "1.0 → 1.1"


def document_files(out_dir: Path, e: Engagement) -> list[DocumentFile]:
    """The rendered .docx files of ``e`` in ``out_dir``, with PDFs, redlines and versions."""
    folder = out_dir / e.id
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.docx")):
        stem, _, language = path.stem.partition(".")
        suffix = "English" if language == "en" else ""
        doc_id = stem
        if stem.startswith("meeting-minutes-"):
            doc_id, suffix = "meeting-minutes", stem.removeprefix("meeting-minutes-")
        pdf = path.with_suffix(".pdf")
        frozen = [v for v, lang, _ in frozen_versions(e, doc_id) if lang == (language or "zh")]
        earlier = {}
        for version in frozen:
            name = version_name(e.id, path.name, version)
            if (out_dir / name).is_file():
                earlier[version] = name.removeprefix(f"{e.id}/")
        redline = compared = ""
        record = e.documents.get(doc_id)
        current = record.data.version if record else None
        before = previous_version(e, doc_id, language or "zh", current) if current else None
        if before is not None and current is not None:
            name = redline_name(e.id, path.name, before[0], current)
            if (out_dir / name).is_file():
                redline = name.removeprefix(f"{e.id}/")
                compared = f"{before[0]} → {current}"
        pdf_name = pdf.name if pdf.is_file() else ""
        found.append(DocumentFile(doc_id, suffix, path.name, pdf_name, redline, earlier, compared))
    return found
