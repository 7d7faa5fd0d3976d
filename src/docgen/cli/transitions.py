"""The commands that move an engagement or a record on, made from one table.

Each is ``docgen NAME ID [its own arguments and options] [--dry-run] [--commit]
[--force] [--root]``: it loads the one engagement, asks the library for the change
(`docgen.edits.workflow.Transition`), and either refuses with the rules unmet, shows the diff,
or writes it.  The table says only what differs: the name, the help, the command's own
parameters and which planner to call with them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from docgen.cli import report
from docgen.cli.common import ROOT, console
from docgen.cli.voice import words

if TYPE_CHECKING:  # the commands import them when they run: `docgen --help` stays quick
    from docgen.edits.workflow import Transition
    from docgen.workspace.load import Portfolio

F = TypeVar("F", bound=Callable[..., Any])


#: ``--dry-run``, ``--commit``, ``--force`` and ``--root``, as every change has them
_COMMON: list[tuple[str, dict[str, Any]]] = [
    ("--dry-run", {"is_flag": True, "help": "Show the diff; write nothing."}),
    ("--commit", {"is_flag": True, "help": "Make a git commit of the change."}),
    ("--force", {"is_flag": True, "help": "Write over uncommitted changes."}),
    ("--root", ROOT),
]


def _common() -> list[click.Option]:
    return [click.Option([name], **kwargs) for name, kwargs in _COMMON]


def transition_options(func: F) -> F:
    """The common options on a command written as a function (``add``, ``done``)."""
    for name, kwargs in reversed(_COMMON):
        func = click.option(name, **kwargs)(func)
    return func


def run_transition(plan: Transition, root: Path, dry_run: bool, commit: bool, force: bool) -> None:
    """Refuse with the unmet rules (exit 1), show the diff, or write the change."""
    from docgen.edits import workflow

    out, t = console(), words()
    summary = t.say(plan.summary)
    if plan.unmet:
        report.print_diagnostics(out, plan.unmet, t)
        console(err=True).print(
            t(
                "%(summary)s: refused, %(count)s rule(s) unmet",
                summary=summary,
                count=len(plan.unmet),
            ),
            markup=False,
            soft_wrap=True,
        )
        sys.exit(1)
    if dry_run:
        click.echo(workflow.diff(plan, root, t), nl=False)
        return
    workflow.apply(plan, root, commit=commit, force=force, message=summary)
    said = t("%(summary)s (committed)", summary=summary) if commit else summary
    out.print(said, markup=False, soft_wrap=True)


Planner = Callable[["Portfolio", str, dict[str, Any]], "Transition"]


@dataclass(frozen=True)
class Change:
    """One command of the table: what it is called, says, takes and plans."""

    name: str
    help: str
    params: tuple[click.Parameter, ...]
    plan: Planner


def _date(name: str, **kwargs: Any) -> click.Option:
    return click.Option(["--date", name], type=click.DateTime(["%Y-%m-%d"]), **kwargs)


def _advance(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.workflow import plan_advance

    return plan_advance(p, id_, o["to"])


def _terminate(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.workflow import plan_terminate

    return plan_terminate(p, id_, o["reason"])


def _choose(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.workflow import plan_choose

    if o["new_id"] is not None and not o["title"]:
        raise click.UsageError(words()("Missing %(options)s", options="--title"))
    new = (o["new_id"], o["title"] or "") if o["new_id"] is not None else None
    return plan_choose(p, id_, o["applicant_id"], new)


def _close_lost(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.workflow import plan_close_lost

    return plan_close_lost(p, id_, o["reason"])


def _renew(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.workflow import plan_renew

    return plan_renew(p, id_)


def _approve(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.signing import plan_approve

    day: datetime | None = o["day"]
    return plan_approve(p, id_, o["doc_id"], o["by"], o["role"], day.date() if day else None)


def _sign(p: Portfolio, id_: str, o: dict[str, Any]) -> Transition:
    from docgen.edits.signing import plan_sign

    return plan_sign(p, id_, o["doc_id"], o["day"].date(), o["executed"])


DOC = click.Argument(["doc_id"], metavar="DOC")

#: every command that changes an engagement's state or a document's record
CHANGES = [
    Change(
        "advance",
        "Move an engagement to its next stage once the gates are met.",
        (
            click.Option(
                ["--to", "to"], default=None, help="Target stage id (default: the next stage)."
            ),
        ),
        _advance,
    ),
    Change(
        "terminate",
        "Terminate an engagement once settlement is done (资源清算、债权债务).",
        (
            click.Option(
                ["--reason"], required=True, help="Why the cooperation ends (recorded in index.md)."
            ),
        ),
        _terminate,
    ),
    Change(
        "choose",
        "Make a shortlisted applicant the engagement's partner (name, credit code, size …).",
        (
            click.Argument(["applicant_id"], metavar="APPLICANT"),
            click.Option(
                ["--new", "new_id"],
                default=None,
                metavar="NEW_ID",
                help="A new engagement instead.",
            ),
            click.Option(["--title"], default=None, help="The new engagement's name (with --new)."),
        ),
        _choose,
    ),
    Change(
        "close-lost",
        "Close a lead that will not be signed, at any stage before signing, with its reason.",
        (
            click.Option(
                ["--reason"], required=True, help="Why the lead closed (recorded in index.md)."
            ),
        ),
        _close_lost,
    ),
    Change("renew", "Mark an engagement renewed once the renewal agreement is signed.", (), _renew),
    Change(
        "approve",
        "Record an approval of a document's current version, and freeze its text.",
        (
            DOC,
            click.Option(["--by"], required=True, help="Who approves (recorded with the version)."),
            click.Option(["--role"], default=None, help="Their role, e.g. 集团总经理 or 法律顾问."),
            _date("day", default=None, help="Default: today."),
        ),
        _approve,
    ),
    Change(
        "sign",
        "Record the signing of a document's approved version, and freeze the signed text.",
        (
            DOC,
            _date("day", required=True),
            click.Option(
                ["--executed"],
                type=click.Path(dir_okay=False, exists=True, path_type=Path),
                default=None,
                help=(
                    "The scanned executed copy, a file in the engagement folder "
                    "(its sha256 is kept)."
                ),
            ),
        ),
        _sign,
    ),
]


def _command(change: Change) -> click.Command:
    def callback(
        engagement_id: str, dry_run: bool, commit: bool, force: bool, root: Path | None, **own: Any
    ) -> None:
        from docgen.workspace.load import load_portfolio

        portfolio = load_portfolio(root, [engagement_id])
        plan = change.plan(portfolio, engagement_id, own)
        run_transition(plan, portfolio.workspace.root, dry_run, commit, force)

    return click.Command(
        change.name,
        callback=callback,
        params=[click.Argument(["engagement_id"], metavar="ID"), *change.params, *_common()],
        help=change.help,
    )


def add_transitions(group: click.Group) -> None:
    """Add every command of `CHANGES` to ``group``."""
    for change in CHANGES:
        group.add_command(_command(change))
