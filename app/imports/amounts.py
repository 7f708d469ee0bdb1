"""Reading money cells: amounts as CRMs and people write them, in minor units of a currency
named by code, symbol or name."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from app.imports.values import (
    MAX_MINOR,
    SCIENTIFIC,
    Cell,
    ValueProblem,
    clean_text,
    decimal_from_digits,
    shorten,
)
from app.services.labels import quoted
from app.services.money import minor_digits

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
_MONEY = re.compile(
    r"^(?P<pre>[A-Za-z]{3}|US\$|R\$|A\$|C\$|[$€£¥₹₩])?\s*"
    r"(?P<sign>[-+−])?\s*"
    r"(?P<pre2>[$€£¥₹₩])?\s*"
    r"(?P<num>\d[\d.,'’\s\u00a0\u202f]*|[.,]\d+)"
    r"\s*(?P<scale>k|K|mm|MM|m|M|bn|B|b)?\s*"
    r"(?P<post>[A-Za-z]{3}|kr|zł|[$€£¥₹₩])?$"
)


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
        raise ValueProblem(f"{quoted(shorten(text))} is not a currency code, symbol or name.")
    return code


def parse_money(
    value: Cell, *, default_currency: str = "USD", decimal_comma: bool | None = None
) -> Money:
    """An amount like ``$1,234.50``, ``1.234,50 €``, ``(1,200)``, ``1.2M`` or ``EUR 300``.

    Parentheses mean negative (accounting style); k/M/bn scale; the symbol or code sets the
    currency, else ``default_currency`` (a bare ``$`` keeps a dollar default such as CAD).
    """
    if isinstance(value, bool) or value is None:
        raise ValueProblem(f"{quoted(str(value))} is not an amount of money.")
    currency = default_currency
    stated = False
    if isinstance(value, int | float):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise ValueProblem(f"{quoted(str(value))} is not an amount of money.")
    else:
        text = clean_text(value)
        if text is None:
            raise ValueProblem("The amount is empty.")
        negative = False
        if text.startswith("(") and text.endswith(")"):
            negative, text = True, text[1:-1].strip()
        if text.endswith("-") and not text.startswith("-"):
            negative, text = True, text[:-1].strip()
        if SCIENTIFIC.match(text):
            amount = Decimal(text)
            return _to_minor(-amount if negative else amount, currency, stated=False, shown=text)
        match = _MONEY.match(text)
        if not match:
            raise ValueProblem(f"{quoted(shorten(text))} is not an amount of money.")
        marks = [m for m in (match["pre"], match["pre2"], match["post"]) if m]
        if len(marks) > 1:
            raise ValueProblem(f"{quoted(shorten(text))} names its currency twice.")
        if marks:
            mark = marks[0]
            code = _SYMBOLS.get(mark, mark.upper())
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ValueProblem(f"{quoted(mark)} is not a currency Fieldbook knows.")
            if mark == "$" and default_currency in {"USD", "CAD", "AUD", "NZD", "SGD", "HKD"}:
                code = default_currency
            currency = code
            stated = True
        amount = decimal_from_digits(match["num"].strip(), money=True, decimal_comma=decimal_comma)
        amount *= _SCALES[match["scale"] or ""]
        if negative or match["sign"] in {"-", "−"}:
            amount = -amount
    return _to_minor(amount, currency, stated=stated, shown=str(value))


def _to_minor(amount: Decimal, currency: str, *, stated: bool, shown: str) -> Money:
    if abs(amount) >= MAX_MINOR:
        raise ValueProblem(f"{quoted(shorten(shown))} is too large an amount.")
    exponent = currency_exponent(currency)
    minor = int((amount * (10**exponent)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    if abs(minor) >= MAX_MINOR:
        raise ValueProblem(f"{quoted(shorten(shown))} is too large an amount.")
    return Money(minor, currency, stated, amount)
