"""Colours, sizes and words of the stakeholder map, for light and dark palettes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from app.exports.map_drawing import (
    BORDER,
    DEPARTED,
    MUTED,
    RELATION_COLOURS,
    REPORTING,
    ROLE_COLOURS,
    SENTIMENT_COLOURS,
    TEXT,
    WARNING,
)
from app.models.enums import BuyingRole, RelationKind
from app.services.map_layout import CARD_HEIGHT, CARD_WIDTH
from app.services.stakeholder_graph import ROLE_LABELS, SENTIMENT_LABELS

__all__ = [
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "DEPARTED",
    "RELATION_COLOURS",
    "ROLE_COLOURS",
    "ROLE_LABELS",
    "SENTIMENT_COLOURS",
    "SENTIMENT_LABELS",
    "MapTheme",
    "theme_for",
]

#: Under this zoom the view draws without antialiasing, and relation lines draw their curve
#: alone (no arrow heads or labels); cards keep their detail down to ``card_drawing.DETAIL_LOD``.
FAR_ZOOM = 0.45

#: Relation dash patterns in pen widths, on and off (influence dashed, dotted-line
#: dotted), drawn with square ends: a round end makes Qt stroke each dash as a curve, at
#: twice the cost of a map's first paint.
RELATION_DASHES: dict[RelationKind, list[float]] = {
    RelationKind.INFLUENCE: [5.0, 1.0],
    RelationKind.DOTTED_LINE: [2.0, 1.0],
}


def measured(font: QFont) -> QFont:
    """``font`` as a painter draws it, to measure: what it leaves unset taken from the
    application's font. The map's fonts are made when their module is imported, which may
    be before the application: their family is then unset, and measuring them as they are
    measures whichever font the font database holds first (a serif, on some machines)."""
    return font.resolve(QGuiApplication.font())


# The sentiment, buying-role and relation colours are the exported picture's own, so the
# map looks the same on screen and in a deck.

#: Short badge texts (the full label shows in tooltips and the legend).
ROLE_BADGES: dict[BuyingRole, str] = {
    BuyingRole.ECONOMIC_BUYER: "ECONOMIC BUYER",
    BuyingRole.DECISION_MAKER: "DECISION MAKER",
    BuyingRole.CHAMPION: "CHAMPION",
    BuyingRole.COACH: "COACH",
    BuyingRole.TECHNICAL_BUYER: "TECH BUYER",
    BuyingRole.USER: "USER",
    BuyingRole.INFLUENCER: "INFLUENCER",
    BuyingRole.BLOCKER: "BLOCKER",
}


@dataclass(frozen=True)
class MapTheme:
    """The colours one palette (light or dark) paints the map with."""

    dark: bool
    canvas: QColor
    grid: QColor
    card: QColor
    card_departed: QColor
    border: QColor
    text: QColor
    muted: QColor
    accent: QColor
    warning: QColor
    reporting: QColor
    ring_off: QColor
    ring_on: QColor


#: Each colour of the map as (light, dark). The light ones the picture draws with too are
#: the picture's own, so the map reads the same on screen and in a deck.
_COLOURS: dict[str, tuple[str, str]] = {
    "canvas": ("#f4f6f9", "#1b1e24"),
    "grid": ("#e6e9ef", "#252931"),
    "card": ("#ffffff", "#2a2f38"),
    "card_departed": ("#eceef2", "#23262d"),
    "border": (BORDER, "#3b424e"),
    "text": (TEXT, "#e8ebf0"),
    "muted": (MUTED, "#9aa3b2"),
    "accent": ("#2563eb", "#5b8def"),
    "warning": (WARNING, "#f0a531"),
    "reporting": (REPORTING, "#6b7587"),
    "ring_off": ("#dfe3ea", "#3b424e"),
    "ring_on": ("#344054", "#dfe4ec"),
}


def _theme(dark: bool) -> MapTheme:
    return MapTheme(dark, **{name: QColor(pair[dark]) for name, pair in _COLOURS.items()})


LIGHT = _theme(dark=False)
DARK = _theme(dark=True)


def theme_for(palette: QPalette | None = None) -> MapTheme:
    """The dark theme when the palette's window is dark, else the light one."""
    if palette is None:
        palette = QGuiApplication.palette()
    return DARK if palette.color(QPalette.ColorRole.Window).lightness() < 128 else LIGHT
