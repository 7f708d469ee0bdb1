"""Money, the one home: minor units by each currency's precision, and how people read amounts.

Amounts are stored as integer minor units with a currency code; how many minor units make a
major one is the currency's own precision (ISO 4217 via Babel: JPY 0, USD 2, BHD 3), never a
fixed 100. Two forms are shown, chosen per place:

- ``format_money(minor, currency)``: the full form, ``$125,000`` (whole units, rounded), or
  with ``exact=True`` every minor digit, ``$125,000.50`` / ``¥125,000`` / ``BHD 1.250``;
- ``format_compact(minor, currency)``: the compact form for headlines and narrow cells,
  ``$125K``, ``€1.2M``.

Both follow the user's locale (``set_locale``; by default the process locale, ``en_US`` when it
is C/POSIX). ``format_totals`` joins per-currency totals; ``parse_amount`` / ``format_amount``
are the editable text of an amount.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import default_locale
from babel.numbers import (
    format_compact_currency,
    format_currency,
    get_currency_precision,
    get_currency_symbol,
    get_group_symbol,
    parse_pattern,
)

from app.services.labels import quoted

_locale_name: str | None = None
_SPACE = "\u00a0"
# Babel does not apply CLDR's currency spacing: "BHD125" reads better as "BHD 125".
_LETTERS_DIGIT = re.compile(r"([A-Za-z]{2,}\.?)(?=[\d-])")
_DIGIT_LETTERS = re.compile(r"(?<=\d)([A-Za-z]{2,})")


def set_locale(name: str | None) -> None:
    """Format money for ``name`` (``de_DE``, ``en-GB``); ``None`` goes back to the default."""
    global _locale_name
    if name is not None:
        _parse_locale(name)  # refuse an unknown locale now rather than at the first amount
    _locale_name = name
    _locale.cache_clear()
    _whole_plan.cache_clear()
    _compact_steps.cache_clear()
    _compact_texts.cache_clear()


def current_locale() -> Locale:
    """The locale amounts are formatted in."""
    return _locale()


@cache
def _locale() -> Locale:
    name = _locale_name or default_locale("LC_NUMERIC") or "en_US"
    try:
        found = _parse_locale(name)
    except ValueError:
        return Locale.parse("en_US")
    if found.variant == "POSIX" or found.language in {"c", "posix"}:
        return Locale.parse("en_US")
    return found


def _parse_locale(name: str) -> Locale:
    try:
        return Locale.parse(name.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise ValueError(f"{name} is not a locale Fieldbook knows.") from exc


@cache
def minor_digits(currency: str) -> int:
    """How many decimal digits the currency's minor unit has: JPY 0, USD 2, BHD 3."""
    return int(get_currency_precision(currency.upper()))


def minor_per_major(currency: str) -> int:
    """Minor units in one major unit: 1 for JPY, 100 for USD, 1000 for BHD."""
    return int(10 ** minor_digits(currency))


def to_major(minor: int, currency: str) -> Decimal:
    """The amount in major units, exactly: ``to_major(12550, "USD") == Decimal("125.50")``."""
    return Decimal(minor).scaleb(-minor_digits(currency))


def to_minor(major: Decimal | float | int | str, currency: str) -> int:
    """Minor units of a major amount, rounded half up to the currency's precision."""
    try:
        value = Decimal(str(major))
    except InvalidOperation as exc:
        raise ValueError(f"{quoted(str(major))} is not an amount.") from exc
    return int(value.scaleb(minor_digits(currency)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def currency_symbol(currency: str) -> str:
    """The currency's symbol in the user's locale: ``$``, ``€``, ``¥``, else its code."""
    return str(get_currency_symbol(currency.upper(), locale=_locale()))


def format_money(minor: int, currency: str, *, exact: bool = False) -> str:
    """The full form: ``$125,000`` (whole units, rounded), or ``exact`` ``$125,000.50``."""
    currency = currency.upper()
    locale = _locale()
    if not exact and type(minor) is int and (plan := _whole_plan(locale, currency)) is not None:
        per = 10 ** minor_digits(currency)
        units, rest = divmod(abs(minor), per)
        if 2 * rest >= per:  # half up, away from zero, as the quantize below
            units += 1
        return plan.text(units, minor < 0)
    value = to_major(minor, currency)
    if exact:
        text = format_currency(value, currency, locale=locale)
    else:
        whole = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        text = format_currency(
            whole, currency, format=_whole_pattern(locale), locale=locale, currency_digits=False
        )
    return _spaced(text)


def format_compact(minor: int, currency: str) -> str:
    """The compact form for headlines and narrow cells: ``$125K``, ``€1.2M``, ``¥950``."""
    currency = currency.upper()
    value = to_major(minor, currency)
    if abs(value) < 1000:
        return format_money(minor, currency)
    locale = _locale()
    key = _compact_key(value, _compact_steps(locale))
    texts = _compact_texts(locale, currency)
    text = texts.get(key) if key is not None else None
    if text is None:
        text = _spaced(format_compact_currency(value, currency, locale=locale, fraction_digits=1))
        if key is not None:
            if len(texts) >= _COMPACT_TEXTS:
                texts.clear()
            texts[key] = text
    return text


#: Compact texts remembered per locale and currency (a book shows far fewer: "$1.2M").
_COMPACT_TEXTS = 4096


@cache
def _compact_steps(locale: Locale) -> tuple[tuple[int, int | None], ...]:
    """The locale's compact magnitudes, largest first, each with the divisor Babel uses for
    it (None where the pattern is a bare "0": the amount is not shortened)."""
    steps = []
    forms = locale.compact_currency_formats["short"]["other"]
    for magnitude in sorted((int(m) for m in forms), reverse=True):
        pattern = parse_pattern(forms[str(magnitude)]).pattern
        divisor = None if pattern == "0" else magnitude // (10 ** (pattern.count("0") - 1))
        steps.append((magnitude, divisor))
    return tuple(steps)


def _compact_key(value: Decimal, steps: tuple[tuple[int, int | None], ...]) -> object:
    """What Babel's compact form of ``value`` depends on (as ``babel.numbers.
    _get_compact_format`` chooses it): the magnitude and the shortened amount rounded to one
    decimal. None when the amount is written whole."""
    absolute = abs(value)
    for index, (magnitude, divisor) in enumerate(steps):
        if absolute < magnitude:
            continue
        if divisor is None:
            return None
        rounded = round(value / divisor, 1)
        if index > 0 and abs(rounded) * divisor >= steps[index - 1][0]:
            return (index, value.is_signed(), "next magnitude")
        return (index, str(rounded))
    return None


@cache
def _compact_texts(_locale: Locale, _currency: str) -> dict[object, str]:
    return {}


def format_totals(totals: Mapping[str, int], *, compact: bool = True) -> str:
    """Per-currency totals on one line, largest first: ``$1.2M + €300K``."""
    fmt = format_compact if compact else format_money
    if not totals:
        return fmt(0, "USD")
    parts = sorted(totals.items(), key=lambda kv: -kv[1])
    return " + ".join(fmt(amount, cur) for cur, amount in parts)


def format_amount(
    minor: int, currency: str = "USD", *, decimal: str = ".", group: str = ","
) -> str:
    """The editable text of an amount, without currency: ``1,234.50`` (``1.234,50`` with a
    German locale's separators), ``1,234`` for JPY."""
    digits = minor_digits(currency)
    text = f"{to_major(minor, currency):,.{digits}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def parse_amount(
    text: str,
    currency: str = "USD",
    *,
    allow_negative: bool = False,
    decimal: str = ".",
    group: str = ",",
) -> int:
    """Minor units from ``1,234.50`` / ``1234.5`` / ``1234`` as the locale writes them
    (``decimal`` and ``group`` separators: ``12.000,50`` in German); ``ValueError`` says what
    is wrong. The number of decimals allowed is the currency's precision (none for JPY).
    """
    digits = minor_digits(currency)
    cleaned = text.strip().replace(" ", "").replace(_SPACE, "").replace("\u202f", "")
    for symbol in {currency_symbol(currency), currency.upper(), "$", "€", "£", "¥"}:
        cleaned = cleaned.replace(symbol, "")
    example = format_amount(
        123450 * minor_per_major(currency) // 100, currency, decimal=decimal, group=group
    )
    if not cleaned:
        raise ValueError(f"Enter an amount, e.g. {example}.")
    g, d = re.escape(group), re.escape(decimal)
    frac = rf"({d}(?P<frac>\d{{1,{digits}}}))?" if digits else ""
    pattern = rf"^(?P<sign>-)?(?P<int>\d{{1,3}}({g}\d{{3}})*|\d+){frac}$"
    match = re.match(pattern, cleaned)
    if match is None:
        decimals = f"up to {digits} decimals" if digits else "no decimals"
        raise ValueError(
            f"Use digits with optional thousands separators and {decimals} for "
            f"{currency.upper()}: {example}."
        )
    if match["sign"] and not allow_negative:
        raise ValueError("The amount cannot be negative.")
    whole = int(match["int"].replace(group, ""))
    fraction = int((match.groupdict().get("frac") or "0").ljust(digits, "0")) if digits else 0
    minor = whole * minor_per_major(currency) + fraction
    return -minor if match["sign"] else minor


@cache
def _whole_pattern(locale: Locale) -> str:
    pattern = locale.currency_formats["standard"].pattern
    return re.sub(r"\.[0#]+", "", pattern)


class _WholePlan:
    """Whole amounts of one currency in one locale without Babel's per-call work: the texts
    around the digits and the digit grouping, taken from Babel's own output once."""

    __slots__ = ("after", "before", "first", "group", "rest")

    def __init__(self, group: str, first: int, rest: int, sides: list[str]) -> None:
        self.group, self.first, self.rest = group, first, rest
        self.before = (sides[0], sides[2])  # positive, negative
        self.after = (sides[1], sides[3])

    def text(self, whole: int, negative: bool) -> str:
        digits = str(whole)
        size = self.first
        if len(digits) > size:  # Babel's grouping: the first group, then the others
            groups = []
            while len(digits) > size:
                groups.append(digits[-size:])
                digits = digits[:-size]
                size = self.rest
            groups.append(digits)
            digits = self.group.join(reversed(groups))
        return self.before[negative] + digits + self.after[negative]


#: Whole amounts the fast path must write exactly as Babel does before it is used.
_PROBES = (0, 1, 7, 12, 999, 1000, 4321, 12345, 100000, 123456, 1234567, 98765432, 10**12 + 7)


@cache
def _whole_plan(locale: Locale, currency: str) -> _WholePlan | None:
    """How ``format_money`` writes whole amounts of ``currency`` in ``locale`` (None when a
    pattern is beyond the plain form, and Babel formats every amount)."""

    def babel(whole: Decimal) -> str:
        pattern = _whole_pattern(locale)
        return _spaced(
            format_currency(whole, currency, format=pattern, locale=locale, currency_digits=False)
        )

    sides: list[str] = []
    for five in (Decimal(5), Decimal(-5)):
        text = babel(five)
        if text.count("5") != 1:
            return None
        sides.extend(text.split("5"))
    first, rest = parse_pattern(_whole_pattern(locale)).grouping
    plan = _WholePlan(str(get_group_symbol(locale)), first, rest, sides)
    for probe in _PROBES:
        for sign in (1, -1):  # -0 too: a negative amount under half a unit reads "-$0"
            if plan.text(probe, sign < 0) != babel(Decimal(probe).copy_sign(Decimal(sign))):
                return None
    return plan


def _spaced(text: str) -> str:
    text = _LETTERS_DIGIT.sub(rf"\1{_SPACE}", text)
    return _DIGIT_LETTERS.sub(rf"{_SPACE}\1", text)
