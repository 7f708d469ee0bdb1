"""Reporting currency and exchange rates: conversion, rate dates, what a total leaves out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.models import Account
from app.services.exchange import (
    Converter,
    Rate,
    RateError,
    converter,
    parse_rate,
    remove_rate,
    reporting_currency,
    set_rate,
    set_reporting_currency,
)

TODAY = date(2026, 12, 1)


def rates(**values: tuple[str, date]) -> Converter:
    return Converter(
        "USD", {c: Rate(c, "USD", Decimal(r), when) for c, (r, when) in values.items()}
    )


def test_convert_with_rates_and_their_dates() -> None:
    conv = rates(EUR=("1.10", date(2026, 11, 2)), JPY=("0.0067", date(2026, 11, 30)))
    result = conv.convert({"USD": 100_000_00, "EUR": 50_000_00, "JPY": 10_000_000})
    # $100,000 + €50,000 x 1.10 + ¥10,000,000 x 0.0067 (yen have no minor unit)
    assert result.minor == 100_000_00 + 55_000_00 + 67_000_00
    assert result.complete
    assert result.note == "Converted at rates of Nov 2, 2026 to Nov 30, 2026."


def test_without_a_rate_the_total_names_what_it_leaves_out() -> None:
    conv = rates(EUR=("1.1", date(2026, 11, 30)))
    result = conv.convert({"USD": 100_00, "GBP": 30_000_00, "CHF": 40_000_00, "EUR": 0})
    assert result.minor == 100_00
    assert list(result.left_out) == ["CHF", "GBP"]
    assert result.note == ("Leaves out CHF\u00a040K (CHF) and £30K (GBP): no rate to USD.")


def test_reporting_currency_defaults_to_most_accounts_then_follows_the_user(store) -> None:
    with store.session() as session:
        # ¥ are not comparable to £ pence: the default counts accounts, it does not sum ARR.
        session.add(Account(name="A", currency="JPY", arr_minor=10_000_000))
        session.add(Account(name="B", currency="GBP", arr_minor=99))
        session.add(Account(name="C", currency="GBP", arr_minor=99))
    with store.session() as session:
        assert reporting_currency(session) == "GBP"
        set_reporting_currency(session, "usd")
    with store.session() as session:
        assert reporting_currency(session) == "USD"
        set_rate(session, "GBP", "1.27", date(2026, 11, 30), today=TODAY)
        set_rate(session, "GBP", "1.26", date(2026, 12, 1), today=TODAY)  # replaces
    with store.read() as session:
        conv = converter(session)
    assert conv.rate_of("gbp") == Rate("GBP", "USD", Decimal("1.26"), date(2026, 12, 1))
    assert conv.to_reporting(99, "GBP") == 125  # 0.99 x 1.26 = 1.2474 -> 1.25


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "An empty rate is not a number."), ("x", "x is not a number."), ("-2", "above zero")],
)
def test_bad_rates(text: str, message: str) -> None:
    with pytest.raises(RateError, match=message):
        parse_rate(text)


def test_remove_needs_a_rate(store) -> None:
    with store.session() as session, pytest.raises(RateError, match="no rate from EUR"):
        remove_rate(session, "EUR")
