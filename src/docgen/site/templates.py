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

from docgen.diagnostics import DocgenError
from docgen.i18n import Catalogue
from docgen.site import charts
from docgen.templating import sandboxed

PACKAGE_TEMPLATES = Path(str(resources.files("docgen.data").joinpath("site/templates")))


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
    """The environment page templates run in, with ``_``/``ngettext`` from ``t``."""
    env = sandboxed(
        [workspace_templates / "site", PACKAGE_TEMPLATES],
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        t.translations.gettext, t.translations.ngettext, newstyle=True
    )
    env.filters["num"] = _number
    env.filters["signed"] = _signed
    env.globals["charts"] = _Charts()
    env.globals["language"] = t.language
    return env


def render(env: jinja2.Environment, template: str, **context: Any) -> Markup:
    """``template`` rendered with ``context``: the page's HTML.

    A template that fails (a workspace's override, most likely) is a `DocgenError`
    naming the template file and line.
    """
    try:
        return Markup(env.get_template(template).render(**context))
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or exc.name or template}:{exc.lineno}"
        raise DocgenError(f"{where}: site template error: {exc.message}") from None
    except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
        raise DocgenError(f"{_where(exc, template)}: site template error: {exc}") from None


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
