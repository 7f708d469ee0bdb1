"""One item per manager for the reporting lines: a manager and all their reports share a path.

A 500-card map has ~450 reporting lines; as separate items each one costs the scene an item
(index entry, bounding rect, paint call). Grouped per manager they are ~50 items drawing the
same orthogonal connectors (``ReportingLine``'s geometry), so the map opens faster and a
dragged card still brings its lines along (the group is in every one of its cards' lines).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from app.services.map_layout import COLUMN_INDENT, V_GAP
from app.views.map.card_item import StakeholderCard
from app.views.map.line_items import _border_xy
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH, LIGHT, MapTheme


def add_connector(path: QPainterPath, report: StakeholderCard, manager: StakeholderCard) -> None:
    """Manager above, report below: an orthogonal connector; side by side, a straight one."""
    report_pos, manager_pos = report.pos(), manager.pos()
    rx, ry, mx, my = report_pos.x(), report_pos.y(), manager_pos.x(), manager_pos.y()
    top_x, top_y = mx + CARD_WIDTH / 2, my + CARD_HEIGHT
    bottom_x, bottom_y = rx + CARD_WIDTH / 2, ry
    indent = rx - mx
    # Plain floats, not QPointF arithmetic: a map opens with hundreds of connectors.
    if 8 < indent <= COLUMN_INDENT + 20 and ry > top_y:
        # A report stacked in a column under the manager: hang it off a spine that runs
        # down the manager's left side, so the line never crosses the cards above it.
        spine_x = mx + indent / 2
        mid_y = ry + CARD_HEIGHT / 2
        path.moveTo(spine_x, top_y)
        path.lineTo(spine_x, mid_y)
        path.lineTo(rx, mid_y)
    elif ry - top_y > V_GAP + 8 and indent > 8:
        # A report in a wrapped row further down (``tidy_layout``'s ``max_width``): down the
        # spine left of the rows, then along the free gap just above the report's row.
        spine_x = mx + COLUMN_INDENT / 2
        above = ry - 24
        path.moveTo(spine_x, top_y)
        path.lineTo(spine_x, above)
        path.lineTo(bottom_x, above)
        path.lineTo(bottom_x, bottom_y)
    elif bottom_y > top_y + 16:
        mid = top_y + min(32.0, (bottom_y - top_y) / 2)
        path.moveTo(top_x, top_y)
        path.lineTo(top_x, mid)
        path.lineTo(bottom_x, mid)
        path.lineTo(bottom_x, bottom_y)
    else:
        path.moveTo(*_border_xy(manager, rx + CARD_WIDTH / 2, ry + CARD_HEIGHT / 2))
        path.lineTo(*_border_xy(report, mx + CARD_WIDTH / 2, my + CARD_HEIGHT / 2))


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
        for report in self.reports:
            add_connector(path, report, self.manager)
        self.setPath(path)


def group_reporting_lines(
    pairs: list[tuple[str, str]], cards: dict[str, StakeholderCard], theme: MapTheme
) -> list[ReportingGroup]:
    """One ``ReportingGroup`` per manager for (report id, manager id) pairs, in first-seen
    order."""
    by_manager: dict[str, list[StakeholderCard]] = {}
    for report_id, manager_id in pairs:
        by_manager.setdefault(manager_id, []).append(cards[report_id])
    return [ReportingGroup(cards[m], reports, theme) for m, reports in by_manager.items()]
