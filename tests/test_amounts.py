"""Amounts as Chinese contracts, reports and the site write them (issue 11)."""

from __future__ import annotations

import pytest

from docgen.domain import amounts
from docgen.domain.model import Money


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (60_000_000, "CNY", "人民币陆仟万元整（¥60,000,000.00）"),
        (1_200_000_000, "CNY", "人民币壹拾贰亿元整（¥1,200,000,000.00）"),
        (1_234_567.89, "CNY", "人民币壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分（¥1,234,567.89）"),
        (1_000_000, "USD", "美元壹佰万元整（US$1,000,000.00）"),
    ],
)
def test_a_contract_writes_words_then_figures(amount: float, currency: str, written: str) -> None:
    assert amounts.contract_amount(Money(amount=amount, currency=currency)) == written


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (60_000_000, "CNY", "6,000 万元"),
        (150_000_000, "CNY", "1.5 亿元"),
        (1_200_000_000, "CNY", "12 亿元"),
        (12_345, "CNY", "1.2345 万元"),
        (5_000, "CNY", "5,000 元"),
        (800_000, "USD", "80 万美元"),
    ],
)
def test_tables_and_the_site_write_wan_and_yi(amount: float, currency: str, written: str) -> None:
    assert amounts.short(Money(amount=amount, currency=currency)) == written
    assert "CNY" not in written


def test_english_and_figures() -> None:
    money = Money(amount=60_000_000)
    assert amounts.english(money) == "CNY 60,000,000.00"
    assert amounts.figures(money) == "人民币 60,000,000.00 元"
    assert amounts.count_zh(15) == "十五"


def test_an_amount_of_nothing_is_never_written_as_zero_yuan() -> None:
    """Issue 25: a royalty as a rate printed 人民币零元整."""
    from docgen.domain.amounts import contract_amount
    from docgen.domain.model import Money

    assert contract_amount(Money(amount=0, note="按授权产品销售额的 4% 按季度结算")) == "按授权产品销售额的 4% 按季度结算"
    assert "零元" not in contract_amount(Money(amount=0))
    assert contract_amount(Money(amount=60_000_000)).startswith("人民币陆仟万元整")


@pytest.mark.parametrize(
    ("written", "amount"),
    [("8000万", 80_000_000), ("1.2亿", 120_000_000), ("1.56 亿元", 156_000_000),
     ("3,000,000 元", 3_000_000), ("¥500", 500), (4200, 4200)],
)  # fmt: skip
def test_an_amount_is_read_as_people_write_it(written: object, amount: float) -> None:
    """Issue 26: a 万/亿 amount in index.md is read in 元, exactly (1.56亿 is not 155,999,999.99)."""
    assert Money(amount=written).amount == amount  # type: ignore[arg-type]


def test_what_is_not_an_amount_is_still_refused() -> None:
    with pytest.raises(ValueError):
        Money(amount="八千万")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Money(amount="-5万")  # type: ignore[arg-type]


def test_every_amount_the_samples_print_says_the_same_in_words_and_figures() -> None:
    """Issue 25: each 人民币…元整（¥…） of every sample document (as tests/golden holds them)
    reads the same in 大写 and in figures."""
    import re
    from pathlib import Path

    import cn2an

    golden = Path(__file__).parent / "golden" / "documents"
    pattern = re.compile(r"人民币([零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+)（¥([\d,]+\.\d\d)）")
    checked = 0
    for text in golden.rglob("*.txt"):
        for words, figures in pattern.findall(text.read_text("utf-8")):
            amount = figures.replace(",", "")
            assert cn2an.an2cn(amount, "rmb") == words, (text.name, words, figures)
            checked += 1
    assert checked >= 12, checked  # 15 today: the contracts, the 意向书, the settlements
