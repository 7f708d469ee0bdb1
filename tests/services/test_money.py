"""Money has one home: precision per currency, one full and one compact form, the locale."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from app.services import money
from app.services.money import (
    format_amount,
    format_compact,
    format_money,
    format_totals,
    minor_digits,
    parse_amount,
    to_major,
    to_minor,
)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    money.set_locale("en_US")
    yield
    money.set_locale(None)


@pytest.mark.parametrize(("currency", "digits"), [("JPY", 0), ("USD", 2), ("EUR", 2), ("BHD", 3)])
def test_precision_is_the_currencys_own(currency: str, digits: int) -> None:
    assert minor_digits(currency) == digits


def test_jpy_minor_units_are_yen() -> None:
    # 125,000 yen is stored as 125000 minor units, not 12,500,000.
    assert to_minor(125_000, "JPY") == 125_000
    assert to_major(125_000, "JPY") == Decimal(125_000)
    assert format_money(125_000, "JPY") == "¥125,000"
    assert format_compact(125_000, "JPY") == "¥125K"
    assert parse_amount("125,000", "JPY") == 125_000
    assert format_amount(125_000, "JPY") == "125,000"
    with pytest.raises(ValueError, match="no decimals for JPY"):
        parse_amount("12.50", "JPY")


def test_three_digit_currency() -> None:
    assert to_minor("1.25", "BHD") == 1250
    assert format_money(1250, "BHD", exact=True) == "BHD\u00a01.250"
    assert parse_amount("1.25", "BHD") == 1250


def test_the_same_arr_reads_one_way() -> None:
    # The ARR that printed as $125,000 / $125K / 125,000 USD / 125k USD / $125k.
    assert format_money(12_500_000, "USD") == "$125,000"
    assert format_compact(12_500_000, "USD") == "$125K"
    assert format_compact(99_900, "USD") == "$999"
    assert format_money(12_550, "USD", exact=True) == "$125.50"


def test_totals_largest_first() -> None:
    assert format_totals({"EUR": 30_000_000, "USD": 120_000_000}) == "$1.2M + €300K"
    assert format_totals({"USD": 5000}, compact=False) == "$50"


def test_users_locale() -> None:
    money.set_locale("de_DE")
    assert format_money(12_500_000, "EUR") == "125.000\u00a0€"
    money.set_locale("fr_FR")
    assert format_money(12_500_000, "EUR").startswith("125")
    with pytest.raises(ValueError):
        money.set_locale("xx_nowhere")


def test_posix_locale_reads_as_english(monkeypatch: pytest.MonkeyPatch) -> None:
    money.set_locale(None)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    money.set_locale(None)
    assert format_money(12_500_000, "USD") == "$125,000"
