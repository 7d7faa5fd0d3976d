"""The web editor's admin folder: its page, its generated config, its JavaScript."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

import yaml

from docgen.cms.config import cms_config
from docgen.cms.vendor import assets, installed
from docgen.core.atomic import write_atomic
from docgen.core.i18n import catalogue
from docgen.workspace.load import Portfolio

PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
</head>
<body>
<script src="refusals.js"></script>
<script src="decap-cms.js"></script>
</body>
</html>
"""


#: the script that marks, in the form, the fields a refused save names
REFUSALS = Path(__file__).resolve().parent.parent / "data" / "cms" / "refusals.js"


class _Plain(yaml.SafeDumper):
    """Writes a value shared by several forms in full each time: no ``&id`` anchors."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_admin(portfolio: Portfolio, out_dir: Path, local_backend: str | None = None) -> Path:
    """Write ``index.html``, ``config.yml`` and the editor's JavaScript into ``out_dir``.

    The config is generated from the process file and the models every time, so the
    editor's forms are always those docgen validates against.
    """
    workspace = portfolio.workspace
    t = catalogue(workspace.config.language or portfolio.process.language)
    vendor = installed(workspace)
    out_dir.mkdir(parents=True, exist_ok=True)
    config = cms_config(portfolio, t, local_backend)
    text = yaml.dump(config, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=10**6)
    write_atomic(out_dir / "config.yml", text, durable=False)
    title = html.escape(t("%(site)s · editor", site=portfolio.process.title))
    page = PAGE.format(lang="zh-CN" if t.language == "zh" else "en", title=title)
    write_atomic(out_dir / "index.html", page, durable=False)
    # marks the fields a refused save names (before Decap, which it watches)
    shutil.copyfile(
        Path(__file__).parent.parent / "data" / "cms" / "refusals.js", out_dir / "refusals.js"
    )
    for asset in assets(vendor):
        target = out_dir / asset.name
        if not target.exists() or target.stat().st_size != asset.stat().st_size:
            shutil.copyfile(asset, target)
    return out_dir
