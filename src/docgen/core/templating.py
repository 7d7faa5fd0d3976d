"""The one way docgen runs a template: Jinja's sandbox, loading only from its own folders.

Templates live in the workspace, so a cloned repository's template is untrusted code.
`SandboxedEnvironment` refuses attribute paths such as
``cycler.__init__.__globals__`` that reach Python internals (and, for document
templates, calls that change a list or dict); `ContainedLoader` refuses a
template whose file is a symlink leading out of the folder it was found in.
"""

from __future__ import annotations

import re
import signal
import threading
from collections.abc import Callable, Generator, Sequence
from pathlib import Path
from typing import Any, cast

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment

from docgen.core.cache import cache_root
from docgen.core.fingerprint import code_version, fingerprint
from docgen.core.paths import is_inside


class ContainedLoader(jinja2.FileSystemLoader):
    """A `FileSystemLoader` that never follows a link out of its search folders.

    ``prefixed`` maps a first path part to folders of their own: with
    ``{"clauses": [templates/clauses, …]}``, ``clauses/scope.md.j2`` is looked up there.
    """

    def __init__(
        self,
        searchpath: Sequence[str],
        encoding: str = "utf-8",
        prefixed: dict[str, Sequence[Path]] | None = None,
    ) -> None:
        super().__init__(searchpath, encoding=encoding)
        self.prefixed = {
            prefix: ContainedLoader([str(f) for f in folders if f.is_dir()], encoding)
            for prefix, folders in (prefixed or {}).items()
        }

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        """The template's source, or `jinja2.TemplateNotFound` for a link leading out."""
        prefix, _, rest = template.partition("/")
        if rest and prefix in self.prefixed:
            try:
                return self.prefixed[prefix].get_source(environment, rest)
            except jinja2.TemplateNotFound as exc:
                found = exc.name if exc.name != rest else template  # refused: say why
                raise jinja2.TemplateNotFound(found) from None
        source, filename, uptodate = super().get_source(environment, template)
        if not any(is_inside(Path(folder), filename) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(
                f"{template} (its file leads outside {', '.join(self.searchpath)})"
            )
        return source, filename, uptodate

    def where(self, template: str) -> Path:
        """Where ``template`` is looked for first (to name a missing one)."""
        prefix, _, rest = template.partition("/")
        if rest and prefix in self.prefixed and self.prefixed[prefix].searchpath:
            return Path(self.prefixed[prefix].searchpath[0]) / rest
        return Path(self.searchpath[0]) / template

    def list_templates(self) -> list[str]:
        """Every template name, those under a prefix with it."""
        names = [
            name for name in super().list_templates() if name.partition("/")[0] not in self.prefixed
        ]
        for prefix, loader in self.prefixed.items():
            names += [f"{prefix}/{name}" for name in loader.list_templates()]
        return sorted(set(names))


#: characters one template may write (a long contract is a few hundred thousand)
MAX_OUTPUT = 5_000_000
#: the largest string or list one expression may make
MAX_VALUE = 1_000_000
#: seconds one template may take to render
MAX_SECONDS = 20.0
_WIDTH = re.compile(r"%[-+ #0]*(\d+)|\{[^{}]*:[^{}]*?(\d+)[^{}]*\}")


class TemplateLimit(jinja2.TemplateError):
    """A template that would run too long, or make or write too much."""


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox with bounds: no expression makes more than `MAX_VALUE` items.

    The sandbox keeps a template from reaching Python; these bounds keep a hostile or
    mistaken one (``{{ "x" * 300000000 }}``, ``"%999999999d" | format(1)``) from taking
    the machine's memory.  `render_bounded` bounds the time and the output besides.
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse an operation whose result would be too large, then do it."""
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int):
                    _bounded(len(seq) * times)
        elif operator == "+" and isinstance(left, str | list | tuple):
            if isinstance(right, str | list | tuple):
                _bounded(len(left) + len(right))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right > 10_000:
                raise TemplateLimit(f"{left} ** {right} is too large a number")
        elif operator == "%" and isinstance(left, str):
            _widths(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Refuse a string method asked for more than `MAX_VALUE` characters, then call.

        ``"x".ljust(10**9)`` and ``"{:>999999999}".format(1)`` are refused; any other
        call (an amount of 150,000,000 included) goes through.
        """
        if isinstance(getattr(__obj, "__self__", None), str):
            name = getattr(__obj, "__name__", "")
            if name in _PADDING:
                for value in (*args, *kwargs.values()):
                    if isinstance(value, int) and not isinstance(value, bool):
                        _bounded(value)
            elif name in ("format", "format_map"):
                _widths(__obj.__self__)
        return super().call(__context, __obj, *args, **kwargs)


class ImmutableBoundedEnvironment(BoundedEnvironment, ImmutableSandboxedEnvironment):
    """The bounded sandbox in which a template cannot change a list, dict or set either.

    For document templates: the values they read are the loaded workspace's, shared by
    every document of an engagement, so ``{{ tasks.append(…) }}`` is refused.
    """


def _bounded(size: int) -> None:
    if size > MAX_VALUE:
        raise TemplateLimit(f"a value of {size:,} items is more than a document holds")


def _widths(text: str) -> None:
    for match in _WIDTH.finditer(text):
        width = int(match[1] or match[2] or 0)
        _bounded(width)


_PADDING = ("ljust", "rjust", "center", "zfill", "expandtabs")


def _bounded_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    """``original`` refusing a width (or, for ``format``, a format) past `MAX_VALUE`."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        if name == "format":
            if args and isinstance(args[0], str):
                _widths(args[0])
        else:
            for value in (*args[1:], *kwargs.values()):
                if isinstance(value, int) and not isinstance(value, bool):
                    _bounded(value)
        return original(*args, **kwargs)

    bounded.__name__ = name
    for flag in ("jinja_pass_arg",):
        if hasattr(original, flag):
            setattr(bounded, flag, getattr(original, flag))
    return bounded


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """``template`` rendered, or `TemplateLimit` when it writes or takes too much.

    The output is gathered as it is made, so an endless loop that writes is stopped at
    `MAX_OUTPUT`; one that writes nothing is stopped at `MAX_SECONDS` by an alarm (in a
    process's main thread, where docgen renders).
    """
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    previous: Any = None
    if alarm:

        def _expired(signum: int, frame: Any) -> None:
            raise TemplateLimit(f"rendering took more than {MAX_SECONDS:g} s")

        previous = signal.signal(signal.SIGALRM, _expired)
        signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
        parts: list[str] = []
        written = 0
        made = cast(Generator[str, None, None], template.generate(context))
        for chunk in made:
            written += len(chunk)
            if written > MAX_OUTPUT:  # raised where the template writes: its line is named
                made.throw(TemplateLimit(f"the text grew past {MAX_OUTPUT:,} characters"))
            parts.append(chunk)
        return "".join(parts)
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def sandboxed(
    folders: Sequence[Path],
    prefixed: dict[str, Sequence[Path]] | None = None,
    *,
    immutable: bool = False,
    **options: Any,
) -> BoundedEnvironment:
    """A sandboxed, bounded Jinja environment loading from ``folders``, first match wins.

    ``prefixed``: folders for names with a given first part (see `ContainedLoader`).
    ``immutable``: its templates cannot change a list, dict or set (document templates).
    """
    loader = ContainedLoader([str(f) for f in folders], encoding="utf-8", prefixed=prefixed)
    kind = ImmutableBoundedEnvironment if immutable else BoundedEnvironment
    env = kind(loader=loader, **options)
    for name in ("center", "indent", "wordwrap", "format", "batch", "slice"):
        if name in env.filters:
            env.filters[name] = _bounded_filter(name, env.filters[name])
    return env


def bytecode_cache(*settings: object) -> jinja2.BytecodeCache | None:
    """Compiled templates kept in the user's cache folder (None when caching is off).

    Compiling the site's and the theme's templates costs about 0.5 s a build.  Jinja keys
    what it keeps by template name and source checksum, not by the environment, so each
    environment's ``settings`` (its class, options, extensions) get a folder of their own.
    Like every docgen cache, it lives outside the workspace: nothing a cloned repository
    holds is ever loaded as code.
    """
    root = cache_root()
    if root is None:
        return None
    folder = root / "templates" / fingerprint(code_version(), repr(settings))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))
