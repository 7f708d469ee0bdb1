"""Lines between cards: curved influence and relation lines (reporting lines are drawn per
manager by ``app.views.map.line_groups``, a line's note by ``line_labels``)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from app.models.enums import RelationKind
from app.services.stakeholder_graph import RELATION_LABELS, MapLine
from app.views.map.build_plan import relation_curve
from app.views.map.card_item import StakeholderCard
from app.views.map.line_labels import CardBodies, LineLabel
from app.views.map.style import FAR_ZOOM, LIGHT, RELATION_COLOURS, RELATION_DASHES, MapTheme

#: Relation pens by (kind, strength), made once rather than per line.
_PENS: dict[tuple[RelationKind, int], QPen] = {}


def _relation_pen(kind: RelationKind, strength: int) -> QPen:
    """Colour by kind, width by strength, dashes by kind."""
    pen = _PENS.get((kind, strength))
    if pen is None:
        pen = _PENS[(kind, strength)] = QPen(QColor(RELATION_COLOURS[kind]), 0.8 + 1.1 * strength)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        dashes = RELATION_DASHES.get(kind)
        if dashes is not None:
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            pen.setDashPattern(dashes)
    return pen


class _CurveTable:
    """A relation curve in power form with its length measured at steps of its parameter:
    where along the curve a length falls, without asking Qt to measure it (a step per 80
    units of chord, 8 to 32: a length falls within a fifth of a unit of where it lies)."""

    def __init__(self, curve: tuple[float, float, float, float, float, float, float, float]):
        ax, ay, c1x, c1y, c2x, c2y, bx, by = curve
        self.samples = samples = min(32, max(8, int(math.hypot(bx - ax, by - ay) // 80)))
        # P(t) = ((A t + B) t + C) t + D
        self.x = (bx - ax + 3 * (c1x - c2x), 3 * (ax - 2 * c1x + c2x), 3 * (c1x - ax), ax)
        self.y = (by - ay + 3 * (c1y - c2y), 3 * (ay - 2 * c1y + c2y), 3 * (c1y - ay), ay)
        (a, b, c, d), (e, f, g, h) = self.x, self.y
        ts = [i / samples for i in range(samples + 1)]
        self.xs = [((a * t + b) * t + c) * t + d for t in ts]
        self.ys = [((e * t + f) * t + g) * t + h for t in ts]
        self.lengths = [0.0]
        for i in range(samples):
            step = math.hypot(self.xs[i + 1] - self.xs[i], self.ys[i + 1] - self.ys[i])
            self.lengths.append(self.lengths[-1] + step)

    def dash_chords(self, step: float, box: tuple[float, float, float, float]) -> list[QPointF]:
        """Straight pieces of the curve ``step`` long (the last one shorter), from the start
        of the first that reaches ``box`` to the end of the last, as point pairs for
        ``drawLines``: each piece starts at a whole number of steps along the curve."""
        xs, ys, lengths, samples = self.xs, self.ys, self.lengths, self.samples
        left, top, right, bottom = box
        first = last = -1
        for i in range(samples):
            x0, x1, y0, y1 = xs[i], xs[i + 1], ys[i], ys[i + 1]
            if (
                (x0 <= right or x1 <= right)
                and (x0 >= left or x1 >= left)
                and (y0 <= bottom or y1 <= bottom)
                and (y0 >= top or y1 >= top)
            ):
                if first < 0:
                    first = i
                last = i + 1
        total = lengths[-1]
        if first < 0 or total <= 0:
            return []
        (a, b, c, d), (e, f, g, h) = self.x, self.y
        at, stop = (lengths[first] // step) * step, lengths[last]
        points: list[QPointF] = []
        j = first
        while True:
            at = min(at, total)
            while j < samples - 1 and lengths[j + 1] < at:
                j += 1
            span = lengths[j + 1] - lengths[j]
            t = (j + ((at - lengths[j]) / span if span else 0.0)) / samples
            point = QPointF(((a * t + b) * t + c) * t + d, ((e * t + f) * t + g) * t + h)
            points.append(point)
            points.append(point)
            if at >= total or at > stop:
                return points[1:-1]
            at += step


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
    _curve = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    _chord = 0.0
    _table: _CurveTable | None = None

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
        self._curve = (ax, ay, c1x, c1y, c2x, c2y, bx, by)
        self._chord = length
        self._table: _CurveTable | None = None  # measured when first painted dashed
        # The cubic's midpoint, without asking the path (much cheaper for 600 lines).
        self._mid = self.point_at(0.5)
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

    def point_at(self, t: float) -> QPointF:
        """The curve's point at ``t`` (0 at its start, 1 at its end) from its control points:
        ``QPainterPath.pointAtPercent`` measures the whole curve's length on every call."""
        ax, ay, c1x, c1y, c2x, c2y, bx, by = self._curve
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        return QPointF(a * ax + b * c1x + c * c2x + d * bx, a * ay + b * c1y + c * c2y + d * by)

    def set_show_note(self, show: bool, cards: CardBodies | None = None) -> None:
        """Show or hide the note label on the line."""
        self.show_note = show
        self.label.place(cards)

    def _dash_chords(self, painter: QPainter, pen: QPen, lod: float) -> list[QPointF]:
        """The dashed curve, where the painter shows it, as straight pieces a whole number
        of dash patterns long (``_CurveTable.dash_chords``).

        Qt draws such pieces dash by dash straight into the pixels, where it strokes a
        dashed curve into an outline of every dash and fills that (the 30 dashed lines of a
        500-card map's first screen: 5 ms against 9). Each piece starts where the pattern
        starts over, so the dashes fall where the curve's own would; the pieces are short
        enough that none strays a quarter of a device pixel off the curve (the curve bends
        no tighter than a circle of half its chord: a piece ``c`` long strays c² / 8r).
        """
        if self._table is None:
            self._table = _CurveTable(self._curve)
        width = pen.widthF()
        period = sum(pen.dashPattern()) * width
        longest = math.sqrt(self._chord / lod)
        step = max(1, int(longest // period)) * period
        device = painter.device()
        shown = (
            painter.worldTransform()
            .inverted()[0]
            .mapRect(QRectF(0, 0, device.width(), device.height()))
        )
        if painter.hasClipping():
            shown = shown.intersected(painter.clipBoundingRect())
        box = (
            shown.left() - width,
            shown.top() - width,
            shown.right() + width,
            shown.bottom() + width,
        )
        return self._table.dash_chords(step, box)

    def shape(self) -> QPainterPath:
        path = super().shape()
        path.addPolygon(self._arrow)
        return path

    def note_shown(self) -> bool:
        return self.show_note and bool(self.line.note)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < FAR_ZOOM:
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
        if self.line.kind in RELATION_DASHES and self._chord > 0:
            painter.drawLines(self._dash_chords(painter, pen, lod))
        else:
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
