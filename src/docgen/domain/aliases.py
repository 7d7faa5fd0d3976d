"""Values written as the titles people see: ``mode: 合资``, ``stage: 合作洽谈``, ``status: 进行中``.

Every value that has an id accepts its title as an alias, and the loader puts the id in
its place before the file's schema is checked: modes, stages and risk categories by the
process file's titles; statuses, KPI frequency and direction, and partner size by their
labels in the catalogue, in Chinese and English (`docgen.domain.vocabulary`), and the few other
ways people write them (季度, 上市).  A party (payer, payee …) may also be written as
甲方 or 乙方, or by the mode's role (许可方, 代理方): which of us and the partner that is
follows the engagement's ``terms.we_are``.  Case and surrounding spaces do not matter.  The file
itself is not changed: a writer (``advance`` …) writes ids where it writes, and leaves
the user's spelling elsewhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from docgen.core.i18n import LANGUAGES, catalogue, msg
from docgen.domain import vocabulary

if TYPE_CHECKING:
    from docgen.domain.process import Process

#: where each kind of value stands in a file: (file kind, path); "*" is every list item
PLACES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "mode": [("index", ("mode",))],
    "origin": [("index", ("origin",))],
    "stage": [("index", ("stage",))],
    "status": [("index", ("status",))],
    "size": [("index", ("partner", "size"))],
    "category": [("risks", ("risks", "*", "category"))],
    "frequency": [
        ("kpis", ("kpis", "*", "frequency")),
        ("index", ("terms", "payments", "*", "rate", "period")),
        ("index", ("renewal", "payments", "*", "rate", "period")),
    ],
    "direction": [("kpis", ("kpis", "*", "direction"))],
    "target_for": [("kpis", ("kpis", "*", "target_for"))],
    "visibility": [
        ("index", ("visibility",)),
        ("risks", ("visibility",)),
        ("kpis", ("visibility",)),
        ("meeting", ("visibility",)),
        ("document", ("visibility",)),
    ],
    "kpi_category": [("kpis", ("kpis", "*", "category"))],
    "meeting_kind": [("meeting", ("kind",))],
    "dispute": [("index", ("terms", "dispute_resolution", "method"))],
    "party": [
        *(
            ("index", (where, "payments", "*", side))
            for where in ("terms", "renewal")
            for side in ("payer", "payee")
        ),
        ("index", ("settlement", "accounts", "*", "owed_by")),
        ("index", ("settlement", "buy_back", "*", "buyer")),
        *(
            ("index", ("terms", "joint_venture", "board", officer))
            for officer in ("chair", "general_manager", "finance_head")
        ),
    ],
    "payment_kind": [("index", (where, "payments", "*", "kind")) for where in ("terms", "renewal")],
    "acquisition": [("index", ("terms", "project", "land", "acquisition"))],
    "licence_type": [("index", ("terms", "licence", "type"))],
    "agency_kind": [("index", ("terms", "agency", "kind"))],
    "amendment": [("index", ("supplement", "changes", "*", "action"))],
    "doc_status": [("document", ("status",))],
}
_FIXED = {
    "status": vocabulary.STATUS,
    "size": vocabulary.SIZE,
    "frequency": vocabulary.FREQUENCY,
    "direction": vocabulary.DIRECTION,
    "target_for": vocabulary.TARGET_FOR,
    "visibility": vocabulary.VISIBILITY,
    "kpi_category": vocabulary.KPI_CATEGORY,
    "meeting_kind": vocabulary.MEETING_KIND,
    "dispute": vocabulary.DISPUTE,
    "party": vocabulary.PARTY,
    "payment_kind": vocabulary.PAYMENT_KIND,
    "acquisition": vocabulary.ACQUISITION,
    "licence_type": vocabulary.LICENCE_TYPE,
    "agency_kind": vocabulary.AGENCY_KIND,
    "amendment": vocabulary.AMENDMENT,
    "doc_status": vocabulary.DOC_STATUS,
}


def _matches(path: tuple[str, ...], loc: tuple[str | int, ...]) -> bool:
    return len(path) == len(loc) and all(p in ("*", q) for p, q in zip(path, loc, strict=True))


def fold(text: str) -> str:
    """``text`` as compared with the names: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


#: what ``terms.we_are`` may say for 乙方's side, besides the mode's second role
SECOND_SIDE = ("乙方", "b", "party b")


def we_are_second(we_are: str | None, second_role: str | None) -> bool:
    """Whether ``terms.we_are`` puts us on 乙方's side: it names 乙方 or the mode's second role."""
    said = fold(we_are or "")
    return said in SECOND_SIDE or bool(second_role and said == fold(second_role))


@dataclass(frozen=True)
class Aliases:
    """For each kind of value: every accepted spelling (folded) → its id, and the names."""

    table: Mapping[str, Mapping[str, str]]
    #: kind → id → the titles it is known by, as written (for hints)
    names: Mapping[str, Mapping[str, list[str]]]
    #: mode id → its two roles (许可方, 被许可方): 甲方's and 乙方's
    roles: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def id_of(self, kind: str, value: object) -> str | None:
        """The id ``value`` stands for (None when it is no known spelling)."""
        if not isinstance(value, str):
            return None
        return self.table.get(kind, {}).get(fold(value))

    def suggest(self, file_kind: str, loc: tuple[str | int, ...], value: object) -> str | None:
        """A hint for an unknown value at ``loc`` of a ``file_kind`` file.

        None when no value with an id stands there.
        """
        kind = next(
            (
                k
                for k, places in PLACES.items()
                for where, path in places
                if where == file_kind and _matches(path, loc)
            ),
            None,
        )
        if kind is None:
            return None
        return self.hint(kind, value)

    def hint(self, kind: str, value: object) -> str:
        """A "did you mean" among the ids and titles of ``kind``, or the list of them."""
        names = self.names.get(kind, {})
        spelled = {name: id_ for id_, titles in names.items() for name in (id_, *titles)}
        close = difflib.get_close_matches(str(value), list(spelled), n=1, cutoff=0.5)
        if close:
            return msg("did you mean '%(word)s' (%(id)s)?", word=close[0], id=spelled[close[0]])
        return msg(
            "expected one of: %(choices)s",
            choices=[
                f"{id_} ({'、'.join(titles)})" if titles else id_ for id_, titles in names.items()
            ],
        )

    def normalise(self, file_kind: str, data: Any) -> Any:
        """``data`` with every alias of ``file_kind`` replaced by its id.

        What changes is copied: the parsed original is shared with the parse cache.
        """
        sides = self._sides(data) if file_kind == "index" else {}
        for kind, places in PLACES.items():
            for where, path in places:
                if where == file_kind:
                    data = self._replace(data, path, kind, sides if kind == "party" else {})
        return data

    def _sides(self, data: Any) -> dict[str, str]:
        """甲方, 乙方 and the mode's roles → us or partner, as ``terms.we_are`` says."""
        if not isinstance(data, dict):
            return {}
        terms = data.get("terms")
        we_are = str(terms.get("we_are") or "") if isinstance(terms, dict) else ""
        mode = self.id_of("mode", data.get("mode")) or data.get("mode")
        roles = self.roles.get(mode, ("", "")) if isinstance(mode, str) else ("", "")
        b_is_us = we_are_second(we_are, roles[1])
        a, b = ("partner", "us") if b_is_us else ("us", "partner")
        sides = {"甲方": a, "乙方": b, "party a": a, "party b": b}
        if roles[0]:
            sides.update({fold(roles[0]): a, fold(roles[1]): b})
        return sides

    def _replace(
        self, data: Any, path: tuple[str, ...], kind: str, sides: Mapping[str, str]
    ) -> Any:
        if not path:
            found = sides.get(fold(data)) if isinstance(data, str) else None
            found = found or self.id_of(kind, data)
            return found if found is not None and found != data else data
        head, rest = path[0], path[1:]
        if head == "*":
            if not isinstance(data, list):
                return data
            items = [self._replace(item, rest, kind, sides) for item in data]
            return items if any(a is not b for a, b in zip(items, data, strict=True)) else data
        if not isinstance(data, dict) or head not in data:
            return data
        value = self._replace(data[head], rest, kind, sides)
        if value is data[head]:
            return data
        copy = dict(data)
        copy[head] = value
        return copy


def choices(process: Process, kind: str, t: Callable[[Any], str]) -> list[tuple[str, str]]:
    """The values of ``kind`` as a person chooses among them: (id, title in ``t``'s language)."""
    if kind in _FIXED:
        return [(id_, t(label)) for id_, label in _FIXED[kind].items()]
    places: dict[str, list[Any]] = {
        "mode": process.modes,
        "stage": process.stages,
        "origin": process.origins,
        "category": process.risk.categories,
    }
    return [(entry.id, entry.title) for entry in places[kind]]


def aliases_for(process: Process) -> Aliases:
    """The aliases a workspace accepts: its process's titles and the fixed labels.

    `Process.aliases` keeps them, made once per process.
    """
    table: dict[str, dict[str, str]] = {}
    titles: dict[str, dict[str, list[str]]] = {}

    def add(kind: str, id_: str, names: Iterable[str]) -> None:
        spellings = table.setdefault(kind, {})
        known = titles.setdefault(kind, {}).setdefault(id_, [])
        for name in (id_, *names):
            if name and name.strip() and fold(name) not in spellings:
                spellings[fold(name)] = id_
                if name != id_:
                    known.append(name.strip())

    for mode in process.modes:
        add("mode", mode.id, [mode.title])
    for stage in process.stages:
        add("stage", stage.id, [stage.title])
    for origin in process.origins:
        add("origin", origin.id, [origin.title])
    for category in process.risk.categories:
        add("category", category.id, [category.title])
    for kind, labels in _FIXED.items():
        for id_, message in labels.items():
            names = [catalogue(language)(message) for language in LANGUAGES]
            add(kind, id_, [*names, *vocabulary.COLLOQUIAL.get(kind, {}).get(id_, [])])
    roles = {m.id: (m.roles[0], m.roles[1]) for m in process.modes if len(m.roles) == 2}
    return Aliases(table, titles, roles)
