"""The rendered documents of an engagement, as the site links them.

Render writes ``<id>/<doc>.docx`` (and ``.pdf``, ``versions/``, ``redlines/``) into the
output folder; this finds what is there, so a page never links a file that was not made.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from docgen.documents.frozen import frozen_versions, redline_name, version_name
from docgen.domain.engagement import Engagement
from docgen.domain.model import VERSION_PATTERN, version_key


class DocumentFile(NamedTuple):
    """A rendered document of an engagement, as the files beside each other in the output."""

    doc_id: str
    label: str  # "" for the Chinese text, "English", or a meeting's date and title
    docx: str
    pdf: str  # "" without a PDF (only approved and signed documents get one)
    redline: str  # "redlines/…docx" from the previous frozen version to this one, or ""
    earlier: dict[str, str]  # earlier frozen version → "versions/…docx"
    compared: str = ""  # the redline's versions: "1.0 → 1.1"


def document_files(out_dir: Path, e: Engagement) -> list[DocumentFile]:
    """The rendered .docx files of ``e`` in ``out_dir``, with PDFs, redlines and versions.

    One listing of each folder answers every question (a thousand engagements make ten
    thousand files), and each document's frozen versions are read once.
    """
    folder = out_dir / e.id
    names = _listing(folder)
    if not names:
        return []
    made = {
        "versions": {f"versions/{n}" for n in _listing(folder / "versions")},
        "redlines": {f"redlines/{n}" for n in _listing(folder / "redlines")},
    }
    frozen: dict[str, list[tuple[str, str]]] = {}
    meetings = {Path(m.path).stem: f"{m.data.date} {m.data.title}" for m in e.meetings}
    found = []
    for name in sorted(n for n in names if n.endswith(".docx")):
        stem, _, language = name.removesuffix(".docx").partition(".")
        language = language or "zh"
        suffix = "English" if language == "en" else ""
        doc_id = stem
        if stem.startswith("meeting-minutes-"):
            doc_id, suffix = "meeting-minutes", stem.removeprefix("meeting-minutes-")
            suffix = meetings.get(suffix, suffix)  # the meeting as people know it
        elif (periodic := _PERIODIC.match(stem)) is not None:  # evaluation-report-2026-Q3
            doc_id, suffix = periodic.group(1), periodic.group(2)
        if doc_id not in frozen:
            frozen[doc_id] = [(v, lang) for v, lang, _ in frozen_versions(e, doc_id)]
        versions = [v for v, lang in frozen[doc_id] if lang == language]
        earlier = {}
        for version in versions:
            rel = version_name(e.id, name, version).removeprefix(f"{e.id}/")
            if rel in made["versions"]:
                earlier[version] = rel
        redline = compared = ""
        record = e.documents.get(doc_id)
        current = record.data.version if record else None
        ordered = current is not None and re.fullmatch(VERSION_PATTERN, current)
        older = [v for v in versions if ordered and version_key(v) < version_key(current or "")]
        if older and current is not None:
            rel = redline_name(e.id, name, older[-1], current).removeprefix(f"{e.id}/")
            if rel in made["redlines"]:
                redline, compared = rel, f"{older[-1]} → {current}"
        pdf = name.removesuffix(".docx") + ".pdf"
        found.append(
            DocumentFile(
                doc_id, suffix, name, pdf if pdf in names else "", redline, earlier, compared
            )
        )
    return found


_PERIODIC = re.compile(r"^(.+?)-(\d{4}(?:-(?:Q[1-4]|H[12]|0[1-9]|1[0-2]))?)$")


def _listing(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except OSError:
        return set()
