"""Jinja filters for documents: Chinese and English dates, money (with 大写), percentages.

Filters return plain text; the template environment escapes it for markdown on output.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from docgen.model import Money

CURRENCY_ZH = {
    "CNY": "人民币",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港币",
    "JPY": "日元",
    "GBP": "英镑",
}
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


def _grouped(amount: float) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


def money(value: Money | None, upper: bool = True) -> str | None:
    """人民币 60,000,000 元（大写：人民币陆仟万元整） — the form contracts use."""
    if value is None:
        return None
    name = CURRENCY_ZH[value.currency]
    text = f"{name} {_grouped(value.amount)} 元"
    if value.currency != "CNY":
        text = f"{name} {_grouped(value.amount)}"
    if upper and value.currency == "CNY":
        text += f"（大写：人民币{_cn2an().an2cn(f'{value.amount:.2f}', 'rmb')}）"
    return text


def money_en(value: Money | None) -> str | None:
    """CNY 60,000,000."""
    if value is None:
        return None
    return f"{value.currency} {_grouped(value.amount)}"


def wan(value: Money | None) -> str | None:
    """60,000,000 CNY as 6,000 万元 (short form for tables and reports)."""
    if value is None:
        return None
    unit = "元" if value.currency == "CNY" else value.currency
    return f"{_grouped(value.amount / 10000)} 万{unit}"


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
    return str(_cn2an().an2cn(int(value), "low"))


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
}


def _cn2an() -> Any:
    """cn2an, imported when a number is first written in words.

    Its import costs 0.18 s, which validation (loading these filters, never calling them)
    should not pay.
    """
    import cn2an

    return cn2an
