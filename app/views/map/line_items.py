"""Lines between cards: orthogonal reporting lines, curved influence and relation lines."""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from app.models.enums import RelationKind
from app.services.map_layout import COLUMN_INDENT
from app.services.stakeholder_graph import RELATION_LABELS, MapLine
from app.views.map.card_item import StakeholderCard
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH, LIGHT, RELATION_COLOURS, MapTheme

#: Under this zoom level lines are drawn without antialiasing (see the cards' DETAIL_LOD).
FAR_LOD = 0.45
NOTE_FONT = QFont()
NOTE_FONT.setPointSizeF(7.5)


def _border_point(card: StakeholderCard, towards: QPointF) -> QPointF:
    """Where the segment from the card's centre to ``towards`` leaves the card."""
    centre = card.centre()
    dx, dy = towards.x() - centre.x(), towards.y() - centre.y()
    if dx == 0 and dy == 0:
        return centre
    half_w, half_h = CARD_WIDTH / 2 + 3, CARD_HEIGHT / 2 + 3
    scale = min(
        half_w / abs(dx) if dx else math.inf,
        half_h / abs(dy) if dy else math.inf,
    )
    return QPointF(centre.x() + dx * scale, centre.y() + dy * scale)


class MapLineItem(QGraphicsPathItem):
    """A line that redraws itself when either card moves."""

    def __init__(self, source: StakeholderCard, target: StakeholderCard, theme: MapTheme) -> None:
        super().__init__()
        self.source = source
        self.target = target
        self.theme = theme
        source.lines.append(self)
        target.lines.append(self)
        self.setZValue(1)

    def detach(self) -> None:
        """Forget the cards (before the line leaves the scene)."""
        for card in (self.source, self.target):
            if self in card.lines:
                card.lines.remove(self)

    def update_path(self) -> None:
        raise NotImplementedError


class ReportingLine(MapLineItem):
    """Manager above, report below: a solid orthogonal connector."""

    def __init__(self, report: StakeholderCard, manager: StakeholderCard, theme: MapTheme = LIGHT):
        super().__init__(report, manager, theme)
        pen = QPen(theme.reporting, 1.6)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        self.setZValue(0)
        self.update_path()

    def update_path(self) -> None:
        report, manager = self.source.pos(), self.target.pos()
        top = QPointF(manager.x() + CARD_WIDTH / 2, manager.y() + CARD_HEIGHT)
        bottom = QPointF(report.x() + CARD_WIDTH / 2, report.y())
        path = QPainterPath(top)
        indent = report.x() - manager.x()
        if 8 < indent <= COLUMN_INDENT + 20 and report.y() > top.y():
            # A report stacked in a column under the manager: hang it off a spine that runs
            # down the manager's left side, so the line never crosses the cards above it.
            spine_x = manager.x() + indent / 2
            mid_y = report.y() + CARD_HEIGHT / 2
            path = QPainterPath(QPointF(spine_x, top.y()))
            path.lineTo(spine_x, mid_y)
            path.lineTo(report.x(), mid_y)
        elif bottom.y() > top.y() + 16:
            mid = top.y() + min(32.0, (bottom.y() - top.y()) / 2)
            path.lineTo(top.x(), mid)
            path.lineTo(bottom.x(), mid)
            path.lineTo(bottom)
        else:
            # The report sits beside or above the manager: join the nearest sides.
            start = _border_point(self.target, self.source.centre())
            end = _border_point(self.source, self.target.centre())
            path = QPainterPath(start)
            path.lineTo(end)
        self.setPath(path)


class RelationLine(MapLineItem):
    """An influence, dotted-line, conflict or alliance line; curved, width by strength."""

    def __init__(
        self,
        line: MapLine,
        source: StakeholderCard,
        target: StakeholderCard,
        theme: MapTheme = LIGHT,
        *,
        show_note: bool = True,
    ) -> None:
        super().__init__(source, target, theme)
        self.line = line
        self.show_note = show_note
        self._arrow = QPolygonF()
        colour = QColor(RELATION_COLOURS[line.kind])
        width = 0.8 + 1.1 * line.strength
        pen = QPen(colour, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if line.kind is RelationKind.INFLUENCE:
            pen.setStyle(Qt.PenStyle.DashLine)
        elif line.kind is RelationKind.DOTTED_LINE:
            pen.setStyle(Qt.PenStyle.DotLine)
        self.setPen(pen)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        tip = f"{RELATION_LABELS[line.kind]}: {source.person.name} → {target.person.name}"
        tip += f" (strength {line.strength}/3)"
        if line.note:
            tip += f"\n{line.note}"
        self.setToolTip(tip)
        self.update_path()

    @property
    def relation_id(self) -> str:
        return self.line.id

    def update_path(self) -> None:
        a = _border_point(self.source, self.target.centre())
        b = _border_point(self.target, self.source.centre())
        chord = QLineF(a, b)
        length = chord.length()
        # Bend to one side, fixed by id order, so a->b and b->a lines do not overlap.
        bend = (
            0.16 * length * (1 if self.source.stakeholder_id < self.target.stakeholder_id else -1)
        )
        if self.line.kind is RelationKind.DOTTED_LINE:
            bend *= 0.4
        normal = chord.normalVector().unitVector() if length else QLineF(a, a)
        off = QPointF(normal.dx() * bend, normal.dy() * bend)
        c1 = a + (b - a) * 0.3 + off
        c2 = a + (b - a) * 0.7 + off
        path = QPainterPath(a)
        path.cubicTo(c1, c2, b)
        self._arrow = QPolygonF()
        if self.line.kind in (RelationKind.INFLUENCE, RelationKind.DOTTED_LINE) and length > 1:
            tip = b
            back = QLineF(tip, c2).unitVector()
            size = 9 + 2 * self.line.strength
            base = QPointF(tip.x() + back.dx() * size, tip.y() + back.dy() * size)
            side = QPointF(-back.dy() * size * 0.45, back.dx() * size * 0.45)
            self._arrow = QPolygonF([tip, base + side, base - side])
        # The cubic's midpoint, without asking the path (much cheaper for 600 lines).
        self._mid = (a + b) * 0.125 + (c1 + c2) * 0.375
        self.prepareGeometryChange()
        self._bounds = None
        self.setPath(path)
        self._compute_bounds()

    def boundingRect(self) -> QRectF:
        # Computed once per path change: Qt asks for it many times per frame.
        bounds: QRectF | None = getattr(self, "_bounds", None)
        return bounds if bounds is not None else super().boundingRect()

    def _compute_bounds(self) -> None:
        rect = super().boundingRect().united(self._arrow.boundingRect()).adjusted(-6, -6, 6, 6)
        if self.show_note and self.line.note:
            rect = rect.united(self._note_rect().adjusted(-2, -2, 2, 2))
        self._bounds = rect

    def set_show_note(self, show: bool) -> None:
        """Show or hide the note label on the line."""
        self.prepareGeometryChange()
        self.show_note = show
        self._compute_bounds()
        self.update()

    def shape(self) -> QPainterPath:
        path = super().shape()
        path.addPolygon(self._arrow)
        return path

    def _note_rect(self) -> QRectF:
        text = self._note_text()
        width = QFontMetricsF(NOTE_FONT).horizontalAdvance(text) + 10
        return QRectF(self._mid.x() - width / 2, self._mid.y() - 8, width, 16)

    def _note_text(self) -> str:
        note = (self.line.note or "").splitlines()[0] if self.line.note else ""
        return QFontMetricsF(NOTE_FONT).elidedText(note, Qt.TextElideMode.ElideRight, 160)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < FAR_LOD:
            # Far away: the curve alone, no arrow heads or labels (the view has turned
            # antialiasing off at that zoom).
            painter.setPen(self.pen())
            painter.drawPath(self.path())
            return
        # While cards are dragged, lines repaint every frame: skip antialiasing then.
        dragging = bool(getattr(self.scene(), "dragging", False))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not dragging)
        pen = QPen(self.pen())
        if self.isSelected():
            pen.setWidthF(pen.widthF() + 2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        colour = pen.color()
        if not self._arrow.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(self._arrow)
        if self.line.kind is RelationKind.CONFLICT:
            # A lightning-like cross at the middle says "conflict" without colour alone.
            painter.setPen(QPen(colour, 2.4))
            m = self._mid
            painter.drawLine(m + QPointF(-6, -6), m + QPointF(6, 6))
            painter.drawLine(m + QPointF(-6, 6), m + QPointF(6, -6))
        elif self.line.kind is RelationKind.ALLIANCE:
            painter.setPen(QPen(self.theme.card, 1.5))
            painter.setBrush(colour)
            for point in (self.path().pointAtPercent(0), self.path().pointAtPercent(1)):
                painter.drawEllipse(point, 4.5, 4.5)
        if self.show_note and self.line.note:
            rect = self._note_rect()
            painter.setPen(QPen(colour, 1))
            painter.setBrush(self.theme.card)
            painter.drawRoundedRect(rect, 7, 7)
            painter.setPen(self.theme.text)
            painter.setFont(NOTE_FONT)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._note_text())


class LinkPreview(QGraphicsPathItem):
    """The rubber line shown while the user draws a new line from a card's handle."""

    def __init__(self, start: QPointF, theme: MapTheme = LIGHT) -> None:
        super().__init__()
        pen = QPen(theme.accent, 2.0, Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(50)
        self.start = start
        self.follow(start)

    def follow(self, end: QPointF) -> None:
        path = QPainterPath(self.start)
        path.lineTo(end)
        self.setPath(path)
