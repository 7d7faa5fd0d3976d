"""The ``docgen`` MkDocs plugin: the site layer, a thin client of the library API.

Its section in mkdocs.yml is the workspace configuration (`docgen.workspace.config`).  On
``on_config`` it loads and validates the engagements (errors stop the build) and sets
the navigation from the page registry (`docgen.site.registry`); ``on_files`` injects the
generated pages and the rendered .docx files without writing into ``docs/``;
``on_serve`` makes ``mkdocs serve`` reload when an engagement changes.

Everything the plugin is told arrives through MkDocs' config: the docgen section (its
``audience: partner`` builds the partner site, see `docgen.workspace.audience`), and, from
``docgen publish``, the portfolio it already loaded and validated (`DocgenPlugin.use`)
and whether the site must work from disk (``offline``).  No globals, no environment.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from docgen.checks.validate import validate_portfolio
from docgen.core.control_chars import show_controls
from docgen.core.diagnostics import DocgenError
from docgen.core.history import History
from docgen.core.i18n import catalogue
from docgen.core.paths import is_inside
from docgen.core.templating import bytecode_cache
from docgen.pipeline.render import documents_dir
from docgen.site import offline
from docgen.site.documents import DocumentFile, document_files
from docgen.site.html import join_blocks, split_blocks
from docgen.site.links import with_file_urls
from docgen.site.page_cache import PageCache
from docgen.site.registry import Site, navigation, site_pages
from docgen.site.search import (
    add_to_index,
    fix_query_segmentation,
    segmentation_key,
    user_dictionary,
)
from docgen.workspace import language
from docgen.workspace.audience import Audience, document_visible, for_audience
from docgen.workspace.config import WorkspaceConfig
from docgen.workspace.load import Portfolio, load_portfolio

log = logging.getLogger("mkdocs.plugins.docgen")

CSS = "assets/docgen.css"
JS = "assets/docgen.js"


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
        self.given: Portfolio | None = None  # from `use`: loaded and validated already
        self.page_cache: PageCache | None = None  # from `use`: engagement pages kept
        self.pages: set[str] = set()  # every page's path in the site (for the clean-up)
        self.offline = False  # from `docgen publish --offline`: the site works from disk
        self.portfolio: Portfolio | None = None
        self.root = Path(".")
        self.words = catalogue("en")  # messages for whoever runs the build (on_config)
        self.audience: Audience = "internal"
        self.blocks: dict[str, list[str]] = {}  # generated page → its HTML blocks
        self.search_entries: list[tuple[str, str, str]] = []  # (location, title, text)
        self.downloads: list[tuple[str, str]] = []  # rendered .docx/.pdf → path in the site
        self.found: dict[str, list[DocumentFile]] = {}  # engagement → its documents
        self.generated: set[str] = set()  # the pages docgen made (their HTML blocks)
        self.rendered: set[str] = set()  # the pages MkDocs rendered this build
        self.previous: list[dict[str, Any]] = []  # the last build's search index entries
        self.files = Files([])
        self.kept: set[str] = set()  # pages kept from the last build
        self.taught = False  # jieba knows the domain's words
        self.settings = WorkspaceConfig()  # the docgen section, as `open_workspace` read it
        self.site: Site | None = None

    def use(
        self,
        portfolio: Portfolio | None,
        *,
        audience: Audience,
        offline: bool = False,
        pages: PageCache | None = None,
    ) -> None:
        """Build for ``audience``, from ``portfolio`` when given (loaded and validated).

        ``pages`` keeps engagement pages between builds (see `docgen.site.page_cache`).

        `docgen.pipeline.publish` calls this on the plugin in the config it loaded, so the build
        does not load the workspace a second time.
        """
        self.given = portfolio
        self.page_cache = pages
        settings: Any = self.config  # the docgen section, as MkDocs loaded it
        settings["audience"] = audience
        self.offline = offline

    def on_config(self, config: Any) -> Any:
        """Load and validate the engagements; set the navigation and the search words."""
        # MkDocs reuses a plugin instance across builds in one process: start afresh
        self.blocks, self.search_entries, self.downloads, self.found = {}, [], [], {}
        self.taught = False  # the portfolio's partners may have changed since the last build
        self.root = Path(config.config_file_path).parent
        given = self.given
        if given is not None and given.workspace.root != self.root.resolve():
            given = None
        # from the workspace already open, where publish gave one
        spoken = language.chosen(None, self.root, workspace=given.workspace if given else None)
        self.words = t = catalogue(spoken)
        try:
            if given is not None:
                portfolio, diagnostics = given, []
            else:
                portfolio = load_portfolio(self.root)
                diagnostics = validate_portfolio(portfolio)
        except DocgenError as exc:
            details = "\n".join(d.format(t) for d in exc.diagnostics)
            raise PluginError(f"docgen: {t.say(exc.message)}\n{details}".rstrip()) from exc
        self.settings = portfolio.workspace.config
        section: Any = self.config
        self.audience = section.get("audience") or self.settings.audience
        errors = [d for d in diagnostics if d.is_error]
        if errors:
            lines = "\n".join(d.format(t) for d in errors)
            said = t("%(count)s error(s) in the engagements:", count=len(errors))
            raise PluginError(f"docgen: {said}\n{lines}")
        self.portfolio = for_audience(portfolio, self.audience)
        docs = Path(config.docs_dir)
        self.site = Site(
            portfolio=self.portfolio,
            today=portfolio.workspace.today(),
            # a partner's site shows no commit: its messages and authors are the team's own
            history=portfolio.history() if self.audience == "internal" else History(),
            catalogue=catalogue(self.settings.language or portfolio.process.language),
            documents=self._documents,
            home="dashboard.md" if (docs / "index.md").is_file() else "index.md",
            hide_internal_items=self.audience != "internal",
            left_out=portfolio.left_out if self.audience == "internal" else [],
            edit_url=_edit_url(config) if self.audience == "internal" else lambda path: None,
            page_cache=self.page_cache,
        )
        if config.nav is None:
            config.nav = navigation(self.site, docs)
        # engagement pages are deliberately outside the navigation
        config.validation.nav.omitted_files = logging.DEBUG
        config.extra_css.append(CSS)
        config.extra_javascript.append(JS)
        if self.offline:
            offline.configure(config)
        return config

    def on_env(self, env: Any, *, config: Any, files: Any) -> Any:
        """Keep the theme's compiled templates between builds (`bytecode_cache`)."""
        if env.bytecode_cache is None:
            theme = (config.theme.name, [str(d) for d in config.theme.dirs])
            env.bytecode_cache = bytecode_cache("theme", type(env).__name__, theme)
        return env

    def _words(self) -> None:
        """Teach jieba the domain's words, once, before anything is segmented.

        Loading jieba costs most of a second; a publish that indexes nothing new skips it.
        """
        if not self.taught and self.portfolio is not None:
            path = self.root / self.settings.output / "jieba-user-dict.txt"
            user_dictionary(self.portfolio, path)
            self.taught = True

    def on_pre_build(self, *, config: Any) -> None:
        """Keep the search index of the last build: pages skipped now keep their entries."""
        self.rendered = set()
        try:
            index = Path(config.site_dir) / "search" / "search_index.json"
            self.previous = json.loads(index.read_text("utf-8")).get("docs", [])
        except (OSError, ValueError, AttributeError):
            self.previous = []

    def _documents(self, e: Any) -> list[DocumentFile]:
        """The rendered documents of ``e`` this audience may download (listed once)."""
        assert self.portfolio is not None
        if e.id not in self.found:
            out = documents_dir(self.portfolio.workspace, self.audience)
            self.found[e.id] = [
                found
                for found in document_files(out, e)
                if document_visible(self.portfolio.process, e, found.doc_id, self.audience)
            ]
        return self.found[e.id]

    def on_files(self, files: Files, *, config: Any) -> Files:
        """Add the generated pages, the stylesheet and the rendered documents."""
        assert self.portfolio is not None and self.site is not None
        portfolio = self.portfolio
        try:
            pages = list(site_pages(self.site, self.root / self.settings.templates))
        except DocgenError as exc:  # a site template's error, named from the workspace
            message = self.words.say(exc.message).replace(f"{self.root.resolve()}/", "")
            raise PluginError(f"docgen: {message}") from exc
        cache = self.page_cache
        for page in pages:
            if files.get_file_from_path(page.path) is not None:
                t = self.words
                said = t("docs/%(page)s would hide a generated page; rename it", page=page.path)
                raise PluginError(f"docgen: {said}")
            location = page.path.removesuffix("index.md")
            if not config.use_directory_urls:
                location = page.path.removesuffix(".md") + ".html"
            for anchor, section, words in page.search_text:  # a result per section (tab)
                where = f"{location}#{anchor}" if anchor else location
                title = f"{page.title} · {section}" if section else page.title
                self.search_entries.append((where, title, show_controls(words)))
            if cache is not None and page.key:
                if not page.kept:
                    cache.put(page.path, page.key, page.text, page.title, page.search_text)
                files.append(cache.file(page.path, config))
            else:
                files.append(File.generated(config, page.path, content=page.text))
        # pages the search plugin indexes this build need jieba taught before it segments
        unsearched = {page.path for page in pages if not page.search}
        if any(
            file.is_modified() and file.src_uri not in unsearched
            for file in files.documentation_pages()
        ):
            self._words()
        self.pages = {file.dest_uri for file in files}
        self.generated = {page.path for page in pages}
        self.kept = {page.path for page in pages if page.kept}
        self.files = files
        css = resources.files("docgen.data").joinpath("site/docgen.css").read_text("utf-8")
        files.append(File.generated(config, CSS, content=css))
        script = resources.files("docgen.data").joinpath("site/docgen.js").read_text("utf-8")
        files.append(File.generated(config, JS, content=script))
        if self.offline:
            offline.add_files(files, config)
        rendered = str(documents_dir(portfolio.workspace, self.audience))
        self.downloads = [  # os.path, not pathlib: a thousand engagements have 10,000 of these
            (
                os.path.join(rendered, e.id, name),
                f"engagements/{e.id}/documents/{name}",
            )
            for e in portfolio.engagements
            for found in self._documents(e)
            for name in (found.docx, found.pdf, found.redline, *found.earlier.values())
            if name
        ]
        if self.audience == "internal":  # scanned executed copies: the internal site only
            self.downloads += [
                (
                    str(e.folder / record.data.executed.file),
                    f"engagements/{e.id}/documents/executed/{Path(record.data.executed.file).name}",
                )
                for e in portfolio.engagements
                for record in e.documents.values()
                if record.data.executed is not None
                and is_inside(self.root, e.folder / record.data.executed.file)
            ]
        return files

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Any) -> str:
        """Take a generated page's HTML blocks out before Python-Markdown parses it."""
        self.rendered.add(page.file.src_uri)
        if page.file.src_uri not in self.generated:
            return markdown  # the team's own pages in docs/ are markdown throughout
        markdown, blocks = split_blocks(markdown)
        self.blocks[page.file.src_uri] = blocks
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Any) -> str:
        """Put a generated page's HTML blocks back in place of their placeholders."""
        blocks = self.blocks.pop(page.file.src_uri, None)
        if blocks and not config.use_directory_urls:  # opened from disk: file names
            pages = {f.src_uri for f in files.documentation_pages()}
            blocks = [with_file_urls(b, page.file.src_uri, pages) for b in blocks]
        # control characters in a body show as ［U+XXXX］, as in the documents
        return show_controls(join_blocks(html, blocks) if blocks else html)

    # after every other plugin's on_post_build (priority 0): the search plugin must have
    # written its index before the engagements are added, whatever order mkdocs.yml gives
    @event_priority(-100)
    def on_post_build(self, *, config: Any) -> None:
        """Index the engagements; drop search languages the site does not use (Thai, …)."""
        site = Path(config.site_dir)
        index = site / "search" / "search_index.json"
        # a page a dirty build skipped (unchanged) keeps its entries from the last index
        skipped = {
            f.url for f in self.files.documentation_pages() if f.src_uri not in self.rendered
        }
        # docgen indexes its pages anew each build (from their cached segmentation): an
        # entry of the last index for one of them is kept neither, or it would repeat
        skipped -= {location for location, _, _ in self.search_entries}
        kept = [d for d in self.previous if _of_pages(d.get("location", ""), skipped)]
        added = add_to_index(
            index,
            self.search_entries,
            self.root / self.settings.output / f"search-cache-{self.audience}.json",
            kept=kept,
            before_segmenting=self._words,
            cache_key=segmentation_key(self.portfolio) if self.portfolio is not None else "",
        )
        searching = any(name.split("/")[-1] == "search" for name in config.plugins)
        if not added and searching:
            t = self.words
            said = t(
                "the search index %(index)s is missing or unreadable after the search plugin "
                "ran, so the engagements could not be made searchable",
                index=index,
            )
            raise PluginError(f"docgen: {said}")
        if searching and not fix_query_segmentation(site):
            log.info("docgen: Material's search worker has changed; query segmentation left as is")
        if self.offline:
            offline.inline_index(site)
        # a kept engagement page has the same documents as when its folder was last made
        unchanged = {
            path.split("/")[1]
            for path in self.kept
            if path.startswith("engagements/") and path.count("/") == 2
        }
        _remove_stale(site, self.pages | {t for _, t in self.downloads}, unchanged)
        for source, target in self.downloads:
            _link_or_copy(source, os.path.join(site, target))
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


def _edit_url(config: Any) -> Any:
    """A workspace file's edit page on the git host mkdocs.yml names (``repo_url``).

    MkDocs' ``edit_uri`` leads to docs/; the engagements sit beside it, so the docs
    folder's own name is taken off its end (``edit/main/docs/`` → ``edit/main/``).
    """
    repo, edit = config.repo_url, config.edit_uri
    if not repo or not edit:
        return lambda path: None
    docs = Path(config.docs_dir).name + "/"
    base_uri = edit.removesuffix(docs) if edit.endswith(docs) else edit
    prefix = urllib.parse.urljoin(repo.rstrip("/") + "/", base_uri)
    return lambda path: prefix.rstrip("/") + "/" + urllib.parse.quote(path)


def _of_pages(location: str, urls: set[str]) -> bool:
    """Whether a search entry's location is one of these pages, or a section of one."""
    page = location.split("#", 1)[0]
    return page in urls


def _remove_stale(site: Path, keep: set[str], unchanged: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Remove what earlier builds left under the generated sections and is no page now.

    A dirty build keeps the site folder: an engagement that is gone (or no longer for
    this audience) must not stay, nor a document no longer made.  ``keep``: the site's
    pages and downloads, as paths from its root; ``unchanged``: engagements whose folder
    holds what it held after the last build (not looked through).
    """
    engagements = {path.split("/")[1] for path in keep if path.startswith("engagements/")}
    for section in ("engagements", "browse"):
        for entry in _scan(site / section):
            if section == "engagements" and entry.is_dir() and entry.name not in engagements:
                shutil.rmtree(entry.path)  # an engagement that is gone, documents and all
            elif section == "engagements" and entry.name in unchanged:
                continue
            else:
                _remove_unkept(Path(entry.path), f"{section}/{entry.name}", keep)


def _remove_unkept(path: Path, rel: str, keep: set[str]) -> None:
    if path.is_dir() and not path.is_symlink():
        for entry in _scan(path):
            _remove_unkept(Path(entry.path), f"{rel}/{entry.name}", keep)
        if not any(path.iterdir()):
            path.rmdir()
    elif rel not in keep:
        path.unlink()


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except OSError:
        return []


def _link_or_copy(source: str, target: str) -> None:
    """Hard-link a rendered document into the site (a copy across file systems)."""
    try:
        if os.path.samefile(source, target):
            return  # linked by an earlier build, and the document is unchanged since
    except OSError:
        pass
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
