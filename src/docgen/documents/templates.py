"""Document templates: Jinja2 producing markdown, with a YAML header saying what they need.

A template is ``<doc>.md.j2`` (``<doc>.en.md.j2`` for English) in the workspace's
``templates/documents/`` or, when the workspace has none of that name, the one shipped in
the package.  It opens with a Jinja comment holding YAML::

    {#
    title: 合作协议
    articles: true        # level-2 headings are articles 第一条 …, ordered lists clauses （一）
    toc: true             # a table of contents Word refreshes on open
    requires:             # checked before rendering; a missing one is a diagnostic
      - partner.name
      - terms.dispute_resolution.institution if terms.dispute_resolution.method == "arbitration"
    #}

Everything a template prints is text: values are escaped for markdown on output
(``finalize``), so a partner named ``**<b>{{x}}</b>`` renders literally; only values the
code marks :class:`Markdown` pass through.  ``StrictUndefined`` turns a misspelt variable
into an error, and printing an empty value (``None``) is an error too — never a blank in a
contract.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta
import yaml
from jinja2 import nodes
from pydantic import ValidationError

from docgen.core.diagnostics import DocgenError, Location
from docgen.core.i18n import msg
from docgen.core.schema import Strict
from docgen.core.templating import sandboxed

PACKAGED = "documents"
_HEADER = re.compile(r"\A\{#-?\s*\n(.*?)\n\s*-?#\}\n?", re.S)
# Characters with a meaning somewhere in CommonMark + tables; a backslash makes them text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~&])")
_BREAKS = re.compile(r"\s*\n\s*")
_CJK_END = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$")


class Markdown(str):
    """Markdown made by docgen itself (never partner data): printed without escaping."""

    __slots__ = ()


class EmptyValue(ValueError):
    """A template printed a value the engagement does not give (``None``)."""


class TemplateHeader(Strict):
    """The YAML header of a document template."""

    title: str | None = None
    articles: bool = False
    toc: bool = False
    each: str | None = None  # "meeting": one document per meeting file
    requires: list[str] = []
    #: a contract made of the process's clauses (``articles`` in its context)
    clauses: bool = False
    #: a clause that is text before the first article (鉴于), not a numbered article
    preamble: bool = False
    #: a clause's condition (``mode.id != "joint-venture"``): left out of a contract where
    #: it does not hold
    when: str | None = None


@dataclass(frozen=True)
class TemplateSpec:
    """A template's header and requirements, and the file it came from (not compiled)."""

    name: str
    path: str
    header: TemplateHeader
    source: str
    requirements: list[tuple[str, Any]] = field(default_factory=list)  # (path, condition)
    when: Any = None  # the header's ``when``, compiled


@dataclass(frozen=True)
class DocumentTemplate(TemplateSpec):
    """A compiled template: what `TemplateSpec` knows, and the Jinja template."""

    template: jinja2.Template | None = None


def escape_markdown(text: str) -> str:
    """``text`` as markdown that renders to exactly ``text`` (line breaks become spaces)."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    if "\n" in text:
        parts = _BREAKS.split(text.strip())
        joined = parts[0]
        for part in parts[1:]:
            joined += part if _CJK_END.search(joined) else " " + part
        text = joined
    return text


def _finalize(value: Any) -> Any:
    if value is None:
        raise EmptyValue("printed an empty value")
    if isinstance(value, Markdown | jinja2.Undefined):
        return value
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return escape_markdown(str(value).strip())


CHART_FENCE = "docgen-chart"


def chart(kind: str, title: str, categories: list[Any], series: list[dict[str, Any]]) -> Markdown:
    """A chart block the Word writer turns into a native Word chart (text stays text).

    JSON holds no raw line break, so partner text inside cannot close the fence.
    """
    spec = {
        "kind": kind,
        "title": str(title),
        "categories": [str(c) for c in categories],
        "series": [
            {
                "name": str(s["name"]),
                "values": [None if v is None else round(float(v), 1) for v in s["values"]],
            }
            for s in series
        ],
    }
    return Markdown(f"```{CHART_FENCE}\n{json.dumps(spec, ensure_ascii=False)}\n```")


def template_dirs(workspace_templates: Path | None) -> list[Path]:
    """Where templates are looked up: the workspace first, then the package."""
    packaged = Path(str(resources.files("docgen.data").joinpath(PACKAGED)))
    dirs = [packaged]
    if workspace_templates is not None and workspace_templates.is_dir():
        dirs.insert(0, workspace_templates)
    return dirs


@lru_cache(maxsize=8)
def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """The Jinja environment documents render in (filters from `docgen.documents.filters`).

    Immutable: a template cannot change the values it reads, which the documents of an
    engagement share (`docgen.documents.context.EngagementContexts`).
    """
    from docgen.documents import filters

    # the clause library lives beside the document templates: templates/clauses/
    env = sandboxed(
        dirs,
        prefixed={"clauses": [d.parent / "clauses" for d in dirs]},
        immutable=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(filters.FILTERS)
    env.globals["chart"] = chart
    return env


def template_error(path: str, line: int, message: str) -> DocgenError:
    """A template that cannot be used, as an error carrying its located diagnostic."""
    return DocgenError(
        msg("%(path)s:%(line)s: %(message)s", path=path, line=line, message=message),
        [Location(path, line).diagnostic("error", "template-error", message)],
    )


def load_spec(
    env: jinja2.Environment, name: str, rel: Any, *, check_syntax: bool = True
) -> TemplateSpec:
    """Read ``name``'s header and requirements, and check its syntax, without compiling.

    ``check_syntax=False`` skips the parse, for a caller that compiles the template next.

    Errors (a missing template, a bad header, a syntax error) name the template file and
    line.  This is what validation needs: a fraction of the cost of `load_template`.
    """
    try:
        source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound as exc:
        path = rel(env.loader.where(name))  # type: ignore[union-attr]
        folder = path.rsplit("/", 1)[0]
        if exc.name != name:  # a link leading out of the template folders
            raise template_error(
                path, 1, msg("template %(name)s: refused", name=exc.name)
            ) from None
        raise template_error(
            path,
            1,
            msg("no template %(name)s in %(folder)s/ or the package", name=name, folder=folder),
        ) from None
    shown = rel(Path(str(filename)))
    match = _HEADER.match(source)
    data: Any = {}
    if match:
        try:
            data = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise template_error(
                shown, 1, msg("the template's YAML header does not parse: %(exc)s", exc=exc)
            ) from None
    try:
        header = TemplateHeader.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise template_error(
            shown, 1, msg("template header, %(where)s: %(msg)s", where=where, msg=problem["msg"])
        ) from None
    try:
        if check_syntax:
            env.parse(source, name, str(filename))
        when = env.compile_expression(header.when) if header.when else None
        requirements = []
        for entry in header.requires:
            path, _, condition = entry.partition(" if ")
            requirements.append(
                (path.strip(), env.compile_expression(condition) if condition else None)
            )
    except jinja2.TemplateSyntaxError as exc:
        raise template_error(
            shown, exc.lineno, msg("template syntax: %(message)s", message=exc.message)
        ) from None
    return TemplateSpec(name, shown, header, source, requirements, when)


def template_reads(env: jinja2.Environment, name: str) -> tuple[str, ...]:
    """Every value path the template ``name`` (with what it includes) may read.

    Found from the syntax trees: each chain of constant lookups from a variable is one
    path (``terms.profit_split``); a lookup by a computed key stands for its whole owner.
    """
    paths: set[str] = set()
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None
        source, _, _ = env.loader.get_source(env, current)
        tree = env.parse(source)
        _visit(tree, paths)
        found = list(jinja2.meta.find_referenced_templates(tree))
        pending += [t for t in found if t is not None]
        if None in found:  # an include by a computed name: a contract's clauses
            pending += env.list_templates(filter_func=lambda t: t.startswith("clauses/"))
    return tuple(sorted(paths))


def _visit(node: nodes.Node, out: set[str]) -> None:
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        root, parts, dynamic = _chain(node)
        if root is not None:
            out.add(".".join([root, *parts]))
        for child in dynamic:
            _visit(child, out)
        return
    if isinstance(node, nodes.Name) and node.ctx == "load":
        out.add(node.name)
        return
    for child in node.iter_child_nodes():
        _visit(child, out)


def _chain(node: nodes.Node) -> tuple[str | None, list[str], list[nodes.Node]]:
    """The root name and constant parts of a lookup chain, and the dynamic keys in it."""
    parts: list[str] = []
    dynamic: list[nodes.Node] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem):
            key = node.arg
            if isinstance(key, nodes.Const) and isinstance(key.value, str | int):
                parts.append(str(key.value))
            else:  # items[key]: the whole of what is looked into
                parts.clear()
                dynamic.append(key)
            node = node.node
        elif isinstance(node, nodes.Name):
            return node.name, parts[::-1], dynamic
        else:
            dynamic.append(node)
            return None, [], dynamic


def load_template(env: jinja2.Environment, name: str, rel: Any) -> DocumentTemplate:
    """Compile ``name`` (``<doc>.md.j2``); errors name the template file and line."""
    spec = load_spec(env, name, rel, check_syntax=False)  # get_template parses it
    try:
        template = env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:  # in it, or in a template it includes
        path = rel(Path(exc.filename)) if exc.filename else spec.path
        raise template_error(
            path, exc.lineno, msg("template syntax: %(message)s", message=exc.message)
        ) from None
    return DocumentTemplate(
        spec.name, spec.path, spec.header, spec.source, spec.requirements, spec.when, template
    )
