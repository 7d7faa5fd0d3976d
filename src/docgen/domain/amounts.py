"""Amounts as Chinese documents and the site write them.

- In a contract: the amount in words first, the figure after it with its symbol and
  two decimals — 人民币陆仟万元整（¥60,000,000.00）;
- in tables, reports and on the site: 万元 or 亿元 — 6,000 万元, 1.5 亿元 — never "CNY";
- in English: CNY 60,000,000.00.

The words come from cn2an, imported on first use: its import costs 0.19 s, which a
command that never writes an amount in words should not pay.
"""

from __future__ import annotations

from typing import Any

from docgen.domain.model import Money, Rate

CURRENCY_ZH = {
    "CNY": "人民币",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港币",
    "JPY": "日元",
    "GBP": "英镑",
}
#: The symbol written before a figure in a contract, by currency.
SYMBOL = {"CNY": "¥", "USD": "US$", "EUR": "€", "HKD": "HK$", "JPY": "JP¥", "GBP": "£"}
#: The unit after 万/亿 in short amounts: 万元, 万美元 …
UNIT_ZH = {"CNY": "元", "USD": "美元", "EUR": "欧元", "HKD": "港元", "JPY": "日元", "GBP": "英镑"}
_YI = 100_000_000
_WAN = 10_000


def contract_amount(value: Money) -> str:
    """人民币陆仟万元整（¥60,000,000.00） — the amount in words, then in figures.

    An amount of 0 is a fee that is not a sum (a royalty of 4% of sales): its ``note``
    says it; a contract never reads 人民币零元整.
    """
    if value.amount == 0:
        return value.note or "按本协议约定的方式计算"
    words = _cn2an().an2cn(f"{value.amount:.2f}", "rmb")
    return f"{CURRENCY_ZH[value.currency]}{words}（{SYMBOL[value.currency]}{value.amount:,.2f}）"


def figures(value: Money) -> str:
    """人民币 60,000,000.00 元 — the figure alone, for running text that needs no words."""
    if value.currency == "CNY":
        return f"人民币 {value.amount:,.2f} 元"
    return f"{CURRENCY_ZH[value.currency]} {value.amount:,.2f}"


def short(value: Money | None) -> str | None:
    """6,000 万元, 1.5 亿元, 80 万美元: for tables, reports and the site."""
    if value is None:
        return None
    unit = UNIT_ZH[value.currency]
    if value.amount >= _YI:
        return f"{_trimmed(value.amount / _YI)} 亿{unit}"
    if value.amount >= _WAN:
        return f"{_trimmed(value.amount / _WAN)} 万{unit}"
    return f"{_trimmed(value.amount)} {unit}"


def english(value: Money) -> str:
    """CNY 60,000,000.00."""
    return f"{value.currency} {value.amount:,.2f}"


def count_zh(value: int) -> str:
    """3 → 三, 12 → 十二 (for counts in running text: 十五年, 第三条)."""
    return str(_cn2an().an2cn(int(value), "low"))


def _trimmed(amount: float) -> str:
    text = f"{amount:,.4f}".rstrip("0").rstrip(".")
    return text


def _cn2an() -> Any:
    import cn2an

    return cn2an


_EACH_ZH = {"monthly": "月", "quarterly": "季度", "yearly": "年"}
_EACH_EN = {"monthly": "month", "quarterly": "quarter", "yearly": "year"}


def _figure(value: float) -> str:
    return f"{value:g}"


def rate_zh(rate: Rate | None) -> str | None:
    """按授权产品销售额的 4% 按季度结算，每季度不低于人民币伍拾万元整（¥500,000.00）."""
    if rate is None:
        return None
    each = _EACH_ZH[rate.period]
    text = f"按{rate.basis}的 {_figure(rate.percent)}% 按{each}结算"
    if rate.minimum is not None:
        text += f"，每{each}不低于{contract_amount(rate.minimum)}"
    if rate.within_days is not None:
        text += f"，于每{each}结束后{rate.within_days}日内支付"
    return text


def rate_en(rate: Rate | None) -> str | None:
    """4% of the licensed products' sales, settled each quarter, at least CNY 500,000.00."""
    if rate is None:
        return None
    each = _EACH_EN[rate.period]
    text = f"{_figure(rate.percent)}% of {rate.basis}, settled each {each}"
    if rate.minimum is not None:
        text += f", at least {english(rate.minimum)} a {each}"
    if rate.within_days is not None:
        text += f", paid within {rate.within_days} days after each {each}"
    return text
