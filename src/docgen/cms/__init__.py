"""The web editor (Decap CMS) for people who do not use git, generated from docgen's schema.

`write_admin` writes the admin page and its config; `docgen.cms.server` serves it with
docgen's own local backend; `docgen.cms.vendor` fetches the pinned editor from npm.
"""
