"""Reading one cell: text, numbers and flags as CRM exports and people write them (dates are
read in ``dates``, money in ``amounts``)."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from app.services.labels import quoted

#: Cells as a reader hands them over: text from CSV, typed values from a workbook.
Cell = str | int | float | bool | date | datetime | time | None
#: Largest money amount accepted, in minor units: far beyond any contract, well inside int64.
MAX_MINOR = 10**15
#: A number in scientific notation, as the Salesforce Data Loader writes currency (6.0E7).
SCIENTIFIC = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d{1,3}$")
_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "on", "ja", "oui", "si", "sí", "✓"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "off", "nein", "non", ""})


class ValueProblem(ValueError):
    """A cell that cannot be read as the type its column needs; the message says why."""


def clean_text(value: Cell) -> str | None:
    """Text with surrounding whitespace (including non-breaking spaces) removed; None if empty."""
    if value is None:
        return None
    if type(value) is str:
        # The hot path: every cell of every CSV row comes through here.
        text = value.strip()
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if "\ufeff" in text:
            text = text.strip("\ufeff").strip()
        return text or None
    if isinstance(value, bool):
        text = "Yes" if value else "No"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    else:
        text = str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip(" \t\n\u00a0\u202f\ufeff")
    return text or None


def decimal_from_digits(
    number: str, *, money: bool = False, decimal_comma: bool | None = None
) -> Decimal:
    """Digits with thousands and decimal separators in either convention, as a Decimal.

    A lone separator followed by exactly three digits ("1,234") is a thousands separator;
    for money a lone "1.234" is too (no currency has three-digit cents in a CRM export).
    ``decimal_comma`` (the file's convention, when known) settles a lone separator.
    """
    digits = re.sub(r"[\s\u00a0\u202f'’]", "", number)
    commas, dots = digits.count(","), digits.count(".")
    if decimal_comma is not None and not (commas and dots):
        decimal_sep = "," if decimal_comma else "."
        if (commas if decimal_comma else dots) == 0:
            decimal_sep = ""
    elif commas and dots:
        decimal_sep = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif not commas and not dots:
        decimal_sep = ""
    else:
        sep = "," if commas else "."
        lone_three = max(commas, dots) == 1 and re.search(rf"\{sep}\d{{3}}$", digits)
        grouping = max(commas, dots) > 1 or (lone_three and (money or sep == ","))
        decimal_sep = "" if grouping else sep
    thousands_sep = {",": ".", ".": ","}.get(decimal_sep, ",.")
    for sep in thousands_sep:
        parts = digits.split(sep)
        if len(parts) > 1:
            head, *groups = parts
            tail = groups[-1].split(decimal_sep)[0] if decimal_sep else groups[-1]
            if not (1 <= len(head) <= 3 and all(len(g) == 3 for g in [*groups[:-1], tail])):
                raise ValueProblem(f"{quoted(number)} has misplaced separators.")
            digits = digits.replace(sep, "")
    if decimal_sep and digits.count(decimal_sep) > 1:
        raise ValueProblem(f"{quoted(number)} has more than one decimal separator.")
    if decimal_sep == ",":
        digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise ValueProblem(f"{quoted(number)} is not a number.") from None


def decimal_convention(text: str) -> bool | None:
    """For a number as written: True when only a decimal comma reads it ("1.234,5", "12,50"),
    False when only a decimal point does ("1,234.5", "12.50"), None when it says neither."""
    if _COMMA_DECIMAL.search(text):
        return True
    if _POINT_DECIMAL.search(text):
        return False
    return None


_COMMA_DECIMAL = re.compile(
    r"(^|[^\d.,])\d{1,3}(\.\d{3})+,\d+($|\D)|(^|[^\d.,])\d+,\d{1,2}($|[^\d.,])"
)
_POINT_DECIMAL = re.compile(
    r"(^|[^\d.,])\d{1,3}(,\d{3})+\.\d+($|\D)|(^|[^\d.,])\d+\.\d{1,2}($|[^\d.,])"
)


def parse_decimal(value: Cell, *, decimal_comma: bool | None = None) -> Decimal:
    """A plain number, with either convention of separators; a trailing % is dropped."""
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"{quoted(str(value))} is not a number.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(f"{quoted(str(value))} is not a number.")
        return Decimal(repr(value))
    text = clean_text(value)
    if text is None:
        raise ValueProblem("The number is empty.")
    if SCIENTIFIC.match(text):
        return Decimal(text)
    negative = text.startswith(("-", "−"))
    body = text.lstrip("-−+").rstrip("%").strip()
    if not re.fullmatch(r"\d[\d.,'’\s\u00a0\u202f]*|[.,]\d+", body):
        raise ValueProblem(f"{quoted(shorten(text))} is not a number.")
    number = decimal_from_digits(body, decimal_comma=decimal_comma)
    return -number if negative else number


def parse_int(
    value: Cell,
    *,
    low: int | None = None,
    high: int | None = None,
    decimal_comma: bool | None = None,
) -> int:
    """A whole number, optionally within ``low..high``."""
    number = parse_decimal(value, decimal_comma=decimal_comma)
    if abs(number) >= MAX_MINOR:
        raise ValueProblem(f"{quoted(shorten(str(value)))} is too large.")
    if number != number.to_integral_value():
        raise ValueProblem(f"{quoted(shorten(str(value)))} is not a whole number.")
    result = int(number)
    if (low is not None and result < low) or (high is not None and result > high):
        raise ValueProblem(f"{result} is outside {low}..{high}.")
    return result


def parse_float(
    value: Cell,
    *,
    low: float | None = None,
    high: float | None = None,
    decimal_comma: bool | None = None,
) -> float:
    """A number as float, optionally within ``low..high``."""
    result = float(parse_decimal(value, decimal_comma=decimal_comma))
    if (low is not None and result < low) or (high is not None and result > high):
        raise ValueProblem(f"{result:g} is outside {low:g}..{high:g}.")
    return result


def parse_bool(value: Cell) -> bool:
    """Yes/No, True/False, 1/0, X and their usual spellings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = (clean_text(value) or "").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem(f"{quoted(shorten(text))} is not yes or no.")


def shorten(text: str, limit: int = 40) -> str:
    """A cell's text cut to ``limit`` characters for a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
