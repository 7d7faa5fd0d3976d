"""The procedure page's view: stages, steps, items, gates in words, modes and policies."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from docgen.i18n import Catalogue
from docgen.process import Process
from docgen.site.labels import describe_rule


@dataclass(frozen=True)
class ProcedureItem:
    """A checklist item as the procedure page lists it."""

    title: str
    required: bool
    evidence: bool


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
class Procedure:
    """The procedure as the process file defines it."""

    title: str
    stages: list[ProcedureStage]
    modes: list[str]
    categories: list[str]
    high_threshold: int
    policies: list[str]


def procedure(process: Process, t: Catalogue) -> Procedure:
    """Stages, steps, items, gates in words, documents, modes and policies."""
    docs: dict[str, list[str]] = defaultdict(list)
    for kind in process.documents:
        docs[kind.stage].append(kind.title)
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
                        [ProcedureItem(i.title, i.required, bool(i.evidence)) for i in step.items],
                    )
                    for step in stage.steps
                ],
                docs.get(stage.id, []),
                [Gate(rule.message, describe_rule(rule, process, t)) for rule in stage.entry],
                [Gate(rule.message, describe_rule(rule, process, t)) for rule in stage.gate],
            )
            for number, stage in enumerate(process.stages, 1)
        ],
        modes=[m.title for m in process.modes],
        categories=[c.title for c in process.risk.categories],
        high_threshold=process.risk.high_threshold,
        policies=[p.title for p in process.policies],
    )
