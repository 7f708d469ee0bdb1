"""One item per manager for the reporting lines: a manager and all their reports share a path.

A 500-card map has ~450 reporting lines; as separate items each one costs the scene an item
(index entry, bounding rect, paint call). Grouped per manager they are ~50 items drawing the
same orthogonal connectors (``ReportingLine``'s geometry), so the map opens faster and a
dragged card still brings its lines along (the group is in every one of its cards' lines).

A group paints its connectors as straight segments (``drawLines``), not its path: Qt's raster
engine draws a solid segment of a square- or flat-capped pen straight into the pixels, where
a path is stroked into an outline first and then filled (the 80 groups of a 500-card map's
first screen: 0.8 ms against 2.4 ms), up to two device pixels wide. Its path is made only
when asked for: a hit test, or a view zoomed in further.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QStyleOptionGraphicsItem, QWidget

from app.views.map.build_plan import connector_points
from app.views.map.card_item import StakeholderCard
from app.views.map.style import LIGHT, MapTheme

#: The reporting lines' pen by theme, made once rather than per manager.
_PENS: dict[int, QPen] = {}


def _pen(theme: MapTheme) -> QPen:
    pen = _PENS.get(id(theme))
    if pen is None:
        pen = _PENS[id(theme)] = QPen(theme.reporting, 1.6)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


class ReportingGroup(QGraphicsPathItem):
    """Every reporting line into one manager, drawn as one path."""

    _bounds = QRectF()

    def __init__(
        self, manager: StakeholderCard, reports: list[StakeholderCard], theme: MapTheme = LIGHT
    ) -> None:
        super().__init__()
        #: The connectors' straight pieces, as ``paint`` draws them.
        self._segments: list[QLineF] = []
        #: Each connector's points (``connector_points``), and their path once asked for.
        self._connectors: list[list[tuple[float, float]]] = []
        self._path: QPainterPath | None = None
        self.manager = manager
        self.reports = list(reports)
        self.theme = theme
        self.setPen(_pen(theme))
        self.setZValue(0)
        for card in (manager, *self.reports):
            card.lines.append(self)
        self.update_path()

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(report id, manager id) of each line drawn."""
        return [(r.stakeholder_id, self.manager.stakeholder_id) for r in self.reports]

    def detach(self) -> None:
        """Forget the cards (before the group leaves the scene)."""
        for card in (self.manager, *self.reports):
            if self in card.lines:
                card.lines.remove(self)

    def update_path(self) -> None:
        xs, ys = [], []
        segments = []
        manager_pos = self.manager.pos()
        at = (manager_pos.x(), manager_pos.y())
        connectors = []
        for report in self.reports:
            report_pos = report.pos()
            points = connector_points((report_pos.x(), report_pos.y()), at)
            connectors.append(points)
            x0, y0 = points[0]
            xs.append(x0)
            ys.append(y0)
            for x, y in points[1:]:
                segments.append(QLineF(x0, y0, x, y))
                xs.append(x)
                ys.append(y)
                x0, y0 = x, y
        self._segments = segments
        self._connectors = connectors
        # The lines are straight: their points and half the pen bound them. Not
        # QGraphicsPathItem's own bounds: it strokes the whole path to find them.
        margin = self.pen().widthF() / 2 + 1
        self.prepareGeometryChange()
        self._bounds = (
            QRectF(
                min(xs) - margin,
                min(ys) - margin,
                max(xs) - min(xs) + 2 * margin,
                max(ys) - min(ys) + 2 * margin,
            )
            if xs
            else QRectF()
        )
        # The path is made when something asks for it (a hit test, a view zoomed in): a
        # map's first paint draws the segments.
        self._path = None
        self.update()

    def path(self) -> QPainterPath:
        """The connectors as one path (made when first asked for since they moved)."""
        if self._path is None:
            path = QPainterPath()
            for points in self._connectors:
                path.moveTo(*points[0])
                for x, y in points[1:]:
                    path.lineTo(x, y)
            self._path = path
        return self._path

    def shape(self) -> QPainterPath:
        """The path stroked with the pen, as ``QGraphicsPathItem`` makes its shape."""
        pen = self.pen()
        stroker = QPainterPathStroker(pen)
        path = self.path()
        shape = stroker.createStroke(path)
        shape.addPath(path)
        return shape

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pen = self.pen()
        painter.setPen(pen)
        if pen.widthF() * option.levelOfDetailFromTransform(painter.worldTransform()) <= 2:
            # Two device pixels wide at most: the pen's square caps close each corner as its
            # round join does (zoomed in further, the round corners show: the path).
            painter.drawLines(self._segments)
        else:
            painter.drawPath(self.path())
