"""One item per manager for the reporting lines: a manager and all their reports share a path.

A 500-card map has ~450 reporting lines; as separate items each one costs the scene an item
(index entry, bounding rect, paint call). Grouped per manager they are ~50 items drawing the
same orthogonal connectors (``ReportingLine``'s geometry), so the map opens faster and a
dragged card still brings its lines along (the group is in every one of its cards' lines).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from app.views.map.build_plan import connector_points
from app.views.map.card_item import StakeholderCard
from app.views.map.style import LIGHT, MapTheme


def add_connector(
    path: QPainterPath, report: StakeholderCard, manager: StakeholderCard
) -> list[tuple[float, float]]:
    """Manager above, report below: an orthogonal connector; side by side, a straight one.
    Returns the connector's points."""
    # Plain floats, not QPointF arithmetic: a map opens with hundreds of connectors.
    report_pos, manager_pos = report.pos(), manager.pos()
    points = connector_points((report_pos.x(), report_pos.y()), (manager_pos.x(), manager_pos.y()))
    path.moveTo(*points[0])
    for x, y in points[1:]:
        path.lineTo(x, y)
    return points


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
        path = QPainterPath()
        xs, ys = [], []
        for report in self.reports:
            for x, y in add_connector(path, report, self.manager):
                xs.append(x)
                ys.append(y)
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
        self.setPath(path)

    def boundingRect(self) -> QRectF:
        return self._bounds
