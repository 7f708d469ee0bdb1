"""When a touchpoint happens: a day (all day) or a local time of day, and how long (no Qt).

A timed touchpoint stores its start in UTC (``Activity.occurred_at``) and its length in
``duration_minutes``. An all-day touchpoint (``Activity.all_day``) stores its date at
``ALL_DAY_UTC`` on that date in UTC, so the date reads the same in every time zone. Every
reader (lists, calendar, .ics, imports, demo) goes through these functions.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.services.labels import quoted

#: The UTC time of day an all-day touchpoint's date is stored at (what the form always saved
#: before touchpoints had a time; the ``touchpoint_time`` step keeps those rows as they are).
ALL_DAY_UTC = time(9, 0)

_TIME = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.|a|p)?$", re.IGNORECASE)
_DURATION_PARTS = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(hours|hour|hrs|hr|h|minutes|minute|mins|min|m)?"
)


def touchpoint_start(day: date, at: time | None, tz: tzinfo) -> tuple[datetime, bool]:
    """``(occurred_at, all_day)`` for a touchpoint on ``day`` at local ``at`` (None: all day)."""
    if at is None:
        return datetime.combine(day, ALL_DAY_UTC, tzinfo=UTC), True
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC), False


def touchpoint_day(occurred_at: datetime, all_day: bool, tz: tzinfo) -> date:
    """The day a touchpoint is on, as the user in ``tz`` sees it."""
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    return occurred_at.astimezone(UTC if all_day else tz).date()


def local_span(start: date, end: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The UTC span ``[lower, upper)`` of the local days ``start`` .. ``end`` in ``tz`` (a
    day is not always 24 hours)."""
    lower = datetime.combine(start, time.min, tzinfo=tz).astimezone(UTC)
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return lower, upper


def touchpoint_local(occurred_at: datetime, all_day: bool, tz: tzinfo) -> date | datetime:
    """What a form shows: the date of an all-day touchpoint, else its local start (naive)."""
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    if all_day:
        return occurred_at.astimezone(UTC).date()
    return occurred_at.astimezone(tz).replace(tzinfo=None)


def from_form(value: date | datetime, tz: tzinfo) -> tuple[datetime, bool]:
    """``(occurred_at, all_day)`` from a form's value: a date, or a naive local start."""
    if isinstance(value, datetime):
        return touchpoint_start(value.date(), value.time(), tz)
    return touchpoint_start(value, None, tz)


def parse_time(text: str) -> time | None:
    """A typed time of day: ``14:30``, ``9``, ``9.15``, ``2:30 pm``, ``2pm``; empty: None.

    Raises ValueError with the sentence shown beside the field.
    """
    stripped = text.strip()
    if not stripped:
        return None
    match = _TIME.match(stripped.replace(" ", ""))
    if match is None:
        raise ValueError(f"{quoted(stripped)} is not a time of day (use 14:30 or 2:30 pm).")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").lower().replace(".", "")
    if suffix:
        if not 1 <= hour <= 12:
            raise ValueError(f"{quoted(stripped)} is not a time of day (use 14:30 or 2:30 pm).")
        hour = hour % 12 + (12 if suffix.startswith("p") else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{quoted(stripped)} is not a time of day (use 14:30 or 2:30 pm).")
    return time(hour, minute)


def parse_duration(text: str) -> int | None:
    """Minutes from ``45``, ``1:30``, ``1h30``, ``1 h 30 min``, ``1.5h``; empty: None.

    A bare number is minutes. Raises ValueError (the sentence beside the field) for anything
    else, or for more than a day.
    """
    stripped = text.strip().lower()
    if not stripped:
        return None
    problem = f"{quoted(text.strip())} is not a duration (use 45, 1:30 or 1h 30m)."
    if re.fullmatch(r"\d{1,2}:\d{2}", stripped):
        hours, minutes = stripped.split(":")
        if int(minutes) > 59:
            raise ValueError(problem)
        total = int(hours) * 60 + int(minutes)
    else:
        compact = stripped.replace(" ", "")
        parts = list(_DURATION_PARTS.finditer(compact))
        if not parts or "".join(p.group(0) for p in parts) != compact:
            raise ValueError(problem)
        total_f = 0.0
        for n, part in enumerate(parts):
            number = float(part.group(1).replace(",", "."))
            unit = part.group(2) or ("m" if n else ("h" if len(parts) > 1 else "m"))
            total_f += number * (60 if unit.startswith("h") else 1)
        total = round(total_f)
    if total > 24 * 60:
        raise ValueError("A touchpoint lasts at most a day (24 h).")
    return total


def duration_text(minutes: int | None) -> str:
    """``45 min``, ``1 h``, ``1 h 30 min``; empty when not set."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")
