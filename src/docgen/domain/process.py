"""The process definition: stages, steps, checklist items, documents and rules as data.

A team changes its process by editing ``templates/process.yml``; nothing here names a
stage or an item.  The default (Chinese, from 招商合作流程规程) and an English process
ship in ``docgen/data``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from docgen.core.diagnostics import Diagnostic, DocgenError, FileProblem
from docgen.core.i18n import msg
from docgen.core.schema import Strict, validate_model
from docgen.core.source import SourceMap, read_yaml
from docgen.domain.aliases import Aliases, aliases_for, fold
from docgen.domain.ids import Id
from docgen.domain.rules import ItemsBefore, Rule

Severity = Literal["error", "warning"]


# --- structure -----------------------------------------------------------------------


class Item(Strict):
    """One checklist item: a stable id (``step.item``) and its title."""

    id: Id
    title: str
    required: bool = True
    internal: bool = False
    evidence: bool = False


class Step(Strict):
    """A step of a stage (市场调研与分析, 召开启动会议, …) grouping items."""

    id: Id
    title: str
    phase: str | None = None
    documents: list[Id] = []
    items: list[Item]
    #: the origins of a lead this step applies to (none: every lead); 发布招商信息 and
    #: 筛选潜在合作伙伴 apply to a lead from a call, not to a partner who came to us
    origins: list[Id] = []


class Origin(Strict):
    """How a lead came in (公开招商, 定向招商, 主动来访, 以商引商)."""

    id: Id
    title: str


class Stage(Strict):
    """A stage of the procedure, its file in each engagement, its entry rules and exit gate."""

    id: Id
    title: str
    file: str
    stale_after_days: int | None = None
    steps: list[Step]
    entry: list[Rule] = []
    gate: list[Rule] = []


#: A clause of a contract, by its template's id; a trailing ``?`` makes it optional
#: (in the contract only when the engagement gives what it needs).
ClauseRef = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*\??$")]
#: Where the clauses of the cooperation mode go in ``contract.clauses``.
MODE_CLAUSES = "mode"


class Mode(Strict):
    """A cooperation mode (合资, 代理, 技术授权 …)."""

    id: Id
    title: str
    #: how the English contract names it ("cooperate by way of a joint venture")
    title_en: str | None = None
    #: the articles only this mode's contract has, put where ``contract.clauses`` says mode
    clauses: list[ClauseRef] = []
    #: what the two sides are called (许可方, 被许可方): 甲方 is the first
    roles: list[str] = Field(default=[], max_length=2)
    #: the same in the English contract (Licensor, Licensee)
    roles_en: list[str] = Field(default=[], max_length=2)


class Contract(Strict):
    """The articles of a cooperation agreement, in order (templates/clauses/)."""

    clauses: list[ClauseRef]


@dataclass(frozen=True, slots=True)
class ContractClause:
    """One article a mode's contract has: its clause id, and whether it may be left out."""

    id: str
    optional: bool


class RiskCategory(Strict):
    """A source of risk (内部管理风险, 外部市场风险, 技术风险 …)."""

    id: Id
    title: str


class RiskPolicy(Strict):
    """How risks are scored: probability × impact, each 1–5."""

    high_threshold: int = Field(15, ge=1, le=25)
    medium_threshold: int = Field(8, ge=1, le=25)
    categories: list[RiskCategory]


class DocumentKind(Strict):
    """A deliverable the process names; ``archive`` makes it required once its stage passes."""

    id: Id
    title: str
    stage: Id
    archive: bool = False
    languages: list[Literal["zh", "en"]] = ["zh"]
    #: made only for engagements with this status (the termination agreement: terminated)
    status: Literal["terminated", "renewed", "completed", "on-hold", "lost"] | None = None
    #: internal documents never reach a partner build of the site
    visibility: Literal["internal", "partner"] = "partner"
    #: binds the parties for as long as the cooperation lasts (the agreements): once
    #: signed, an edit that would change its text is an error in every later stage too;
    #: a signed 意向书 is superseded by the agreement once its stage is left
    binding: bool = False
    #: made only for an engagement that keeps a record of it (documents/<doc>.md): a
    #: 补充协议 or 重大事项告知函 is not something every engagement has
    on_record: bool = False
    #: made only for an engagement that has this file (the 资格审查表: applicants.md)
    needs_file: str | None = None
    #: made for a period too (``render --period 2026-Q3``): the 评估报告, 每年或每季度
    periodic: bool = False
    #: the origins of a lead it is made for (none: every lead): the 招商公告 for a call
    origins: list[Id] = []
    #: the agreement this document changes once signed (补充协议 → 合作协议): signing it
    #: records the amendment on that agreement's record
    amends: Id | None = None


class Transition(Strict):
    """A transition besides advancing (terminate, renew) and what it needs."""

    title: str
    status: Literal["terminated", "renewed", "completed", "on-hold", "lost"] | None = None
    gate: list[Rule] = []
    reopens: list[Id] = []


class Policy(Strict):
    """A cross-cutting rule of the procedure (注意事项) made a check where it can be."""

    id: Id
    title: str
    severity: Severity = "warning"
    from_stage: Id | None = None
    rule: Rule | None = None
    guidance: list[str] = []


class Question(Strict):
    """A survey question scored on the survey's scale."""

    id: Id
    title: str


class Survey(Strict):
    """The satisfaction questionnaire (双方满意度调查)."""

    title: str
    scale_min: int = 1
    scale_max: int = 5
    min_group: int = Field(5, ge=1)
    questions: list[Question]


class ScreeningCriterion(Strict):
    """One criterion of the qualification review (初步资格审查): scored 0 to ``scale``."""

    id: Id
    title: str
    weight: float = Field(gt=0)
    scale: int = Field(5, ge=1)
    #: the least score an applicant needs on this criterion, whatever its total
    minimum: float | None = Field(None, alias="pass", ge=0)


class Screening(Strict):
    """The qualification review of a call's applicants: criteria and the pass mark."""

    criteria: list[ScreeningCriterion]
    #: the least weighted total (out of 100) for the shortlist
    pass_score: float = Field(60, ge=0, le=100)


class Process(Strict):
    """The whole process definition file."""

    format: Literal[1] = 1
    language: Literal["zh", "en"] = "zh"
    title: str
    stages: list[Stage]
    modes: list[Mode]
    contract: Contract | None = None
    risk: RiskPolicy
    documents: list[DocumentKind]
    survey: Survey | None = None
    invariants: list[Rule] = []
    transitions: dict[Id, Transition] = {}
    policies: list[Policy] = []
    #: index.md fields (dotted) and risk fields (``risks.<field>``) a partner never sees
    internal_fields: list[str] = []
    #: the qualification review of a call's applicants (初步资格审查)
    screening: Screening | None = None
    #: days before a term ends (``terms.end``, or ``renewal.end`` once renewed) to remind
    term_notice_days: list[int] = Field(default=[180, 90, 30])
    #: how leads come in; an engagement's ``origin`` is one of them (the first by default)
    origins: list[Origin] = [Origin(id="call", title="公开招商")]

    def item_applies(self, item_id: str, origin: str | None) -> bool:
        """Whether the item is part of the procedure for a lead of ``origin``."""
        found = self.items.get(item_id)
        return (
            found is None
            or not found[1].origins
            or (origin or self.origins[0].id) in (found[1].origins)
        )

    def document_applies(self, doc_id: str, origin: str | None) -> bool:
        """Whether the document is made for a lead of ``origin``."""
        kind = self.document_kinds.get(doc_id)
        return kind is None or not kind.origins or (origin or self.origins[0].id) in kind.origins

    def contract_clauses(self, mode: str) -> list[ContractClause]:
        """The articles of ``mode``'s contract, in order; none without a ``contract``."""
        if self.contract is None:
            return []
        own = next((m.clauses for m in self.modes if m.id == mode), [])
        refs: list[str] = []
        for ref in self.contract.clauses:
            refs += own if ref.rstrip("?") == MODE_CLAUSES else [ref]
        return [ContractClause(r.rstrip("?"), r.endswith("?")) for r in refs]

    @cached_property
    def aliases(self) -> Aliases:
        """The titles (and labels) accepted in place of ids, made once."""
        return aliases_for(self)

    @cached_property
    def items(self) -> dict[str, tuple[Stage, Step, Item]]:
        """Every checklist item by its full id ``step.item``."""
        return {
            f"{step.id}.{item.id}": (stage, step, item)
            for stage in self.stages
            for step in stage.steps
            for item in step.items
        }

    def items_named(self, ref: str, origin: str | None = None) -> list[str]:
        """The full ids of the items ``ref`` names: an item's id or title, or a step's.

        A step stands for those of its items that apply to a lead of ``origin``. A bare
        item id (``collect-info``), or a part of one title, is accepted where it names one
        item. Nothing named: an empty list.
        """
        want = fold(ref)
        for item_id, (_, _, item) in self.items.items():
            if want in (fold(item_id), fold(item.title)):
                return [item_id]
        for stage in self.stages:
            for step in stage.steps:
                if want in (fold(step.id), fold(step.title)):
                    ids = [f"{step.id}.{i.id}" for i in step.items]
                    return [i for i in ids if self.item_applies(i, origin)] or ids
        short = [i for i in self.items if fold(i.split(".", 1)[1]) == want]
        if len(short) == 1:
            return short
        within = [i for i, (_, _, item) in self.items.items() if want in fold(item.title)]
        return within if len(within) == 1 else []  # 明确合作模式 for 明确合作模式（如合资…）

    def document_id(self, ref: str) -> str:
        """The id of the document ``ref`` names: id, title or part of one title; else ``ref``.

        合作协议 is its title; 意向书 is a part of one title only (合作意向书).
        """
        said = " ".join(ref.split())
        for kind in self.documents:
            if said in (kind.id, kind.title):
                return kind.id
        within = [k.id for k in self.documents if said and said in k.title]
        return within[0] if len(within) == 1 else ref  # 意向书 for 合作意向书

    def document_named(self, ref: str) -> str:
        """The id of the document ``ref`` names (see `document_id`); a `DocgenError` if none."""
        doc_id = self.document_id(ref)
        if doc_id not in self.document_kinds:
            raise DocgenError(
                msg(
                    "no document '%(doc)s' in the process; documents: %(known)s",
                    doc=ref,
                    known="、".join(f"{k.id}（{k.title}）" for k in self.documents),
                )
            )
        return doc_id

    @cached_property
    def item_numbers(self) -> dict[str, str]:
        """Each item's number as the procedure counts (stage.step.item: ``1.2.3``).

        What the 项目跟踪表 shows in place of an id; `import xlsx` reads it back.
        """
        return {
            f"{step.id}.{item.id}": f"{s}.{t}.{i}"
            for s, stage in enumerate(self.stages, 1)
            for t, step in enumerate(stage.steps, 1)
            for i, item in enumerate(step.items, 1)
        }

    @cached_property
    def item_by_reference(self) -> dict[str, str]:
        """Each item's full id by its number (1.2.3), its title, and the id itself."""
        found = {item.title: item_id for item_id, (_, _, item) in self.items.items()}
        found |= {number: item_id for item_id, number in self.item_numbers.items()}
        return found | {item_id: item_id for item_id in self.items}

    @cached_property
    def stage_index(self) -> dict[str, int]:
        """Position of each stage id in the procedure."""
        return {s.id: i for i, s in enumerate(self.stages)}

    @cached_property
    def stage_by_file(self) -> dict[str, Stage]:
        """Each stage keyed by its engagement file name."""
        return {s.file: s for s in self.stages}

    @cached_property
    def mode_titles(self) -> dict[str, str]:
        """Cooperation mode id → title (合资 …)."""
        return {m.id: m.title for m in self.modes}

    @cached_property
    def category_titles(self) -> dict[str, str]:
        """Risk category id → title."""
        return {c.id: c.title for c in self.risk.categories}

    @cached_property
    def question_titles(self) -> dict[str, str]:
        """Survey question id → title (empty without a survey)."""
        return {q.id: q.title for q in self.survey.questions} if self.survey else {}

    @cached_property
    def document_kinds(self) -> dict[str, DocumentKind]:
        """Each document kind by its id."""
        return {k.id: k for k in self.documents}

    def stage(self, stage_id: str) -> Stage:
        """The stage with this id (KeyError if unknown)."""
        return self.stages[self.stage_index[stage_id]]

    def stage_items(self, stage_id: str) -> list[str]:
        """Full ids of a stage's items, in procedure order."""
        return self._items_by_stage.get(stage_id, [])

    @cached_property
    def _items_by_stage(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {s.id: [] for s in self.stages}
        for item_id, (stage, _, _) in self.items.items():
            out[stage.id].append(item_id)
        return out


def default_process_text(language: str = "zh") -> str:
    """The text of a shipped process file (``zh`` default, ``en`` English)."""
    name = "process.yml" if language == "zh" else f"process.{language}.yml"
    return resources.files("docgen.data").joinpath(name).read_text("utf-8")


def load_process(file: Path, rel: str) -> Process:
    """Read and check a process file; raise `DocgenError` (exit 2) with diagnostics."""
    try:
        data, source_map = read_yaml(file, rel)
    except FileProblem as exc:
        raise DocgenError(
            msg("cannot read the process file %(rel)s", rel=rel), exc.diagnostics
        ) from exc
    if not isinstance(data, dict):
        diag = source_map.locate().diagnostic(
            "error", "front-matter-type", msg("the process file must be a mapping")
        )
        raise DocgenError(msg("cannot read the process file %(rel)s", rel=rel), [diag])
    process, diags = validate_model(Process, data, source_map)
    if process is None:
        raise DocgenError(msg("the process file %(rel)s is not valid", rel=rel), diags)
    problems = consistency(process, source_map)
    if problems:
        raise DocgenError(msg("the process file %(rel)s is inconsistent", rel=rel), problems)
    return process


def consistency(process: Process, source_map: SourceMap) -> list[Diagnostic]:
    """Cross-references inside the process: unique ids, rules naming known items."""
    out: list[Diagnostic] = []

    def dup(kind: str, ids: list[str], loc: tuple[str, ...]) -> None:
        seen: set[str] = set()
        for i, x in enumerate(ids):
            if x in seen:
                out.append(
                    source_map.locate((*loc, i)).diagnostic(
                        "error",
                        "duplicate-id",
                        msg("%(kind)s id '%(id)s' is defined twice", kind=kind, id=x),
                    )
                )
            seen.add(x)

    dup("stage", [s.id for s in process.stages], ("stages",))
    dup("stage file", [s.file for s in process.stages], ("stages",))
    steps = [(si, ti, t.id) for si, s in enumerate(process.stages) for ti, t in enumerate(s.steps)]
    seen_steps: set[str] = set()
    for si, ti, sid in steps:
        if sid in seen_steps:
            out.append(
                source_map.locate(("stages", si, "steps", ti)).diagnostic(
                    "error", "duplicate-id", msg("step id '%(id)s' is defined twice", id=sid)
                )
            )
        seen_steps.add(sid)
    dup("mode", [m.id for m in process.modes], ("modes",))
    if process.contract is not None:
        dup("clause", [c.rstrip("?") for c in process.contract.clauses], ("contract", "clauses"))
    dup("document", [d.id for d in process.documents], ("documents",))
    doc_ids = {d.id for d in process.documents}
    for i, d in enumerate(process.documents):
        if d.amends and d.amends not in doc_ids:
            out.append(
                source_map.locate(("documents", i, "amends")).diagnostic(
                    "error",
                    "unknown-document",
                    msg("document '%(id)s' amends unknown '%(amends)s'", id=d.id, amends=d.amends),
                )
            )
        if d.stage not in process.stage_index:
            out.append(
                source_map.locate(("documents", i, "stage")).diagnostic(
                    "error",
                    "unknown-stage",
                    msg(
                        "document '%(id)s' names unknown stage '%(stage)s'", id=d.id, stage=d.stage
                    ),
                )
            )
    for si, stage in enumerate(process.stages):
        for ti, step in enumerate(stage.steps):
            for di, doc in enumerate(step.documents):
                if doc not in doc_ids:
                    out.append(
                        source_map.locate(("stages", si, "steps", ti, "documents", di)).diagnostic(
                            "error", "unknown-document", msg("unknown document '%(doc)s'", doc=doc)
                        )
                    )
    rule_sets: list[tuple[tuple[str | int, ...], list[Rule]]] = [
        (("stages", si, part), getattr(s, part))
        for si, s in enumerate(process.stages)
        for part in ("entry", "gate")
    ]
    rule_sets.append((("invariants",), process.invariants))
    rule_sets += [(("transitions", k, "gate"), t.gate) for k, t in process.transitions.items()]
    rule_sets += [
        (("policies", i, "rule"), [p.rule]) for i, p in enumerate(process.policies) if p.rule
    ]
    for loc, rules in rule_sets:
        for ri, rule in enumerate(rules):
            named: list[str] = list(getattr(rule, "items", []))
            if isinstance(rule, ItemsBefore) and rule.before.item:
                named.append(rule.before.item)
            for item in named:
                if item not in process.items:
                    out.append(
                        source_map.locate((*loc, ri)).diagnostic(
                            "error",
                            "unknown-item",
                            msg("rule names unknown item '%(item)s'", item=item),
                        )
                    )
            stage_ref = getattr(rule, "stage", None)
            if stage_ref and stage_ref not in process.stage_index:
                out.append(
                    source_map.locate((*loc, ri)).diagnostic(
                        "error",
                        "unknown-stage",
                        msg("rule names unknown stage '%(stage_ref)s'", stage_ref=stage_ref),
                    )
                )
    for i, p in enumerate(process.policies):
        if p.from_stage and p.from_stage not in process.stage_index:
            out.append(
                source_map.locate(("policies", i, "from_stage")).diagnostic(
                    "error",
                    "unknown-stage",
                    msg("policy names unknown stage '%(from_stage)s'", from_stage=p.from_stage),
                )
            )
    out += _internal_fields(process, source_map)
    return out


def _internal_fields(process: Process, source_map: SourceMap) -> list[Diagnostic]:
    """Each ``internal_fields`` entry names a field of index.md or of a risk."""
    from docgen.domain.model import EngagementIndex, Risk

    out = []
    for i, path in enumerate(process.internal_fields):
        model: Any = Risk if path.startswith("risks.") else EngagementIndex
        parts = path.removeprefix("risks.").split(".")
        for part in parts:
            field = model.model_fields.get(part) if hasattr(model, "model_fields") else None
            if field is None:
                out.append(
                    source_map.locate(("internal_fields", i)).diagnostic(
                        "error",
                        "process",
                        f"internal field '{path}' is not a field of "
                        + ("a risk" if path.startswith("risks.") else "index.md"),
                    )
                )
                break
            model = field.annotation
            args = [a for a in getattr(model, "__args__", ()) if hasattr(a, "model_fields")]
            model = args[0] if args else model
    return out
