"""The ``docgen`` MkDocs plugin: the site layer, a thin client of the library API.

Its section in mkdocs.yml is the workspace configuration (`docgen.workspace`).  On
``on_config`` it loads and validates the engagements (errors stop the build), keeps the
navigation to a few section pages (engagement pages are reached from them, so no page
carries the whole portfolio), and teaches jieba the domain's words; ``on_files`` injects
the generated pages and the rendered .docx files without writing into ``docs/``;
``on_serve`` makes ``mkdocs serve`` reload when an engagement changes.

``audience: partner`` (or ``DOCGEN_AUDIENCE=partner``, as ``docgen publish --audience``
sets) builds the partner site: see `docgen.audience`.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from docgen.audience import AUDIENCES, Audience, document_visible, for_audience
from docgen.control_chars import show_controls
from docgen.diagnostics import DocgenError
from docgen.history import History, read_history
from docgen.load import Portfolio, load_portfolio
from docgen.paths import is_inside
from docgen.render.run import documents_dir
from docgen.site.html import join_blocks, split_blocks
from docgen.site.pages import DocumentFile, document_files, site_pages
from docgen.site.search import add_to_index, user_dictionary
from docgen.validate import validate_portfolio
from docgen.workspace import WorkspaceConfig

log = logging.getLogger("mkdocs.plugins.docgen")
_preloaded: tuple[Path, Portfolio] | None = None


@contextmanager
def preloaded(root: Path, portfolio: Portfolio) -> Iterator[None]:
    """Let a build in this process use a portfolio already loaded and validated."""
    global _preloaded
    _preloaded = (root.resolve(), portfolio)
    try:
        yield
    finally:
        _preloaded = None


CSS = "assets/docgen.css"


# MkDocs needs a Config class naming the plugin's keys; it is made from
# `WorkspaceConfig`, the one schema, which checks the values (`open_workspace`), so the
# two cannot drift: a key one accepts, the other accepts.
DocgenConfig: type[base.Config] = type(
    "DocgenConfig",
    (base.Config,),
    {
        "__doc__": "The docgen section of mkdocs.yml: the keys of `WorkspaceConfig`.",
        **{name: c.Optional(c.Type(object)) for name in WorkspaceConfig.model_fields},
    },
)


class DocgenPlugin(BasePlugin[DocgenConfig]):  # type: ignore[valid-type]
    """Validates the workspace and adds the portfolio's pages to the site."""

    def __init__(self) -> None:
        self.portfolio: Portfolio | None = None
        self.history = History()
        self.root = Path(".")
        self.audience: Audience = "internal"
        self.blocks: dict[str, list[str]] = {}  # generated page → its HTML blocks
        self.search_entries: list[tuple[str, str, str]] = []  # (location, title, text)
        self.downloads: list[tuple[Path, str]] = []  # rendered .docx/.pdf → path in the site
        self.serving = False  # no forking inside `mkdocs serve` (it runs threads)
        self.settings = WorkspaceConfig()  # the docgen section, as `open_workspace` read it

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Remember whether this is `mkdocs serve`."""
        self.serving = command == "serve"

    def on_config(self, config: Any) -> Any:
        """Load and validate the engagements; set the navigation and the search words."""
        # MkDocs reuses a plugin instance across builds in one process: start afresh
        self.blocks, self.search_entries, self.downloads = {}, [], []
        self.root = Path(config.config_file_path).parent
        override = os.environ.get("DOCGEN_AUDIENCE")
        if override and override not in AUDIENCES:
            raise PluginError(f"docgen: DOCGEN_AUDIENCE={override!r} is not one of {AUDIENCES}")
        try:
            if _preloaded is not None and _preloaded[0] == self.root.resolve():
                # docgen publish loaded and validated these very files a moment ago
                portfolio, diagnostics = _preloaded[1], []
            else:
                portfolio = load_portfolio(self.root)
                diagnostics = validate_portfolio(portfolio)
        except DocgenError as exc:
            details = "\n".join(d.format() for d in exc.diagnostics)
            raise PluginError(f"docgen: {exc.message}\n{details}".rstrip()) from exc
        self.settings = portfolio.workspace.config
        self.audience = override or self.settings.audience
        errors = [d for d in diagnostics if d.is_error]
        if errors:
            lines = "\n".join(d.format() for d in errors)
            raise PluginError(f"docgen: {len(errors)} error(s) in the engagements:\n{lines}")
        self.portfolio = for_audience(portfolio, self.audience)
        self.history = read_history(self.root, self.settings.engagements)
        if config.nav is None:
            config.nav = [
                {"项目总览": "index.md"},
                {"项目一览": "engagements/index.md"},
                {"分类浏览": "browse/index.md"},
                {"流程规程": "procedure.md"},
            ]
            docs = Path(config.docs_dir)
            config.nav += sorted(
                p.relative_to(docs).as_posix()
                for p in docs.rglob("*.md")
                if p.relative_to(docs).as_posix() not in ("index.md",)
            )
        # engagement pages are deliberately outside the navigation
        config.validation.nav.omitted_files = logging.DEBUG
        config.extra_css.append(CSS)
        user_dictionary(self.portfolio, self.root / self.settings.output / "jieba-user-dict.txt")
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        """Add the generated pages, the stylesheet and the rendered documents."""
        assert self.portfolio is not None
        portfolio = self.portfolio
        out = documents_dir(portfolio.workspace, self.audience)
        home = "index.md" if files.get_file_from_path("index.md") is None else "dashboard.md"

        def documents(e: Any) -> list[DocumentFile]:
            return [
                found
                for found in document_files(out, e)
                if document_visible(portfolio.process, e, found.doc_id, self.audience)
            ]

        today = portfolio.workspace.today()
        for page in site_pages(
            portfolio,
            today,
            self.history,
            documents,
            home,
            hide_internal_items=self.audience != "internal",
            left_out=portfolio.left_out if self.audience == "internal" else [],
            jobs=1 if self.serving else (os.cpu_count() or 1),
        ):
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"docgen: docs/{page.path} would hide a generated page; rename it"
                )
            if page.search_text:
                location = page.path.removesuffix("index.md")
                text = show_controls(page.search_text)
                self.search_entries.append((location, page.title, text))
            markdown, blocks = split_blocks(page.text)
            self.blocks[page.path] = blocks
            files.append(File.generated(config, page.path, content=markdown))
        css = resources.files("docgen.data").joinpath("site/docgen.css").read_text("utf-8")
        files.append(File.generated(config, CSS, content=css))
        self.downloads = [
            (out / e.id / name, f"engagements/{e.id}/documents/{name}")
            for e in portfolio.engagements
            for found in documents(e)
            for name in (found.docx, found.pdf, found.redline, *found.earlier.values())
            if name
        ]
        if self.audience == "internal":  # scanned executed copies: the internal site only
            self.downloads += [
                (
                    e.folder / record.data.executed.file,
                    f"engagements/{e.id}/documents/executed/{Path(record.data.executed.file).name}",
                )
                for e in portfolio.engagements
                for record in e.documents.values()
                if record.data.executed is not None
                and is_inside(self.root, e.folder / record.data.executed.file)
            ]
        return files

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        """Put a generated page's HTML blocks back in place of their placeholders."""
        blocks = self.blocks.pop(page.file.src_uri, None)
        # control characters in a body show as ［U+XXXX］, as in the documents
        return show_controls(join_blocks(html, blocks) if blocks else html)

    # after every other plugin's on_post_build (priority 0): the search plugin must have
    # written its index before the engagements are added, whatever order mkdocs.yml gives
    @event_priority(-100)
    def on_post_build(self, *, config: Any) -> None:
        """Index the engagements; drop search languages the site does not use (Thai, …)."""
        site = Path(config.site_dir)
        index = site / "search" / "search_index.json"
        added = add_to_index(
            index,
            self.search_entries,
            self.root / self.settings.output / f"search-cache-{self.audience}.json",
        )
        if not added and "search" in config.plugins:
            raise PluginError(
                f"docgen: the search index {index} is missing or unreadable after the search "
                "plugin ran, so the engagements could not be made searchable"
            )
        for source, target in self.downloads:
            _link_or_copy(source, site / target)
        lunr = Path(config.site_dir) / "assets" / "javascripts" / "lunr"
        keep = {"lunr.stemmer.support.min.js", "lunr.multi.min.js", "lunr.zh.min.js"}
        for path in [lunr / "wordcut.js", lunr / "tinyseg.js", *lunr.glob("min/lunr.*.min.js")]:
            if path.name not in keep and path.is_file():
                path.unlink()

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        """Rebuild when an engagement, the process or a template changes."""
        root = Path(config.config_file_path).parent
        for folder in (self.settings.engagements, self.settings.templates):
            path = root / folder
            if path.exists():
                server.watch(str(path))
        return server


def _link_or_copy(source: Path, target: Path) -> None:
    """Hard-link a rendered document into the site (a copy across file systems)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
