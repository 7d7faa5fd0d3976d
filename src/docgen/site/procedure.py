"""The procedure page's view: stages, steps, items, gates in words, modes and policies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from docgen.core.i18n import Catalogue
from docgen.domain.process import Process


@dataclass(frozen=True)
class ProcedureItem:
    """A checklist item as the procedure page lists it."""

    title: str
    required: bool
    evidence: bool
    #: the transitions (终止合作, 续约) whose rules need it done, though the stage may not
    needed_for: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ProcedureStep:
    """A step of a stage."""

    phase: str | None
    title: str
    items: list[ProcedureItem]


@dataclass(frozen=True)
class Gate:
    """A rule for leaving a stage: the team's own message, and what it checks."""

    message: str | None
    checks: str


@dataclass(frozen=True)
class ProcedureStage:
    """A stage of the procedure."""

    number: int
    title: str
    steps: list[ProcedureStep]
    documents: list[str]
    entry: list[Gate]
    gates: list[Gate]


@dataclass(frozen=True)
class ProcedureTransition:
    """A way a cooperation leaves its course (终止合作, 续约, 合作未达成) and what it needs."""

    title: str
    gates: list[Gate]


@dataclass(frozen=True)
class Procedure:
    """The procedure as the process file defines it."""

    title: str
    stages: list[ProcedureStage]
    transitions: list[ProcedureTransition]
    modes: list[str]
    categories: list[str]
    high_threshold: int
    policies: list[str]


def procedure(process: Process, t: Catalogue) -> Procedure:
    """Stages, steps, items, gates in words, documents, modes and policies."""
    docs: dict[str, list[str]] = defaultdict(list)
    for kind in process.documents:
        docs[kind.stage].append(kind.title)
    # the same rules the gates check: an item a transition needs is not optional there
    needed: dict[str, list[str]] = defaultdict(list)
    for transition in process.transitions.values():
        for rule in transition.gate:
            for item_id in getattr(rule, "items", []):
                needed[item_id].append(transition.title)
    return Procedure(
        title=process.title,
        stages=[
            ProcedureStage(
                number,
                stage.title,
                [
                    ProcedureStep(
                        getattr(step, "phase", None),
                        step.title,
                        [
                            ProcedureItem(
                                i.title, i.required, bool(i.evidence), needed[f"{step.id}.{i.id}"]
                            )
                            for i in step.items
                        ],
                    )
                    for step in stage.steps
                ],
                docs.get(stage.id, []),
                [Gate(rule.message, rule.describe(process, t)) for rule in stage.entry],
                [Gate(rule.message, rule.describe(process, t)) for rule in stage.gate],
            )
            for number, stage in enumerate(process.stages, 1)
        ],
        transitions=[
            ProcedureTransition(
                transition.title,
                [Gate(rule.message, rule.describe(process, t)) for rule in transition.gate],
            )
            for transition in process.transitions.values()
        ],
        modes=[m.title for m in process.modes],
        categories=[c.title for c in process.risk.categories],
        high_threshold=process.risk.high_threshold,
        policies=[p.title for p in process.policies],
    )
