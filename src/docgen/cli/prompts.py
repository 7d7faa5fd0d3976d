"""Questions the CLI asks on a terminal, for what a command was not given.

``docgen new`` without its options asks for each in the workspace's language, with the
choices it knows: the modes of the process file, the owners already in the portfolio.
In a pipe or CI nothing is asked: a missing option stays an error.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from docgen.core.i18n import Catalogue
from docgen.workspace.load import SLUG, Portfolio, load_portfolio


def interactive() -> bool:
    """Whether a person is at the terminal (both ends are one)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@dataclass
class NewEngagement:
    """What ``docgen new`` needs, as given or as answered."""

    engagement_id: str | None
    title: str | None
    partner: str | None
    mode: str | None
    owner: str | None
    code: str | None
    origin: str | None = None

    def missing(self) -> list[str]:
        """The options still missing, as the command line names them."""
        names = {
            "engagement_id": "ID",
            "title": "--title",
            "partner": "--partner",
            "mode": "--mode",
            "owner": "--owner",
        }
        return [flag for field, flag in names.items() if getattr(self, field) is None]


def ask_new_engagement(given: NewEngagement, root: Path | None, t: Catalogue) -> NewEngagement:
    """Ask for every missing part of a new engagement, offering the choices known."""
    portfolio = load_portfolio(root)
    out = click.echo
    if given.title is None:
        given.title = _text(t("Name of the engagement (in Chinese)"))
    if given.partner is None:
        given.partner = _text(t("Partner's full registered name"))
    process = portfolio.process
    if given.mode is None:
        given.mode = choose(
            t("Cooperation modes:"),
            [(m.id, m.title) for m in process.modes],
            t("Cooperation mode (number or name)"),
            lambda answer: process.aliases.id_of("mode", answer),
            t,
        )
    if given.origin is None:
        given.origin = choose(
            t("How the lead came in:"),
            [(o.id, o.title) for o in process.origins],
            t("Origin (number or name)"),
            lambda answer: process.aliases.id_of("origin", answer),
            t,
            default="1",
        )
    if given.owner is None:
        owners = _owners(portfolio)
        if owners:
            out(t("Owners so far: %(names)s", names="、".join(owners)))
        given.owner = _text(t("Owner"), default=owners[0] if owners else None)
    if given.code is None:
        given.code = (
            click.prompt(
                t("Project number (empty for none)"), default="", show_default=False
            ).strip()
            or None
        )
    if given.engagement_id is None:
        example = _next_id(portfolio) + "partner-name"
        while True:
            answer = _text(
                t(
                    "Folder name: lower-case letters, digits and '-', e.g. %(example)s",
                    example=example,
                )
            )
            if SLUG.match(answer):
                given.engagement_id = answer
                break
            out(t("'%(id)s' is not a valid folder name", id=answer))
    return given


def choose(
    heading: str,
    choices: list[tuple[str, str]],
    question: str,
    named: Callable[[str], str | None],
    t: Catalogue,
    default: str | None = None,
) -> str:
    """List ``choices`` (id, title), then ask until the answer is a number, an id or a title."""
    click.echo(heading)
    for i, (id_, title) in enumerate(choices, 1):
        click.echo(f"  {i}. {title} ({id_})")
    ids = [id_ for id_, _ in choices]
    while True:
        answer = _text(question, default=default)
        if answer.isdigit() and 1 <= int(answer) <= len(ids):
            return ids[int(answer) - 1]
        found = named(answer)
        if found in ids:
            return found
        click.echo(t("'%(answer)s' is not one of them", answer=answer))


def _text(question: str, default: str | None = None) -> str:
    while True:
        answer = str(click.prompt(question, default=default)).strip()
        if answer:
            return answer


def _owners(portfolio: Portfolio) -> list[str]:
    """The owners of the engagements, most engagements first."""
    found = Counter(e.index.data.owner for e in portfolio.engagements if e.index is not None)
    return [name for name, _ in found.most_common()]


_ID = re.compile(r"^(\d{4})-(\d{3})-")


def _next_id(portfolio: Portfolio) -> str:
    """The next number of this year, as the existing folders count: ``2026-012-``."""
    year = portfolio.workspace.today().year
    numbers = [
        int(m[2]) for e in portfolio.engagements if (m := _ID.match(e.id)) and int(m[1]) == year
    ]
    return f"{year}-{max(numbers, default=0) + 1:03d}-"
