"""Markdown → .docx on python-docx and markdown-it-py, styled by a reference document.

Every style comes from the reference .docx, resolved to its id once per reference
(`Reference`).  In contract mode (``articles=True``) a level-2 heading is an article
(style 条, numbered 第一条 …) and the items of an ordered list directly under it are its
clauses (style 款, numbered （一） …): real Word numbering, so inserting an article in
Word renumbers.

Besides CommonMark: tables (header row repeated on every page), strikethrough, task
lists (☐/☑), footnotes (real Word footnotes), images from the engagement folder, page
breaks (``---``) and native Word charts from ``docgen-chart`` blocks.

The body is written as WordprocessingML text and parsed once: python-docx builds each
element through a generic successor search, which made 80% of a contract's render time.
Text is escaped for XML, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.part import Part, PartFactory
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm
from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import msg
from docgen.word import charts, notes
from docgen.word.reference import (
    ARTICLE_STYLE,
    ARTICLE_STYLE_EN,
    CLAUSE_STYLE,
    CLAUSE_STYLE_EN,
)
from docgen.word.text import clean

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_TASK = re.compile(r"^\[([ xX])\] ")
_PARSER = (
    MarkdownIt("commonmark", {"html": False})
    .enable(["table", "strikethrough"])
    .use(footnote_plugin)
)
_NAMESPACES = nsdecls("w", "r", "wp", "a", "pic", "c")
CHART_FENCE = "docgen-chart"
#: Parts a render never changes: kept as the reference's bytes, never parsed or re-serialised.
_UNCHANGED = {
    CT.WML_STYLES,
    CT.WML_FONT_TABLE,
    CT.OFC_THEME,
    CT.WML_WEB_SETTINGS,
    CT.WML_NUMBERING,
    "application/vnd.ms-word.stylesWithEffects+xml",
}
#: Styles the writer uses; a restyled reference lacking one falls back to Normal.
STYLE_NAMES = (
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Heading 4",
    "List Bullet",
    "List Bullet 2",
    "List Number",
    "List Number 2",
    "Quote",
    "Header",
    "Footer",
    "Caption",
    "footnote text",
    "footnote reference",
    "Table Grid",
    ARTICLE_STYLE,
    CLAUSE_STYLE,
    ARTICLE_STYLE_EN,
    CLAUSE_STYLE_EN,
)


class Reference:
    """A reference .docx read once: its style ids by name, and a blank document to copy.

    The blank is the reference with its body emptied and each section's header and
    footer part made (empty), as `furniture.decorate` fills them.  Every new document is
    a deep copy of it: a copy takes about a third of the time of reading the package
    again, and python-docx's objects (parts, relationships, lxml trees) copy as a whole
    graph.  ``tests/test_word.py`` checks that a copy saves to the same bytes as a
    freshly read blank, and that copies share no part.
    """

    def __init__(self, path: Path) -> None:
        try:
            self.data = path.read_bytes()
            document = docx.Document(io.BytesIO(self.data))
        except (OSError, ValueError, KeyError) as exc:
            raise DocgenError(
                msg("%(path)s: the reference .docx cannot be read (%(exc)s)", path=path, exc=exc)
            ) from None
        by_name = {s.name: s.style_id for s in document.styles if s.name is not None}
        normal = by_name.get("Normal", "Normal")
        self.style_ids = {name: by_name.get(name, normal) for name in STYLE_NAMES}
        if "Table Grid" not in by_name:
            del self.style_ids["Table Grid"]
        if "footnote reference" not in by_name:
            del self.style_ids["footnote reference"]
        self.list_numbering = _list_numbering(document, self.style_ids)
        self._blank = self._read()

    def read_blank(self) -> Document:
        """The reference read afresh: body emptied, each section's header and footer made."""
        return self._typed(self._read())

    def _read(self) -> Document:
        # untyped: a copy then does not copy the style tables every document shares
        with _parts_kept_raw():
            document = docx.Document(io.BytesIO(self.data))
        body = document.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        for section in document.sections:
            section.header.paragraphs  # noqa: B018  (made once here, not in every copy)
            section.footer.paragraphs  # noqa: B018
        return document

    def new_document(self) -> Document:
        """A document holding the reference's styles, numbering and page set-up, no text."""
        return self._typed(copy.deepcopy(self._blank))

    def _typed(self, document: Document) -> Document:
        document._docgen_styles = self.style_ids  # type: ignore[attr-defined]
        document._docgen_lists = self.list_numbering  # type: ignore[attr-defined]
        return document

    def __getstate__(self) -> dict[str, Any]:
        # a worker process gets the bytes and remakes the blank (lxml trees do not pickle)
        return {k: v for k, v in self.__dict__.items() if k != "_blank"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._blank = self._read()


@dataclass(frozen=True)
class ListNumbering:
    """How a numbered list style numbers: its abstract numbering, level, and a free numId."""

    abstract: str
    level: str
    first_free: int
    start: int = 1


def _list_numbering(document: Document, style_ids: dict[str, str]) -> dict[str, ListNumbering]:
    """The numbering of "List Number" and "List Number 2", by style id, when they have one.

    Each numbered list of a document restarts at 1: it gets a numbering instance of its
    own (a ``w:num`` with a ``w:startOverride``) over the style's abstract numbering.
    """
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return {}
    abstract_of = {
        n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val"))
        for n in numbering.findall(qn("w:num"))
        if n.find(qn("w:abstractNumId")) is not None
    }
    free = max((int(i) for i in abstract_of if str(i).isdigit()), default=0) + 1
    found = {}
    styles = {s.name: s for s in document.styles}
    for name in ("List Number", "List Number 2"):
        style = styles.get(name)
        ppr = style.element.pPr if style is not None else None
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(qn("w:numId"))
        if num_id is None or num_id.get(qn("w:val")) not in abstract_of:
            continue
        level = num_pr.find(qn("w:ilvl"))
        found[style_ids[name]] = ListNumbering(
            abstract_of[num_id.get(qn("w:val"))],
            level.get(qn("w:val")) if level is not None else "0",
            free,
        )
    return found


@contextmanager
def _parts_kept_raw() -> Iterator[None]:
    """Load unchanged parts as plain bytes (python-docx would parse and re-serialise them)."""
    previous = PartFactory.part_class_selector

    def select(content_type: str, reltype: str) -> type[Part] | None:
        return Part if content_type in _UNCHANGED else None

    PartFactory.part_class_selector = select
    try:
        yield
    finally:
        PartFactory.part_class_selector = previous


def new_document(reference: Path) -> Document:
    """A document from the reference at ``reference`` (see `Reference.new_document`)."""
    return Reference(reference).new_document()


def style_id(document: Document, name: str) -> str:
    """The id of the style named ``name`` in the document's reference."""
    ids: dict[str, str] = document._docgen_styles  # type: ignore[attr-defined]
    return ids.get(name, ids["Normal"])


def run_xml(
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    strike: bool = False,
    mono: bool = False,
) -> str:
    """A ``w:r`` holding ``text`` (escaped) with the given marks."""
    props = ""
    if mono:
        props += '<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>'
    if bold:
        props += "<w:b/>"
    if italic:
        props += "<w:i/>"
    if strike:
        props += "<w:strike/>"
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(clean(text))}</w:t></w:r>'


@dataclass
class _Paragraph:
    style: str
    runs: list[str] = field(default_factory=list)
    props: str = ""  # extra pPr children after the style

    def xml(self) -> str:
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{self.style}"/>{self.props}</w:pPr>'
            f"{''.join(self.runs)}</w:p>"
        )


_NO_INDENT = '<w:ind w:firstLine="0"/>'


@dataclass
class _State:
    document: Document
    articles: bool
    base: Path | None
    styles: dict[str, str]
    footnotes: dict[str, list[Token]]
    out: list[Any] = field(default_factory=list)  # _Paragraph or finished XML text
    lists: list[str] = field(default_factory=list)  # "bullet" / "ordered", innermost last
    #: the numbering instance of each open list (None: the style's own), innermost last
    list_nums: list[str | None] = field(default_factory=list)
    #: numbering instances made: numId → the style's numbering they restart
    restarts: dict[str, ListNumbering] = field(default_factory=dict)
    quote: int = 0
    article_open: bool = False
    paragraph: _Paragraph | None = None
    notes: notes.Footnotes | None = None
    shape_id: int = 100
    article_style: str = ARTICLE_STYLE  # 条 / Article
    clause_style: str = CLAUSE_STYLE  # 款 / Clause

    def add_paragraph(self, style: str, props: str = "") -> _Paragraph:
        paragraph = _Paragraph(self.styles.get(style, self.styles["Normal"]), props=props)
        self.out.append(paragraph)
        return paragraph


def render_markdown(
    document: Document,
    markdown: str,
    *,
    articles: bool = False,
    base: Path | None = None,
    language: str = "zh",
) -> Document:
    """Append ``markdown`` to ``document``; returns it.  Images resolve inside ``base``.

    In contract mode (``articles``), English text numbers its articles "Article 1" and
    its clauses "1.1" (styles Article and Clause), Chinese text 第一条 and （一）.
    """
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(markdown, env)
    styles = document._docgen_styles  # type: ignore[attr-defined]
    state = _State(document, articles, base, styles, _footnote_bodies(tokens))
    if language == "en":
        state.article_style, state.clause_style = ARTICLE_STYLE_EN, CLAUSE_STYLE_EN
    i = 0
    while i < len(tokens):
        i = _block(state, tokens, i)
    if state.restarts:
        _add_restarts(document, state.restarts)
    body_xml = "".join(p if isinstance(p, str) else p.xml() for p in state.out)
    fragment = parse_xml(f"<w:body {_NAMESPACES}>{body_xml}</w:body>")
    body = document.element.body
    section = body.find(qn("w:sectPr"))
    for child in list(fragment):
        # lxml moves a subtree into another document node by node, in time that grows
        # with the square of its size (a table of 2,000 rows: 9 s); a table's rows moved
        # one at a time after its shell take 40 ms
        parts = list(child) if len(child) > _MOVE_WHOLE else []
        for part in parts:
            child.remove(part)
        if section is not None:
            section.addprevious(child)
        else:
            body.append(child)
        for part in parts:
            child.append(part)
    return document


#: children an element may have to be moved into the document in one piece
_MOVE_WHOLE = 16


def _footnote_bodies(tokens: list[Token]) -> dict[str, list[Token]]:
    bodies: dict[str, list[Token]] = {}
    current: list[Token] | None = None
    for token in tokens:
        if token.type == "footnote_open":
            current = bodies.setdefault(str(token.meta["id"]), [])
        elif token.type == "footnote_close":
            current = None
        elif current is not None and token.type == "inline":
            current.append(token)
    return bodies


def _style_for_heading(state: _State, level: int) -> str:
    if level == 1:
        return "Title"
    if state.articles and level == 2:
        return state.article_style
    return f"Heading {min(level - 1 if level > 1 else 1, 4)}"


def _list_style(state: _State) -> str:
    kind = state.lists[-1]
    depth = len(state.lists)
    if kind == "ordered" and state.articles and state.article_open and depth == 1:
        return state.clause_style
    base = "List Number" if kind == "ordered" else "List Bullet"
    return base if depth == 1 else f"{base} 2"


def _restart(state: _State, start: int) -> str | None:
    """A numbering instance for the list just opened, so that it counts from ``start``.

    None for a list whose style has no numbering of its own to restart (bullets, and
    the clauses of an article, which restart with each article).
    """
    style = state.styles.get(_list_style(state), "")
    numbering = state.document._docgen_lists.get(style)  # type: ignore[attr-defined]
    if numbering is None:
        return None
    num_id = str(numbering.first_free + len(state.restarts))
    state.restarts[num_id] = replace(numbering, start=start)
    return num_id


def _numbering(state: _State) -> str:
    """The ``w:numPr`` of a list paragraph in a list with its own numbering instance."""
    num_id = state.list_nums[-1] if state.list_nums else None
    if num_id is None:
        return ""
    level = state.restarts[num_id].level
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def _add_restarts(document: Document, restarts: dict[str, ListNumbering]) -> None:
    """Write the numbering instances the lists use into the document's numbering part."""
    append_numbering(
        document,
        [
            parse_xml(
                f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                f'<w:abstractNumId w:val="{numbering.abstract}"/>'
                f'<w:lvlOverride w:ilvl="{numbering.level}">'
                f'<w:startOverride w:val="{numbering.start}"/></w:lvlOverride></w:num>'
            )
            for num_id, numbering in restarts.items()
        ],
    )


def numbering_instances(document: Document) -> dict[str, etree._Element]:
    """The document's ``w:num`` elements by numId."""
    numbering = etree.fromstring(document.part.numbering_part.blob)
    return {str(n.get(qn("w:numId"))): n for n in numbering.findall(qn("w:num"))}


def append_numbering(document: Document, nums: list[etree._Element]) -> None:
    """Add ``w:num`` elements to the document's numbering part (kept as raw bytes)."""
    part = document.part.numbering_part
    numbering = etree.fromstring(part.blob)
    numbering.extend(nums)
    part._blob = etree.tostring(numbering, xml_declaration=True, encoding="UTF-8", standalone=True)


def _block(state: _State, tokens: list[Token], i: int) -> int:
    token = tokens[i]
    kind = token.type
    if kind == "heading_open":
        level = int(token.tag[1])
        style = _style_for_heading(state, level)
        if state.articles and level <= 2:
            state.article_open = style == state.article_style
        _inline(state, state.add_paragraph(style), tokens[i + 1])
        return i + 3
    if kind == "paragraph_open":
        if state.lists:
            style = _list_style(state)
        elif state.quote:
            style = "Quote"
        else:
            style = "Normal"
        inline = tokens[i + 1]
        if state.lists and state.paragraph is not None:  # a second paragraph in one item
            state.paragraph.runs.append("<w:r><w:br/></w:r>")
            _inline(state, state.paragraph, inline)
        else:
            paragraph = state.add_paragraph(style, _numbering(state))
            _inline(state, paragraph, inline, task=bool(state.lists))
            if state.lists:
                state.paragraph = paragraph
        return i + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        state.lists.append("bullet" if kind == "bullet_list_open" else "ordered")
        start = int(token.attrs.get("start", 1) or 1)
        state.list_nums.append(_restart(state, start) if kind == "ordered_list_open" else None)
    elif kind in ("bullet_list_close", "ordered_list_close"):
        state.lists.pop()
        state.list_nums.pop()
    elif kind in ("list_item_open", "list_item_close"):
        state.paragraph = None
    elif kind == "blockquote_open":
        state.quote += 1
    elif kind == "blockquote_close":
        state.quote -= 1
    elif kind == "hr":
        state.add_paragraph("Normal").runs.append('<w:r><w:br w:type="page"/></w:r>')
    elif kind == "fence" and token.info.strip() == CHART_FENCE:
        _chart(state, token.content)
    elif kind in ("fence", "code_block"):
        for line in token.content.rstrip("\n").split("\n"):
            state.add_paragraph("Normal", _NO_INDENT).runs.append(run_xml(line, mono=True))
    elif kind == "table_open":
        return _table(state, tokens, i)
    elif kind == "footnote_block_open":
        while tokens[i].type != "footnote_block_close":
            i += 1
    return i + 1


def _inline(
    state: _State, paragraph: _Paragraph, inline: Token, task: bool = False, bold: bool = False
) -> None:
    marks: dict[str, bool] = {"strong": bold}
    previous = ""
    runs = paragraph.runs
    children = inline.children or []
    if task and children and children[0].type == "text":
        match = _TASK.match(children[0].content)
        if match:
            runs.append(run_xml("☑ " if match.group(1) in "xX" else "☐ "))
            children = [children[0].copy(content=children[0].content[4:]), *children[1:]]
    for child in children:
        kind = child.type
        if kind in ("strong_open", "em_open", "s_open"):
            marks[kind[:-5]] = True
        elif kind in ("strong_close", "em_close", "s_close"):
            marks[kind[:-6]] = bold if kind == "strong_close" else False
        elif kind in ("text", "code_inline"):
            runs.append(
                run_xml(
                    child.content,
                    bold=marks.get("strong", False),
                    italic=marks.get("em", False),
                    strike=marks.get("s", False),
                    mono=kind == "code_inline",
                )
            )
            previous = child.content or previous
        elif kind == "softbreak":
            # a line break inside a Chinese sentence joins without a space
            if not (previous and _CJK.match(previous[-1])):
                runs.append(run_xml(" "))
        elif kind == "hardbreak":
            runs.append("<w:r><w:br/></w:r>")
        elif kind == "image":
            runs.append(_image(state, child))
        elif kind == "footnote_ref":
            runs.append(_footnote(state, str(child.meta["id"])))


def _image(state: _State, token: Token) -> str:
    src = str(token.attrs.get("src", ""))
    alt = token.content or src
    base = state.base.resolve() if state.base else None
    path = (base / src).resolve() if base and "://" not in src else None
    if path is None or base is None or not path.is_relative_to(base):
        return run_xml(f"［图片：{alt}］")
    try:
        r_id, image = state.document.part.get_or_add_image(str(path))
        cx, cy = image.scaled_dimensions(Cm(14), None)
    except (OSError, ValueError, KeyError, ZeroDivisionError, AttributeError):
        # docx's image header parsers raise several types for a damaged file
        return run_xml(f"［图片无法读取：{alt}］")
    state.shape_id += 1
    inline = CT_Inline.new_pic_inline(state.shape_id, r_id, image.filename, cx, cy)
    inline.docPr.set("descr", clean(alt))
    return f"<w:r><w:drawing>{etree.tostring(inline, encoding='unicode')}</w:drawing></w:r>"


def _footnote(state: _State, note_id: str) -> str:
    if state.notes is None:
        state.notes = notes.Footnotes(state.document, state.styles)
    text: list[str] = []
    for inline in state.footnotes.get(note_id, []):
        text.extend(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))
    return state.notes.add("".join(text))


def _chart(state: _State, content: str) -> None:
    try:
        spec = json.loads(content)
    except ValueError:
        state.add_paragraph("Normal").runs.append(run_xml("［图表数据无法读取］"))
        return
    state.shape_id += 1
    drawing = charts.add_bar_chart(state.document, spec, state.shape_id)
    state.add_paragraph("Normal", _NO_INDENT + '<w:jc w:val="center"/>').runs.append(drawing)
    state.add_paragraph("Caption", '<w:jc w:val="center"/>').runs.append(
        run_xml(str(spec.get("title", "")))
    )


def _table(state: _State, tokens: list[Token], i: int) -> int:
    rows: list[tuple[bool, list[Token]]] = []
    header = False
    j = i + 1
    while tokens[j].type != "table_close":
        t = tokens[j]
        if t.type == "thead_open":
            header = True
        elif t.type == "tbody_open":
            header = False
        elif t.type == "tr_open":
            rows.append((header, []))
        elif t.type == "inline":
            rows[-1][1].append(t)
        j += 1
    columns = max((len(cells) for _, cells in rows), default=0)
    if not columns:
        return j + 1
    width = int(state.document._block_width) // 635  # EMU → twentieths of a point
    cell_width = width // columns
    grid = state.styles.get("Table Grid")
    style = f'<w:tblStyle w:val="{grid}"/>' if grid else ""
    xml = [
        f'<w:tbl><w:tblPr>{style}<w:tblW w:w="{width}" w:type="dxa"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        f'<w:gridCol w:w="{cell_width}"/>' * columns,
        "</w:tblGrid>",
    ]
    normal = state.styles["Normal"]
    for is_header, cells in rows:
        xml.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>" if is_header else "<w:tr>")
        for c in range(columns):
            paragraph = _Paragraph(normal, props=_NO_INDENT)
            if c < len(cells):
                _inline(state, paragraph, cells[c], bold=is_header)
            xml.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{cell_width}" w:type="dxa"/></w:tcPr>'
                f"{paragraph.xml()}</w:tc>"
            )
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    state.out.append("".join(xml))
    return j + 1
