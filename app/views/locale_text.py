"""The user's locale for typed numbers: which characters separate decimals and thousands."""

from __future__ import annotations

from PySide6.QtCore import QLocale


def number_separators(locale: QLocale | None = None) -> tuple[str, str]:
    """(decimal point, group separator) of ``locale`` (default: the user's), e.g. (",", ".")."""
    loc = locale or QLocale()
    return str(loc.decimalPoint()), str(loc.groupSeparator())
