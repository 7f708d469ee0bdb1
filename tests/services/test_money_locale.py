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


@pytest.mark.parametrize("name", ["en_US", "de_DE", "fr_FR", "en_IN", "ja_JP", "de_CH", "ar_EG"])
def test_the_quick_forms_write_what_babel_writes(name: str) -> None:
    """Whole and compact amounts skip Babel's per-call work (a plan and remembered texts);
    they must read exactly as Babel's own output, groups, signs and rounding included."""
    import random
    from decimal import ROUND_HALF_UP, Decimal

    from babel.numbers import format_compact_currency, format_currency

    from app.services import money

    rng = random.Random(name)
    money.set_locale(name)
    try:
        locale = money.current_locale()
        for currency in ("USD", "EUR", "JPY", "BHD", "INR"):
            for _ in range(150):
                digits = rng.randrange(1, 16)
                minor = rng.choice(
                    [rng.randrange(-(10**digits), 10**digits), rng.randrange(-200, 200)]
                )
                value = money.to_major(minor, currency)
                whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
                pattern = money._whole_pattern(locale)
                expected = money._spaced(
                    format_currency(
                        whole, currency, format=pattern, locale=locale, currency_digits=False
                    )
                )
                assert money.format_money(minor, currency) == expected, (minor, currency)
                if abs(value) >= 1000:
                    compact = format_compact_currency(
                        value, currency, locale=locale, fraction_digits=1
                    )
                    assert money.format_compact(minor, currency) == money._spaced(compact)
    finally:
        money.set_locale(None)
