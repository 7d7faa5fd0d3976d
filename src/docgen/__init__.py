"""docgen: docs-as-code for business-partnership and investment-promotion engagements.

The library API; the CLI (`docgen.cli`) and the MkDocs plugin are its clients.
"""

from docgen.diagnostics import Diagnostic, DocgenError
from docgen.load import Engagement, Portfolio, load_portfolio
from docgen.process import Process, load_process
from docgen.scaffold import init_workspace, new_engagement
from docgen.status import EngagementStatus, engagement_status, portfolio_status
from docgen.validate import validate, validate_portfolio


def __getattr__(name: str) -> object:
    # render and publish pull in python-docx and MkDocs: imported when first asked for
    if name == "render_documents":
        from docgen.render import render_documents

        return render_documents
    if name == "publish":
        from docgen.publish import publish

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
