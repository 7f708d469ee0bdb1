"""Typed dates: the locale's order, ISO, month names and relative words."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.date_words import add_months, parse_typed_date

TODAY = date(2026, 5, 4)  # a Monday


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("today", "dmy", TODAY),
        ("Tomorrow", "dmy", date(2026, 5, 5)),
        ("yesterday", "mdy", date(2026, 5, 3)),
        ("next tuesday", "dmy", date(2026, 5, 5)),
        ("next monday", "dmy", date(2026, 5, 11)),
        ("friday", "dmy", date(2026, 5, 8)),
        ("last friday", "dmy", date(2026, 5, 1)),
        ("+2w", "dmy", date(2026, 5, 18)),
        ("+10d", "dmy", date(2026, 5, 14)),
        ("-3d", "dmy", date(2026, 5, 1)),
        ("in 3 days", "dmy", date(2026, 5, 7)),
        ("2 weeks ago", "dmy", date(2026, 4, 20)),
        ("+1m", "dmy", date(2026, 6, 4)),
        ("next week", "dmy", date(2026, 5, 11)),
        ("31/12/2026", "dmy", date(2026, 12, 31)),
        ("31.12.2026", "dmy", date(2026, 12, 31)),
        ("12/31/2026", "mdy", date(2026, 12, 31)),
        ("2026-12-31", "mdy", date(2026, 12, 31)),
        ("2026/12/31", "ymd", date(2026, 12, 31)),
        ("1/2/27", "dmy", date(2027, 2, 1)),
        ("15/6", "dmy", date(2026, 6, 15)),
        ("1 May 2026", "dmy", date(2026, 5, 1)),
        ("May 1, 2026", "mdy", date(2026, 5, 1)),
        ("3 sept", "dmy", date(2026, 9, 3)),
    ],
)
def test_typed_dates(text: str, order: str, expected: date) -> None:
    assert parse_typed_date(text, TODAY, order) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["31/12/2026", "soon", "next blursday", "32.1.2026", "", "+2x"])
def test_refusals_are_one_sentence(text: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_typed_date(text, TODAY, "mdy")
    message = str(info.value)
    assert message.endswith(".") and message.count(". ") == 0


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
