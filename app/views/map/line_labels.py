"""A relation line's label (its note and conflict mark) placed along the line off the cards,
and the grid of card bodies that placing asks where the cards are."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QStyleOptionGraphicsItem, QWidget

from app.models.enums import RelationKind
from app.views.map.card_item import StakeholderCard
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH, FAR_ZOOM, measured

if TYPE_CHECKING:
    from app.views.map.line_items import RelationLine

NOTE_FONT = QFont()
NOTE_FONT.setPointSizeF(7.5)
_metrics: list[QFontMetricsF] = []


def _note_metrics() -> QFontMetricsF:
    """The note font's metrics, made once (a map opens with hundreds of lines)."""
    if not _metrics:
        _metrics.append(QFontMetricsF(measured(NOTE_FONT)))
    return _metrics[0]


class CardBodies:
    """The visible cards' rectangles in buckets of a coarse grid, to ask which lie near a
    spot without a scene query (placing 150 labels asks about 40 spots each)."""

    CELL = 256.0
    # ``_add`` puts a body in two columns and two rows of cells at most.
    assert max(CARD_WIDTH, CARD_HEIGHT) < CELL

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
        # A body is smaller than a cell: it lies in two columns and two rows of cells at most
        # (``_cells_of`` written out: 500 cards a map).
        c, cells, corner = self.CELL, self._cells, (x, y)
        left, top = math.floor(x / c), math.floor(y / c)
        right, bottom = math.floor((x + CARD_WIDTH) / c), math.floor((y + CARD_HEIGHT) / c)
        for gx in (left, right) if right != left else (left,):
            for gy in (top, bottom) if bottom != top else (top,):
                cells.setdefault((gx, gy), []).append(corner)

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
#: Where along a line its label may sit, by its curve's parameter (a tenth from either end at
#: most), middle first.
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

    def _note_text(self) -> str:
        """The note's first line, cut to the label's width."""
        note = self.owner.line.note
        note = note.splitlines()[0] if note else ""
        return _note_metrics().elidedText(note, Qt.TextElideMode.ElideRight, 160)

    def has_content(self) -> bool:
        line = self.owner
        return line.note_shown() or line.line.kind is RelationKind.CONFLICT

    def _local_rect(self) -> QRectF:
        """The label's box around its own origin (the point on the line)."""
        line = self.owner
        if line.note_shown():
            width = _note_metrics().horizontalAdvance(self._note_text()) + 10
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
        scene = self.scene()
        best, least = line._mid, math.inf
        if scene is not None and line._chord > 0:
            r = self._rect
            if cards is None:
                reach = line.boundingRect().adjusted(r.left() - 3, r.top() - 3, r.right() + 3,
                                                     r.bottom() + 3)  # fmt: skip
                cards = CardBodies.of_scene(scene, reach)
            # The first stop whose box covers no card; else the one covering the least.
            left, top, right, bottom = r.left() - 3, r.top() - 3, r.right() + 3, r.bottom() + 3
            for stop in _LABEL_STOPS:
                at = line._mid if stop == 0.5 else line.point_at(stop)
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
        if lod < FAR_ZOOM:
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
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, self._note_text())
        if line.line.kind is RelationKind.CONFLICT:
            # A lightning-like cross says "conflict" without colour alone.
            painter.setPen(QPen(colour, 2.4))
            c = cross_at
            painter.drawLine(c + QPointF(-_CROSS, -_CROSS), c + QPointF(_CROSS, _CROSS))
            painter.drawLine(c + QPointF(-_CROSS, _CROSS), c + QPointF(_CROSS, -_CROSS))
