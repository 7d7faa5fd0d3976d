"""Babel extractors for docgen's sources (babel.cfg; ``make messages`` and the tests).

Babel's own Python extractor skips a message written in parentheses,
``msg(("a long " "message"), key=…)``, which is how the formatter lays out a long one;
this one reads the syntax tree, where the parts are already one string.  The command
line's help texts are docstrings and ``help=`` values, no calls at all: `extract_cli`
adds them from the command tree Click builds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any


def extract_python(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, Any, Any, list[str]]]:
    """The arguments of calls to ``keywords`` (``msg``, ``N_``, ``t``…) in a file.

    Each call's positional arguments, strings or None, as Babel's own extractor gives
    them; Babel picks the messages by the keyword's spec.
    """
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    names = set(keywords)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in names or not node.args:
            continue
        args = tuple(
            a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
            for a in node.args
        )
        if any(a is not None for a in args):
            yield node.lineno, name, args[0] if len(args) == 1 else args, []


def extract_cli(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, Any, Any, list[str]]]:
    """The command line's messages, and the help texts of the commands it defines."""
    import click

    from docgen.cli import cli
    from docgen.cli.voice import ORIGINAL_HELP

    yield from extract_python(fileobj, keywords, comment_tags, options)

    def walk(command: click.Command) -> Iterator[str]:
        # the English texts, even after a run in another language translated them in place
        original = command.__dict__.get(ORIGINAL_HELP)
        if original is not None:
            yield from (text for text in (original["help"], original["short_help"]) if text)
            yield from (
                text
                for p, text in zip(command.params, original["params"], strict=True)
                if isinstance(p, click.Option) and text
            )
        else:
            yield from (text for text in (command.help, command.short_help) if text)
            yield from (p.help for p in command.params if isinstance(p, click.Option) and p.help)
        if isinstance(command, click.Group):  # as --help lists them: made when asked for
            context = click.Context(command)
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None:
                    yield from walk(sub)

    for text in walk(cli):
        yield 0, "", text, []
