"""Markdown → .docx on python-docx and markdown-it-py, styled by a reference document.

Every style comes from the reference .docx (looked up once, by name, per document).  In
contract mode (``articles=True``) a level-2 heading is an article (style 条, numbered
第一条 …) and the items of an ordered list directly under it are its clauses (style 款,
numbered （一） …): real Word numbering, so inserting an article in Word renumbers.
Text is always text: python-docx escapes XML, and characters XML cannot hold are dropped.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from docgen.word.reference import ARTICLE_STYLE, CLAUSE_STYLE

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_PARSER = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def clean(text: str) -> str:
    """Text Word can hold: XML-illegal control characters removed."""
    return _XML_ILLEGAL.sub("", text)


@dataclass
class _State:
    document: Document
    articles: bool
    lists: list[str] = field(default_factory=list)  # "bullet" / "ordered", innermost last
    quote: int = 0
    article_open: bool = False
    paragraph: Paragraph | None = None
    marks: dict[str, bool] = field(default_factory=dict)


def new_document(reference: Path) -> Document:
    """A document holding the reference's styles, numbering and page set-up, and no text."""
    document = docx.Document(str(reference))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def render_markdown(document: Document, markdown: str, *, articles: bool = False) -> Document:
    """Append ``markdown`` to ``document``; returns it."""
    state = _State(document, articles)
    tokens = _PARSER.parse(markdown)
    i = 0
    while i < len(tokens):
        i = _block(state, tokens, i)
    return document


def _style_for_heading(state: _State, level: int) -> str:
    if level == 1:
        return "Title"
    if state.articles and level == 2:
        return ARTICLE_STYLE
    return f"Heading {min(level - 1 if level > 1 else 1, 4)}"


def _list_style(state: _State) -> str:
    kind = state.lists[-1]
    depth = len(state.lists)
    if kind == "ordered" and state.articles and state.article_open and depth == 1:
        return CLAUSE_STYLE
    base = "List Number" if kind == "ordered" else "List Bullet"
    return base if depth == 1 else f"{base} 2"


def _block(state: _State, tokens: list[Token], i: int) -> int:
    token = tokens[i]
    kind = token.type
    if kind == "heading_open":
        level = int(token.tag[1])
        style = _style_for_heading(state, level)
        if state.articles and level <= 2:
            state.article_open = style == ARTICLE_STYLE
        paragraph = state.document.add_paragraph(style=style)
        _inline(state, paragraph, tokens[i + 1])
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
            state.paragraph.add_run().add_break()
            _inline(state, state.paragraph, inline)
        else:
            paragraph = state.document.add_paragraph(style=style)
            _inline(state, paragraph, inline)
            if state.lists:
                state.paragraph = paragraph
        return i + 3
    if kind in ("bullet_list_open", "ordered_list_open"):
        state.lists.append("bullet" if kind == "bullet_list_open" else "ordered")
    elif kind in ("bullet_list_close", "ordered_list_close"):
        state.lists.pop()
    elif kind == "list_item_open" or kind == "list_item_close":
        state.paragraph = None
    elif kind == "blockquote_open":
        state.quote += 1
    elif kind == "blockquote_close":
        state.quote -= 1
    elif kind == "hr":
        state.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif kind in ("fence", "code_block"):
        for line in token.content.rstrip("\n").split("\n"):
            run = state.document.add_paragraph(style="Normal").add_run(clean(line))
            run.font.name = "Courier New"
    elif kind == "table_open":
        return _table(state, tokens, i)
    return i + 1


def _inline(state: _State, paragraph: Paragraph, inline: Token) -> None:
    marks: dict[str, bool] = {}
    previous = ""
    for child in inline.children or []:
        kind = child.type
        if kind in ("strong_open", "em_open", "s_open"):
            marks[kind[:-5]] = True
        elif kind in ("strong_close", "em_close", "s_close"):
            marks[kind[:-6]] = False
        elif kind in ("text", "code_inline"):
            run = paragraph.add_run(clean(child.content))
            run.bold = marks.get("strong") or None
            run.italic = marks.get("em") or None
            run.font.strike = marks.get("s") or None
            if kind == "code_inline":
                run.font.name = "Courier New"
            previous = child.content or previous
        elif kind == "softbreak":
            # a line break inside a Chinese sentence joins without a space
            if not (previous and _CJK.match(previous[-1])):
                paragraph.add_run(" ")
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "image":
            paragraph.add_run(clean(f"[{child.content or child.attrs.get('src', '')}]"))


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
    table = state.document.add_table(rows=len(rows), cols=columns)
    _set_table_style(table)
    for r, (is_header, cells) in enumerate(rows):
        row = table.rows[r]
        if is_header:
            tr_pr = row._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            tr_pr.append(repeat)
        for c, inline in enumerate(cells):
            paragraph = row.cells[c].paragraphs[0]
            paragraph.paragraph_format.first_line_indent = 0
            _inline(state, paragraph, inline)
            if is_header:
                for run in paragraph.runs:
                    run.bold = True
    return j + 1


def _set_table_style(table: Any) -> None:
    # a restyled reference without "Table Grid" keeps Word's default table style
    with contextlib.suppress(KeyError):
        table.style = "Table Grid"
