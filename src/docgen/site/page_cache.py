"""Engagement pages kept between publishes, made again only when what they show changed.

A page's source (the markdown file with its HTML block) is kept in
``<output>/pages/<site>/`` with a key of everything it is made from: the engagement's
files (their content hashes), its rendered documents, its revision history and its edit
link.  Everything every page depends on — mkdocs.yml, the process, the docs/ pages, the
site templates and catalogue, the versions of docgen, MkDocs and Material, the audience —
is the build's digest: when it changes, every page is made again.

An unchanged page keeps its file and its time stamp, so a ``dirty`` MkDocs build (which
`docgen.pipeline.publish` asks for when the site folder was built with the same digest) skips
rendering it through the theme as well: most of the time of a publish that changed
little.  The plugin then removes pages of engagements that are gone.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File

from docgen.core.atomic import write_atomic
from docgen.core.fingerprint import Fingerprint, code_version, fingerprint

MANIFEST = "pages.json"


@dataclass(frozen=True)
class CachedPage:
    """What the plugin needs of a kept page besides its file: title and search words."""

    key: str
    title: str
    #: (anchor, section title, words) of each search entry (`docgen.site.search`)
    search_text: list[tuple[str, str, str]]


class PageCache:
    """The kept engagement pages of one site (internal or partner, online or offline)."""

    def __init__(self, folder: Path, build: str) -> None:
        self.folder = folder
        self.build = build
        self.pages: dict[str, CachedPage] = {}
        self.used: dict[str, CachedPage] = {}
        self.site_dir = ""
        try:
            manifest = json.loads((folder / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            manifest = {}
        if isinstance(manifest, dict) and manifest.get("build") == build:
            self.site_dir = str(manifest.get("site_dir", ""))
            pages = manifest.get("pages", {})
            self.pages = {
                path: CachedPage(
                    entry["key"], entry["title"], [tuple(x) for x in entry["search_text"]]
                )
                for path, entry in (pages.items() if isinstance(pages, dict) else [])
                if isinstance(entry, dict)
                and set(entry) == {"key", "title", "search_text"}
                and isinstance(entry["search_text"], list)
                and all(isinstance(x, list) and len(x) == 3 for x in entry["search_text"])
            }

    def built_into(self, site_dir: Path) -> bool:
        """Whether ``site_dir`` holds the pages of the last build with this digest."""
        return self.site_dir == str(site_dir) and site_dir.is_dir()

    def get(self, path: str, key: str) -> CachedPage | None:
        """The kept page at ``path`` if it was made from ``key`` and its file is there."""
        page = self.pages.get(path)
        if page is None or page.key != key or not (self.folder / "src" / path).is_file():
            return None
        self.used[path] = page
        return page

    def put(
        self, path: str, key: str, text: str, title: str, search_text: list[tuple[str, str, str]]
    ) -> None:
        """Keep a page made afresh (its file is rewritten, so MkDocs renders it)."""
        write_atomic(self.folder / "src" / path, text, durable=False)
        self.used[path] = CachedPage(key, title, search_text)

    def file(self, path: str, config: Any) -> File:
        """The kept page as a file MkDocs reads (and, in a dirty build, may skip)."""
        return File(path, str(self.folder / "src"), config.site_dir, config.use_directory_urls)

    def save(self, site_dir: Path | None) -> None:
        """Remember the pages used by this build, and where it was built (None: failed)."""
        for stale in set(self.pages) - set(self.used):
            (self.folder / "src" / stale).unlink(missing_ok=True)
        manifest = {
            "build": self.build,
            "site_dir": str(site_dir) if site_dir is not None else "",
            "pages": {path: vars(page) for path, page in sorted(self.used.items())},
        }
        write_atomic(
            self.folder / MANIFEST, json.dumps(manifest, ensure_ascii=False), durable=False
        )


def page_key(*parts: object) -> str:
    """A key of what a page is made from (anything JSON can write)."""
    return fingerprint(json.dumps(parts, ensure_ascii=False, default=str, sort_keys=True))


def build_digest(root: Path, config_file: Path, extra: list[object]) -> str:
    """The digest of what every page depends on (see the module's docstring)."""
    h = Fingerprint(code_version(), config_file.read_bytes())  # code: MkDocs' version too
    # docs/ pages give the nav its entries and titles, which every page carries
    docs = root / "docs"
    for path in sorted(docs.rglob("*")) if docs.is_dir() else []:
        h.add(path.relative_to(docs).as_posix())
        if path.is_file() and path.suffix == ".md":
            h.add(path.read_bytes())
    h.add(json.dumps(extra, default=str, ensure_ascii=False))
    return h.hexdigest()


class DirtyBuildNotice(logging.Filter):
    """Drops MkDocs' warning about ``dirty`` builds, which docgen makes deliberately.

    MkDocs warns that a dirty build may leave links and navigation stale; docgen only
    lets it skip engagement pages whose every input is unchanged, under a digest of
    everything else, and removes the pages of engagements that are gone.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """False for that one warning."""
        return "'dirty' build is being performed" not in record.getMessage()
