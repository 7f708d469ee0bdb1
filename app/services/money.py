"""Money as people type and read it: ``1,234.50`` to integer minor units and back."""

from __future__ import annotations

import re
from collections.abc import Mapping

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CHF": "CHF "}


def currency_prefix(currency: str) -> str:
    """``$`` for USD, ``€`` for EUR, else the code and a space."""
    return _SYMBOLS.get(currency.upper(), f"{currency.upper()} ")


def format_money(minor: int, currency: str, *, cents: bool = False) -> str:
    """``$1,234,567`` (whole units, rounded) or with ``cents`` ``$1,234,567.50``."""
    sign = "-" if minor < 0 else ""
    value = abs(minor)
    if cents:
        return f"{sign}{currency_prefix(currency)}{value // 100:,}.{value % 100:02d}"
    return f"{sign}{currency_prefix(currency)}{(value + 50) // 100:,}"


def format_compact(minor: int, currency: str) -> str:
    """``$1.2M``, ``€350K``: for headline figures."""
    units = minor / 100
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(units) >= limit:
            number = f"{units / limit:.1f}".removesuffix(".0")
            return f"{currency_prefix(currency)}{number}{suffix}"
    return f"{currency_prefix(currency)}{units:,.0f}"


def format_amount(minor: int, *, decimal: str = ".", group: str = ",") -> str:
    """``1,234.50`` (or ``1.234,50`` with a German locale's separators): an amount's editable
    text, without currency."""
    sign = "-" if minor < 0 else ""
    value = abs(minor)
    whole = f"{value // 100:,}".replace(",", group)
    return f"{sign}{whole}{decimal}{value % 100:02d}"


def parse_amount(
    text: str, *, allow_negative: bool = False, decimal: str = ".", group: str = ","
) -> int:
    """Minor units from ``1,234.50`` / ``1234.5`` / ``1234`` as the locale writes them
    (``decimal`` and ``group`` separators: ``12.000,50`` in German); ``ValueError`` says what
    is wrong."""
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    for symbol in _SYMBOLS.values():
        cleaned = cleaned.replace(symbol.strip(), "")
    example = format_amount(123450, decimal=decimal, group=group)
    if not cleaned:
        raise ValueError(f"Enter an amount, e.g. {example}.")
    g, d = re.escape(group), re.escape(decimal)
    pattern = rf"^(?P<sign>-)?(?P<int>\d{{1,3}}({g}\d{{3}})*|\d+)({d}(?P<frac>\d{{1,2}}))?$"
    match = re.match(pattern, cleaned)
    if match is None:
        raise ValueError(
            f"Use digits with optional thousands separators and two decimals: {example}."
        )
    if match["sign"] and not allow_negative:
        raise ValueError("The amount cannot be negative.")
    whole = int(match["int"].replace(group, ""))
    frac = int((match["frac"] or "0").ljust(2, "0"))
    minor = whole * 100 + frac
    return -minor if match["sign"] else minor


def format_totals(totals: Mapping[str, int], *, compact: bool = True) -> str:
    """Per-currency totals on one line, largest first: ``$1.2M + €300K``."""
    if not totals:
        return format_compact(0, "USD") if compact else format_money(0, "USD")
    parts = sorted(totals.items(), key=lambda kv: -kv[1])
    fmt = format_compact if compact else format_money
    return " + ".join(fmt(amount, cur) for cur, amount in parts)
