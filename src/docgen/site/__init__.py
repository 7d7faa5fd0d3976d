"""The published site: pages, dashboards and charts made from the portfolio.

`pages.site_pages` turns a loaded portfolio into markdown pages (src path → text) that
the MkDocs plugin injects; `docgen.workspace.audience.for_audience` first drops what a partner may
not see.
"""
