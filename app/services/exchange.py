"""The reporting currency and the user's exchange rates: totals across currencies, honestly.

Rates are typed in by the user (GUI or ``fieldbook rates``), each with the date it was read;
nothing is fetched. A total converts what it has a rate for and says which rate dates it
used; what it cannot convert it leaves out and names, in full (``Conversion.note``).

Use::

    conv = converter(session)                 # the workspace's reporting currency and rates
    result = conv.convert({"USD": 120_000_00, "EUR": 30_000_00})
    result.minor, result.currency             # the total in the reporting currency
    result.note                               # "at rates of 30 Nov 2026" / "leaves out ..."
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import list_currencies
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import Account, ExchangeRate, WorkspaceMeta
from app.services import dates_text
from app.services.money import format_compact, to_major, to_minor

#: The workspace fact holding the reporting currency.
REPORTING_KEY = "reporting_currency"
_MAX_RATE = Decimal(1_000_000)


class RateError(ValueError):
    """Bad input for a rate or currency; the message is one sentence for the user."""


@dataclass(frozen=True, slots=True)
class Rate:
    """``1 currency = rate quote``, read on ``as_of``."""

    currency: str
    quote: str
    rate: Decimal
    as_of: date


@dataclass(frozen=True, slots=True)
class Conversion:
    """A total in the reporting currency, the rate dates it used and what it left out."""

    currency: str
    minor: int
    #: Dates of the rates used, oldest first (empty when nothing needed converting).
    rate_dates: tuple[date, ...] = ()
    #: Amounts with no rate to the reporting currency, per currency, largest first.
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Whether every amount is in the total."""
        return not self.left_out

    @property
    def rates_note(self) -> str:
        """``at rates of 30 Nov 2026`` (or a range); empty when nothing was converted."""
        return rates_phrase(self.rate_dates)

    @property
    def left_out_note(self) -> str:
        """``Leaves out €30K (EUR) and £12K (GBP): no rate to USD.``; empty when complete."""
        if not self.left_out:
            return ""
        parts = [f"{format_compact(m, c)} ({c})" for c, m in self.left_out.items()]
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        return f"Leaves out {listed}: no rate to {self.currency}."

    @property
    def note(self) -> str:
        """Both notes in one sentence or two, for the line under a total."""
        said = f"Converted {self.rates_note}." if self.rate_dates else ""
        return " ".join(p for p in (said, self.left_out_note) if p)


def rates_phrase(dates: tuple[date, ...] | list[date]) -> str:
    """``at rates of 30 Nov 2026`` or ``at rates of 2 Nov 2026 to 30 Nov 2026``."""
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    if first == last:
        return f"at rates of {dates_text.day(first)}"
    return f"at rates of {dates_text.day(first)} to {dates_text.day(last)}"


@dataclass(frozen=True, slots=True)
class Converter:
    """The reporting currency with the rates to it: converts amounts and totals."""

    currency: str
    rates: Mapping[str, Rate]

    def rate_of(self, currency: str) -> Rate | None:
        """The rate from ``currency`` to the reporting currency (None: no rate)."""
        return self.rates.get(currency.upper())

    def to_reporting(self, minor: int, currency: str) -> int | None:
        """``minor`` of ``currency`` in the reporting currency's minor units; None: no rate."""
        currency = currency.upper()
        if currency == self.currency:
            return minor
        rate = self.rates.get(currency)
        if rate is None:
            return None
        return to_minor(to_major(minor, currency) * rate.rate, self.currency)

    def convert(self, totals: Mapping[str, int]) -> Conversion:
        """One total of per-currency amounts; currencies without a rate are left out."""
        total = 0
        used: set[date] = set()
        left: dict[str, int] = {}
        for currency, minor in totals.items():
            converted = self.to_reporting(minor, currency)
            if converted is None:
                if minor:
                    left[currency.upper()] = left.get(currency.upper(), 0) + minor
                continue
            total += converted
            if currency.upper() != self.currency and minor:
                used.add(self.rates[currency.upper()].as_of)
        ordered = dict(sorted(left.items(), key=lambda kv: (-kv[1], kv[0])))
        return Conversion(self.currency, total, tuple(sorted(used)), ordered)


def known_currency(code: str) -> str:
    """``code`` upper-cased if it is an ISO 4217 currency; ``RateError`` otherwise."""
    cleaned = code.strip().upper()
    if len(cleaned) != 3 or cleaned not in _currencies():
        raise RateError(f"{code.strip() or 'An empty code'} is not a currency code (e.g. EUR).")
    return cleaned


def parse_rate(text: str) -> Decimal:
    """A positive rate from ``1.08`` / ``0,92``; ``RateError`` says what is wrong."""
    cleaned = text.strip().replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise RateError(f"{text.strip() or 'An empty rate'} is not a number.") from None
    if not value.is_finite() or value <= 0:
        raise RateError("A rate must be a number above zero.")
    if value >= _MAX_RATE:
        raise RateError("A rate must be below 1,000,000.")
    return value.normalize()


def reporting_currency(session: Session) -> str:
    """The currency totals are reported in: the user's choice, else the one most accounts use.

    (Counting accounts, not summing ARR: minor units of different currencies do not compare.)
    """
    chosen = session.get(WorkspaceMeta, REPORTING_KEY)
    if chosen is not None and chosen.value:
        return chosen.value
    row = session.execute(
        select(Account.currency)
        .group_by(Account.currency)
        .order_by(func.count().desc(), Account.currency)
        .limit(1)
    ).first()
    return str(row[0]).upper() if row else "USD"


def set_reporting_currency(session: Session, code: str) -> str:
    """Report totals in ``code`` from now on; returns the cleaned code."""
    currency = known_currency(code)
    meta = session.get(WorkspaceMeta, REPORTING_KEY)
    if meta is None:
        session.add(WorkspaceMeta(key=REPORTING_KEY, value=currency))
    else:
        meta.value = currency
    session.flush()
    return currency


def list_rates(session: Session, quote: str | None = None) -> list[Rate]:
    """The rates to ``quote`` (default: the reporting currency), by currency."""
    quote = quote or reporting_currency(session)
    rows = session.scalars(
        select(ExchangeRate).where(ExchangeRate.quote == quote).order_by(ExchangeRate.currency)
    )
    return [Rate(r.currency, r.quote, Decimal(r.rate), r.as_of) for r in rows]


def set_rate(
    session: Session, currency: str, rate: str | Decimal, as_of: date, *, today: date
) -> Rate:
    """Record ``1 currency = rate`` reporting currency as read on ``as_of`` (replaces any)."""
    code = known_currency(currency)
    quote = reporting_currency(session)
    if code == quote:
        raise RateError(f"{code} is the reporting currency; it needs no rate.")
    value = parse_rate(str(rate))
    if as_of > today:
        raise RateError(f"The rate date {dates_text.day(as_of)} is after today.")
    row = session.get(ExchangeRate, (code, quote))
    if row is None:
        session.add(ExchangeRate(currency=code, quote=quote, rate=str(value), as_of=as_of))
    else:
        row.rate, row.as_of = str(value), as_of
    session.flush()
    return Rate(code, quote, value, as_of)


def remove_rate(session: Session, currency: str) -> None:
    """Forget the rate of ``currency`` to the reporting currency; ``RateError`` if none."""
    code = known_currency(currency)
    quote = reporting_currency(session)
    if session.get(ExchangeRate, (code, quote)) is None:
        raise RateError(f"There is no rate from {code} to {quote} to remove.")
    session.execute(
        delete(ExchangeRate).where(ExchangeRate.currency == code, ExchangeRate.quote == quote)
    )


def book_currencies(session: Session) -> list[str]:
    """The currencies the book's accounts are in, sorted."""
    return sorted({str(c).upper() for c in session.scalars(select(Account.currency).distinct())})


def converter(session: Session) -> Converter:
    """The workspace's reporting currency and its rates, read once for a report or a view."""
    quote = reporting_currency(session)
    return Converter(quote, {r.currency: r for r in list_rates(session, quote)})


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())
