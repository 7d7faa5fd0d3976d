"""Render an engagement's Word deliverables: templates → markdown → .docx.

The stage itself is `docgen.render.run`; its public names are re-exported here on
first use, so that `docgen.validate` can use the document modules below it
(`requirements`, `templates`, `context`) without importing the whole stage.
"""

from __future__ import annotations

from typing import Any

_EXPORTS = ("RenderReport", "documents_dir", "reference_path", "render_documents")


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        from docgen.render import run

        return getattr(run, name)
    raise AttributeError(f"module 'docgen.render' has no attribute {name!r}")


__all__ = list(_EXPORTS)
