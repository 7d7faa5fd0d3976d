"""Plain text of a .docx for golden files: body paragraphs (with style) and tables, in order."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph


def docx_text(path: Path) -> str:
    """One line per paragraph (``[style] text``) or table row (``| a | b |``)."""
    document = docx.Document(str(path))
    lines = []
    for header in {s.header for s in document.sections}:
        lines.append("[header] " + " / ".join(p.text for p in header.paragraphs))
    for child in document.element.body:
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            if paragraph.text.strip() or child.find(f".//{qn('w:drawing')}") is not None:
                lines.append(f"[{paragraph.style.name}] {paragraph.text}")
        elif child.tag == qn("w:tbl"):
            for row in Table(child, document).rows:
                lines.append("| " + " | ".join(c.text for c in row.cells) + " |")
    return "\n".join(lines) + "\n"
