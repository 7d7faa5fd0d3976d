"""The site's page templates: Jinja with autoescape, the catalogue's words, the charts.

Templates ship in the package (``data/site/templates``); a workspace overrides any of
them by a file of the same name in ``templates/site/``, as it does document templates.
They run sandboxed (a cloned workspace's template is untrusted code) with
``StrictUndefined``, so a misspelt field stops the build instead of printing nothing.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from docgen.core.diagnostics import DocgenError
from docgen.core.fingerprint import Fingerprint
from docgen.core.i18n import Catalogue, msg
from docgen.core.templating import bytecode_cache, sandboxed
from docgen.site import charts

PACKAGE_TEMPLATES = Path(str(resources.files("docgen.data").joinpath("site/templates")))
LOCALE = Path(str(resources.files("docgen.data").joinpath("locale")))


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + _number(value)


class _Charts:
    """The chart functions, as the templates call them (``charts.funnel(…)``)."""

    funnel = staticmethod(charts.funnel)
    heatmap = staticmethod(charts.heatmap)
    kpi_bars = staticmethod(charts.kpi_bars)


def environment(workspace_templates: Path, t: Catalogue) -> jinja2.Environment:
    """The environment page templates run in, with ``_``/``ngettext`` from ``t``.

    The package's own templates are trusted; once the workspace overrides one
    (``templates/site/``), every template runs in Jinja's sandbox, which costs about a
    third more per page.
    """
    overrides = workspace_templates / "site"
    options: dict[str, Any] = {
        "autoescape": True,
        "undefined": jinja2.StrictUndefined,
        "extensions": ["jinja2.ext.i18n", "jinja2.ext.do"],
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    if overrides.is_dir() and any(overrides.iterdir()):
        env: jinja2.Environment = sandboxed([overrides, PACKAGE_TEMPLATES], **options)
    else:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(PACKAGE_TEMPLATES), **options)
    env.bytecode_cache = bytecode_cache("site", type(env).__name__, sorted(options.items()))
    env.install_gettext_callables(  # type: ignore[attr-defined]
        t.translations.gettext, t.translations.ngettext, newstyle=True
    )
    env.filters["num"] = _number
    env.filters["signed"] = _signed
    env.globals["charts"] = _Charts()
    env.globals["language"] = t.language
    return env


def digest(workspace_templates: Path) -> str:
    """The digest of what the pages' look depends on: site templates and catalogues.

    The site's own code counts too, so a changed checkout of the same version (a
    developer's) does not serve pages an older one made.
    """
    h = Fingerprint()
    folders = [workspace_templates / "site", PACKAGE_TEMPLATES, LOCALE, Path(__file__).parent]
    for folder in folders:
        for file in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if file.is_file():
                h.add(file.relative_to(folder).as_posix(), file.read_bytes())
    return h.hexdigest()


def render(env: jinja2.Environment, template: str, **context: Any) -> Markup:
    """``template`` rendered with ``context``: the page's HTML.

    A template that fails (a workspace's override, most likely) is a `DocgenError`
    naming the template file and line.
    """
    try:
        return Markup(env.get_template(template).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or template}:{exc.lineno}"
        raise DocgenError(
            msg("%(where)s: site template error: %(message)s", where=where, message=exc.message)
        ) from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise DocgenError(
            msg("%(where)s: site template error: %(exc)s", where=_where(exc, template), exc=exc)
        ) from None


def _where(exc: BaseException, template: str) -> str:
    """The template file and line a rendering error happened at (Jinja keeps them)."""
    found = template
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".html"):
            found = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return found
