"""Reading date cells: ISO, US, European, named-month and Excel-serial dates, and times of day."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from app.imports.values import Cell, ValueProblem, clean_text, shorten
from app.services.labels import quoted

#: Excel's day zero (its serial 60 is the 29 February 1900 that never was).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial numbers read as dates only in this window (1954-10-03 .. 2119-01-08).
SERIAL_RANGE = (20_000, 80_000)
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
        raise ValueProblem(f"{quoted(text)} is not a real date.") from None


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
        raise ValueProblem(f"{quoted(str(value))} is not a date.")
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
    raise ValueProblem(f"{quoted(shorten(text))} is not a date in a form Fieldbook reads.")


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
                raise ValueProblem(
                    f"{quoted(shorten(text))} has an impossible time of day."
                ) from None
    return datetime.combine(day, clock, UTC)
