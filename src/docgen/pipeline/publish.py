"""Publish: validate, render the documents, build the site with MkDocs, documents included.

The MkDocs build runs in this process through MkDocs' own API with ``strict`` on, so a
broken link or any warning fails the publish, as ``mkdocs build --strict`` would.

A publish whose inputs and output are as the last one left them is said again, not run
(`docgen.pipeline.unchanged`); the stages (checks, documents, MkDocs) are imported only
when a publish runs.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.core.diagnostics import Diagnostic, DocgenError, Location, sort_key
from docgen.core.fingerprint import fingerprint
from docgen.core.i18n import msg
from docgen.pipeline.reports import PublishReport
from docgen.pipeline.unchanged import LastPublish
from docgen.workspace.config import CONFIG_FILE, Workspace, open_workspace

if TYPE_CHECKING:
    from docgen.site.page_cache import PageCache
    from docgen.workspace.audience import Audience
    from docgen.workspace.load import Portfolio


def default_site_dir(
    root: Path | None, audience: Audience, workspace: Workspace | None = None
) -> Path:
    """``<output>/site``, or ``<output>/site-partner`` for the partner build."""
    workspace = workspace or open_workspace(root)
    name = "site" if audience == "internal" else f"site-{audience}"
    return workspace.root / workspace.config.output / name


def publish(
    root: Path | None = None,
    audience: Audience = "internal",
    site_dir: Path | None = None,
    jobs: int | None = None,
    progress: Callable[[int, str], None] | None = None,
    keep_going: bool = False,
    offline: bool = False,
) -> PublishReport:
    """Validate (errors stop here), render the documents, then build the site.

    Approved and signed documents get a PDF too, when LibreOffice is installed (else
    one warning says so and the rest goes on).

    With ``keep_going`` an engagement with errors is left out (the dashboard names it)
    and the rest is published; the report still holds the errors.  ``offline`` makes a
    site that works opened from disk, search included (`docgen.site.offline`).
    """
    last = LastPublish(root, audience, site_dir, offline)
    replayed = last.replay()
    if replayed is not None:
        return replayed
    from docgen.checks.validate import validate_portfolio
    from docgen.pipeline.render import render_documents
    from docgen.workspace.load import load_portfolio

    workspace = open_workspace(last.root)
    inputs = last.inputs(workspace.config.output, workspace.today())  # before it runs
    site = (site_dir or default_site_dir(workspace.root, audience, workspace)).resolve()
    report = PublishReport(site)
    # one load, checked once here and handed on: render and the site use it as it is
    portfolio = load_portfolio(workspace=workspace)
    report.diagnostics = validate_portfolio(portfolio)
    if any(d.is_error for d in report.diagnostics):
        if not keep_going:
            return report
        portfolio = _leave_out(portfolio, _failed(portfolio, report.diagnostics))
    report.render = render_documents(
        workspace.root,
        only=[e.id for e in portfolio.engagements],
        jobs=jobs,
        progress=progress,
        audience=audience,
        pdf="final",
        portfolio=portfolio,
        checked=report.diagnostics,
    )
    # each finding once, in order
    report.diagnostics = sorted(set(report.diagnostics + report.render.diagnostics), key=sort_key)
    if not report.render.ok:
        if not keep_going:
            return report
        portfolio = _leave_out(portfolio, _failed(portfolio, report.render.diagnostics))
    build_site(workspace.root, site, audience, portfolio, offline=offline)
    if workspace.config.cms.enabled and audience == "internal":  # never on a partner's site
        report.diagnostics += _editor(portfolio, site / "admin")
    report.built = True
    report.left_out = portfolio.left_out
    last.record(workspace, inputs, report)
    return report


def _editor(portfolio: Portfolio, admin: Path) -> list[Diagnostic]:
    """Write the web editor into the site; a warning when it is not installed."""
    from docgen.cms.admin import write_admin

    try:
        write_admin(portfolio, admin)
    except DocgenError as exc:
        return [Location(CONFIG_FILE).diagnostic("warning", "cms-not-installed", exc.message)]
    return []


def _leave_out(portfolio: Portfolio, failed: set[str]) -> Portfolio:
    """The portfolio without the ``failed`` engagements, which it names as left out."""
    kept = [e for e in portfolio.engagements if e.id not in failed]
    return replace(portfolio, engagements=kept, left_out=sorted({*portfolio.left_out, *failed}))


def _failed(portfolio: Portfolio, diagnostics: list[Diagnostic]) -> set[str]:
    """The engagements (folder names) that an error is reported in."""
    base = portfolio.workspace.config.engagements.strip("/") + "/"
    return {
        d.path.removeprefix(base).split("/", 1)[0]
        for d in diagnostics
        if d.is_error and d.path.startswith(base)
    }


def build_site(
    root: Path,
    site_dir: Path,
    audience: Audience,
    portfolio: Portfolio | None = None,
    offline: bool = False,
) -> None:
    """``mkdocs build --strict`` of the workspace at ``root`` into ``site_dir``.

    ``portfolio``, when given, is the workspace already loaded and validated; it reaches
    the docgen plugin through the config MkDocs loaded, with the audience and ``offline``.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError

    from docgen.pipeline.plugin import DocgenPlugin

    pages = _page_cache(portfolio, audience, offline) if portfolio is not None else None
    built = False
    with _mkdocs_quiet() as errors:
        try:
            config = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(site_dir))
            plugin = config.plugins.get("docgen")
            if not isinstance(plugin, DocgenPlugin):
                raise DocgenError(msg("mkdocs.yml does not list the docgen plugin under plugins:"))
            plugin.use(portfolio, audience=audience, offline=offline, pages=pages)
            build(config, dirty=pages is not None and pages.built_into(site_dir))
            built = True
        except (Abort, ConfigurationError, PluginError) as exc:
            # MkDocs logs the cause and raises a bare "Aborted with a BuildError!"
            cause = "\n".join(errors) or str(exc)
            raise DocgenError(msg("mkdocs build failed: %(cause)s", cause=cause)) from None
        finally:
            if pages is not None:  # a failed build is not one to build onto
                pages.save(site_dir if built else None)


def _page_cache(portfolio: Portfolio, audience: Audience, offline: bool) -> PageCache:
    """The engagement pages kept for this site, under the digest of all they share."""
    from docgen.site.page_cache import PageCache, build_digest
    from docgen.site.templates import digest as templates_digest

    workspace = portfolio.workspace
    settings = workspace.config
    build = build_digest(
        workspace.root,
        workspace.root / "mkdocs.yml",
        [
            audience,
            offline,
            templates_digest(workspace.root / settings.templates),
            fingerprint(workspace.process_file.read_bytes()),
        ],
    )
    name = audience + ("-offline" if offline else "")
    return PageCache(workspace.root / settings.output / "pages" / name, build)


@contextmanager
def _mkdocs_quiet() -> Iterator[list[str]]:
    """MkDocs' INFO lines are noise here; its warnings (which fail --strict) still show.

    Yields the messages of the errors MkDocs logs, which say why a build stopped.
    """
    from docgen.site.page_cache import DirtyBuildNotice

    logger = logging.getLogger("mkdocs")
    previous = logger.level
    logger.setLevel(logging.WARNING)
    errors: list[str] = []
    handler = _Collect(errors)
    logger.addHandler(handler)
    notice = DirtyBuildNotice()
    logging.getLogger("mkdocs.commands.build").addFilter(notice)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        yield errors
    finally:
        logging.getLogger("mkdocs.commands.build").removeFilter(notice)
        logger.removeHandler(handler)
        logger.setLevel(previous)


class _Collect(logging.Handler):
    """Keeps the messages of error records."""

    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())
