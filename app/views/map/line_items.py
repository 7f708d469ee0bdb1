"""Lines between cards: curved influence and relation lines (reporting lines are drawn per
manager by ``app.views.map.line_groups``)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from app.models.enums import RelationKind
from app.services.stakeholder_graph import RELATION_LABELS, MapLine
from app.views.map.build_plan import border_from, relation_curve
from app.views.map.card_item import StakeholderCard
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH, LIGHT, RELATION_COLOURS, MapTheme

#: Under this zoom level lines are drawn without antialiasing (see the cards' DETAIL_LOD).
FAR_LOD = 0.45
NOTE_FONT = QFont()
NOTE_FONT.setPointSizeF(7.5)
_metrics: list[QFontMetricsF] = []


def _note_metrics() -> QFontMetricsF:
    """The note font's metrics, made once (a map opens with hundreds of lines)."""
    if not _metrics:
        _metrics.append(QFontMetricsF(NOTE_FONT))
    return _metrics[0]


def _border_xy(card: StakeholderCard, tx: float, ty: float) -> tuple[float, float]:
    """Where the segment from the card's centre to (``tx``, ``ty``) leaves the card.

    Plain floats: a map opens with hundreds of lines, and Qt point arithmetic from Python
    costs a wrapper object per step.
    """
    pos = card.pos()
    return border_from(pos.x(), pos.y(), tx, ty)


def _border_point(card: StakeholderCard, towards: QPointF) -> QPointF:
    """Where the segment from the card's centre to ``towards`` leaves the card."""
    return QPointF(*_border_xy(card, towards.x(), towards.y()))


#: Relation pens by (kind, strength), made once rather than per line.
_PENS: dict[tuple[RelationKind, int], QPen] = {}


def _relation_pen(kind: RelationKind, strength: int) -> QPen:
    """Colour by kind, width by strength; influence dashed, dotted-line dotted."""
    pen = _PENS.get((kind, strength))
    if pen is None:
        pen = _PENS[(kind, strength)] = QPen(QColor(RELATION_COLOURS[kind]), 0.8 + 1.1 * strength)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if kind is RelationKind.INFLUENCE:
            pen.setStyle(Qt.PenStyle.DashLine)
        elif kind is RelationKind.DOTTED_LINE:
            pen.setStyle(Qt.PenStyle.DotLine)
    return pen


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


class RelationLine(MapLineItem):
    """An influence, dotted-line, conflict or alliance line; curved, width by strength."""

    _bounds = QRectF()
    _path = QPainterPath()

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
        self.setPen(_relation_pen(line.kind, line.strength))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        tip = f"{RELATION_LABELS[line.kind]}: {source.person.name} → {target.person.name}"
        tip += f" (strength {line.strength}/3)"
        if line.note:
            tip += f"\n{line.note}"
        self.setToolTip(tip)
        #: The note and the conflict mark, drawn above the cards (added to the scene with
        #: the line, see ``MapScene._add_line``).
        self.label = LineLabel(self)
        self.label.setToolTip(tip)
        self.update_path()

    @property
    def relation_id(self) -> str:
        return self.line.id

    def update_path(self) -> None:
        source, target = self.source.pos(), self.target.pos()
        curve = relation_curve(
            (source.x(), source.y()),
            (target.x(), target.y()),
            # Bend to one side, fixed by id order, so a->b and b->a lines do not overlap.
            bend_side=1 if self.source.stakeholder_id < self.target.stakeholder_id else -1,
            dotted=self.line.kind is RelationKind.DOTTED_LINE,
        )
        (ax, ay), (c1x, c1y), (c2x, c2y), (bx, by) = curve.a, curve.c1, curve.c2, curve.b
        length = curve.length
        path = QPainterPath(QPointF(ax, ay))
        path.cubicTo(c1x, c1y, c2x, c2y, bx, by)
        xs, ys = [ax, c1x, c2x, bx], [ay, c1y, c2y, by]
        self._arrow = QPolygonF()
        if self.line.kind in (RelationKind.INFLUENCE, RelationKind.DOTTED_LINE) and length > 1:
            back = math.hypot(c2x - bx, c2y - by)
            ux, uy = ((c2x - bx) / back, (c2y - by) / back) if back else (0.0, 0.0)
            size = 9 + 2 * self.line.strength
            basex, basey = bx + ux * size, by + uy * size
            sidex, sidey = -uy * size * 0.45, ux * size * 0.45
            corners = [(bx, by), (basex + sidex, basey + sidey), (basex - sidex, basey - sidey)]
            self._arrow = QPolygonF([QPointF(x, y) for x, y in corners])
            xs += [x for x, _ in corners]
            ys += [y for _, y in corners]
        # The cubic's midpoint, without asking the path (much cheaper for 600 lines).
        self._mid = QPointF(
            (ax + bx) * 0.125 + (c1x + c2x) * 0.375, (ay + by) * 0.125 + (c1y + c2y) * 0.375
        )
        # The curve lies within its control points; the pen and a margin around them. Not
        # QGraphicsPathItem's own bounds: it strokes the whole (dashed) curve to find them.
        margin = self.pen().widthF() / 2 + 6
        self._path = path  # kept: ``path()`` copies it out of the item on every paint
        self.prepareGeometryChange()
        self._bounds = QRectF(
            min(xs) - margin,
            min(ys) - margin,
            max(xs) - min(xs) + 2 * margin,
            max(ys) - min(ys) + 2 * margin,
        )
        self.setPath(path)
        if self.label.scene() is not None:
            self.label.place()

    def boundingRect(self) -> QRectF:
        # Computed once per path change: Qt asks for it many times per frame.
        return self._bounds

    def set_show_note(self, show: bool, cards: CardBodies | None = None) -> None:
        """Show or hide the note label on the line."""
        self.show_note = show
        self.label.place(cards)

    def shape(self) -> QPainterPath:
        path = super().shape()
        path.addPolygon(self._arrow)
        return path

    def note_shown(self) -> bool:
        return self.show_note and bool(self.line.note)

    def _note_text(self) -> str:
        note = (self.line.note or "").splitlines()[0] if self.line.note else ""
        return _note_metrics().elidedText(note, Qt.TextElideMode.ElideRight, 160)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < FAR_LOD:
            # Far away: the curve alone, no arrow heads or labels (the view has turned
            # antialiasing off at that zoom).
            painter.setPen(self.pen())
            painter.drawPath(self._path)
            return
        # While cards are dragged, lines repaint every frame: skip antialiasing then.
        dragging = bool(getattr(self.scene(), "dragging", False))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not dragging)
        pen = self.pen()
        if self.isSelected():
            pen.setWidthF(pen.widthF() + 2)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)
        colour = pen.color()
        if not self._arrow.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawPolygon(self._arrow)
        if self.line.kind is RelationKind.ALLIANCE:
            painter.setPen(QPen(self.theme.card, 1.5))
            painter.setBrush(colour)
            for point in (self._path.pointAtPercent(0), self._path.pointAtPercent(1)):
                painter.drawEllipse(point, 4.5, 4.5)


class CardBodies:
    """The visible cards' rectangles in buckets of a coarse grid, to ask which lie near a
    spot without a scene query (placing 150 labels asks about 40 spots each)."""

    CELL = 256.0

    def __init__(self, cards: Iterable[StakeholderCard]) -> None:
        #: Top-left corners of the card bodies in each cell (plain floats: 500 cards).
        self._cells: dict[tuple[int, int], list[tuple[float, float]]] = {}
        for card in cards:
            if card.isVisible():
                pos = card.pos()
                self._add(pos.x(), pos.y())

    @classmethod
    def of_corners(cls, corners: Iterable[tuple[float, float]]) -> CardBodies:
        """Card bodies from their top-left corners (cards not built yet included)."""
        bodies = cls(())
        for x, y in corners:
            bodies._add(x, y)
        return bodies

    def _add(self, x: float, y: float) -> None:
        for cell in self._cells_of(x, y, x + CARD_WIDTH, y + CARD_HEIGHT):
            self._cells.setdefault(cell, []).append((x, y))

    @classmethod
    def of_scene(cls, scene: QGraphicsScene, rect: QRectF) -> CardBodies:
        """The cards of ``scene`` near ``rect`` (by bounding rect: asking for shapes strokes
        every long curve nearby)."""
        near = scene.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
        return cls(i for i in near if isinstance(i, StakeholderCard))

    def _cells_of(
        self, left: float, top: float, right: float, bottom: float
    ) -> Iterator[tuple[int, int]]:
        c = self.CELL
        for gx in range(math.floor(left / c), math.floor(right / c) + 1):
            for gy in range(math.floor(top / c), math.floor(bottom / c) + 1):
                yield (gx, gy)

    def covered(self, left: float, top: float, right: float, bottom: float) -> float:
        """The area of this box that card bodies cover (a body counted once)."""
        seen: set[tuple[float, float]] = set()
        area = 0.0
        for cell in self._cells_of(left, top, right, bottom):
            for corner in self._cells.get(cell, ()):
                if corner in seen:
                    continue
                seen.add(corner)
                x, y = corner
                w = min(right, x + CARD_WIDTH) - max(left, x)
                h = min(bottom, y + CARD_HEIGHT) - max(top, y)
                if w > 0 and h > 0:
                    area += w * h
        return area


#: Above the cards (10), below the line being drawn (50).
LABEL_Z = 20
#: Where along a line its label may sit (a tenth from either end at most), middle first.
_LABEL_STOPS = tuple(sorted((i / 50 for i in range(5, 46)), key=lambda t: abs(t - 0.5)))
_CROSS = 6.0


class LineLabel(QGraphicsItem):
    """A relation line's note and conflict mark, drawn above every card so a card never
    hides it, and placed along the line where it covers no card (the middle if it can)."""

    def __init__(self, owner: RelationLine) -> None:
        super().__init__()
        self.owner = owner
        self.setZValue(LABEL_Z)
        self.setAcceptHoverEvents(False)
        self._rect = QRectF()

    def has_content(self) -> bool:
        line = self.owner
        return line.note_shown() or line.line.kind is RelationKind.CONFLICT

    def _local_rect(self) -> QRectF:
        """The label's box around its own origin (the point on the line)."""
        line = self.owner
        if line.note_shown():
            width = _note_metrics().horizontalAdvance(line._note_text()) + 10
            if line.line.kind is RelationKind.CONFLICT:
                width += 2 * _CROSS + 6
            return QRectF(-width / 2, -8, width, 16)
        return QRectF(-_CROSS - 2, -_CROSS - 2, 2 * _CROSS + 4, 2 * _CROSS + 4)

    def place(self, cards: CardBodies | None = None) -> None:
        """Put the label on the line, off the cards where the line leaves room.

        ``cards`` answers which card bodies lie near a spot; without it the scene is asked.
        """
        line = self.owner
        self.setVisible(line.isVisible() and self.has_content())
        if not self.isVisible():
            return
        self.prepareGeometryChange()
        self._rect = self._local_rect()
        path = line._path
        scene = self.scene()
        best, least = line._mid, math.inf
        if scene is not None and path.length() > 0:
            r = self._rect
            if cards is None:
                reach = path.boundingRect().adjusted(r.left() - 3, r.top() - 3, r.right() + 3,
                                                     r.bottom() + 3)  # fmt: skip
                cards = CardBodies.of_scene(scene, reach)
            # The first stop whose box covers no card; else the one covering the least.
            left, top, right, bottom = r.left() - 3, r.top() - 3, r.right() + 3, r.bottom() + 3
            for stop in _LABEL_STOPS:
                at = line._mid if stop == 0.5 else path.pointAtPercent(stop)
                x, y = at.x(), at.y()
                covered = cards.covered(x + left, y + top, x + right, y + bottom)
                if covered < least:
                    best, least = at, covered
                if covered == 0:
                    break
        self.setPos(best)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-2, -2, 2, 2)

    def mousePressEvent(self, event: Any) -> None:
        # A click on the label picks its line (it may lie over a card).
        scene = self.scene()
        if event.button() == Qt.MouseButton.LeftButton and scene is not None:
            scene.clearSelection()
            self.owner.setSelected(True)
            event.accept()
            return
        super().mousePressEvent(event)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < FAR_LOD:
            return
        line = self.owner
        colour = line.pen().color()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        rect = self._rect
        cross_at = QPointF(0, 0)
        if line.note_shown():
            # An opaque box: readable over a card or another line.
            painter.setPen(QPen(colour, 2 if line.isSelected() else 1))
            painter.setBrush(line.theme.card)
            painter.drawRoundedRect(rect, 7, 7)
            text_rect = QRectF(rect)
            if line.line.kind is RelationKind.CONFLICT:
                cross_at = QPointF(rect.left() + _CROSS + 5, 0)
                text_rect.setLeft(rect.left() + 2 * _CROSS + 6)
            painter.setPen(line.theme.text)
            painter.setFont(NOTE_FONT)
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, line._note_text())
        if line.line.kind is RelationKind.CONFLICT:
            # A lightning-like cross says "conflict" without colour alone.
            painter.setPen(QPen(colour, 2.4))
            c = cross_at
            painter.drawLine(c + QPointF(-_CROSS, -_CROSS), c + QPointF(_CROSS, _CROSS))
            painter.drawLine(c + QPointF(-_CROSS, _CROSS), c + QPointF(_CROSS, -_CROSS))


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
