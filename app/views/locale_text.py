"""The user's locale for typed numbers: which characters separate decimals and thousands."""

from __future__ import annotations

from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QLocale, QTimeZone


def number_separators(locale: QLocale | None = None) -> tuple[str, str]:
    """(decimal point, group separator) of ``locale`` (default: the user's), e.g. (",", ".")."""
    loc = locale or QLocale()
    return str(loc.decimalPoint()), str(loc.groupSeparator())


def local_zone() -> tzinfo:
    """The system's IANA time zone (touchpoint times and days), UTC when unknown."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode()
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC
