"""Links in docgen's pages for a site with file URLs (``publish --offline``).

docgen's page templates write links as a site with directory URLs serves them
(`registry.root_of`: ``browse/mode-x.md`` is at ``browse/mode-x/``).  Opened from disk,
a site needs file names instead: each relative link of a generated page is resolved
where the directory-URL page stood and written anew from where the file-URL page stands,
to ``…/index.html`` or ``….html`` as the site's own pages are named.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection

_HREF = re.compile(r'(\bhref=")([^"#?:]*)([#?][^"]*)?(")')


def directory_url(path: str) -> str:
    """Where a page made from ``path`` is served with directory URLs (``a/b/``)."""
    if path == "index.md":
        return ""
    if path.endswith("/index.md"):
        return path.removesuffix("index.md")
    return path.removesuffix(".md") + "/"


def file_url(path: str) -> str:
    """Where a page made from ``path`` is served with file URLs (``a/b.html``)."""
    return path.removesuffix(".md") + ".html"


def with_file_urls(html: str, page: str, pages: Collection[str]) -> str:
    """``html`` of the page made from ``page``, its relative links made file URLs.

    ``pages``: the site's pages by source path, to tell ``a/b/index.md`` from ``a/b.md``.
    """
    here = directory_url(page)
    base = posixpath.dirname(file_url(page))

    def rewrite(match: re.Match[str]) -> str:
        link, rest = match[2], match[3] or ""
        if not link or link.startswith("/"):
            return match[0]
        target = posixpath.normpath(posixpath.join(here, link))
        if link.endswith("/") or target == ".":
            site_path = "" if target == "." else target + "/"
            source = f"{site_path}index.md"
            if source not in pages and f"{target}.md" in pages:
                source = f"{target}.md"
            target = file_url(source)
        return f"{match[1]}{posixpath.relpath(target, base or '.')}{rest}{match[4]}"

    return _HREF.sub(rewrite, html)
