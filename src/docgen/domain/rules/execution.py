"""Rule kinds about running the cooperation: high risks, KPIs, the plan, owners."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Literal

from docgen.core.i18n import msg
from docgen.domain.rules.base import Context, RuleKind, Unmet, field_words, is_done, too_few

if TYPE_CHECKING:
    from docgen.core.i18n import Catalogue
    from docgen.domain.process import Process


class HighRisksHandled(RuleKind):
    """Every open risk scoring at least the threshold has owner, response and escalation."""

    kind: Literal["high_risks_handled"]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each open high risk lacking an owner, a response plan or its escalation."""
        risks = ctx.engagement.risks
        if risks is None:
            return
        threshold = ctx.process.risk.high_threshold
        for i, risk in enumerate(risks.data.risks):
            if risk.score < threshold or risk.status == "closed":
                continue
            missing = [
                name
                for name, ok in (
                    (msg("owner"), bool(risk.owner)),
                    (msg("response plan"), bool(risk.response)),
                    (msg("escalation date (escalated)"), risk.escalated is not None),
                )
                if not ok
            ]
            if missing:
                yield Unmet(
                    risks.at("risks", i),
                    msg(
                        "high risk '%(id)s' (%(title)s, %(probability)s×%(impact)s=%(score)s ≥ "
                        "%(threshold)s) has no %(missing)s",
                        id=risk.id,
                        title=risk.title,
                        probability=risk.probability,
                        impact=risk.impact,
                        score=risk.score,
                        threshold=threshold,
                        missing=missing,
                    ),
                    risk.owner,
                )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t(
            "Every open risk with probability × impact of %(threshold)s or more has an owner, "
            "a response plan and has been escalated.",
            threshold=process.risk.high_threshold,
        )


class KpisWithTargets(RuleKind):
    """At least ``min`` KPIs, each with a target."""

    kind: Literal["kpis_with_targets"]
    min: int = 1

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Too few KPIs, and each KPI without a target."""
        kpis = ctx.engagement.kpis
        listed = kpis.data.kpis if kpis else []
        if len(listed) < self.min:
            yield too_few(ctx, kpis, "kpis.md", len(listed), self.min, msg("KPI(s)"))
        for i, kpi in enumerate(listed):
            if kpi.target is None and kpis is not None:
                yield Unmet(
                    kpis.at("kpis", i),
                    msg("KPI '%(id)s' (%(metric)s) has no target", id=kpi.id, metric=kpi.metric),
                )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t.ngettext(
            "At least %(num)s KPI, each with a target.",
            "At least %(num)s KPIs, each with a target.",
            self.min,
        )


class PlanWithOwners(RuleKind):
    """At least ``min_tasks`` tasks, each carrying the listed fields."""

    kind: Literal["plan_with_owners"]
    min_tasks: int = 1
    fields: list[Literal["owner", "due", "deliverable"]] = ["owner", "due"]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Too few tasks, and each open task lacking one of the fields."""
        plan = ctx.engagement.plan
        tasks = plan.data.tasks if plan else []
        if len(tasks) < self.min_tasks:
            yield too_few(ctx, plan, "plan.md", len(tasks), self.min_tasks, msg("task(s)"))
        for i, task in enumerate(tasks):
            missing = [f for f in self.fields if not getattr(task, f)]
            if missing and plan is not None and task.status != "cancelled":
                yield Unmet(
                    plan.at("tasks", i),
                    msg(
                        "task '%(id)s' (%(title)s) has no %(missing)s",
                        id=task.id,
                        title=task.title,
                        missing=missing,
                    ),
                    task.owner,
                )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        fields = t.join([field_words(f"tasks.{name}", t) for name in self.fields])
        return t.ngettext(
            "At least %(num)s task in the plan, each with %(fields)s.",
            "At least %(num)s tasks in the plan, each with %(fields)s.",
            self.min_tasks,
            fields=fields,
        )


class OwnersNamed(RuleKind):
    """Open checklist items with a due date, tasks and risks all name an owner."""

    kind: Literal["owners_named"]

    def unmet(self, ctx: Context) -> Iterator[Unmet]:
        """Each open item with a due date, open task and open risk that names no owner."""
        e = ctx.engagement
        for stage_file in e.stages.values():
            for item_id, state in stage_file.data.checklist.items():
                if state and state.due and not state.owner and not is_done(state):
                    yield Unmet(
                        stage_file.at("checklist", item_id),
                        msg("'%(item_id)s' has a due date but no owner", item_id=item_id),
                    )
        if e.plan:
            for i, task in enumerate(e.plan.data.tasks):
                if not task.owner and task.status not in ("done", "cancelled"):
                    yield Unmet(
                        e.plan.at("tasks", i), msg("task '%(id)s' has no owner", id=task.id)
                    )
        if e.risks:
            for i, risk in enumerate(e.risks.data.risks):
                if not risk.owner and risk.status != "closed":
                    yield Unmet(
                        e.risks.at("risks", i), msg("risk '%(id)s' has no owner", id=risk.id)
                    )

    def describe(self, process: Process, t: Catalogue) -> str:
        """What the rule checks, in the reader's words."""
        return t("Open checklist items with a due date, tasks and risks all name an owner.")
