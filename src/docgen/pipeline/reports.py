"""What a render and a publish did: the reports the CLI prints (no heavy imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.core.diagnostics import Diagnostic


@dataclass
class RenderReport:
    """What a render did: files written, files already current, and what stopped others."""

    out_dir: Path
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    #: PDFs written this run (relative to ``out_dir``)
    pdfs: list[str] = field(default_factory=list)
    #: frozen texts written this run (workspace-relative): approved or signed documents
    #: met for the first time, to be committed
    frozen: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing stopped a document."""
        return not any(d.is_error for d in self.diagnostics)


@dataclass
class PublishReport:
    """What a publish did, or the diagnostics that stopped it."""

    site_dir: Path
    diagnostics: list[Diagnostic] = field(default_factory=list)
    render: RenderReport | None = None
    built: bool = False
    #: engagements ``keep_going`` left out of the site for their errors
    left_out: list[str] = field(default_factory=list)
