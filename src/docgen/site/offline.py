"""A site that works from disk (file://), search included: ``docgen publish --offline``.

Partners are often sent the site as a zip.  Opened from disk, links need file names
(no directory URLs), and the search worker cannot start: browsers refuse Web Workers
and fetches on file://.  As Material's ``offline`` plugin does, the search index is
inlined into ``search/search_index.js`` (Material loads it by a script tag on file://)
and the iframe-worker shim stands in for the worker; unlike that plugin, the shim is
served from the site itself, not from unpkg.com.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from docgen.core.atomic import write_atomic

SHIM = "assets/javascripts/iframe-worker.js"
_VENDOR = "site/vendor/iframe-worker"


def configure(config: Any) -> None:
    """File names for links, and the worker shim loaded before Material's bundle."""
    config.use_directory_urls = False
    polyfills = config.extra.setdefault("polyfills", [])
    if SHIM not in polyfills:
        polyfills.append(SHIM)


def add_files(files: Files, config: Any) -> None:
    """The shim and its licence, into the site."""
    data = resources.files("docgen.data")
    for name, target in (
        ("shim.js", SHIM),
        ("LICENSE", "assets/javascripts/iframe-worker.LICENSE"),
    ):
        text = data.joinpath(f"{_VENDOR}/{name}").read_text("utf-8")
        files.append(File.generated(config, target, content=text))


def inline_index(site: Path) -> None:
    """``search/search_index.js``: the finished index as a script Material reads on file://."""
    index = site / "search" / "search_index.json"
    if index.is_file():
        write_atomic(
            site / "search" / "search_index.js",
            "var __index = " + index.read_text("utf-8"),
            durable=False,
        )
