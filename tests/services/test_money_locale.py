"""Amounts in the locale's separators: "12.000,50" in German, "12,000.50" in English."""

from __future__ import annotations

import pytest

from app.services.money import format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "decimal", "group", "minor"),
    [
        ("12.000,50", ",", ".", 1_200_050),
        ("12000,5", ",", ".", 1_200_050),
        ("12 000,50", ",", "\u202f", 1_200_050),
        ("12,000.50", ".", ",", 1_200_050),
        ("1.234.567", ",", ".", 123_456_700),
    ],
)
def test_parse_in_the_locale(text: str, decimal: str, group: str, minor: int) -> None:
    assert parse_amount(text, decimal=decimal, group=group) == minor


def test_format_in_the_locale_and_a_clear_refusal() -> None:
    assert format_amount(1_200_050, decimal=",", group=".") == "12.000,50"
    assert format_amount(1_200_050) == "12,000.50"
    with pytest.raises(ValueError, match=r"1\.234,50"):
        parse_amount("12,000.50", decimal=",", group=".")
