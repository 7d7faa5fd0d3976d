"""Reporting periods of KPIs, as the KPI files key their actual values.

``2026`` is a year, ``2026-Q3`` a quarter, ``2026-08`` a month, ``2026-H1`` a half.

A KPI's ``frequency`` (the procedure's 监控频率) says which periods it is reported for;
daily and weekly KPIs have no period of this form and are not tracked here.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]|0[1-9]|1[0-2]))?$")
#: the frequencies that have periods, and the number of months in one
MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def period_of(day: date, frequency: str) -> str:
    """The period of ``frequency`` that ``day`` falls in."""
    if frequency == "yearly":
        return f"{day.year}"
    if frequency == "quarterly":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


_PARTS_ZH = {"Q1": "第一季度", "Q2": "第二季度", "Q3": "第三季度", "Q4": "第四季度"}
_PARTS_ZH |= {"H1": "上半年", "H2": "下半年"}


def period_zh(period: str) -> str:
    """``period`` as a Chinese report writes it: 2025年, 2026年第二季度, 2026年8月."""
    match = _PERIOD.match(str(period))
    if match is None:
        return str(period)
    year, part = match.group(1), match.group(2)
    if part is None:
        return f"{year}年"
    return f"{year}年{_PARTS_ZH.get(part) or str(int(part)) + '月'}"


def bounds(period: str) -> tuple[date, date] | None:
    """The first and last day of ``period`` (None when it is no period)."""
    match = _PERIOD.match(period)
    if match is None:
        return None
    year, part = int(match.group(1)), match.group(2)
    if part is None:
        first, last = 1, 12
    elif part.startswith("Q"):
        first = (int(part[1]) - 1) * 3 + 1
        last = first + 2
    elif part.startswith("H"):
        first = 1 if part == "H1" else 7
        last = first + 5
    else:
        first = last = int(part)
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def periods_between(start: str, end_day: date, frequency: str) -> list[str]:
    """The periods of ``frequency`` from ``start`` to the last one ended by ``end_day``."""
    first = bounds(start)
    if first is None or frequency not in MONTHS:
        return []
    out: list[str] = []
    day = first[0]
    while True:
        period = period_of(day, frequency)
        span = bounds(period)
        assert span is not None
        if span[1] >= end_day:
            return out
        out.append(period)
        month = day.month - 1 + MONTHS[frequency]
        day = date(day.year + month // 12, month % 12 + 1, 1)
