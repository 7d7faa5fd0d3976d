"""The default reference .docx: the styles a team restyles in Word (pandoc's convention).

It is built here from python-docx's starting document and saved as
``templates/reference.docx``; the renderer takes every style from the reference the
workspace holds, so a team that restyles it in Word changes every document.  Built in:

- A4 with 2.54/3.17 cm margins;
- 宋体 for text and 黑体 for headings through ``w:eastAsia``, Times New Roman / Arial for
  Latin text, ``zh-CN`` as the East Asian language;
- contract numbering as real Word numbering attached to paragraph styles: 条 (level 1,
  "第%1条", Chinese counting) and 款 (level 2, "（%2）", restarting in every article), so
  an article a lawyer inserts in Word renumbers everything after it.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from docgen.word.package import save_deterministic

ARTICLE_STYLE = "条"
CLAUSE_STYLE = "款"
ARTICLE_NUM_ID = 90
#: The English contract's articles ("Article 1") and clauses ("1.1"), numbered the same way.
ARTICLE_STYLE_EN = "Article"
CLAUSE_STYLE_EN = "Clause"
ARTICLE_NUM_ID_EN = 91
BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Arial", "黑体")


def _article_numbering(
    num_id: int, styles: tuple[str, str], fmt: str, texts: tuple[str, str], clause: tuple[str, int]
) -> str:
    """An abstract numbering: articles (level 0) and their clauses (level 1).

    Clauses restart in every article; ``clause`` is their number's suffix and indent.
    """
    suffix, indent = clause
    return f"""
<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0">
    <w:start w:val="1"/>
    <w:numFmt w:val="{fmt}"/>
    <w:pStyle w:val="{styles[0]}"/>
    <w:suff w:val="space"/>
    <w:lvlText w:val="{texts[0]}"/>
    <w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr>
  </w:lvl>
  <w:lvl w:ilvl="1">
    <w:start w:val="1"/>
    <w:numFmt w:val="{fmt}"/>
    <w:pStyle w:val="{styles[1]}"/>
    <w:suff w:val="{suffix}"/>
    <w:lvlText w:val="{texts[1]}"/>
    <w:lvlJc w:val="left"/>
    <w:pPr><w:ind w:left="0" w:firstLine="{indent}"/></w:pPr>
  </w:lvl>
</w:abstractNum>
"""


#: 第一条 / （一） in Chinese counting; Article 1 / 1.1 in decimals.
_NUMBERING = _article_numbering(
    ARTICLE_NUM_ID, (ARTICLE_STYLE, CLAUSE_STYLE), "chineseCounting", ("第%1条", "（%2）"),
    ("nothing", 480),
)  # fmt: skip
_NUMBERING_EN = _article_numbering(
    ARTICLE_NUM_ID_EN, (ARTICLE_STYLE_EN, CLAUSE_STYLE_EN), "decimal", ("Article %1", "%1.%2"),
    ("space", 0),
)  # fmt: skip


def _fonts(style: docx.styles.style.BaseStyle, latin: str, east_asian: str, size: float) -> None:
    font = style.font  # type: ignore[attr-defined]
    font.name = latin
    font.size = Pt(size)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _numbered_style(
    document: docx.document.Document, name: str, level: int, num_id: int = ARTICLE_NUM_ID
) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    ppr = style.element.get_or_add_pPr()
    ppr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/>'
            f'<w:numId w:val="{num_id}"/></w:numPr>'
        )
    )
    if num_id == ARTICLE_NUM_ID_EN:
        style.paragraph_format.first_line_indent = Pt(0)
    if level == 0:
        _fonts(style, *HEADING_FONT, 12)
        style.font.bold = True
        style.paragraph_format.space_before = Pt(12)
        style.paragraph_format.keep_with_next = True
    else:
        _fonts(style, *BODY_FONT, 12)


def build_reference() -> docx.document.Document:
    """The default reference document (styles, numbering, page set-up), empty of text."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(3.17)
    section.top_margin = section.bottom_margin = Cm(2.54)
    styles = document.styles
    _fonts(styles["Normal"], *BODY_FONT, 12)
    normal = styles["Normal"].paragraph_format
    normal.line_spacing = 1.5
    normal.space_after = Pt(0)
    normal.first_line_indent = Pt(24)  # two characters of 12 pt
    for level, size in ((1, 16), (2, 14), (3, 12), (4, 12)):
        heading = styles[f"Heading {level}"]
        _fonts(heading, *HEADING_FONT, size)
        heading.font.color.rgb = None
        heading.paragraph_format.first_line_indent = Pt(0)
        heading.paragraph_format.space_before = Pt(12)
        heading.paragraph_format.space_after = Pt(6)
    title = styles["Title"]
    _fonts(title, *HEADING_FONT, 22)
    title.font.color.rgb = None
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.first_line_indent = Pt(0)
    title_ppr = title.element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):  # python-docx's Title has a blue rule
        title_ppr.remove(border)
    for name in ("Header", "Footer"):
        _fonts(styles[name], *BODY_FONT, 9)
        styles[name].paragraph_format.first_line_indent = Pt(0)
    for name in ("List Bullet", "List Number", "List Bullet 2", "List Number 2", "Quote"):
        _fonts(styles[name], *BODY_FONT, 12)
        styles[name].paragraph_format.first_line_indent = Pt(0)
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for xml, num_id in ((_NUMBERING, ARTICLE_NUM_ID), (_NUMBERING_EN, ARTICLE_NUM_ID_EN)):
        abstract = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(abstract)  # abstractNum elements precede num elements
        else:
            numbering.append(abstract)
        numbering.append(
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{num_id}"/></w:num>'
            )
        )
    _numbered_style(document, ARTICLE_STYLE, 0)
    _numbered_style(document, CLAUSE_STYLE, 1)
    _numbered_style(document, ARTICLE_STYLE_EN, 0, ARTICLE_NUM_ID_EN)
    _numbered_style(document, CLAUSE_STYLE_EN, 1, ARTICLE_NUM_ID_EN)
    _footnote_styles(document)
    _prune(document)
    return document


def _footnote_styles(document: docx.document.Document) -> None:
    text = document.styles.add_style("footnote text", WD_STYLE_TYPE.PARAGRAPH)
    text.base_style = document.styles["Normal"]
    _fonts(text, *BODY_FONT, 9)
    text.paragraph_format.first_line_indent = Pt(0)
    text.paragraph_format.line_spacing = 1.0
    mark = document.styles.add_style("footnote reference", WD_STYLE_TYPE.CHARACTER)
    mark.font.superscript = True


_DROPPED_RELS = ("stylesWithEffects", "customXml", "thumbnail")


def _prune(document: docx.document.Document) -> None:
    """Drop what slows every render and no document uses (python-docx ships 880 KB).

    Word's latent-style list, 100+ table styles a contract never uses, the Word 2010
    stylesWithEffects copy, the thumbnail and the custom XML item go.
    """
    styles = document.styles.element
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    keep_tables = {"Normal Table", "Table Grid"}
    for style in styles.findall(qn("w:style")):
        name = style.find(qn("w:name"))
        if style.get(qn("w:type")) == "table" and (
            name is None or name.get(qn("w:val")) not in keep_tables
        ):
            styles.remove(style)
    for owner in (document.part, document.part.package):
        for r_id, rel in list(owner.rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROPPED_RELS:
                del owner.rels[r_id]


def write_reference(path: Path) -> None:
    """Write the default reference .docx (byte-identical on every run)."""
    save_deterministic(build_reference(), path, title="docgen reference", author="docgen")
