"""The rule kind about index.md's own fields: the terms a stage needs are filled in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from docgen.core.i18n import msg
from docgen.domain.rules.base import Context, RuleKind, Unmet, field_words

if TYPE_CHECKING:
    from docgen.core.i18n import Catalogue
    from docgen.domain.process import Process


class FieldsPresent(RuleKind):
    """Dotted fields of index.md (``terms.dispute_resolution.method``) are filled in."""

    kind: Literal["fields_present"]
    fields: list[str]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each field empty or absent, at its parent's line."""
        index = ctx.engagement.index
        if index is None:
            return
        for dotted in self.fields:
            value = _field(index.data, dotted)
            if value is None or value == [] or (isinstance(value, str) and not value.strip()):
                parent = tuple(dotted.split(".")[:-1])
                yield Unmet(index.at(*parent), msg("'%(dotted)s' is not filled in", dotted=dotted))

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t(
            "index.md gives %(fields)s.",
            fields=t.join([field_words(path, t) for path in self.fields]),
        )


def _field(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        data = getattr(data, part, None)
        if data is None:
            return None
    return data
