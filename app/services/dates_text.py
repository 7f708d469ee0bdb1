"""How a date reads to a person, the one home: a few named forms in the user's locale.

The locale is money's (``app.services.money.set_locale``; ``en_US`` when the process locale is
C/POSIX), so a window, a deck, a report and a feed read a date and an amount the same way.
Each form is one CLDR skeleton through Babel; in en_US / en_GB / de_DE:

- ``day``: ``Dec 3, 2026`` / ``3 Dec 2026`` / ``3. Dez. 2026``
- ``compact_day`` (a narrow cell): ``Feb 11, ’27`` / ``11 Feb ’27``
- ``short_day`` (no year): ``Dec 3`` / ``3 Dec`` / ``3. Dez.``
- ``weekday_day``: ``Thu, Dec 3, 2026`` / ``Thu, 3 Dec 2026`` / ``Do., 3. Dez. 2026``
- ``short_weekday_day`` (no year): ``Thu, Dec 3`` / ``Thu 3 Dec`` / ``Do., 3. Dez.``
- ``long_day``: ``Thursday, December 3, 2026`` / ``Thursday, 3 December 2026``
- ``month``: ``Dec 2026``; ``long_month``: ``December 2026``; ``month_name``: ``Dec``
- ``moment`` (a day and local time): ``Dec 3, 2026, 2:30 PM`` / ``3 Dec 2026, 14:30``;
  ``time_of_day``: ``2:30 PM`` / ``14:30``
- ``span``: ``Dec 3 – 9, 2026`` / ``3 – 9 Dec 2026`` / ``3.–9. Dez. 2026``

Machine forms (ISO in file names, SQL parameters, feeds, stamps) are not here: they stay ISO.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton, format_time

from app.services.money import current_locale

_DAY = "yMMMd"
_COMPACT_DAY = "yyMMMd"
_SHORT_DAY = "MMMd"
_WEEKDAY_DAY = "yMMMEd"
_SHORT_WEEKDAY_DAY = "MMMEd"
_MONTH = "yMMM"
_MONTH_NAME = "MMM"
_LONG_MONTH = "yMMMM"
_seen: Locale | None = None


def day(value: date) -> str:
    """A day: ``Dec 3, 2026`` (en_US), ``3 Dec 2026`` (en_GB), ``3. Dez. 2026`` (de_DE)."""
    return _text(_DAY, value)


def compact_day(value: date) -> str:
    """A day in a narrow cell, the year in two digits where the locale has a form for it:
    ``Feb 11, ’27``, ``11 Feb ’27`` (de_DE keeps ``11. Feb. 2027``)."""
    return _text(_COMPACT_DAY, value)


def overdue(days: int) -> str:
    """How late something due is: ``1 day overdue``, ``3 days overdue``."""
    return f"{days} day{'s' if days != 1 else ''} overdue"


def short_day(value: date) -> str:
    """A day in a year the reader already knows: ``Dec 3``, ``3 Dec``, ``3. Dez.``."""
    return _text(_SHORT_DAY, value)


def weekday_day(value: date) -> str:
    """A day with its weekday: ``Thu, Dec 3, 2026``, ``Thu, 3 Dec 2026``."""
    return _text(_WEEKDAY_DAY, value)


def short_weekday_day(value: date) -> str:
    """A day with its weekday, without the year: ``Thu, Dec 3``, ``Thu 3 Dec``."""
    return _text(_SHORT_WEEKDAY_DAY, value)


def long_day(value: date) -> str:
    """A heading's day, every word written out: ``Thursday, December 3, 2026``."""
    return _text("full", value)


def month(value: date) -> str:
    """A month of a year: ``Dec 2026``, ``Dez. 2026``."""
    return _text(_MONTH, value)


def long_month(value: date) -> str:
    """A month of a year as a heading: ``December 2026``, ``Dezember 2026``."""
    return _text(_LONG_MONTH, value)


def month_name(value: date) -> str:
    """A month's short name alone (a chart tick, a timeline head): ``Dec``."""
    return _text(_MONTH_NAME, value)


def moment(value: datetime) -> str:
    """A day and its local time: ``Dec 3, 2026, 2:30 PM``, ``3 Dec 2026, 14:30``; an aware
    moment is shown in the machine's time zone, a naive one is taken as local already."""
    local = value.astimezone() if value.tzinfo is not None else value
    return _text("moment", local.replace(second=0, microsecond=0))


def time_of_day(value: datetime) -> str:
    """A moment's local time alone, for a moment of today: ``2:30 PM``, ``14:30``."""
    local = value.astimezone() if value.tzinfo is not None else value
    return _text("time", local.replace(second=0, microsecond=0))


def span(start: date, end: date) -> str:
    """Two days as one range, saying the shared month and year once: ``Dec 3 – 9, 2026``,
    ``3 – 9 Dec 2026``; one day when both are the same."""
    _check_locale()
    return _interval(start, end, current_locale())


def day_pattern() -> str:
    """The CLDR pattern of ``day`` in the user's locale (``MMM d, y``), for date fields."""
    return str(current_locale().datetime_skeletons[_DAY].pattern)


def locale_name() -> str:
    """The user's locale as ``en_US``, for widgets that name month names themselves."""
    return str(current_locale())


def _text(form: str, value: date) -> str:
    _check_locale()
    return _render(form, value, current_locale())


def _check_locale() -> None:
    """Forget the cached texts when money's locale changed since the last one."""
    global _seen
    locale = current_locale()
    if locale is not _seen:
        _render.cache_clear()
        _interval.cache_clear()
        _seen = locale


@lru_cache(maxsize=65536)
def _render(form: str, value: date, locale: Locale) -> str:
    # The tree paints these for every visible row and the calendar feed writes thousands.
    if form == "full":
        return str(format_date(value, "full", locale=locale))
    if form == "time":
        assert isinstance(value, datetime)
        return str(format_time(value, "short", locale=locale))
    if form == "moment":
        assert isinstance(value, datetime)
        pattern = str(locale.datetime_formats["medium"])
        when = format_time(value, "short", locale=locale)
        return pattern.replace("{1}", _render(_DAY, value.date(), locale)).replace("{0}", str(when))
    return str(format_skeleton(form, value, locale=locale))


@lru_cache(maxsize=4096)
def _interval(start: date, end: date, locale: Locale) -> str:
    return str(format_interval(start, end, _DAY, locale=locale))
