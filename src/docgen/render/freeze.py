"""The texts `approve` and `sign` freeze: a document made afresh from its data as it stands."""

from __future__ import annotations

from pathlib import Path

from docgen.diagnostics import Diagnostic
from docgen.frozen import FrozenText
from docgen.history import read_history
from docgen.load import Engagement, Portfolio
from docgen.render.documents import RenderedText, plan_jobs, render_text
from docgen.render.templates import DocumentTemplate, environment, template_dirs


def texts_to_freeze(
    portfolio: Portfolio, e: Engagement, doc_id: str
) -> tuple[list[tuple[Path, FrozenText]], list[Diagnostic]]:
    """Each language of ``doc_id`` for ``e`` (whose record must say approved or signed).

    Returns the frozen texts with the paths they belong at, or the diagnostics that stop
    a document being made.
    """
    workspace, process = portfolio.workspace, portfolio.process
    env = environment(
        tuple(template_dirs(workspace.root / workspace.config.templates / "documents"))
    )
    templates: dict[str, DocumentTemplate] = {}
    history = read_history(workspace.root, e.rel)  # its commits only, not the portfolio's
    texts: list[tuple[Path, FrozenText]] = []
    problems: list[Diagnostic] = []
    for job in plan_jobs([e], process, [doc_id]):
        made = render_text(job, workspace, process, history, env, templates, fresh=True)
        if not isinstance(made, RenderedText):
            problems += made
        elif made.freeze is not None and made.freeze_path is not None:
            texts.append((made.freeze_path, made.freeze))
    return texts, problems
