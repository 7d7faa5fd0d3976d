"""The 项目跟踪表: the sheets and columns `export xlsx` writes and `import xlsx` reads.

One layout for both directions, so a sheet exported, edited in Excel or WPS and imported
back lines up column for column.  Each column names the field it stands for; ``None``
marks a column docgen works out (progress, overdue, score) and never reads back.
"""

from __future__ import annotations

from typing import Final

SHEETS: Final[dict[str, tuple[tuple[str, str | None], ...]]] = {
    "项目": (
        ("项目", "id"),
        ("名称", "title"),
        ("合作方", "partner"),
        ("合作模式", "mode"),
        ("阶段", "stage"),
        ("状态", "status"),
        ("负责人", "owner"),
        ("立项日期", "opened"),
        ("本阶段进度", None),
        ("逾期", None),
        ("最高风险分", None),
        ("关闭原因", None),
    ),
    "任务": (
        ("项目", "engagement"),
        ("类型", "kind"),
        ("编号", "id"),
        ("内容", "title"),
        ("负责人", "owner"),
        ("开始", "start"),
        ("截止", "due"),
        ("完成", "done"),
        ("状态", "status"),
        ("交付标准", "deliverable"),
    ),
    "风险": (
        ("项目", "engagement"),
        ("编号", "id"),
        ("风险", "title"),
        ("类别", "category"),
        ("概率", "probability"),
        ("影响", "impact"),
        ("分值", None),
        ("负责人", "owner"),
        ("应对措施", "response"),
        ("状态", "status"),
        ("升级上报", "escalated"),
    ),
    "KPI": (
        ("项目", "engagement"),
        ("编号", "id"),
        ("指标", "metric"),
        ("单位", "unit"),
        ("基线", "baseline"),
        ("目标", "target"),
        ("方向", "direction"),
        ("期间", "period"),
        ("实际值", "actual"),
    ),
}

#: the 任务 sheet's 类型 column: what each row is
TASK = "任务"
MILESTONE = "里程碑"
CHECKLIST_ITEM = "检查项"
MEETING_ACTION = "会议待办"

#: fields a team's own sheet may map its columns to (``import xlsx --map``): the 项目 sheet's
ENGAGEMENT_FIELDS: Final = (
    "id",
    "title",
    "partner",
    "mode",
    "stage",
    "status",
    "owner",
    "opened",
    "code",
)


def headers(sheet: str) -> list[str]:
    """The header row of ``sheet``."""
    return [header for header, _ in SHEETS[sheet]]
