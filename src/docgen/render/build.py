"""Build one .docx from rendered markdown: reference styles, furniture, fixed bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from docgen.render.documents import RenderedText
from docgen.word.furniture import add_toc, decorate
from docgen.word.package import save_deterministic
from docgen.word.writer import Reference, render_markdown


def build_docx(text: RenderedText, out_dir: Path, reference: Reference) -> str:
    """Write one .docx under ``out_dir``; return the sha256 of its bytes."""
    document = reference.new_document()
    render_markdown(document, text.markdown, articles=text.articles, base=Path(text.base))
    if text.toc:
        first = document.paragraphs[0] if document.paragraphs else None
        add_toc(document, after=first, heading="目　录" if text.language == "zh" else "Contents")
    decorate(
        document,
        title=text.header_title,
        version=text.version,
        confidential=text.confidential,
        draft=text.draft,
        language=text.language,
    )
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
