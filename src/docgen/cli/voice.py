"""The command line's own words in the chosen language: help texts and Click's phrases.

Help is printed while Click parses the arguments, before any command runs, so the
language is chosen from the raw arguments (``--lang``, ``--root``) and every help text
of the command tree is translated before parsing starts.  Click says its own phrases
("Usage:", "Missing option") through ``gettext``; `speak` points Click's modules at the
catalogue for the run.  The phrases docgen translates are marked in `CLICK_PHRASES` so
that ``make messages`` keeps them in the .po.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from docgen.core.i18n import N_, Catalogue, Language, catalogue
from docgen.workspace import language

#: Click's phrases people meet, as Click writes them (``{name}`` placeholders kept)
CLICK_PHRASES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Option {name!r} requires an argument."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} does not match the format {format}."),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("default: {default}"),
    N_("Aborted!"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("%(prog)s, version %(version)s"),
)

_CLICK_MODULES = ("core", "exceptions", "formatting", "decorators", "parser", "types", "termui")
ORIGINAL_HELP = "_docgen_original_help"


def language_of(args: Sequence[str]) -> Language:
    """The language for a run with ``args``: their ``--lang`` or ``--root``, else defaults."""
    flag = _value(args, "--lang", before_command=True)
    if flag is None and "init" in args:  # a new workspace speaks the language it is made in
        flag = _value(args[args.index("init") :], "--lang")
    root = _value(args, "--root")
    return language.chosen(flag, Path(root) if root else None)


def _value(args: Sequence[str], option: str, before_command: bool = False) -> str | None:
    """The value of ``option`` among ``args`` (``--opt v`` or ``--opt=v``).

    ``before_command``: only before the first argument that is no option (``redline`` and
    ``init`` have a ``--lang`` of their own, for the text they write).
    """
    for i, arg in enumerate(args):
        if arg == option and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(option + "="):
            return arg.split("=", 1)[1]
        if before_command and not arg.startswith("-") and (i == 0 or args[i - 1] != "--lang"):
            return None
    return None


def speak(command: click.Command, words: Catalogue) -> None:
    """Translate the help of ``command`` and its sub-commands, and Click's phrases."""
    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = words.translations.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext(words)  # type: ignore[attr-defined]
    _translate(command, words)


def _ngettext(words: Catalogue) -> Callable[[str, str, int], str]:
    """Click's ngettext: a plural the catalogue holds as a message of its own is found too."""
    translations = words.translations

    def ngettext(singular: str, plural: str, n: int) -> str:
        said = translations.ngettext(singular, plural, n)
        return translations.gettext(said) if said in (singular, plural) else said

    return ngettext


def _translate(command: click.Command, words: Catalogue) -> None:
    originals = command.__dict__.setdefault(
        ORIGINAL_HELP,
        {
            "help": command.help,
            "short_help": command.short_help,
            "params": [getattr(p, "help", None) for p in command.params],
        },
    )
    if getattr(command, "_help_option", None) is not None:
        command._help_option = None  # Click keeps its --help option, words and all; make anew
    command.help = words(originals["help"]) if originals["help"] else None
    command.short_help = words(originals["short_help"]) if originals["short_help"] else None
    for param, text in zip(command.params, originals["params"], strict=True):
        if text and isinstance(param, click.Option):
            param.help = words(text)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _translate(sub, words)


class SpeakingGroup(click.Group):
    """The root command group: it picks the language before Click parses anything.

    The catalogue becomes the context's ``obj``, so every command says its words with it.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Choose the language from ``args``, translate the help, then parse as Click does.

        A catalogue passed as ``obj`` (by `docgen.cli.main`, which chose it already for
        its own messages) is used as it is.
        """
        if parent is None:
            given = extra.get("obj")
            words = given if isinstance(given, Catalogue) else catalogue(language_of(args))
            speak(self, words)
            extra["obj"] = words
        return super().make_context(info_name, args, parent, **extra)


def words() -> Catalogue:
    """The catalogue of the command running now."""
    found = click.get_current_context(silent=True)
    obj = found.obj if found is not None else None
    return obj if isinstance(obj, Catalogue) else catalogue("en")
