"""The map's legend: what colours, rings, badges and line styles mean, as a compact strip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

from app.models.enums import RelationKind
from app.views.map.style import (
    LIGHT,
    RELATION_COLOURS,
    RELATION_DASHES,
    SENTIMENT_COLOURS,
    SENTIMENT_LABELS,
    MapTheme,
)

ROW = 20.0
PAD = 8.0
SWATCH = 30.0
GAP = 14.0

Swatch = Callable[[QPainter, QPointF, MapTheme], None]


@dataclass(frozen=True)
class LegendEntry:
    """One swatch and its words; ``heading`` entries are bold words without a swatch."""

    text: str
    swatch: Swatch | None = None
    heading: bool = False
    internal: bool = False


def _dot(colour: str | None = None, *, warning: bool = False) -> Swatch:
    def paint(p: QPainter, c: QPointF, t: MapTheme) -> None:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(t.warning if warning else QColor(colour or "#000"))
        p.drawEllipse(c + QPointF(SWATCH / 2 - 6, 0), 5.5, 5.5)

    return paint


def _line(kind: RelationKind | None) -> Swatch:
    def paint(p: QPainter, c: QPointF, t: MapTheme) -> None:
        colour = t.reporting if kind is None else QColor(RELATION_COLOURS[kind])
        pen = QPen(colour, 1.6 if kind is None else 2.2)
        if kind in RELATION_DASHES:
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # as the map's lines
            pen.setDashPattern(RELATION_DASHES[kind])
        p.setPen(pen)
        p.drawLine(c, c + QPointF(SWATCH - 4, 0))
        if kind in (RelationKind.INFLUENCE, RelationKind.DOTTED_LINE):
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            tip = c + QPointF(SWATCH - 2, 0)
            p.drawPolygon(QPolygonF([tip, tip + QPointF(-7, -4), tip + QPointF(-7, 4)]))
        elif kind is RelationKind.CONFLICT:
            m = c + QPointF(SWATCH / 2 - 2, 0)
            p.drawLine(m + QPointF(-4, -4), m + QPointF(4, 4))
            p.drawLine(m + QPointF(-4, 4), m + QPointF(4, -4))
        elif kind is RelationKind.ALLIANCE:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawEllipse(c, 3, 3)
            p.drawEllipse(c + QPointF(SWATCH - 4, 0), 3, 3)

    return paint


def _ring(p: QPainter, c: QPointF, t: MapTheme) -> None:
    rect = QRectF(c.x() + SWATCH / 2 - 13, c.y() - 7, 14, 14)
    for i in range(5):
        on = i < 3
        p.setPen(QPen(t.ring_on if on else t.ring_off, 3 if on else 2))
        p.drawArc(rect, int((90 - i * 72 - 4) * 16), -64 * 16)


def _departed(p: QPainter, c: QPointF, t: MapTheme) -> None:
    p.setPen(QPen(t.border, 1))
    p.setBrush(t.card_departed)
    p.drawRoundedRect(QRectF(c.x() + 2, c.y() - 6, SWATCH - 8, 12), 3, 3)


ENTRIES: tuple[LegendEntry, ...] = (
    LegendEntry("Sentiment", heading=True, internal=True),
    *(
        LegendEntry(SENTIMENT_LABELS[v], _dot(SENTIMENT_COLOURS[v]), internal=True)
        for v in (2, 1, 0, -1, -2)
    ),
    LegendEntry("Lines", heading=True),
    LegendEntry("Reports to", _line(None)),
    LegendEntry("Influences", _line(RelationKind.INFLUENCE)),
    LegendEntry("Dotted-line report", _line(RelationKind.DOTTED_LINE)),
    LegendEntry("Conflict", _line(RelationKind.CONFLICT), internal=True),
    LegendEntry("Alliance", _line(RelationKind.ALLIANCE)),
    LegendEntry("(thicker = stronger)"),
    LegendEntry("Cards", heading=True),
    LegendEntry("Ring: influence 1-5", _ring),
    LegendEntry("Executive sponsor", _dot("#f5b301")),
    LegendEntry("Needs attention", _dot(warning=True), internal=True),
    LegendEntry("Has left", _departed),
)


class MapLegend(QWidget):
    """A painted key that wraps to the width it is given; shown over the map's bottom edge."""

    def __init__(self, parent: QWidget | None = None, theme: MapTheme = LIGHT) -> None:
        super().__init__(parent)
        self.theme = theme
        self.customer_safe = False
        self._font = QFont(self.font())
        self._font.setPointSizeF(8.0)
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._width = 900.0
        self._rows: list[list[tuple[LegendEntry, float, float]]] = []
        self.fit_width(self._width)

    def entries(self) -> list[LegendEntry]:
        return [e for e in ENTRIES if not (self.customer_safe and e.internal)]

    def set_customer_safe(self, on: bool) -> None:
        self.customer_safe = on
        self.fit_width(self._width)
        self.update()

    def fit_width(self, width: float) -> None:
        """Wrap the entries into rows no wider than ``width`` and take the size needed."""
        self._width = width
        rows: list[list[tuple[LegendEntry, float, float]]] = [[]]
        x = PAD
        widest = 0.0
        entries = self.entries()
        sizes = [self._entry_width(e) for e in entries]
        for i, entry in enumerate(entries):
            w = sizes[i]
            if entry.heading and rows[-1]:
                x += GAP
            # A heading never ends a row: it wraps together with its first entry.
            need = w + (GAP / 2 + sizes[i + 1] if entry.heading and i + 1 < len(sizes) else 0)
            if x + need > width - PAD and rows[-1]:
                rows.append([])
                x = PAD
            rows[-1].append((entry, x, w))
            x += w + GAP * (0.5 if entry.heading else 1)
            widest = max(widest, x)
        self._rows = rows
        self.resize(self.sizeHint())

    def _entry_width(self, entry: LegendEntry) -> float:
        metrics = QFontMetricsF(self._bold if entry.heading else self._font)
        return metrics.horizontalAdvance(entry.text) + (SWATCH + 4 if entry.swatch else 0)

    def sizeHint(self) -> QSize:
        widest = max((x + w for row in self._rows for _, x, w in row), default=0.0)
        return QSize(int(widest + PAD), int(len(self._rows) * ROW + 2 * PAD - 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        t = self.theme
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background = QColor(t.card)
        background.setAlpha(235)
        painter.setPen(QPen(t.border, 1))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        for r, row in enumerate(self._rows):
            y = PAD - 2 + r * ROW
            for entry, x, w in row:
                left = x
                if entry.swatch is not None:
                    painter.save()
                    entry.swatch(painter, QPointF(x, y + ROW / 2), t)
                    painter.restore()
                    left += SWATCH + 4
                painter.setFont(self._bold if entry.heading else self._font)
                painter.setPen(t.muted if entry.text.startswith("(") else t.text)
                painter.drawText(
                    QRectF(left, y, w + 4, ROW), Qt.AlignmentFlag.AlignVCenter, entry.text
                )
        painter.end()
