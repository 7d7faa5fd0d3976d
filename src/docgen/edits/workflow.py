"""Transitions: advance, terminate, renew — gated by the process, written safely.

A transition is planned first (`Transition`: the unmet rules, and the new bytes of each
file it touches), then shown (`diff`) or applied (`apply`).  Nothing is written while a
rule is unmet.  Writes are atomic and surgical (`docgen.workspace.edit`); with ``commit`` the
change becomes one git commit, and files with uncommitted changes are refused unless
``force``.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docgen.checks.rules import diagnose
from docgen.core.atomic import stray_temporaries, write_all_atomic, write_atomic
from docgen.core.diagnostics import Diagnostic, DocgenError, Location
from docgen.core.i18n import Catalogue, Message, msg
from docgen.domain import vocabulary
from docgen.domain.engagement import Engagement
from docgen.domain.model import Applicant, EngagementIndex
from docgen.domain.rules import Context, Rule, item_state
from docgen.domain.screening import rank
from docgen.domain.terms import current_term
from docgen.edits.scaffold import new_engagement, stage_file_text
from docgen.workspace.edit import FrontMatterEdit
from docgen.workspace.load import Portfolio

#: the statuses that may still change: a renewed cooperation runs on, in its new term
OPEN_STATUSES = ("active", "on-hold", "renewed")


@dataclass
class Transition:
    """A planned change of one engagement: what blocks it and what it would write."""

    #: None for a change across engagements (an import)
    engagement: Engagement | None
    summary: str
    unmet: list[Diagnostic]
    writes: dict[Path, bytes] = field(default_factory=dict)
    #: what the change makes after its writes (a new engagement), returning its paths
    after: Callable[[], list[Path]] | None = None

    @property
    def allowed(self) -> bool:
        """Whether every rule is met."""
        return not self.unmet


def _start(
    portfolio: Portfolio, engagement_id: str, today: date | None
) -> tuple[Engagement, EngagementIndex, FrontMatterEdit, date]:
    """The engagement (fully loaded and open), its index data, an editor on it, and today."""
    e = portfolio.editable(engagement_id)
    assert e.index is not None  # editable: every file loaded
    data = e.index.data
    if data.status not in OPEN_STATUSES:
        raise DocgenError(
            msg(
                ("%(id)s is %(status)s; only active or on-hold engagements change"),
                id=e.id,
                status=data.status,
            )
        )
    edit = FrontMatterEdit.open(e.folder / "index.md", e.index.path)
    return e, data, edit, today or portfolio.workspace.today()


def _check(
    portfolio: Portfolio,
    e: Engagement,
    today: date,
    checks: list[tuple[str, list[Rule], Message]],
    this_term: bool = False,
) -> list[Diagnostic]:
    assert e.index is not None
    out: list[Diagnostic] = []
    seen: set[tuple[Location, str]] = set()  # an item unmet under two rules is said once
    for stage_id, rules, prefix in checks:
        ctx = Context(e, portfolio.process, today, stage_id, e.index.data.stage, this_term)
        out.extend(diagnose(rules, ctx, "error", "gate-unmet", prefix, seen))
    ctx = Context(e, portfolio.process, today, e.index.data.stage, e.index.data.stage)
    out.extend(diagnose(portfolio.process.invariants, ctx, "error", "gate-unmet", "", seen))
    return out


def plan_advance(
    portfolio: Portfolio, engagement_id: str, to: str | None = None, today: date | None = None
) -> Transition:
    """Plan moving an engagement to the next stage (or to ``to``, checking every gate between)."""
    process = portfolio.process
    e, data, edit, today = _start(portfolio, engagement_id, today)
    current = process.stage_index[data.stage]
    if to is None:
        if current + 1 >= len(process.stages):
            raise DocgenError(
                msg(
                    ("%(id)s is in the last stage; use 'docgen terminate' or 'docgen renew'"),
                    id=e.id,
                )
            )
        target = current + 1
    elif to not in process.stage_index:
        raise DocgenError(
            msg(
                "unknown stage '%(to)s'; stages: %(stage_index)s",
                to=to,
                stage_index=", ".join(process.stage_index),
            )
        )
    else:
        target = process.stage_index[to]
        if target <= current:
            raise DocgenError(
                msg(
                    "%(id)s is already in %(stage)s; advance only moves forward",
                    id=e.id,
                    stage=data.stage,
                )
            )
    checks: list[tuple[str, list[Rule], Message]] = []
    for stage in process.stages[current:target]:
        checks.append((stage.id, stage.gate, msg("[leaving %(stage)s] ", stage=stage.title)))
    for stage in process.stages[current + 1 : target + 1]:
        checks.append((stage.id, stage.entry, msg("[entering %(stage)s] ", stage=stage.title)))
    new_stage = process.stages[target]
    summary = msg(
        "advance %(id)s: %(old)s → %(new)s",
        id=e.id,
        old=process.stages[current].title,
        new=new_stage.title,
    )
    plan = Transition(e, summary, _check(portfolio, e, today, checks))
    edit.set(("stage",), new_stage.id, comment=(process.stages[current].title, new_stage.title))
    plan.writes[edit.path] = edit.result()
    stage_path = e.folder / new_stage.file
    if not stage_path.exists():
        text = stage_file_text(portfolio.workspace, process, new_stage.id, data.owner, data.origin)
        plan.writes[stage_path] = text.encode("utf-8")
    return plan


def plan_terminate(
    portfolio: Portfolio, engagement_id: str, reason: str, today: date | None = None
) -> Transition:
    """Plan terminating an engagement: the process's terminate gate, then status and date."""
    return _plan_status(portfolio, engagement_id, "terminated", reason, today)


def plan_close_lost(
    portfolio: Portfolio, engagement_id: str, reason: str, today: date | None = None
) -> Transition:
    """Plan closing a lead that will not be signed: before signing, with its reason."""
    return _plan_status(portfolio, engagement_id, "lost", reason, today)


def plan_renew(portfolio: Portfolio, engagement_id: str, today: date | None = None) -> Transition:
    """Plan renewing an engagement: the process's renew gate, then its status."""
    return _plan_status(portfolio, engagement_id, "renewed", None, today)


def _plan_status(
    portfolio: Portfolio, engagement_id: str, status: str, reason: str | None, today: date | None
) -> Transition:
    process = portfolio.process
    e, data, edit, today = _start(portfolio, engagement_id, today)
    transition = next((t for t in process.transitions.values() if t.status == status), None)
    if transition is None:
        raise DocgenError(
            msg("the process file defines no transition to '%(status)s'", status=status)
        )
    if reason is not None and not reason.strip():
        raise DocgenError(msg("--reason must not be empty"))
    prefix = msg("[%(transition)s] ", transition=transition.title)
    renewing = status == "renewed"
    unmet = _check(portfolio, e, today, [(data.stage, transition.gate, prefix)], renewing)
    if renewing:
        unmet += _new_term_unmet(e, prefix)
    summary = msg(
        "%(transition)s %(id)s (%(old)s → %(new)s)",
        transition=transition.title,
        id=e.id,
        old=vocabulary.label(vocabulary.STATUS, data.status),
        new=vocabulary.label(vocabulary.STATUS, status),
    )
    plan = Transition(e, summary, unmet)
    edit.set(("status",), status)
    if status in ("terminated", "lost"):
        edit.set(("dates", "closed"), today)
        edit.set(("termination_reason" if status == "terminated" else "lost_reason",), reason)
    if renewing and not unmet:
        _start_new_term(portfolio, e, transition.reopens, edit, plan, today)
    plan.writes[edit.path] = edit.result()
    return plan


def _new_term_unmet(e: Engagement, prefix: Message) -> list[Diagnostic]:
    """The new term's dates must be in ``renewal:`` and start after the current term."""
    assert e.index is not None
    data, where = e.index.data, e.index.at("renewal") if e.index.data.renewal else e.index.at()
    renewal, current = data.renewal, current_term(data)
    if renewal is None or renewal.start is None or renewal.end is None:
        said = msg("write the new term's dates: renewal.start and renewal.end")
    elif current.start is not None and renewal.start <= current.start:
        said = msg(
            "renewal.start (%(start)s) is not after the current term's start (%(current)s): "
            "write the new term's dates",
            start=renewal.start,
            current=current.start,
        )
    else:
        return []
    return [
        where.diagnostic("error", "gate-unmet", msg("%(prefix)s%(said)s", prefix=prefix, said=said))
    ]


def _start_new_term(
    portfolio: Portfolio,
    e: Engagement,
    reopens: list[str],
    edit: FrontMatterEdit,
    plan: Transition,
    today: date,
) -> None:
    """Record the term that ends, start the new one, and re-open the items it redoes."""
    assert e.index is not None and e.index.data.renewal is not None
    data, process = e.index.data, portfolio.process
    current, renewal = current_term(data), e.index.data.renewal
    reopened = [i for i in process.items if i.split(".", 1)[0] in reopens]
    kept: dict[str, dict[str, object]] = {}
    stage_edits: dict[Path, FrontMatterEdit] = {}
    for item_id in reopened:
        file, state = item_state(e, process, item_id, this_term=True)
        if file is None or state is None or state.done is None:
            continue
        kept[item_id] = state.model_dump(exclude_none=True, exclude_defaults=True)
        path = portfolio.workspace.root / file.path
        stage_edit = stage_edits.get(path) or FrontMatterEdit.open(path, file.path)
        stage_edits[path] = stage_edit
        for key in ("done", "by", "evidence"):
            if getattr(state, key) is not None:
                stage_edit.set(("checklist", item_id, key), None)
    past = {"number": current.number, "start": current.start, "end": current.end, "renewed": today}
    edit.append(
        "past_terms",
        {k: v for k, v in past.items() if v is not None} | ({"items": kept} if kept else {}),
    )
    new_term = {"number": current.number + 1, "start": renewal.start, "end": renewal.end}
    if data.term is None:
        edit.add_mapping("term", new_term)
    else:
        for key, value in new_term.items():
            edit.set(("term", key), value)
    for path, stage_edit in stage_edits.items():
        plan.writes[path] = stage_edit.result()


#: lines of a new file a dry run shows (a frozen contract has hundreds)
NEW_FILE_LINES = 12


def diff(plan: Transition, root: Path, t: Catalogue | None = None) -> str:
    """A unified diff of everything the transition would write.

    A new file longer than `NEW_FILE_LINES` (a frozen text) shows its start and how many
    lines more, in ``t``'s language: a dry run is read, not scrolled.
    """
    out: list[str] = []
    for path, new in plan.writes.items():
        old = path.read_bytes().decode("utf-8-sig") if path.exists() else ""
        rel = path.relative_to(root).as_posix()
        lines = new.decode("utf-8-sig").splitlines(keepends=True)
        if not old and len(lines) > NEW_FILE_LINES:
            more = len(lines) - NEW_FILE_LINES
            said = msg("… %(count)s more lines (a new file)", count=more)
            out += [f"--- /dev/null\n+++ b/{rel}\n@@ -0,0 +1,{len(lines)} @@\n"]
            out += [f"+{line}" for line in lines[:NEW_FILE_LINES]]
            out.append(f"+{t.say(said) if t else said}\n")
            continue
        out.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                lines,
                f"a/{rel}" if old else "/dev/null",
                f"b/{rel}",
            )
        )
    return "".join(out)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
    )


def uncommitted(root: Path, paths: list[Path]) -> list[str]:
    """Those of ``paths`` with changes git has not committed (empty outside a repository)."""
    result = _git(root, "status", "--porcelain", "--", *map(str, paths))
    if result.returncode != 0:
        return []
    return [line[3:] for line in result.stdout.splitlines() if not line.startswith("??")]


def _git_unlocked(root: Path) -> None:
    """Refuse before writing anything when git's index is locked (a stale index.lock)."""
    found = _git(root, "rev-parse", "--git-path", "index.lock").stdout.strip()
    lock = Path(found) if os.path.isabs(found) else root / found
    if found and lock.exists():
        raise DocgenError(
            msg(
                "git's index is locked (%(lock)s exists): another git command is running, "
                "or one was interrupted. Nothing was written; when no git command is "
                "running, delete %(lock)s and run this again",
                lock=lock,
            )
        )


def apply(
    plan: Transition,
    root: Path,
    *,
    commit: bool = False,
    force: bool = False,
    message: str | None = None,
    then: Callable[[], list[Path]] | None = None,
) -> None:
    """Write the transition's files atomically; optionally commit them.

    A file with uncommitted changes is edited as it stands; with ``commit`` it is refused
    (unless ``force``), so that the commit holds docgen's change only.
    ``message`` is the commit's, by default the plan's summary.  ``then`` runs after the
    writes and makes more files (an import's new engagements); what it returns is
    committed too.
    """
    if not plan.allowed:
        raise DocgenError(
            msg(
                "%(summary)s: refused, %(count)s rule(s) unmet",
                summary=plan.summary,
                count=len(plan.unmet),
            ),
            plan.unmet,
        )
    paths = list(plan.writes)
    # the edits are made on the files as they are, hand changes kept; only a commit of
    # them would sweep the person's uncommitted changes into docgen's commit
    dirty = uncommitted(root, [p for p in paths if p.exists()]) if commit else []
    if dirty and not force:
        raise DocgenError(
            msg(
                ("uncommitted changes in %(dirty)s; commit them first or pass --force"),
                dirty=", ".join(dirty),
            )
        )
    if commit and _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise DocgenError(msg("--commit needs a git repository; %(root)s is not one", root=root))
    if commit:
        _git_unlocked(root)
    for folder in {p.parent for p in paths}:
        for stray in stray_temporaries(folder):
            stray.unlink(missing_ok=True)  # left by a write that was killed
    write_all_atomic(plan.writes, root)
    for step in (plan.after, then):
        if step is not None:
            paths += step()
    if commit and paths:
        _git(root, "add", "--", *map(str, paths))
        result = _git(root, "commit", "-m", message or plan.summary, "--", *map(str, paths))
        if result.returncode != 0:
            raise DocgenError(
                msg(
                    "git commit failed: %(value)s",
                    value=result.stderr.strip() or result.stdout.strip(),
                )
            )


def plan_choose(
    portfolio: Portfolio,
    engagement_id: str,
    applicant_id: str,
    new: tuple[str, str] | None = None,
) -> Transition:
    """Plan choosing an applicant of the call as the engagement's partner.

    The applicant must be on the shortlist; its name, credit code, size, region and
    industry become the partner's, and applicants.md records the choice.  With ``new``
    (id, title), the partner of a new engagement instead, made as ``docgen new`` makes
    one, with the call's mode and owner.
    """
    e = portfolio.editable(engagement_id)
    assert e.index is not None  # editable: every file loaded
    applicant, unmet = _shortlisted(portfolio, e, applicant_id)
    plan = Transition(
        e, msg("choose %(name)s as the partner of %(id)s", name=applicant.name, id=e.id), unmet
    )
    if unmet:
        return plan
    assert e.applicants is not None
    chosen = FrontMatterEdit.open(portfolio.workspace.root / e.applicants.path, e.applicants.path)
    chosen.set(("chosen",), applicant.id)
    plan.writes[portfolio.workspace.root / e.applicants.path] = chosen.result()
    if new is not None:
        plan.after = lambda: [_new_partner_engagement(portfolio, e, applicant, *new)]
        return plan
    index = FrontMatterEdit.open(e.folder / "index.md", e.index.path)
    for key, value in partner_facts(applicant).items():
        index.set(("partner", key), value)
    plan.writes[index.path] = index.result()
    return plan


def _new_partner_engagement(
    portfolio: Portfolio, call: Engagement, applicant: Applicant, new_id: str, title: str
) -> Path:
    """A new engagement with ``applicant`` as its partner, in the call's mode and owner."""
    assert call.index is not None
    root = portfolio.workspace.root
    folder = new_engagement(
        root,
        new_id,
        title=title,
        partner=applicant.name,
        mode=call.index.data.mode,
        owner=call.index.data.owner,
    )
    index_path = folder / "index.md"
    index = FrontMatterEdit.open(index_path, portfolio.workspace.rel(index_path))
    for key, value in partner_facts(applicant).items():
        index.set(("partner", key), value)
    write_atomic(index_path, index.result(), root=root)
    return folder


def partner_facts(applicant: Applicant) -> dict[str, str]:
    """The partner fields an applicant gives: name, credit code, size, region, industry."""
    facts = {
        "name": applicant.name,
        "credit_code": applicant.credit_code,
        "size": applicant.size,
        "region": applicant.region,
        "industry": applicant.industry,
    }
    return {k: v for k, v in facts.items() if v}


def _shortlisted(
    portfolio: Portfolio, e: Engagement, applicant_id: str
) -> tuple[Applicant, list[Diagnostic]]:
    screening = portfolio.process.screening
    if e.applicants is None or screening is None:
        raise DocgenError(
            msg("%(id)s has no applicants.md, or the process file no screening", id=e.id)
        )
    ranked = rank(e.applicants.data.applicants, screening)
    found = next((r for r in ranked if r.applicant.id == applicant_id), None)
    if found is None:
        raise DocgenError(
            msg("no applicant '%(applicant)s' in %(id)s", applicant=applicant_id, id=e.id),
            [],
        )
    if found.passed:
        return found.applicant, []
    index = next(i for i, a in enumerate(e.applicants.data.applicants) if a.id == applicant_id)
    return found.applicant, [
        e.applicants.at("applicants", index).diagnostic(
            "error",
            "gate-unmet",
            msg(
                "%(name)s is not on the shortlist: %(reasons)s",
                name=found.applicant.name,
                reasons=list(found.shortfalls),
            ),
        )
    ]
