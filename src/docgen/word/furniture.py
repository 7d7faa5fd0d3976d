"""What makes a Word file professional: header, footer with page X of Y, draft mark, TOC.

- header: the document title and the confidentiality mark, and 草稿 (DRAFT) while the
  document is neither approved nor signed;
- footer: version and 第 X 页 共 Y 页 as PAGE / NUMPAGES fields;
- a table-of-contents field, with ``w:updateFields`` set so Word refreshes it on open.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import RGBColor
from docx.text.paragraph import Paragraph

from docgen.word.text import clean
from docgen.word.writer import style_id

DRAFT_MARK = "草稿"
DRAFT_MARK_EN = "DRAFT"

#: What follows ``w:updateFields`` among ``w:settings`` children (ECMA-376 CT_Settings).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _field(paragraph: Paragraph, instruction: str, placeholder: str = "1") -> None:
    """Append a complex field (begin, instruction, separate, cached result, end)."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run._r.append(begin)
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    run = paragraph.add_run()
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.append(separate)
    paragraph.add_run(placeholder)
    run = paragraph.add_run()
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)


def decorate(
    document: Document,
    *,
    title: str,
    version: str,
    confidential: bool = True,
    draft: bool = False,
    language: str = "zh",
) -> None:
    """Add header, footer and (when ``draft``) the draft mark to every section."""
    zh = language == "zh"
    for section in document.sections:
        header = section.header.paragraphs[0]
        header._p.style = style_id(document, "Header")
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        header.add_run(clean(title))
        if confidential:
            header.add_run("　｜　商业秘密 · 注意保密" if zh else " | Confidential")
        if draft:
            mark = header.add_run(f"　{DRAFT_MARK}" if zh else f" {DRAFT_MARK_EN}")
            mark.bold = True
            mark.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
        footer = section.footer.paragraphs[0]
        footer._p.style = style_id(document, "Footer")
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if zh:
            footer.add_run(f"版本 {clean(version)}　　第 " if version else "第 ")
            _field(footer, "PAGE")
            footer.add_run(" 页 共 ")
            _field(footer, "NUMPAGES")
            footer.add_run(" 页")
        else:
            footer.add_run(f"Version {clean(version)}    Page " if version else "Page ")
            _field(footer, "PAGE")
            footer.add_run(" of ")
            _field(footer, "NUMPAGES")


def add_toc(document: Document, after: Paragraph | None = None, heading: str = "目　录") -> None:
    """Insert a TOC field (levels 1–3) after ``after`` (or at the end); Word refreshes it."""
    title = document.add_paragraph(heading)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = 0
    body = document.add_paragraph()
    _field(body, 'TOC \\o "1-3" \\h \\z \\u', "（打开文件时由 Word 更新目录）")
    if after is not None:
        after._p.addnext(body._p)
        after._p.addnext(title._p)
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        # in the schema's order: Word refuses a file whose settings are out of order
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
