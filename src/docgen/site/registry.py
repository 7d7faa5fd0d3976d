"""The site's pages, one registry: what each section generates and where the nav leads.

A `Section` names its navigation entry (a message id, or none), its landing page, its
template and the function making its pages' views.  `site_pages` makes every page from
it, `navigation` the nav: adding a page to the site is one entry here and one template.
Engagement pages hang off list pages paginated by stage, outside the nav, so no page
carries the whole portfolio (Material writes the nav into every page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jinja2

from docgen.core.control_chars import VISIBLE
from docgen.core.history import History
from docgen.core.i18n import N_, Catalogue
from docgen.domain.engagement import Engagement
from docgen.domain.process import Process
from docgen.site import engagement, procedure, views
from docgen.site.documents import DocumentFile
from docgen.site.html import block
from docgen.site.page_cache import CachedPage, PageCache, page_key
from docgen.site.search import SearchSection, search_sections
from docgen.site.templates import environment, render
from docgen.workspace.load import Portfolio


@dataclass
class Site:
    """What every page is made from: the portfolio as this audience sees it, and more."""

    portfolio: Portfolio
    today: date
    history: History
    catalogue: Catalogue
    #: the rendered documents of an engagement this audience may download
    documents: Callable[[Engagement], list[DocumentFile]]
    home: str = "index.md"
    hide_internal_items: bool = False
    left_out: list[str] = field(default_factory=list)
    #: the edit page of a workspace file, where the workspace names a git host
    edit_url: Callable[[str], str | None] = lambda path: None
    #: engagement pages kept from the last build (`docgen publish` only)
    page_cache: PageCache | None = None
    rows: list[views.Row] = field(default_factory=list)

    @property
    def process(self) -> Process:
        """The workspace's process."""
        return self.portfolio.process

    @property
    def our_name(self) -> str:
        """How our side is named where 我方 would not do (a partner's site)."""
        organization = self.portfolio.workspace.config.organization
        return organization.short_name or organization.name


@dataclass(frozen=True)
class SitePage:
    """A generated page: where it goes, its title, its HTML, how search treats it."""

    path: str
    title: str
    html: str
    search: bool = False
    #: what search finds this page by, when not the whole page: a section each
    search_text: list[SearchSection] = field(default_factory=list)
    #: parts of Material's layout this page hides (``toc``, ``navigation``)
    hide: tuple[str, ...] = ()
    #: the key of its inputs, for the page cache ("" when not cached)
    key: str = ""
    #: unchanged since the last build: the page cache's file serves, ``html`` is empty
    kept: bool = False

    @property
    def text(self) -> str:
        """The page file: front matter, then the HTML in blocks MkDocs leaves alone.

        On a page with a table of contents, each ``<h2>`` becomes a markdown heading
        between the blocks, so the contents list it.
        """
        meta = f'---\ntitle: "{safe_title(self.title)}"\n'
        if not self.search:
            meta += "search:\n  exclude: true\n"
        if self.hide:
            meta += "hide:\n" + "".join(f"  - {part}\n" for part in self.hide)
        if "toc" in self.hide:
            return meta + "---\n" + block(self.html)
        parts, start = [], 0
        for heading in _H2.finditer(self.html):
            parts += [block(self.html[start : heading.start()]), f"\n## {_md_text(heading[1])}\n"]
            start = heading.end()
        return meta + "---\n" + "".join(parts) + block(self.html[start:])


_H2 = re.compile(r"<h2(?: [^>]*)?>([^<]*)</h2>")
#: what markdown would read in a heading's text (the HTML in it is escaped already)
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "*_`[]{}\\!#~|"})


def _md_text(html_text: str) -> str:
    """Escaped heading text as a markdown heading's text: markdown's specials neutralised."""
    return html_text.translate(_MARKDOWN)


def safe_title(text: str) -> str:
    """A title that themes may print unescaped: markup characters made full-width."""
    table: dict[int, str] = {
        **VISIBLE,
        **str.maketrans(
            {
                "<": "＜",
                ">": "＞",
                "&": "＆",
                '"': "＂",
                "'": "＇",
                "\\": "＼",
                "{": "｛",
                "}": "｝",
                "\n": " ",
            }
        ),
    }
    return text.translate(table)


Made = Iterator[tuple[str, str, Any]]  # (path, title, view) of each page a section makes


@dataclass(frozen=True)
class Section:
    """A kind of page: its nav entry, landing page, template and views."""

    name: str
    nav: str | None  # message id of the nav entry; None keeps it out of the nav
    path: Callable[[Site], str]  # the landing page
    template: str
    pages: Callable[[Site], Made]
    search: bool = False
    hide: tuple[str, ...] = ()


def _dashboard(site: Site) -> Made:
    root = "../" * site.home.count("/")
    view = views.dashboard(site.rows, site.process, site.today, site.catalogue, root, site.left_out)
    yield site.home, site.catalogue("Portfolio overview"), view


def _lists(site: Site) -> Made:
    t = site.catalogue
    links = []
    for stage in site.process.stages:
        members = [r for r in site.rows if r.status.stage_id == stage.id]
        yield from views.paged(
            "engagements", f"stage-{stage.id}", stage.title, members, site.today, t
        )
        links.append(views.StageLink(stage.title, f"stage-{stage.id}/", len(members)))
    yield "engagements/index.md", t("Engagements"), views.StageIndex(links)


def _browse(site: Site) -> Made:
    t = site.catalogue
    found = views.facets(site.rows, site.process, t)
    for kind, values in found.items():
        for value, members in values.items():
            title = f"{t(views.FACETS[kind])}：{value}"
            yield from views.paged(
                "browse", f"{kind}-{views.slug(value)}", title, members, site.today, t
            )
    yield "browse/index.md", t("Browse"), views.FacetIndex(views.facet_groups(found, "../"))


def _procedure(site: Site) -> Made:
    view = procedure.procedure(site.process, site.catalogue)
    yield "procedure.md", view.title, view


@dataclass(frozen=True)
class Kept:
    """An engagement page whose every input is unchanged: its kept file serves."""

    page: CachedPage


@dataclass(frozen=True)
class Fresh:
    """An engagement page made afresh, with the key of its inputs for the page cache."""

    view: engagement.EngagementPage
    key: str
    search_text: list[SearchSection]


def _engagements(site: Site) -> Made:
    cache = site.page_cache
    for row in site.rows:
        path = f"engagements/{row.e.id}/index.md"
        documents = site.documents(row.e)
        key = ""
        if cache is not None:
            key = page_key(
                sorted((f.path, f.digest) for f in row.e.sources()),
                sorted(row.e.broken),
                documents,
                [r.commit for r in site.history.for_files(engagement.files_of(row.e), limit=15)],
                site.edit_url(row.e.index.path) if row.e.index else None,
                site.hide_internal_items,
            )
            kept = cache.get(path, key)
            if kept is not None:
                yield path, kept.title, Kept(kept)
                continue
        view = engagement.engagement_page(
            row,
            site.process,
            site.history,
            documents,
            site.catalogue,
            hide_internal_items=site.hide_internal_items,
            edit_url=site.edit_url,
            today=site.today,
            us=site.our_name if site.hide_internal_items else None,
        )
        sections = search_sections(row.e, site.process, site.catalogue)
        yield path, view.title, Fresh(view, key, sections)


SECTIONS: tuple[Section, ...] = (
    Section(
        "dashboard",
        N_("Portfolio overview"),
        lambda s: s.home,
        "dashboard.html",
        _dashboard,
        hide=("toc",),
    ),
    # lists have no headings to list: the table of contents' column goes to the table
    Section(
        "engagements",
        N_("Engagements"),
        lambda s: "engagements/index.md",
        "list.html",
        _lists,
        hide=("toc",),
    ),
    Section(
        "browse", N_("Browse"), lambda s: "browse/index.md", "list.html", _browse, hide=("toc",)
    ),
    Section(
        "procedure",
        N_("Procedure"),
        lambda s: "procedure.md",
        "procedure.html",
        _procedure,
        search=True,
    ),
    Section(
        "engagement",
        None,
        lambda s: "",
        "engagement.html",
        _engagements,
        hide=("toc", "navigation"),
    ),
)
#: the template of each view type, where a section makes pages of more than one kind
TEMPLATES = {
    views.StageIndex: "stages.html",
    views.FacetIndex: "facets.html",
}


def site_pages(site: Site, templates: Path) -> Iterator[SitePage]:
    """Every generated page, section by section (``templates``: the workspace's folder).

    With a page cache, an unchanged page comes back ``kept`` (no HTML: its file serves);
    a page made afresh carries the ``key`` to keep it under.  An engagement page's key
    is of its inputs (its view is not even made); any other page's is of its view.
    """
    site.rows = views.portfolio_rows(site.portfolio)
    env = environment(templates, site.catalogue)
    for section in SECTIONS:
        for path, title, view in section.pages(site):
            if isinstance(view, Kept):
                yield SitePage(
                    path,
                    title,
                    "",
                    section.search,
                    view.page.search_text,
                    section.hide,
                    key=view.page.key,
                    kept=True,
                )
                continue
            key, words = "", []
            if isinstance(view, Fresh):
                key, words, view = view.key, view.search_text, view.view
            elif site.page_cache is not None:
                # any other page is kept by what it shows: its view, in full
                key = page_key(section.name, path, title, repr(view))
                kept = site.page_cache.get(path, key)
                if kept is not None:
                    yield SitePage(
                        path, title, "", section.search, [], section.hide, key=key, kept=True
                    )
                    continue
            yield SitePage(
                path,
                title,
                _render(env, TEMPLATES.get(type(view), section.template), path, view),
                search=section.search,
                search_text=words,
                hide=section.hide,
                key=key,
            )


def _render(env: jinja2.Environment, template: str, path: str, view: Any) -> str:
    return render(env, template, view=view, root=root_of(path))


def root_of(path: str) -> str:
    """The site's root relative to the page made from ``path``, served at a directory URL.

    ``browse/index.md`` is served at ``browse/`` (one folder down) and
    ``browse/mode-x.md`` at ``browse/mode-x/`` (two).  A site with file URLs (``publish
    --offline``) has its links rewritten from these (`docgen.site.links`).
    """
    depth = path.count("/") + (0 if path == "index.md" or path.endswith("/index.md") else 1)
    return "../" * depth


def navigation(site: Site, docs: Path) -> list[Any]:
    """The nav: each section that has an entry, then the workspace's own pages in docs/."""
    nav: list[Any] = [{site.catalogue(s.nav): s.path(site)} for s in SECTIONS if s.nav is not None]
    nav += sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if p.relative_to(docs).as_posix() != site.home
    )
    return nav
