"""Build .docx files from rendered markdown: reference styles, furniture, fixed bytes.

`build_docx` makes a document; `build_redline` makes one whose body shows, as Word
tracked changes, how one text of a document became another (`docgen.word.redline`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from docgen.documents.jobs import RenderedText
from docgen.domain.engagement import Engagement
from docgen.word.furniture import add_toc, decorate
from docgen.word.package import save_deterministic
from docgen.word.redline import merge_bodies
from docgen.word.writer import Reference, render_markdown


def build_docx(text: RenderedText, out_dir: Path, reference: Reference) -> str:
    """Write one .docx under ``out_dir``; return the sha256 of its bytes."""
    document = _body(text, reference)
    _furnish(document, text, text.header_title, text.version, draft=text.draft)
    data = save_deterministic(
        document,
        out_dir / text.output,
        title=text.title,
        author=text.author,
        when=text.when,
        version=text.version,
        root=out_dir,
    )
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a comparison: a text of a document and what to call it (1.0, a1b2c3d4)."""

    label: str
    text: RenderedText


@dataclass(frozen=True, slots=True)
class Redline:
    """A redline written: where, its sha256 and how many revisions it holds."""

    output: str
    sha256: str
    revisions: int


def build_redline(
    old: Side, new: Side, out_dir: Path, output: str, reference: Reference, author: str
) -> Redline:
    """Write ``output`` under ``out_dir``: ``new``'s text showing the changes from ``old``.

    The changes are revisions by ``author``, dated the day of ``new``'s text.

    Its header names both sides, e.g. 合作协议（修订对照 1.0 → 1.1）, and it carries no
    draft mark.  Track Changes is left off: LibreOffice, opening a file with it on, records
    its own table formatting as changes by an unknown author.
    """
    before = _body(old.text, reference)
    document = _body(new.text, reference)
    count = merge_bodies(before, document, author=author, when=new.text.when)
    zh = new.text.language == "zh"
    sides = f"{old.label} → {new.label}"
    what = f"（修订对照 {sides}）" if zh else f" (redline {sides})"
    text = new.text
    _furnish(
        document,
        text,
        text.header_title + what,
        sides,
        draft=False,
        confidential=old.text.confidential or text.confidential,
    )
    data = save_deterministic(
        document,
        out_dir / output,
        title=text.title + what,
        author=author,
        when=text.when,
        version=new.label,
        root=out_dir,
    )
    return Redline(output, hashlib.sha256(data).hexdigest(), count)


def revision_author(e: Engagement, doc_id: str, text: RenderedText) -> str | None:
    """Who made a version of a document, as the revision entries of its record say."""
    record = e.documents.get(doc_id)
    if record is None:
        return None
    for entry in record.data.revisions:
        if entry.version == text.version:
            return entry.by
    return None


def _body(text: RenderedText, reference: Reference) -> Document:
    document = reference.new_document()
    render_markdown(
        document,
        text.markdown,
        articles=text.articles,
        base=Path(text.base),
        language=text.language,
    )
    return document


def _furnish(
    document: Document,
    text: RenderedText,
    title: str,
    version: str,
    *,
    draft: bool,
    confidential: bool | None = None,
) -> None:
    if text.toc:
        first = document.paragraphs[0] if document.paragraphs else None
        add_toc(document, after=first, heading="目　录" if text.language == "zh" else "Contents")
    decorate(
        document,
        title=title,
        version=version,
        confidential=text.confidential if confidential is None else confidential,
        draft=draft,
        language=text.language,
    )
