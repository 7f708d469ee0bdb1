"""Each money and date form a CRM export or a hand-typed sheet uses, read exactly."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.imports.amounts import Money, parse_money
from app.imports.dates import date_order_evidence, parse_date, parse_datetime
from app.imports.values import ValueProblem, clean_text, parse_bool, parse_int


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$1,234.50", Money(123_450, "USD")),
        ("1.234,50 €", Money(123_450, "EUR")),
        ("€1.234,50", Money(123_450, "EUR")),
        ("(1,200)", Money(-120_000, "USD")),
        ("1.2M", Money(120_000_000, "USD")),
        ("$1.2M", Money(120_000_000, "USD")),
        ("3.5k", Money(350_000, "USD")),
        ("2bn", Money(200_000_000_000, "USD")),
        ("-1,200.75", Money(-120_075, "USD")),
        ("1 234,50 EUR", Money(123_450, "EUR")),
        ("GBP 99.99", Money(9_999, "GBP")),
        ("£1,000", Money(100_000, "GBP")),
        ("¥120,000", Money(120_000, "JPY")),
        ("1'234.50 CHF", Money(123_450, "CHF")),
        ("1234", Money(123_400, "USD")),
        ("1.234", Money(123_400, "USD")),
        ("1,5", Money(150, "USD")),
        ("  $12.00  ", Money(1_200, "USD")),
        ("1,234,567.891", Money(123_456_789, "USD")),
        ("500-", Money(-50_000, "USD")),
    ],
)
def test_money_forms(text: str, expected: Money) -> None:
    assert parse_money(text) == expected


def test_money_from_workbook_numbers_and_default_currency() -> None:
    assert parse_money(1234.5, default_currency="EUR") == Money(123_450, "EUR")
    assert parse_money(7, default_currency="JPY") == Money(7, "JPY")
    # A bare dollar sign keeps a dollar default such as CAD.
    assert parse_money("$10", default_currency="CAD") == Money(1_000, "CAD")


@pytest.mark.parametrize(
    "text", ["abc", "$", "1,23,4", "1.2.3,4,5", "$5 EUR", "12 XX", "1e400", "10" * 20]
)
def test_money_refusals_say_why(text: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_money(text)
    assert str(info.value).endswith(".")


@pytest.mark.parametrize(
    ("value", "day_first", "expected"),
    [
        ("2024-03-04", False, date(2024, 3, 4)),
        ("2024-03-04T10:11:12Z", False, date(2024, 3, 4)),
        ("2024/3/4", True, date(2024, 3, 4)),
        ("03/04/2024", False, date(2024, 3, 4)),  # US
        ("03/04/2024", True, date(2024, 4, 3)),  # European
        ("31.12.2024", False, date(2024, 12, 31)),  # day > 12 decides whatever the choice
        ("12/31/2024", True, date(2024, 12, 31)),
        ("4-3-24", True, date(2024, 3, 4)),
        ("4 Mar 2024", False, date(2024, 3, 4)),
        ("March 4, 2024", False, date(2024, 3, 4)),
        ("45355", False, date(2024, 3, 4)),  # Excel serial typed as text
        (45355, False, date(2024, 3, 4)),  # Excel serial as a number cell
        (45355.75, False, date(2024, 3, 4)),
        (datetime(2024, 3, 4, 9, 0), False, date(2024, 3, 4)),
        (date(2024, 3, 4), False, date(2024, 3, 4)),
    ],
)
def test_date_forms(value: object, day_first: bool, expected: date) -> None:
    assert parse_date(value, day_first=day_first) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["31/31/2024", "2024-02-30", "soon", "13", "Foo 3, 2024"])
def test_date_refusals(text: str) -> None:
    with pytest.raises(ValueProblem):
        parse_date(text)


def test_small_numbers_are_not_dates() -> None:
    with pytest.raises(ValueProblem):
        parse_date(42)


def test_date_order_evidence_flags_ambiguous_dates() -> None:
    assert date_order_evidence("13/04/2024") == "day"
    assert date_order_evidence("04/13/2024") == "month"
    assert date_order_evidence("03/04/2024") == "ambiguous"
    assert date_order_evidence("05/05/2024") is None
    assert date_order_evidence("2024-03-04") is None


def test_datetimes_with_times_and_meridiem() -> None:
    assert parse_datetime("11/22/2024 9:14 PM") == datetime(2024, 11, 22, 21, 14, tzinfo=UTC)
    assert parse_datetime("2024-11-22 09:14:05") == datetime(2024, 11, 22, 9, 14, 5, tzinfo=UTC)
    assert parse_datetime("22.11.2024", day_first=True) == datetime(2024, 11, 22, tzinfo=UTC)


def test_text_numbers_and_flags() -> None:
    assert clean_text("\u00a0 Acme \r\n") == "Acme"
    assert clean_text("   ") is None
    assert clean_text(12.0) == "12"
    assert parse_int("1,200") == 1200
    with pytest.raises(ValueProblem):
        parse_int("1.5")
    with pytest.raises(ValueProblem):
        parse_int("9", low=1, high=5)
    assert parse_bool("Yes") is True
    assert parse_bool("n") is False
    with pytest.raises(ValueProblem):
        parse_bool("maybe")


def test_a_bare_amount_takes_the_rows_currency() -> None:
    bare = parse_money(1234.5)
    assert (bare.stated, bare.in_currency("EUR")) == (False, Money(123_450, "EUR"))
    assert bare.in_currency("JPY") == Money(1_234, "JPY")  # half to even, no cents in yen
    stated = parse_money("$1,234.50")
    assert stated.stated and stated.in_currency("EUR") == Money(123_450, "USD")
