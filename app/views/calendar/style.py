"""Colours and short texts shared by the calendar widgets."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from app.services.labels import forecast_label
from app.services.money import format_compact
from app.services.renewal_calendar import EventKind
from app.views import theme

#: Fill colours by tone: outcome, forecast call, health band, or the kind of entry.
TONE_COLOURS: dict[str, str] = {
    "commit": "#2e7d32",
    "likely": "#7cb342",
    "at_risk": "#ef6c00",
    "lost": "#c62828",
    "green": "#43a047",
    "yellow": "#f9a825",
    "red": "#e53935",
    "none": "#78909c",
    "renewed": "#90a4ae",
    "expanded": "#90a4ae",
    "downsold": "#90a4ae",
    "churned": "#90a4ae",
    "touchpoint": "#1e88e5",
    "task": "#5e35b1",
    "milestone": "#00897b",
}
#: How each tone reads, from the one home (labels.forecast_label): a call, an outcome or a band
#: by its label ("At risk", "Renewed", "Green"), no call as "Not called".
TONE_LABELS: dict[str, str] = {tone: forecast_label(tone) for tone in TONE_COLOURS}
#: One-letter marks before an entry's text, so kinds read apart without colour.
KIND_MARKS: dict[EventKind, str] = {
    EventKind.RENEWAL: "R",
    EventKind.NOTICE: "!",
    EventKind.CHECKPOINT: "◷",
    EventKind.TOUCHPOINT: "●",
    EventKind.TASK: "☐",
    EventKind.MILESTONE: "◆",
}
TODAY_BORDER = "#f9a825"
SELECTED_BORDER = "#1565c0"


@dataclass(frozen=True)
class Surface:
    """What the calendar paints its days and weeks on, in the light or the dark palette."""

    fill: str
    other_month: str
    today: str
    grid: str
    text: str
    muted: str


LIGHT = Surface("#ffffff", "#f5f5f5", "#fff8e1", "#d0d4d8", "#212121", "#757575")
DARK = Surface("#17181a", "#1d1f22", "#3a3320", "#3a3d42", "#e6e6e6", "#9aa0a6")


def surface() -> Surface:
    """The surface for the application's palette now (``theme.is_dark``)."""
    return DARK if theme.is_dark() else LIGHT


def tone_colour(tone: str) -> QColor:
    """The fill colour for an entry's tone."""
    return QColor(TONE_COLOURS.get(tone, TONE_COLOURS["none"]))


def arr_text(totals: dict[str, int]) -> str:
    """Short ARR per currency, e.g. ``$1.2M + €300K``; empty when nothing renews."""
    parts = [
        format_compact(minor, currency)
        for currency, minor in sorted(totals.items(), key=lambda item: -item[1])
        if minor
    ]
    return " + ".join(parts)
