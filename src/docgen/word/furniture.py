"""What makes a Word file professional: header, footer with page X of Y, draft mark, TOC.

- header: the document title and the confidentiality mark, and 草稿 (DRAFT) while the
  document is neither approved nor signed;
- footer: version and 第 X 页 共 Y 页 as PAGE / NUMPAGES fields;
- a table-of-contents field, with ``w:updateFields`` set so Word refreshes it on open.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from lxml import etree

from docgen.word.writer import run_xml, style_id

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


def _field_xml(instruction: str, placeholder: str = "1") -> str:
    """A complex field's runs (begin, instruction, separate, cached result, end)."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {escape(instruction)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{run_xml(placeholder)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _paragraph(style: str, alignment: str, runs: str) -> etree._Element:
    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{escape(style)}"/>'
        f'<w:jc w:val="{alignment}"/></w:pPr>{runs}</w:p>'
    )


def decorate(
    document: Document,
    *,
    title: str,
    version: str,
    confidential: bool = True,
    draft: bool = False,
    language: str = "zh",
) -> None:
    """Set header, footer and (when ``draft``) the draft mark of every section.

    Each is written as WordprocessingML text and parsed once, as the body is
    (`docgen.word.writer`); it replaces the header's or footer's paragraphs.
    """
    zh = language == "zh"
    header = run_xml(title)
    if confidential:
        header += run_xml("　｜　商业秘密 · 注意保密" if zh else " | Confidential")
    if draft:
        mark = f"　{DRAFT_MARK}" if zh else f" {DRAFT_MARK_EN}"
        header += (
            '<w:r><w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>'
            f'<w:t xml:space="preserve">{mark}</w:t></w:r>'
        )
    if zh:
        footer = run_xml(f"版本 {version}　　第 " if version else "第 ")
        footer += _field_xml("PAGE") + run_xml(" 页 共 ")
        footer += _field_xml("NUMPAGES") + run_xml(" 页")
    else:
        footer = run_xml(f"Version {version}    Page " if version else "Page ")
        footer += _field_xml("PAGE") + run_xml(" of ") + _field_xml("NUMPAGES")
    for section in document.sections:
        for part, style, alignment, runs in (
            (section.header, "Header", "right", header),
            (section.footer, "Footer", "center", footer),
        ):
            element = part._element
            for old in element.findall(qn("w:p")):
                element.remove(old)
            element.append(_paragraph(style_id(document, style), alignment, runs))


def add_toc(document: Document, after: Paragraph | None = None, heading: str = "目　录") -> None:
    """Insert a TOC field (levels 1–3) after ``after`` (or at the end); Word refreshes it."""
    title = document.add_paragraph(heading)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = 0
    body = document.add_paragraph()
    field = parse_xml(
        f"<w:p {nsdecls('w')}>"
        + _field_xml('TOC \\o "1-3" \\h \\z \\u', "（打开文件时由 Word 更新目录）")
        + "</w:p>"
    )
    body._p.extend(list(field))
    if after is not None:
        after._p.addnext(body._p)
        after._p.addnext(title._p)
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        # in the schema's order: Word refuses a file whose settings are out of order
        update = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
