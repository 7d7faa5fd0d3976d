"""``docgen add``: a risk, a KPI, a task or milestone, a meeting or a document record.

An officer should not need the README's field names to record a risk: each kind says
which values it needs (`FIELDS`), takes them as flags or prompts, accepts the titles
people use for ids (技术风险, 季度, 启动会), numbers the entry (R3, K5, T12), and writes
it the way the other writers do: a surgical edit of the file (made, with a comment
naming its fields, when the engagement has none yet), checked with the engagement as it
would be before anything is written (`docgen.checks.validate.edit_findings`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from docgen.checks.validate import edit_findings
from docgen.core.diagnostics import DocgenError
from docgen.core.i18n import N_, msg
from docgen.domain.engagement import Engagement
from docgen.domain.labels import field_label
from docgen.edits.workflow import Transition
from docgen.workspace.edit import FrontMatterEdit, yaml_scalar
from docgen.workspace.load import Portfolio


@dataclass(frozen=True)
class Field:
    """One value an entry takes: its key, what it is called, and how it is read."""

    key: str
    required: bool = False
    #: ``text``, ``int``, ``float``, ``date``, ``list``, or an alias kind of the process
    kind: str = "text"
    #: the list the entry stands in (``risks``), which names some keys' labels
    within: str = ""

    @property
    def label(self) -> str:
        """What the field is called (a message id), from the one table of labels."""
        return field_label(f"{self.within}.{self.key}") or self.key


def _within(list_key: str, *fields: Field) -> tuple[Field, ...]:
    return tuple(replace(f, within=list_key) for f in fields)


#: each kind of record: its fields
FIELDS: dict[str, tuple[Field, ...]] = {
    "risk": _within(
        "risks",
        Field("title", True),
        Field("category", True, "category"),
        Field("probability", True, "int"),
        Field("impact", True, "int"),
        Field("owner"),
        Field("response"),
        Field("contingency"),
        Field("escalated", False, "date"),
        Field("escalated_to"),
    ),
    "kpi": _within(
        "kpis",
        Field("metric", True),
        Field("unit"),
        Field("target", True, "float"),
        Field("baseline", False, "float"),
        Field("direction", False, "direction"),
        Field("frequency", False, "frequency"),
        Field("target_for", False, "target_for"),
    ),
    "task": _within(
        "tasks",
        Field("title", True),
        Field("owner"),
        Field("start", False, "date"),
        Field("due", False, "date"),
        Field("deliverable"),
        Field("item", False, "item"),
    ),
    "milestone": _within(
        "milestones",
        Field("title", True),
        Field("due", True, "date"),
        Field("owner"),
    ),
    "meeting": _within(
        "meeting",
        Field("date", True, "date"),
        Field("title", True),
        Field("kind", False, "meeting_kind"),
        Field("location"),
        Field("attendees", False, "list"),
    ),
    "document": (),
}
#: what each kind is called where a person reads it
KIND_TITLES = {
    "risk": N_("risk"),
    "kpi": N_("KPI"),
    "task": N_("task"),
    "milestone": N_("milestone"),
    "meeting": N_("meeting"),
    "document": N_("document record"),
}
#: where the entries of a kind stand: (file, list key, id prefix)
_PLACE = {"risk": ("risks.md", "risks", "R"), "kpi": ("kpis.md", "kpis", "K"),
          "task": ("plan.md", "tasks", "T"),
          "milestone": ("plan.md", "milestones", "M")}  # fmt: skip
#: the comment atop a file `add` makes, naming its fields
_HEADERS = {
    "risks.md": "# 风险登记：id 编号，title 风险，category 类别，probability 概率 1–5，"
    "impact 影响 1–5，owner 负责人，response 应对措施，contingency 应急预案，status 状态，"
    "escalated 升级上报日期",
    "kpis.md": "# 关键绩效指标：id 编号，metric 指标，unit 单位，target 目标，"
    "baseline 基线，direction 方向，frequency 监控频率，actuals 各期实际值（如 2026-Q3: 48）",
    "plan.md": "# 执行计划：tasks 任务（id、title、owner 负责人、start、due 完成时限、"
    "deliverable 交付标准、buffer_days 缓冲天数、status 状态），"
    "milestones 里程碑（id、title、due 日期、owner 负责人）",
}


def plan_add(
    portfolio: Portfolio, engagement_id: str, kind: str, values: dict[str, Any], today: date
) -> Transition:
    """Plan adding one record of ``kind`` with ``values`` (read as `FIELDS` says)."""
    e = portfolio.editable(engagement_id)
    assert e.index is not None  # editable: every file loaded
    if kind == "document":
        return _document(portfolio, e, str(values.get("document", "")))
    entry = _read(portfolio, kind, values)
    if kind == "meeting":
        return _meeting(portfolio, e, entry)
    name, key, prefix = _PLACE[kind]
    path = e.folder / name
    rel = f"{e.rel}/{name}"
    raw = path.read_bytes() if path.exists() else f"---\n{_HEADERS[name]}\n{key}:\n---\n".encode()
    edit = FrontMatterEdit.open(path, rel, raw)
    taken = {str(x.id) for x in _entries(e, kind)}
    entry = {"id": values.get("id") or _next_id(prefix, taken), **entry}
    if kind == "risk":
        entry.setdefault("status", "open")
        entry["identified"] = today
    if kind == "task":
        entry.setdefault("status", "todo")
    edit.extend(key, [entry])
    summary = msg(
        "add %(kind)s %(id)s to %(engagement)s",
        kind=msg(KIND_TITLES[kind]),
        id=entry["id"],
        engagement=e.id,
    )
    return checked_transition(portfolio, e, summary, {path: edit.result()})


def _entries(e: Engagement, kind: str) -> list[Any]:
    if kind == "risk":
        return list(e.risks.data.risks) if e.risks else []
    if kind == "kpi":
        return list(e.kpis.data.kpis) if e.kpis else []
    return list(e.plan.data.tasks) + list(e.plan.data.milestones) if e.plan else []


def _next_id(prefix: str, taken: set[str]) -> str:
    numbers = [int(m[1]) for t in taken if (m := re.fullmatch(rf"{prefix}(\d+)", t))]
    return f"{prefix}{max(numbers, default=0) + 1}"


def _read(portfolio: Portfolio, kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The entry's values in their types, titles read as ids; missing required ones said."""
    missing = [f.key for f in FIELDS[kind] if f.required and values.get(f.key) in (None, "", [])]
    if missing:
        raise DocgenError(
            msg(
                "a new %(kind)s needs %(fields)s (as --%(first)s …, or answer the prompts)",
                kind=msg(KIND_TITLES[kind]),
                fields=", ".join(missing),
                first=missing[0].replace("_", "-"),
            )
        )
    aliases = portfolio.process.aliases
    out: dict[str, Any] = {}
    for f in FIELDS[kind]:
        value = values.get(f.key)
        if value in (None, "", []):
            continue
        try:
            if f.kind == "int":
                value = int(value)
            elif f.kind == "float":
                number = float(value)
                value = int(number) if number.is_integer() else number
            elif f.kind == "date":
                value = value if isinstance(value, date) else date.fromisoformat(str(value))
            elif f.kind == "list":
                parts = re.split(r"[,，、]", value) if isinstance(value, str) else list(value)
                value = [v.strip() for v in parts if v.strip()]
            elif f.kind == "item":  # written as its id; a title not known: validate says
                named = portfolio.process.items_named(str(value))
                value = named[0] if len(named) == 1 else value
            elif f.kind != "text":
                value = aliases.id_of(f.kind, value) or value  # an unknown one: validate says
        except ValueError:
            raise DocgenError(
                msg("--%(key)s: '%(value)s' is not a valid value", key=f.key, value=value)
            ) from None
        out[f.key] = value
    return out


def _meeting(portfolio: Portfolio, e: Engagement, entry: dict[str, Any]) -> Transition:
    day = entry["date"]
    slug = re.sub(r"[^a-z0-9]+", "-", str(entry.get("kind", "meeting")).lower()).strip("-")
    path = e.folder / "meetings" / f"{day.isoformat()}-{slug or 'meeting'}.md"
    if path.exists():
        raise DocgenError(msg("%(rel)s exists already", rel=f"{e.rel}/meetings/{path.name}"))
    lines = [
        "---",
        "# 会议纪要：title 会议名称，date 日期，kind 类型，location 地点，chair 主持人，"
        "recorder 记录人，agenda 议题，attendees 参会人员，decisions 会议决定，actions 行动项"
        "（每项：task 事项、owner 负责人、due 时限）",
    ]
    for key, value in entry.items():  # quoted where YAML needs it: user text is never YAML
        if isinstance(value, list):
            lines.append(f"{key}: [{', '.join(yaml_scalar(v) for v in value)}]")
        else:
            lines.append(f"{key}: {yaml_scalar(value)}")
    lines += ["decisions: []", "actions: []", "---", ""]
    summary = msg("add meeting %(file)s to %(engagement)s", file=path.name, engagement=e.id)
    return checked_transition(portfolio, e, summary, {path: "\n".join(lines).encode("utf-8")})


def _document(portfolio: Portfolio, e: Engagement, document: str) -> Transition:
    process = portfolio.process
    doc_id = process.document_named(document)
    path = e.folder / "documents" / f"{doc_id}.md"
    if path.exists():
        raise DocgenError(msg("%(rel)s exists already", rel=f"{e.rel}/documents/{doc_id}.md"))
    title = process.document_kinds[doc_id].title
    summary = msg("add the record of %(doc)s to %(engagement)s", doc=title, engagement=e.id)
    return checked_transition(portfolio, e, summary, {path: new_record_text(title)})


def new_record_text(title: str) -> bytes:
    """A new document record (version 1.0, a draft), its fields named in a comment.

    What `add document` writes, and `approve` for a document with no record yet.
    """
    text = (
        f"---\n# {title}：version 版本，status 状态（draft 草稿 → review 审核中 → approved "
        "已审批 → signed 已签署，可写中文），revisions 修订记录（version、date、by、changes）\n"
        'version: "1.0"\nstatus: draft\n---\n'
    )
    return text.encode("utf-8")


def checked_transition(
    portfolio: Portfolio, e: Engagement, summary: str, writes: dict[Path, bytes]
) -> Transition:
    """The transition writing ``writes``, refused with the errors the new files would bring."""
    root = portfolio.workspace.root
    overlay = {p.relative_to(root).as_posix(): data for p, data in writes.items()}
    now = edit_findings(portfolio, e.id)
    before = {(d.path, d.code, str(d.message)) for d in now if d.is_error}
    after = [d for d in edit_findings(portfolio, e.id, overlay) if d.is_error]
    unmet = [d for d in after if (d.path, d.code, str(d.message)) not in before]
    return Transition(e, summary, unmet, dict(writes))
