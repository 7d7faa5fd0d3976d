"""docgen: docs-as-code for business-partnership and investment-promotion engagements.

The library API; the CLI (`docgen.cli`) and the MkDocs plugin are its clients.

Each name is imported when first asked for: importing any part of docgen (the CLI,
one module of it) does not import all of it.  ``from docgen import validate`` works as
it always has.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

#: each public name and the module it comes from
_HOMES = {
    "Diagnostic": "docgen.core.diagnostics",
    "DocgenError": "docgen.core.diagnostics",
    "Engagement": "docgen.domain.engagement",
    "EngagementStatus": "docgen.checks.status",
    "Portfolio": "docgen.workspace.load",
    "Process": "docgen.domain.process",
    "engagement_status": "docgen.checks.status",
    "init_workspace": "docgen.edits.scaffold",
    "load_portfolio": "docgen.workspace.load",
    "load_process": "docgen.domain.process",
    "new_engagement": "docgen.edits.scaffold",
    "portfolio_status": "docgen.checks.status",
    "publish": "docgen.pipeline.publish",
    "render_documents": "docgen.pipeline.render",
    "validate": "docgen.checks.validate",
    "validate_portfolio": "docgen.checks.validate",
}

if TYPE_CHECKING:
    from docgen.checks.status import EngagementStatus, engagement_status, portfolio_status
    from docgen.checks.validate import validate, validate_portfolio
    from docgen.core.diagnostics import Diagnostic, DocgenError
    from docgen.domain.engagement import Engagement
    from docgen.domain.process import Process, load_process
    from docgen.edits.scaffold import init_workspace, new_engagement
    from docgen.pipeline.publish import publish
    from docgen.pipeline.render import render_documents
    from docgen.workspace.load import Portfolio, load_portfolio


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'docgen' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)


__all__ = [
    "Diagnostic",
    "DocgenError",
    "Engagement",
    "EngagementStatus",
    "Portfolio",
    "Process",
    "engagement_status",
    "init_workspace",
    "load_portfolio",
    "load_process",
    "new_engagement",
    "portfolio_status",
    "publish",
    "render_documents",
    "validate",
    "validate_portfolio",
]
