"""Real Word footnotes: a footnotes part, and a reference mark in the text for each note.

python-docx has no footnote support; the part is the minimal one Word writes (two
separator notes, ids -1 and 0, then the notes from id 1).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from docgen.word.text import clean

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_EMPTY = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"/>'
    "</w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


class Footnotes:
    """The footnotes of one document, created on the first note."""

    def __init__(self, document: Document, styles: dict[str, str]) -> None:
        package = document.part.package
        self.part = XmlPart(
            PackURI("/word/footnotes.xml"), CONTENT_TYPE, parse_xml(_EMPTY), package
        )
        document.part.relate_to(self.part, RT.FOOTNOTES)
        self.next_id = 1
        self.text_style = styles.get("footnote text", styles["Normal"])
        self.mark_style = styles.get("footnote reference")

    def add(self, text: str) -> str:
        """Add the note ``text``; return the ``w:r`` holding its reference mark."""
        note_id = self.next_id
        self.next_id += 1
        style = f'<w:rStyle w:val="{self.mark_style}"/>' if self.mark_style else ""
        mark = f'<w:rPr>{style}<w:vertAlign w:val="superscript"/></w:rPr>'
        self.part.element.append(
            parse_xml(
                f'<w:footnote {nsdecls("w")} w:id="{note_id}"><w:p><w:pPr>'
                f'<w:pStyle w:val="{self.text_style}"/></w:pPr>'
                f"<w:r>{mark}<w:footnoteRef/></w:r>"
                f'<w:r><w:t xml:space="preserve"> {escape(clean(text))}</w:t></w:r>'
                "</w:p></w:footnote>"
            )
        )
        return f'<w:r>{mark}<w:footnoteReference w:id="{note_id}"/></w:r>'
