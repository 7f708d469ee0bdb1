"""Typed dates as people write them: in their locale's order, or as words (no Qt).

``parse_typed_date("next tuesday", today)``, ``"+2w"``, ``"31/12/2026"`` (day first where the
locale writes day first), ``"2026-12-31"``, ``"1 May 2026"``. Every date field uses this one
function, so a form never accepts a date another form refuses.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from app.services.labels import quoted

Order = Literal["dmy", "mdy", "ymd"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_UNITS = {"d": 1, "day": 1, "days": 1, "w": 7, "wk": 7, "week": 7, "weeks": 7}
_MONTH_UNITS = {"m": 1, "mo": 1, "month": 1, "months": 1, "y": 12, "year": 12, "years": 12}


def _named(word: str, names: tuple[str, ...]) -> int | None:
    """Index in ``names`` of the one ``word`` spells or abbreviates (three letters at least)."""
    word = word.lower().rstrip(".")
    if len(word) < 3:
        return None
    return next((i for i, name in enumerate(names) if name.startswith(word)), None)


def _weekday(word: str) -> int | None:
    """Monday is 0, as ``date.weekday()`` counts."""
    return _named(word, WEEKDAYS)


def _month(word: str) -> int | None:
    """January is 1."""
    index = _named(word, MONTHS)
    return None if index is None else index + 1


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month: 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    raise ValueError("That date does not exist.")


def _relative(text: str, today: date) -> date | None:
    words = text.split()
    if text in ("today", "now", "tod"):
        return today
    if text in ("tomorrow", "tmr", "tom"):
        return today + timedelta(days=1)
    if text == "yesterday":
        return today - timedelta(days=1)
    if text == "next week":
        return today + timedelta(days=7)
    if text == "next month":
        return add_months(today, 1)
    match = re.fullmatch(r"(?:in\s+)?([+-])?\s*(\d{1,4})\s*([a-z]+)(?:\s+ago)?", text)
    if match and (match.group(1) or text.startswith("in ") or text.endswith(" ago")):
        sign = -1 if match.group(1) == "-" or text.endswith(" ago") else 1
        count, unit = int(match.group(2)) * sign, match.group(3)
        if unit in _UNITS:
            return today + timedelta(days=count * _UNITS[unit])
        if unit in _MONTH_UNITS:
            return add_months(today, count * _MONTH_UNITS[unit])
        return None
    if len(words) in (1, 2) and (len(words) == 1 or words[0] in ("next", "this", "last")):
        weekday = _weekday(words[-1])
        if weekday is None:
            return None
        ahead = (weekday - today.weekday()) % 7
        if words[0] == "last":
            back = (today.weekday() - weekday) % 7 or 7
            return today - timedelta(days=back)
        if words[0] == "next" and len(words) == 2:
            # "next tuesday": the coming Tuesday, a week on when today is Tuesday.
            return today + timedelta(days=ahead or 7)
        return today + timedelta(days=ahead)
    return None


def parse_typed_date(text: str, today: date, order: Order = "dmy") -> date:
    """The date ``text`` means; ValueError with one sentence for the user otherwise.

    ``order`` is how the user's locale writes numeric dates (day-month-year, month-day-year
    or year-month-day); ISO ``2026-12-31`` is always understood.
    """
    cleaned = re.sub(r"\s+", " ", text.strip().lower())
    if not cleaned:
        raise ValueError("Enter a date.")
    relative = _relative(cleaned, today)
    if relative is not None:
        return relative
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", cleaned):
            y, m, d = (int(p) for p in cleaned.split("-"))
            return date(y, m, d)
        parts = re.split(r"[./\-]", cleaned)
        if len(parts) in (2, 3) and all(p.isdigit() for p in parts):
            return _numeric(parts, order, today)
        words = cleaned.replace(",", " ").split()
        if len(words) in (2, 3):
            return _with_month_name(words, today)
    except ValueError as exc:
        if "does not exist" in str(exc):
            raise
        raise ValueError(f"{quoted(text.strip())} is not a date that exists.") from None
    example = {"dmy": "31/12/2026", "mdy": "12/31/2026", "ymd": "2026-12-31"}[order]
    raise ValueError(f"Use a date such as {example}, or a word such as tomorrow or +2w.")


def _numeric(parts: list[str], order: Order, today: date) -> date:
    numbers = [int(p) for p in parts]
    if len(numbers) == 2:  # no year: this year
        numbers = [today.year, *numbers] if order == "ymd" else [*numbers, today.year]
    if order == "ymd":
        y, m, d = numbers
    elif order == "mdy":
        m, d, y = numbers
    else:
        d, m, y = numbers
    if y < 100:
        y += 2000
    return date(y, m, d)


def _with_month_name(words: list[str], today: date) -> date:
    year = today.year
    if len(words) == 3 and words[2].isdigit():
        year = int(words[2])
        words = words[:2]
    elif len(words) == 3:
        raise ValueError("no year")
    first, second = words
    if first.isdigit() and _month(second):
        return date(year, _month(second) or 0, int(first))
    if second.isdigit() and _month(first):
        return date(year, _month(first) or 0, int(second))
    raise ValueError("no month")
