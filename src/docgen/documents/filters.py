"""Jinja filters for documents: Chinese and English dates, money (with 大写), percentages.

Filters return plain text; the template environment escapes it for markdown on output.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from docgen.core.periods import period_zh
from docgen.domain import amounts
from docgen.domain.amounts import rate_en, rate_zh
from docgen.domain.model import Money

_MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def cn_date(value: date | None) -> str | None:
    """2026年3月2日."""
    if value is None:
        return None
    return f"{value.year}年{value.month}月{value.day}日"


def en_date(value: date | None) -> str | None:
    """2 March 2026."""
    if value is None:
        return None
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def money(value: Money | None, upper: bool = True) -> str | None:
    """人民币陆仟万元整（¥60,000,000.00） — the form contracts use; ``upper=False``: figures."""
    if value is None:
        return None
    return amounts.contract_amount(value) if upper else amounts.figures(value)


def money_en(value: Money | None) -> str | None:
    """CNY 60,000,000.00."""
    return None if value is None else amounts.english(value)


def wan(value: Money | None) -> str | None:
    """6,000 万元 or 1.5 亿元 (the short form for tables and reports)."""
    return amounts.short(value)


def percent(value: float | None, digits: int = 0) -> str | None:
    """40 → 40%; a ratio is given already multiplied by 100."""
    if value is None:
        return None
    return f"{value:.{digits}f}%"


def number(value: float | None, digits: int = 2) -> str | None:
    """A number without trailing zeros, grouped by thousands."""
    if value is None:
        return None
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def cn_count(value: int) -> str:
    """3 → 三 (for 第三条-style wording in running text)."""
    return amounts.count_zh(value)


def months_zh(value: int | None) -> str | None:
    """180 → 十五年; 18 → 十八个月."""
    if value is None:
        return None
    years, months = divmod(value, 12)
    if months == 0:
        return f"{cn_count(years)}年"
    if years == 0:
        return f"{cn_count(months)}个月"
    return f"{cn_count(years)}年{cn_count(months)}个月"


def months_en(value: int | None) -> str | None:
    """180 → 15 years; 18 → 18 months."""
    if value is None:
        return None
    if value % 12 == 0:
        years = value // 12
        return f"{years} year" + ("s" if years > 1 else "")
    return f"{value} months"


def join_zh(values: Iterable[Any], sep: str = "、") -> str:
    """Join with the Chinese enumeration comma."""
    return sep.join(str(v) for v in values)


#: marks that end a Chinese sentence as it stands, and marks a closing 。 replaces
_FULL_STOPS = tuple("。！？!?…")
_OPEN_ENDS = tuple("；;，,、.：:")


def sentence(value: object) -> str:
    """``value`` as one sentence of a contract: ended by 。 once (按期缴付出资 → 按期缴付出资。)."""
    text = str(value).rstrip()
    if text.endswith(_FULL_STOPS):
        return text
    return text.rstrip("".join(_OPEN_ENDS)) + "。"


def sentence_en(value: object) -> str:
    """``value`` as one English sentence of a contract: ended by a full stop once."""
    text = str(value).rstrip()
    if text.endswith((".", "!", "?", ".)", ".”", '."')):
        return text
    return text.rstrip(";,:") + "."


def unclosed(value: object) -> str:
    """``value`` without its closing mark, for a template sentence that goes on after it."""
    return str(value).rstrip().rstrip("".join(_OPEN_ENDS) + "。")


FILTERS = {
    "cn_date": cn_date,
    "en_date": en_date,
    "money": money,
    "money_en": money_en,
    "wan": wan,
    "percent": percent,
    "number": number,
    "cn_count": cn_count,
    "months_zh": months_zh,
    "months_en": months_en,
    "join_zh": join_zh,
    "sentence": sentence,
    "sentence_en": sentence_en,
    "rate_zh": rate_zh,
    "rate_en": rate_en,
    "unclosed": unclosed,
    "period_zh": period_zh,
}
