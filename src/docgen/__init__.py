"""docgen: docs-as-code for business-partnership and investment-promotion engagements.

The library API; the CLI (`docgen.cli`) and the MkDocs plugin are its clients.
"""

from docgen.checks.status import EngagementStatus, engagement_status, portfolio_status
from docgen.checks.validate import validate, validate_portfolio
from docgen.core.diagnostics import Diagnostic, DocgenError
from docgen.domain.engagement import Engagement
from docgen.domain.process import Process, load_process
from docgen.edits.scaffold import init_workspace, new_engagement
from docgen.workspace.load import Portfolio, load_portfolio


def __getattr__(name: str) -> object:
    # render and publish pull in python-docx and MkDocs: imported when first asked for
    if name == "render_documents":
        from docgen.pipeline.render import render_documents

        return render_documents
    if name == "publish":
        from docgen.pipeline.publish import publish

        return publish
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")


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
