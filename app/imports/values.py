"""Reading one cell: dates, money, numbers and flags as CRM exports and people write them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import cache

from app.services.money import minor_digits

#: Cells as a reader hands them over: text from CSV, typed values from a workbook.
Cell = str | int | float | bool | date | datetime | time | None

#: Excel's day zero (its serial 60 is the 29 February 1900 that never was).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers read as dates only in this window (1954-10-03 .. 2119-01-08).
SERIAL_RANGE = (20_000, 80_000)
#: Largest money amount accepted, in minor units: far beyond any contract, well inside int64.
MAX_MINOR = 10**15

#: Names a cell may use for a currency, beyond ISO codes and Babel's English names.
_EXTRA_NAMES = {"dollar": "USD", "dollars": "USD", "usdollar": "USD", "pound": "GBP",
                "pounds": "GBP", "sterling": "GBP", "poundsterling": "GBP", "yen": "JPY",
                "euros": "EUR", "swissfranc": "CHF", "rupee": "INR", "rupees": "INR"}  # fmt: skip
_SYMBOLS = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "CHF": "CHF",
    "R$": "BRL",
    "A$": "AUD",
    "C$": "CAD",
    "kr": "SEK",
    "zł": "PLN",
}
_SCALES = {
    "": 1,
    "k": 1_000,
    "K": 1_000,
    "m": 1_000_000,
    "M": 1_000_000,
    "mm": 1_000_000,
    "MM": 1_000_000,
    "bn": 1_000_000_000,
    "B": 1_000_000_000,
    "b": 1_000_000_000,
}
#: A number in scientific notation, as the Salesforce Data Loader writes currency (6.0E7).
_SCIENTIFIC = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)[eE][-+]?\d{1,3}$")
_MONEY = re.compile(
    r"^(?P<pre>[A-Za-z]{3}|US\$|R\$|A\$|C\$|[$€£¥₹₩])?\s*"
    r"(?P<sign>[-+−])?\s*"
    r"(?P<pre2>[$€£¥₹₩])?\s*"
    r"(?P<num>\d[\d.,'’\s\u00a0\u202f]*|[.,]\d+)"
    r"\s*(?P<scale>k|K|mm|MM|m|M|bn|B|b)?\s*"
    r"(?P<post>[A-Za-z]{3}|kr|zł|[$€£¥₹₩])?$"
)
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?.*)?$")
_DMY = re.compile(
    r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*([AaPp][Mm])?)?$"
)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_NAMED_DMY = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})$")
_NAMED_MDY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_TRUE = frozenset({"yes", "y", "true", "t", "1", "x", "on", "ja", "oui", "si", "sí", "✓"})
_FALSE = frozenset({"no", "n", "false", "f", "0", "off", "nein", "non", ""})


class ValueProblem(ValueError):
    """A cell that cannot be read as the type its column needs; the message says why."""


@dataclass(frozen=True)
class Money:
    """An amount in integer minor units with its ISO currency code.

    ``stated`` is False when the cell named no currency (a bare number): the code is then
    the default, and ``in_currency`` may give the amount the row's own currency instead.
    """

    minor: int
    currency: str
    stated: bool = field(default=True, compare=False)
    amount: Decimal | None = field(default=None, compare=False, repr=False)

    def in_currency(self, currency: str) -> Money:
        """The same amount in ``currency`` when none was stated; itself otherwise."""
        if self.stated or currency == self.currency:
            return self
        amount = (
            self.amount
            if self.amount is not None
            else Decimal(self.minor).scaleb(-currency_exponent(self.currency))
        )
        return _to_minor(amount, currency, stated=False, shown=str(amount))


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


# --- dates ---------------------------------------------------------------------------------


def from_excel_serial(serial: float) -> date:
    """The date an Excel serial number (1900 date system) stands for."""
    if not SERIAL_RANGE[0] <= serial <= SERIAL_RANGE[1]:
        raise ValueProblem(f"{serial:g} is not a date serial number Excel would write.")
    return EXCEL_EPOCH + timedelta(days=int(serial))


def _ymd(year: int, month: int, day: int, text: str) -> date:
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueProblem(f"{text!r} is not a real date.") from None


def date_order_evidence(text: str) -> str | None:
    """For a numeric date like ``13/04/2024``: ``"day"``, ``"month"``, ``"ambiguous"``, or None.

    ``"day"`` means only a day-first reading makes sense, ``"month"`` only month-first,
    ``"ambiguous"`` both (03/04/2024), None when the text is not a day/month/year date
    or both parts are equal (05/05/2024 reads the same either way).
    """
    match = _DMY.match(text.strip())
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return "day"
    if second > 12 >= first:
        return "month"
    if first <= 12 and second <= 12 and first != second:
        return "ambiguous"
    return None


def parse_date(value: Cell, *, day_first: bool = False) -> date:
    """A date from ISO, US (month first), European (day first), named-month or Excel-serial form.

    ``day_first`` decides numeric dates like 03/04/2024; a date whose first part exceeds 12
    is read day-first whatever it says (and the reverse), callers detect the file's order
    with ``date_order_evidence``.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool | time):
        raise ValueProblem(f"{value!r} is not a date.")
    if isinstance(value, int | float):
        return from_excel_serial(value)
    text = clean_text(value)
    if text is None:
        raise ValueProblem("The date is empty.")
    match = _ISO.match(text)
    if match:
        return _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)), text)
    match = _DMY.match(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        if first > 12:
            day_first_here = True
        elif second > 12:
            day_first_here = False
        else:
            day_first_here = day_first
        day, month = (first, second) if day_first_here else (second, first)
        return _ymd(year, month, day, text)
    match = _NAMED_DMY.match(text)
    if match and match.group(2).lower() in _MONTHS:
        month = _MONTHS[match.group(2).lower()]
        return _ymd(int(match.group(3)), month, int(match.group(1)), text)
    match = _NAMED_MDY.match(text)
    if match and match.group(1).lower() in _MONTHS:
        month = _MONTHS[match.group(1).lower()]
        return _ymd(int(match.group(3)), month, int(match.group(2)), text)
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return from_excel_serial(float(text))
    raise ValueProblem(f"{_short(text)!r} is not a date in a form Fieldbook reads.")


def parse_datetime(value: Cell, *, day_first: bool = False) -> datetime:
    """A UTC timestamp: a date, or a date with a time of day (read as UTC)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, float) and not value.is_integer():
        day = from_excel_serial(value)
        seconds = round((value % 1) * 86_400)
        return datetime.combine(day, time(), UTC) + timedelta(seconds=seconds)
    text = clean_text(value) if isinstance(value, str) else None
    day = parse_date(value, day_first=day_first)
    clock = time()
    if text:
        match = _ISO.match(text) or _DMY.match(text)
        if match and match.group(4):
            hour, minute = int(match.group(4)), int(match.group(5))
            second = int(match.group(6) or 0)
            meridiem = match.group(7) if match.re is _DMY else None
            if meridiem:
                hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
            try:
                clock = time(hour, minute, second)
            except ValueError:
                raise ValueProblem(f"{_short(text)!r} has an impossible time of day.") from None
    return datetime.combine(day, clock, UTC)


# --- numbers and money --------------------------------------------------------------------


def _decimal_from_digits(
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
                raise ValueProblem(f"{number!r} has misplaced separators.")
            digits = digits.replace(sep, "")
    if decimal_sep and digits.count(decimal_sep) > 1:
        raise ValueProblem(f"{number!r} has more than one decimal separator.")
    if decimal_sep == ",":
        digits = digits.replace(",", ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise ValueProblem(f"{number!r} is not a number.") from None


def currency_exponent(currency: str) -> int:
    """Digits after the decimal point in the currency's minor unit (``app.services.money``)."""
    return minor_digits(currency)


@cache
def _currency_words() -> dict[str, str]:
    """Normalised name or symbol -> ISO code: Babel's English names (singular and plural)
    and symbols, then ours (ours win: "$" is USD, not just any dollar)."""
    from babel import Locale
    from babel.numbers import get_currency_name, list_currencies

    english = Locale("en")
    out: dict[str, str] = {}
    for code in sorted(list_currencies()):
        out.setdefault(_word(code), code)
        plural = get_currency_name(code, count=2, locale=english)
        for name in (english.currencies.get(code), plural):
            if name and "(" not in name:
                out.setdefault(_word(name), code)
        symbol = english.currency_symbols.get(code)
        if symbol and symbol != code:
            out.setdefault(_word(symbol), code)
    out.update({_word(k): v for k, v in _SYMBOLS.items()})
    out.update(_EXTRA_NAMES)
    return out


def _word(text: str) -> str:
    return re.sub(r"[\s.]+", "", text.casefold())


def parse_currency(value: Cell) -> str:
    """An ISO 4217 code from a code ("usd"), a symbol ("£") or a name ("US Dollar", "Euro")."""
    text = clean_text(value)
    if text is None:
        raise ValueProblem("The currency is empty.")
    code = _currency_words().get(_word(text))
    if code is None:
        raise ValueProblem(f"{_short(text)!r} is not a currency code, symbol or name.")
    return code


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


def parse_money(
    value: Cell, *, default_currency: str = "USD", decimal_comma: bool | None = None
) -> Money:
    """An amount like ``$1,234.50``, ``1.234,50 €``, ``(1,200)``, ``1.2M`` or ``EUR 300``.

    Parentheses mean negative (accounting style); k/M/bn scale; the symbol or code sets the
    currency, else ``default_currency`` (a bare ``$`` keeps a dollar default such as CAD).
    """
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"{value!r} is not an amount of money.")
    currency = default_currency
    stated = False
    if isinstance(value, int | float):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise ValueProblem(f"{value!r} is not an amount of money.")
    else:
        text = clean_text(value)
        if text is None:
            raise ValueProblem("The amount is empty.")
        negative = False
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        if text.endswith("-") and not text.startswith("-"):
            negative, text = True, text[:-1].strip()
        if _SCIENTIFIC.match(text):
            amount = Decimal(text)
            return _to_minor(-amount if negative else amount, currency, stated=False, shown=text)
        match = _MONEY.match(text)
        if not match:
            raise ValueProblem(f"{_short(text)!r} is not an amount of money.")
        marks = [m for m in (match["pre"], match["pre2"], match["post"]) if m]
        if len(marks) > 1:
            raise ValueProblem(f"{_short(text)!r} names its currency twice.")
        if marks:
            mark = marks[0]
            code = _SYMBOLS.get(mark, mark.upper())
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueProblem(f"{mark!r} is not a currency Fieldbook knows.")
            if mark == "$" and default_currency in {"USD", "CAD", "AUD", "NZD", "SGD", "HKD"}:
                code = default_currency
            currency = code
            stated = True
        amount = _decimal_from_digits(match["num"].strip(), money=True, decimal_comma=decimal_comma)
        amount *= _SCALES[match["scale"] or ""]
        if negative or match["sign"] in {"-", "−"}:
            amount = -amount
    return _to_minor(amount, currency, stated=stated, shown=str(value))


def _to_minor(amount: Decimal, currency: str, *, stated: bool, shown: str) -> Money:
    if abs(amount) >= MAX_MINOR:
        raise ValueProblem(f"{_short(shown)!r} is too large an amount.")
    exponent = currency_exponent(currency)
    minor = int((amount * (10**exponent)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    if abs(minor) >= MAX_MINOR:
        raise ValueProblem(f"{_short(shown)!r} is too large an amount.")
    return Money(minor, currency, stated, amount)


def parse_decimal(value: Cell, *, decimal_comma: bool | None = None) -> Decimal:
    """A plain number, with either convention of separators; a trailing % is dropped."""
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"{value!r} is not a number.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueProblem(f"{value!r} is not a number.")
        return Decimal(repr(value))
    text = clean_text(value)
    if text is None:
        raise ValueProblem("The number is empty.")
    if _SCIENTIFIC.match(text):
        return Decimal(text)
    negative = text.startswith(("-", "−"))
    body = text.lstrip("-−+").rstrip("%").strip()
    if not re.fullmatch(r"\d[\d.,'’\s\u00a0\u202f]*|[.,]\d+", body):
        raise ValueProblem(f"{_short(text)!r} is not a number.")
    number = _decimal_from_digits(body, decimal_comma=decimal_comma)
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
        raise ValueProblem(f"{_short(str(value))!r} is too large.")
    if number != number.to_integral_value():
        raise ValueProblem(f"{_short(str(value))!r} is not a whole number.")
    result = int(number)
    if abs(result) >= MAX_MINOR:
        raise ValueProblem(f"{_short(str(value))!r} is too large.")
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
    raise ValueProblem(f"{_short(text)!r} is not yes or no.")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
