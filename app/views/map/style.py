"""Colours, sizes and words of the stakeholder map, for light and dark palettes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from app.exports.map_drawing import RELATION_COLOURS, ROLE_COLOURS, SENTIMENT_COLOURS
from app.models.enums import BuyingRole
from app.services.map_layout import CARD_HEIGHT, CARD_WIDTH
from app.services.stakeholder_graph import ROLE_LABELS, SENTIMENT_LABELS

__all__ = [
    "CARD_HEIGHT",
    "CARD_WIDTH",
    "RELATION_COLOURS",
    "ROLE_COLOURS",
    "ROLE_LABELS",
    "SENTIMENT_COLOURS",
    "SENTIMENT_LABELS",
    "MapTheme",
    "theme_for",
]

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


LIGHT = MapTheme(
    dark=False,
    canvas=QColor("#f4f6f9"),
    grid=QColor("#e6e9ef"),
    card=QColor("#ffffff"),
    card_departed=QColor("#eceef2"),
    border=QColor("#d5dae3"),
    text=QColor("#1d2433"),
    muted=QColor("#667085"),
    accent=QColor("#2563eb"),
    warning=QColor("#e69100"),
    reporting=QColor("#8b95a7"),
    ring_off=QColor("#dfe3ea"),
    ring_on=QColor("#344054"),
)

DARK = MapTheme(
    dark=True,
    canvas=QColor("#1b1e24"),
    grid=QColor("#252931"),
    card=QColor("#2a2f38"),
    card_departed=QColor("#23262d"),
    border=QColor("#3b424e"),
    text=QColor("#e8ebf0"),
    muted=QColor("#9aa3b2"),
    accent=QColor("#5b8def"),
    warning=QColor("#f0a531"),
    reporting=QColor("#6b7587"),
    ring_off=QColor("#3b424e"),
    ring_on=QColor("#dfe4ec"),
)


def theme_for(palette: QPalette | None = None) -> MapTheme:
    """The dark theme when the palette's window is dark, else the light one."""
    if palette is None:
        palette = QGuiApplication.palette()
    return DARK if palette.color(QPalette.ColorRole.Window).lightness() < 128 else LIGHT
