"""The ``docgen`` command line: parses arguments, calls the library, prints results.

No business logic lives here.  `DocgenError` is caught once, in `main`.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sys
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from docgen.cli import report
from docgen.cli.common import console, root_option
from docgen.cli.transitions import add_transitions
from docgen.cli.transitions import run_transition as _run_transition
from docgen.cli.transitions import transition_options as _transition_options
from docgen.cli.voice import SpeakingGroup, language_of, speak, words
from docgen.core.diagnostics import DocgenError, sort_key, to_codequality, to_github, to_json
from docgen.core.i18n import LANGUAGES, catalogue, msg
from docgen.domain import aliases
from docgen.edits import ci as ci_module
from docgen.workspace.config import open_workspace

F = TypeVar("F", bound=Callable[..., Any])
_console = console


@click.group(cls=SpeakingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="docgen")
@click.option(
    "--lang",
    type=click.Choice(LANGUAGES),
    default=None,
    help="Language of messages and help (default: $DOCGEN_LANG, $LANG, the workspace's).",
)
def cli(lang: str | None) -> None:
    """Docs-as-code for 招商合作 engagements: validate, status, documents, site."""


add_transitions(cli)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Process language.")
@click.option(
    "--ci",
    "hosts",
    type=click.Choice(list(ci_module.HOSTS)),
    multiple=True,
    help="Also a CI workflow for this git host (validate, publish, remind); repeatable.",
)
@click.option("--name", default=None, help="The site's name (e.g. 苏州工业园区招商项目库).")
@click.option(
    "--organization",
    default=None,
    help="Your organisation's registered name: our side of every agreement.",
)
def init(
    directory: Path,
    lang: str,
    hosts: tuple[ci_module.Host, ...],
    name: str | None,
    organization: str | None,
) -> None:
    """Make a workspace in DIRECTORY (existing files are kept)."""
    from docgen.edits.scaffold import init_workspace

    result = init_workspace(directory, lang, site_name=name, organization=organization)
    if hosts:
        settings = ci_module.settings(directory.resolve())
        for host in hosts:
            rel, written = ci_module.write(directory.resolve(), host, settings)
            (result.written if written else result.kept).append(rel)
    out, t = _console(), words()
    for rel, count in _grouped(result.written):
        line = t("wrote %(file)s", file=directory / rel)
        out.print(line + (t(" (%(count)s files)", count=count) if count > 1 else ""), markup=False)
    for rel, count in _grouped(result.kept):
        line = t("kept %(file)s (exists)", file=directory / rel)
        out.print(line + (t(" (%(count)s files)", count=count) if count > 1 else ""), markup=False)
    said = {
        "made": t("made %(folder)s a git repository: commit your work as you go", folder=directory),
        "exists": t("%(folder)s is in a git repository already", folder=directory),
        "none": t(
            "git is not installed: install it and run git init in %(folder)s", folder=directory
        ),
    }
    out.print(said[result.git], markup=False)
    out.print(t("Next:"), markup=False)
    for step in (
        f"cd {directory}",
        t("docgen new 2026-001-example --title NAME --partner COMPANY --mode MODE --owner YOU"),
        "docgen validate",
        "docgen publish",
    ):
        out.print(f"  {step}", markup=False)


def _grouped(paths: list[str]) -> list[tuple[str, int]]:
    """``paths`` with each folder of more than three of them said once, with its count."""
    counts = Counter(rel.rpartition("/")[0] for rel in paths)
    out: dict[str, int] = {}
    for rel in paths:
        folder = rel.rpartition("/")[0]
        if counts[folder] > 3:
            out[folder + "/"] = counts[folder]
        else:
            out[rel] = 1
    return list(out.items())


@cli.command()
@click.argument("engagement_id", metavar="ID", required=False)
@click.option("--title", help="Chinese name of the engagement.")
@click.option("--partner", help="Partner company's full name.")
@click.option("--mode", help="Cooperation mode id or title (合资, agency …).")
@click.option("--owner", help="Who owns the engagement.")
@click.option("--code", default=None, help="Project number, e.g. ZS-2026-007.")
@click.option(
    "--origin",
    default=None,
    help="How the lead came in (公开招商, 定向招商, 主动来访, 以商引商; default: the first).",
)
@root_option
def new(
    engagement_id: str | None,
    title: str | None,
    partner: str | None,
    mode: str | None,
    owner: str | None,
    code: str | None,
    origin: str | None,
    root: Path | None,
) -> None:
    """Scaffold engagements/ID from templates/engagement/ (on a terminal, asks what is missing)."""
    from docgen.cli import prompts
    from docgen.edits.scaffold import new_engagement

    given = prompts.NewEngagement(engagement_id, title, partner, mode, owner, code, origin)
    if given.missing():
        if not prompts.interactive():
            t = words()
            raise click.UsageError(t("Missing %(options)s", options=", ".join(given.missing())))
        given = prompts.ask_new_engagement(given, root, words())
    assert not given.missing()
    folder = new_engagement(
        root,
        given.engagement_id or "",
        title=given.title or "",
        partner=given.partner or "",
        mode=given.mode or "",
        owner=given.owner or "",
        code=given.code,
        origin=given.origin,
    )
    t = words()
    _console().print(t("created %(folder)s", folder=folder), markup=False)


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "gitlab"]),
    default="text",
    show_default=True,
    help="github: annotations (workflow commands); gitlab: a Code Quality report.",
)
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option(
    "--jobs", "-j", type=click.IntRange(1), default=None, help="Processes (default: all cores)."
)
@root_option
def validate(
    ids: tuple[str, ...], fmt: str, strict: bool, jobs: int | None, root: Path | None
) -> None:
    """Check engagements; exit 0 clean, 1 findings, 2 usage or workspace problems."""
    from docgen.checks.validate import validate as run_validate

    result = run_validate(root, list(ids) if ids else None, jobs)
    diagnostics = result.diagnostics
    t = words()
    if fmt == "json":
        click.echo(to_json(diagnostics, t))
    elif fmt == "github":
        click.echo(to_github(diagnostics, t))
        report.print_summary(_console(err=True), diagnostics, result.engagements, t)
    elif fmt == "gitlab":
        click.echo(to_codequality(diagnostics, t))
    else:
        report.print_diagnostics(_console(), diagnostics, t)
        report.print_summary(_console(err=True), diagnostics, result.engagements, t)
    failed = any(d.is_error or strict for d in diagnostics)
    sys.exit(1 if failed else 0)


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option(
    "--doc",
    "docs",
    multiple=True,
    metavar="DOC",
    help="Only this document (cooperation-agreement; cooperation-agreement.en for one "
    "language); repeatable.",
)
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Every document the process names, not only those of the stages reached.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/documents).",
)
@click.option("--force", is_flag=True, help="Rebuild documents whose inputs did not change.")
@click.option(
    "--pdf",
    is_flag=True,
    help="A PDF beside each .docx too, through LibreOffice (目录 updated, fonts embedded).",
)
@click.option(
    "--period",
    default=None,
    metavar="PERIOD",
    help="The periodic documents (评估报告) for one period: 2026, 2026-H1, 2026-Q3, 2026-08.",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(1), default=None, help="Processes (default: all cores)."
)
@root_option
def render(
    ids: tuple[str, ...],
    docs: tuple[str, ...],
    every: bool,
    out_dir: Path | None,
    force: bool,
    pdf: bool,
    period: str | None,
    jobs: int | None,
    root: Path | None,
) -> None:
    """Render Word documents: <out>/<ID>/<doc>.docx; only what changed is rebuilt."""
    from docgen.pipeline.render import render_documents  # python-docx: only when rendering

    t = words()
    with report.RenderProgress(_console(err=True), t) as progress:
        result = render_documents(
            root,
            list(ids) if ids else None,
            list(docs) or None,
            every,
            out_dir,
            jobs,
            force,
            progress.update,
            pdf="all" if pdf else "none",
            period=period,
        )
    report.print_diagnostics(_console(), result.diagnostics, t)
    _console(err=True).print(report.render_summary(result, t), markup=False)
    sys.exit(0 if result.ok else 1)


@cli.command()
@click.option(
    "--audience",
    type=click.Choice(["internal", "partner"]),
    default="internal",
    show_default=True,
    help="partner: only what partners may see (pages, search, documents, charts).",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the site goes (default: build/site, build/site-partner).",
)
@click.option(
    "--jobs", "-j", type=click.IntRange(1), default=None, help="Processes (default: all cores)."
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Publish the engagements without errors; the dashboard names the rest (exit 1).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="A site that works opened from disk (file://), search included: for a zip.",
)
@root_option
def publish(
    audience: str,
    site_dir: Path | None,
    jobs: int | None,
    keep_going: bool,
    offline: bool,
    root: Path | None,
) -> None:
    """Validate, render every .docx, and build the site (mkdocs build --strict)."""
    from docgen.pipeline.publish import publish as run_publish  # MkDocs: only when publishing

    t = words()
    with report.RenderProgress(_console(err=True), t) as progress:
        result = run_publish(
            root,
            audience,  # type: ignore[arg-type]
            site_dir,
            jobs,
            progress.update,
            keep_going,
            offline,
        )
    report.print_diagnostics(_console(), result.diagnostics, t)
    err = _console(err=True)
    if result.render is not None:
        err.print(
            t(
                "%(written)s document(s) written, %(unchanged)s unchanged, %(pdfs)s PDF(s) "
                "of approved or signed documents made",
                written=len(result.render.written),
                unchanged=len(result.render.unchanged),
                pdfs=len(result.render.pdfs),
            ),
            markup=False,
        )
    if result.built:
        err.print(t("site written to %(folder)s", folder=result.site_dir), markup=False)
    if result.left_out:
        err.print(
            t("left out for their errors: %(ids)s", ids=", ".join(result.left_out)),
            markup=False,
        )
    failed = not result.built or any(d.is_error for d in result.diagnostics)
    sys.exit(1 if failed else 0)


def _days(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.strip().lower()
    if text.endswith("w") and text[:-1].isdigit():
        return int(text[:-1]) * 7
    if text.removesuffix("d").isdigit():
        return int(text.removesuffix("d"))
    t = words()
    raise click.BadParameter(
        t("'%(value)s' is not a period like 14d or 2w", value=value), param_hint="--due"
    )


@cli.command()
@click.argument("engagement_id", metavar="[ID]", required=False)
@click.option(
    "--due", default=None, help="Overdue and upcoming items within a period (14d, 2w), by owner."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@root_option
def status(engagement_id: str | None, due: str | None, fmt: str, root: Path | None) -> None:
    """The portfolio at a glance, or one engagement's checklist."""
    from docgen.checks.status import engagement_status, portfolio_status
    from docgen.tracking import reminders
    from docgen.workspace.load import load_portfolio

    horizon = _days(due)
    portfolio = load_portfolio(root, [engagement_id] if engagement_id else None)
    today = portfolio.workspace.today()
    out, t = _console(), words()
    if fmt == "json":
        click.echo(report.status_json(portfolio_status(portfolio), today))
    elif horizon is not None:
        report.print_reminders(
            out,
            reminders.due_by_owner(portfolio, today, horizon),
            reminders.stale(portfolio, today),
            today,
            horizon,
            t,
        )
    elif engagement_id:
        from docgen.edits.next_steps import next_steps

        row = engagement_status(portfolio.get(engagement_id), portfolio.process, detail=True)
        if row is None:
            raise DocgenError(
                msg("%(id)s/index.md does not load; run docgen validate", id=engagement_id)
            )
        report.print_engagement(out, row, portfolio.process, today, t)
        report.print_next_steps(out, next_steps(portfolio, engagement_id, today), t)
    else:
        report.print_portfolio(out, portfolio_status(portfolio), portfolio.process, today, t)
    broken = len(portfolio.diagnostics)
    if broken:
        _console(err=True).print(
            t("%(count)s file problem(s) left some data out; run 'docgen validate'", count=broken),
            markup=False,
        )


@cli.command()
@click.option(
    "--due", default=None, help="How far ahead to look (14d, 2w; default: reminders.days)."
)
@click.option("--send", is_flag=True, help="Send; without it, show what would be sent.")
@root_option
def remind(due: str | None, send: bool, root: Path | None) -> None:
    """Tell each owner their overdue and due-soon items, and their stale engagements."""
    from docgen.tracking import delivery
    from docgen.workspace.load import load_portfolio

    t = words()
    portfolio = load_portfolio(root)
    config = portfolio.workspace.config.reminders
    horizon = _days(due)
    days = config.days if horizon is None else horizon
    notices = delivery.notices(portfolio, portfolio.workspace.today(), days, t)
    out, err = _console(), _console(err=True)
    names = [delivery.channel_name(c) for c in config.channels]
    if config.channels:  # said before anything is sent: whom no channel will reach
        theirs = delivery.partner_contacts(portfolio)
        for owner in delivery.unreachable(notices, config.channels):
            if owner in theirs:
                why = t(
                    "%(owner)s is a contact at %(partner)s: tell them yourself",
                    owner=owner,
                    partner=theirs[owner],
                )
            else:
                why = t(
                    "%(owner)s: no channel reaches them "
                    "(no group robot, no e-mail address under addresses:)",
                    owner=owner,
                )
            err.print(t("warning: %(what)s", what=why), markup=False, soft_wrap=True)
    if not send:
        for notice in notices:
            out.print(notice.markdown() + "\n", markup=False)
        for channel in config.channels:
            problem = delivery.channel_problem(channel, os.environ, t)
            if problem:  # said before --send is tried, never with the URL
                name = delivery.channel_name(channel)
                err.print(
                    t("%(channel)s: not sent: %(reason)s", channel=name, reason=problem),
                    markup=False,
                )
        err.print(
            t(
                "%(count)s owner(s) to remind; --send sends to: %(channels)s",
                count=len(notices),
                channels=names or [t("no channel (reminders.channels in mkdocs.yml)")],
            ),
            markup=False,
        )
        return
    outcomes = delivery.deliver(notices, config.channels, os.environ, t)
    for outcome in outcomes:
        err.print(
            t(
                "%(channel)s: sent to %(count)s owner(s)",
                channel=outcome.channel,
                count=len(outcome.sent),
            ),
            markup=False,
        )
        for owner, reason in outcome.failed:
            said = (
                t(
                    "%(channel)s: not sent to %(owner)s: %(reason)s",
                    channel=outcome.channel,
                    owner=owner,
                    reason=reason,
                )
                if owner
                else t("%(channel)s: not sent: %(reason)s", channel=outcome.channel, reason=reason)
            )
            err.print(said, markup=False)
    if not config.channels:
        err.print(t("no channel (reminders.channels in mkdocs.yml)"), markup=False)
    sys.exit(0 if all(o.ok for o in outcomes) and config.channels else 1)


@cli.group()
def export() -> None:
    """Export the portfolio: an .ics calendar or the .xlsx 项目跟踪表."""


@export.command("ics")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@root_option
def export_ics(output: Path | None, root: Path | None) -> None:
    """Milestones, due dates, meetings and action items as calendar events."""
    from docgen.tracking import exports  # openpyxl: only when exporting
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(root)
    data = exports.ics(portfolio)
    if output is None:
        click.echo(data.decode("utf-8"), nl=False)
    else:
        exports.write_export(portfolio, output, data)
        t = words()
        _console(err=True).print(t("wrote %(file)s", file=output), markup=False)


@export.command("xlsx")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@root_option
def export_xlsx(output: Path, root: Path | None) -> None:
    """The 项目跟踪表: engagements, tasks, risks and KPIs on separate sheets."""
    from docgen.tracking import exports
    from docgen.workspace.load import load_portfolio

    exports.xlsx(load_portfolio(root), output)
    t = words()
    _console(err=True).print(t("wrote %(file)s", file=output), markup=False)


class _ValueOption(click.Option):
    """An option whose help lists the values it takes, as the workspace names them."""

    def __init__(self, *args: Any, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        """The option's help, with its values (技术风险、市场风险…) when it has a list."""
        from docgen.workspace.load import open_portfolio

        record = super().get_help_record(ctx)
        if record is None or self.kind is None:
            return record
        if "docgen.domain.process" not in ctx.meta:  # read once for all the options of one --help
            try:
                ctx.meta["docgen.domain.process"] = open_portfolio()[1]
            except DocgenError:
                ctx.meta["docgen.domain.process"] = None  # outside a workspace: no list to show
        process = ctx.meta["docgen.domain.process"]
        if process is None:
            return record
        t = words()
        titles = "、".join(title for _, title in aliases.choices(process, self.kind, t))
        return record[0], t("%(what)s: %(choices)s", what=record[1], choices=titles)


#: the kinds of record `docgen add` adds
_RECORD_KINDS = ("risk", "kpi", "task", "milestone", "meeting", "document")


class _RecordGroup(click.Group):
    """``docgen add``: each kind's command is made when first asked for.

    Its options come from the kind's fields (`docgen.edits.records`), which import the
    checks: made at start-up, they would slow every other command down.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        """The kinds, in their order."""
        return list(_RECORD_KINDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The kind's command, made (and said in the command's language) on first use."""
        if cmd_name in _RECORD_KINDS and cmd_name not in self.commands:
            _add_command(cmd_name)
            speak(self.commands[cmd_name], words())
        return super().get_command(ctx, cmd_name)


@cli.group("add", cls=_RecordGroup)
def add_group() -> None:
    """Add a risk, a KPI, a plan task or milestone, a meeting or a document record."""


def _add_command(kind: str) -> None:
    """``docgen add KIND ID``, its options made from the kind's fields (`records.FIELDS`)."""
    from docgen.edits import records

    fields = records.FIELDS[kind]

    def run(engagement_id: str, dry_run: bool, commit: bool, force: bool, root: Path | None,
            **values: Any) -> None:  # fmt: skip
        from docgen.cli import prompts
        from docgen.workspace.load import load_portfolio

        t = words()
        interactive = sys.stdin.isatty()
        portfolio = load_portfolio(root, [engagement_id])
        process = portfolio.process
        for f in fields:  # a person at a terminal is asked; a script passes flags
            if not (f.required and values.get(f.key) in (None, "") and interactive):
                continue
            if f.kind in aliases.PLACES:
                values[f.key] = prompts.choose(
                    t("%(what)s:", what=t(f.label)),
                    aliases.choices(process, f.kind, t),
                    t("%(what)s (number or name)", what=t(f.label)),
                    functools.partial(process.aliases.id_of, f.kind),
                    t,
                )
            else:
                values[f.key] = click.prompt(t(f.label))
        today = portfolio.workspace.today()
        plan = records.plan_add(portfolio, engagement_id, kind, values, today)
        _run_transition(plan, portfolio.workspace.root, dry_run, commit, force)

    params: list[click.Parameter] = [click.Argument(["engagement_id"], metavar="ID")]
    if kind == "document":
        params.append(click.Argument(["document"], metavar="DOC"))
    else:
        params.append(click.Option(["--id"], default=None, help="Its id (default: the next free)."))
    for f in fields:
        option = [f"--{f.key.replace('_', '-')}", f.key]
        listed = f.kind if f.kind in aliases.PLACES else None
        params.append(_ValueOption(option, default=None, help=f.label, kind=listed))
    command = click.Command(
        kind,
        callback=run,
        params=params,
        help=f"Add a {records.KIND_TITLES[kind]} to engagement ID.",
    )
    add_group.add_command(_transition_options(command))


@cli.command()
@click.argument("engagement_id", metavar="ID")
@click.argument("items", nargs=-1, required=True, metavar="ITEM...")
@click.option("--by", default=None, help="Who did it (default: the item's owner).")
@click.option(
    "--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Default: today."
)
@click.option(
    "--evidence",
    default=None,
    help="The file that shows it was done (or a document's name, e.g. 合作方案).",
)
@click.option("--waive", default=None, metavar="REASON", help="Waive the items, for REASON.")
@_transition_options
def done(
    engagement_id: str,
    items: tuple[str, ...],
    by: str | None,
    day: datetime | None,
    evidence: str | None,
    waive: str | None,
    dry_run: bool,
    commit: bool,
    force: bool,
    root: Path | None,
) -> None:
    """Mark checklist items done (ITEM: an item's or a step's title or id)."""
    from docgen.edits.checkoff import plan_done
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(root, [engagement_id])
    plan = plan_done(
        portfolio,
        engagement_id,
        list(items),
        portfolio.workspace.today(),
        by=by,
        on=day.date() if day else None,
        evidence=evidence,
        waive=waive,
    )
    _run_transition(plan, portfolio.workspace.root, dry_run, commit, force)


@cli.group("import")
def import_group() -> None:
    """Bring the .xlsx 项目跟踪表 (or a team's own sheet) back into the files."""


@import_group.command("xlsx")
@click.argument("workbook", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "mapping_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A team's own sheet: a YAML file mapping its column headers to fields.",
)
@click.option(
    "--column",
    "columns",
    multiple=True,
    metavar="表头=FIELD",
    help="A team's own sheet: one column's field, e.g. 项目名称=title; repeatable.",
)
@_transition_options
def import_xlsx(
    workbook: Path,
    mapping_file: Path | None,
    columns: tuple[str, ...],
    dry_run: bool,
    commit: bool,
    force: bool,
    root: Path | None,
) -> None:
    """Change exactly the cells edited since the export; a new 项目 row is a new engagement."""
    from docgen.edits import workflow
    from docgen.tracking.importer import apply_import, plan_import, read_mapping
    from docgen.workspace.load import load_portfolio

    t = words()
    portfolio = load_portfolio(root)
    mapping = read_mapping(mapping_file, columns, str(mapping_file or ""))
    plan = plan_import(portfolio, workbook, workbook.name, mapping or None)
    out, err = _console(), _console(err=True)
    report.print_diagnostics(out, sorted(plan.findings, key=sort_key), t)
    if not plan.allowed:
        err.print(t("%(file)s: nothing imported; correct the cells above", file=workbook.name))
        sys.exit(1)
    for change in plan.changes:
        out.print(
            f"{change.cell.ref}  {change.rel}  {'.'.join(map(str, change.keys))}: "
            f"{change.old if change.old is not None else '—'} → {change.new}",
            markup=False,
        )
    for addition in plan.additions:
        out.print(
            t(
                "%(cell)s  %(file)s: adds %(key)s %(id)s",
                cell=addition.cell.ref,
                file=addition.rel,
                key=addition.key,
                id=addition.item["id"],
            ),
            markup=False,
        )
    for new in plan.created:
        out.print(
            t(
                "%(cell)s  new engagement %(id)s (%(title)s)",
                cell=new.cell.ref,
                id=new.engagement_id,
                title=new.title,
            ),
            markup=False,
        )
    summary = t(
        "import %(file)s: %(changes)s cell(s) changed, %(added)s row(s) added, "
        "%(created)s engagement(s) created",
        file=workbook.name,
        changes=len(plan.changes),
        added=len(plan.additions),
        created=len(plan.created),
    )
    if dry_run:
        root_dir = portfolio.workspace.root
        click.echo(
            workflow.diff(workflow.Transition(None, summary, [], plan.writes(portfolio)), root_dir),
            nl=False,
        )
        err.print(summary, markup=False)
        return
    apply_import(plan, portfolio, commit=commit, force=force, message=summary)
    err.print(t("%(summary)s (committed)", summary=summary) if commit else summary, markup=False)


@cli.command()
@click.argument("engagement_id", metavar="ID")
@root_option
def screening(engagement_id: str, root: Path | None) -> None:
    """The call's applicants ranked by the process's screening criteria; the shortlist."""
    from docgen.domain.screening import rank
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(root, [engagement_id])
    e, process, t = portfolio.get(engagement_id), portfolio.process, words()
    if e.applicants is None or process.screening is None:
        raise DocgenError(
            msg("%(id)s has no applicants.md, or the process file no screening", id=e.id)
        )
    report.print_ranking(
        _console(), rank(e.applicants.data.applicants, process.screening), process, t
    )


@cli.command()
@click.argument("engagement_id", metavar="ID")
@click.argument("doc_id", metavar="DOC")
@click.option(
    "--from",
    "start",
    default=None,
    metavar="V|REV",
    help="A frozen version (1.0) or a git revision (default: the newest frozen version).",
)
@click.option(
    "--to",
    "end",
    default=None,
    metavar="V|REV",
    help="A frozen version or a git revision (default: the working tree).",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Which text.")
@click.option("--author", default=None, help="Who the revisions are by (default: the reviser).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write (default: <output>/documents/ID/redlines/DOC-FROM-TO.docx).",
)
@root_option
def redline(
    engagement_id: str,
    doc_id: str,
    start: str | None,
    end: str | None,
    lang: str,
    author: str | None,
    output: Path | None,
    root: Path | None,
) -> None:
    """Write a .docx of DOC showing the changes FROM → TO as Word tracked changes."""
    from docgen.pipeline.redline import RedlineRequest, make_redline
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(root, [engagement_id])
    request = RedlineRequest(engagement_id, doc_id, lang, start, end, author)
    path, made, old, new = make_redline(portfolio, request, output)
    t = words()
    _console().print(
        t(
            "wrote %(file)s (%(old)s → %(new)s: %(count)s revision(s))",
            file=path,
            old=old.label,
            new=new.label,
            count=made.revisions,
        ),
        markup=False,
        soft_wrap=True,
    )


@cli.group()
def survey() -> None:
    """The satisfaction survey (双方满意度调查)."""


@survey.command("import")
@click.argument("engagement_id", metavar="ID")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
def survey_import(engagement_id: str, csv_file: Path, root: Path | None) -> None:
    """Store anonymised aggregates of a results CSV in the engagement's survey.md."""
    from docgen.edits import survey as survey_module
    from docgen.workspace.load import load_portfolio

    portfolio = load_portfolio(root, [engagement_id])
    target, encoding = survey_module.import_survey(portfolio, engagement_id, csv_file)
    t = words()
    said = (
        t("wrote %(file)s (read as GB18030/GBK)", file=target)
        if encoding == "gb18030"
        else t("wrote %(file)s", file=target)
    )
    _console().print(said, markup=False)


@cli.group(invoke_without_command=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write the editor into (default: admin/ in the built site).",
)
@root_option
@click.pass_context
def cms(ctx: click.Context, out_dir: Path | None, root: Path | None) -> None:
    """The web editor for people who don't use git: write it into the site."""
    from docgen.workspace.load import load_portfolio

    if ctx.invoked_subcommand is not None:
        return
    from docgen.cms.admin import write_admin
    from docgen.pipeline.publish import default_site_dir

    portfolio = load_portfolio(root)
    target = out_dir or default_site_dir(portfolio.workspace.root, "internal") / "admin"
    write_admin(portfolio, target)
    t = words()
    _console().print(t("wrote %(file)s", file=target / "config.yml"), markup=False)


@cms.command("install")
@root_option
def cms_install(root: Path | None) -> None:
    """Fetch the pinned Decap CMS from the npm registry (once per machine)."""
    from docgen.cms.vendor import install

    folder = install(open_workspace(root))
    t = words()
    _console().print(t("installed the web editor in %(folder)s", folder=folder), markup=False)


@cms.command("serve")
@click.option(
    "--port",
    type=click.IntRange(1024, 65535),
    default=8081,
    show_default=True,
    help="Port on 127.0.0.1 for the editor and its API.",
)
@root_option
def cms_serve(port: int, root: Path | None) -> None:
    """Edit the workspace in the browser, on this computer (Ctrl-C stops)."""
    from docgen.cms.server import serve

    t = words()
    console = _console()

    def ready(url: str) -> None:
        console.print(t("the editor is at %(url)s (Ctrl-C stops it)", url=url), markup=False)

    def saved(paths: list[str]) -> None:
        for path in paths:
            console.print(t("saved %(file)s", file=path), markup=False)

    with contextlib.suppress(KeyboardInterrupt):
        serve(root, port, on_ready=ready, on_saved=saved)


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the .schema.json files (default: schema/ in the workspace).",
)
@root_option
def schema(out_dir: Path | None, root: Path | None) -> None:
    """Write a JSON Schema for every file kind."""
    from docgen.edits import schemas

    for path in schemas.write_schemas(open_workspace(root), out_dir):
        t = words()
        _console().print(t("wrote %(file)s", file=path), markup=False)


def main() -> None:
    """Entry point: run the CLI, turning every `DocgenError` into a message and exit 2."""
    t = catalogue(language_of(sys.argv[1:]))
    try:
        cli(standalone_mode=False, obj=t)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except DocgenError as exc:
        err = _console(err=True)
        report.print_diagnostics(err, exc.diagnostics, t)
        err.print(f"docgen: {t.say(exc.message)}", markup=False, soft_wrap=True)
        sys.exit(exc.exit_code)


def entry() -> None:
    """The ``docgen`` command: `main`, then leave without freeing every object one by one.

    Tearing down the interpreter frees a loaded portfolio object by object: about half a
    second after a publish of 1,000 engagements, for memory the system takes back at
    once.  As mypy does (``util.hard_exit``), output is flushed and the exit handlers
    (temporary folders, logging, worker pools) run first; only the teardown is skipped.
    """
    code = 0
    try:
        main()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            code = 1
        else:
            code = exc.code or 0
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe, a stream already closed
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)
