"""The words docgen says, from one gettext catalogue per language.

Message ids are the English text (gettext's convention, so English needs no catalogue
and a missing translation still reads); Chinese comes from
``data/locale/zh/LC_MESSAGES/docgen.po``, the file translators' tools (Poedit, Weblate,
``pybabel``) read and write.  The site's Jinja templates and the CLI take their words from
the same `Catalogue`.  ``make messages`` re-extracts the ids from the code and templates
(babel.cfg) and merges them into the .po; a test fails while one has no translation.

The .po is compiled in memory on first use (Babel), so there is no .mo to drift from it.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal, cast

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DOMAIN = "docgen"


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


class Message(str):
    """A message said in English, which any catalogue can say again in its language.

    It *is* its English text (so logs, tests and ``str`` work unchanged) and carries the
    message id and the values that filled it, so the CLI translates a diagnostic made
    deep in the library when it prints it, in the language the user chose.  Values that
    are messages themselves are translated too.
    """

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Message:
        """Fill ``msgid``'s ``%(name)s`` placeholders from ``values``."""
        shown = {k: ", ".join(v) if isinstance(v, list | tuple) else v for k, v in values.items()}
        self = super().__new__(cls, msgid % shown if values else msgid)
        self.msgid = msgid
        self.values = values
        return self


def msg(msgid: str, /, **values: object) -> Message:
    """A translatable message: ``msg("unknown stage '%(stage)s'", stage=s)``."""
    return Message(msgid, **values)


class Catalogue:
    """The messages of one language: ``gettext``, ``ngettext`` and formatting in one."""

    def __init__(self, language: Language, translations: gettext.NullTranslations) -> None:
        self.language = language
        self.translations = translations

    def gettext(self, message: str, /, **values: object) -> str:
        """``message`` in this language, with ``%(name)s`` placeholders filled from ``values``."""
        text = self.translations.gettext(message)
        if not values:
            return text
        return text % {
            k: self.join(v) if isinstance(v, list | tuple) else v for k, v in values.items()
        }

    __call__ = gettext

    def ngettext(self, singular: str, plural: str, n: int, /, **values: object) -> str:
        """The singular or plural form for ``n`` (Chinese has one form), formatted."""
        text = self.translations.ngettext(singular, plural, n)
        return text % {"num": n, **values}

    def say(self, text: str) -> str:
        """``text`` in this language if it is a `Message`; other text is shown as it is."""
        if not isinstance(text, Message) or self.language == "en":
            return str(text)
        return self.gettext(text.msgid, **{k: self._value(v) for k, v in text.values.items()})

    def _value(self, value: object) -> object:
        if isinstance(value, str):
            return self.say(value)
        if isinstance(value, list | tuple):
            return self.join(value)
        return value

    def join(self, values: list[object] | tuple[object, ...]) -> str:
        """A list in this language: 甲、乙 or a, b (each item translated if a message)."""
        sep = "、" if self.language == "zh" else ", "
        return sep.join(self.say(v) if isinstance(v, str) else str(v) for v in values)

    def label(self, labels: Mapping[str, str], key: str) -> str:
        """The translated label ``labels[key]`` of a fixed id (a status…), else the id."""
        return self.gettext(labels[key]) if key in labels else key


@cache
def catalogue(language: str) -> Catalogue:
    """The catalogue of ``language`` (``zh`` or ``en``; anything else reads as English)."""
    if language not in LANGUAGES or language == "en":
        return Catalogue("en", gettext.NullTranslations())
    return Catalogue(cast(Language, language), _compiled(language))


def _compiled(language: str) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    source = resources.files("docgen.data").joinpath(f"locale/{language}/LC_MESSAGES/{DOMAIN}.po")
    with source.open("rb") as po:
        compiled = read_po(po, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, compiled)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
