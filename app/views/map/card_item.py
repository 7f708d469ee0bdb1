"""One stakeholder's card on the map: its person, place, lines, tooltip and events; it paints
through ``card_drawing`` (or copies its picture, ``card_pictures``)."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QStyle, QStyleOptionGraphicsItem, QWidget

from app.services import dates_text
from app.services.map_analysis import MapWarning
from app.services.stakeholder_graph import MapPerson
from app.views.map.card_drawing import HANDLE_RADIUS, CardDrawing, contact_age_text
from app.views.map.card_pictures import PICTURES, snap
from app.views.map.style import (
    CARD_HEIGHT,
    CARD_WIDTH,
    LIGHT,
    ROLE_LABELS,
    SENTIMENT_LABELS,
    MapTheme,
)

if TYPE_CHECKING:
    from app.views.map.line_groups import ReportingGroup
    from app.views.map.line_items import MapLineItem

_PAD = HANDLE_RADIUS + 4
_BOUNDS = QRectF(-_PAD, -_PAD, CARD_WIDTH + 2 * _PAD, CARD_HEIGHT + 2 * _PAD)

_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsMovable
    | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
    | QGraphicsItem.GraphicsItemFlag.ItemIsFocusable
)


class StakeholderCard(CardDrawing, QGraphicsItem):
    """A movable, selectable card; its lines follow it as it moves."""

    def __init__(self, person: MapPerson, today: date, theme: MapTheme = LIGHT) -> None:
        super().__init__()
        self.person = person
        self.today = today
        self.theme = theme
        self.warnings: list[MapWarning] = []
        self.lines: list[MapLineItem | ReportingGroup] = []
        self.customer_safe = False
        self.drop_target = False
        self.diff_mark: str | None = None
        self._hover = False
        self.setFlags(_FLAGS)
        self.setAcceptHoverEvents(True)
        # Painted straight on the map's first paint; the scene turns on a device pixmap
        # cache right after it (see ``StakeholderScene.cache_cards``).
        self.setZValue(10)
        self._apply_person()

    # --- data ---------------------------------------------------------------------------

    @property
    def stakeholder_id(self) -> str:
        return self.person.id

    def set_person(self, person: MapPerson, warnings: list[MapWarning]) -> None:
        """Show new data for the same person (and move to their saved place)."""
        changed = person != self.person or warnings != self.warnings
        self.person = person
        self.warnings = warnings
        if changed:
            self._apply_person()
            self.update()

    def _apply_person(self) -> None:
        p = self.person
        if p.position is not None:
            pos = self.pos()
            if (pos.x(), pos.y()) != p.position:
                self.move_to(QPointF(*p.position))
        if self.opacity() != (opacity := 0.62 if p.departed else 1.0):
            self.setOpacity(opacity)
        self._tooltip_stale = True

    def _refresh_tooltip(self) -> None:
        """Build the tooltip when first needed (hover), not for every card on open."""
        if not self._tooltip_stale:
            return
        self._tooltip_stale = False
        p = self.person
        tips = [f"<b>{html.escape(p.name)}</b>"]
        if p.title:
            tips.append(html.escape(p.title))
        if p.role:
            tips.append(f"Role: {ROLE_LABELS[p.role]}")
        if not self.customer_safe:
            tips.append(f"Sentiment: {SENTIMENT_LABELS[p.sentiment]}")
        tips.append(f"Influence {p.influence}/5")
        if p.departed:
            tips.append(f"Left {dates_text.day(p.departed_on) if p.departed_on else ''}".rstrip())
        if not self.customer_safe:
            tips.extend(f"⚠ {html.escape(w.message)}" for w in self.warnings)
        self.setToolTip("<br>".join(tips))

    def centre(self) -> QPointF:
        return self.pos() + QPointF(CARD_WIDTH / 2, CARD_HEIGHT / 2)

    def set_flag_state(self, *, drop_target: bool | None = None, diff: Any = ...) -> None:
        """Turn the drop-target ring or the version diff mark on or off."""
        if drop_target is not None:
            self.drop_target = drop_target
        if diff is not ...:
            self.diff_mark = diff
        self.update()

    # --- geometry -----------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        # One shared rect: Qt asks for it hundreds of times per frame while dragging.
        return _BOUNDS

    def shape(self) -> QPainterPath:
        # Winding fill: with the default odd-even rule the half of the handle that overlaps
        # the card cancelled out, so pressing there missed the card and started a rubber band.
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)
        path.addRoundedRect(QRectF(0, 0, CARD_WIDTH, CARD_HEIGHT), 10, 10)
        path.addEllipse(self.handle_centre(), HANDLE_RADIUS + 3, HANDLE_RADIUS + 3)
        return path

    def handle_centre(self) -> QPointF:
        return QPointF(CARD_WIDTH, CARD_HEIGHT / 2)

    def on_handle(self, scene_pos: QPointF) -> bool:
        """True when ``scene_pos`` is on the handle lines are drawn from."""
        local = self.mapFromScene(scene_pos) - self.handle_centre()
        return local.x() ** 2 + local.y() ** 2 <= (HANDLE_RADIUS + 3) ** 2

    def move_to(self, pos: QPointF) -> None:
        """Move the card and bring its lines along.

        Lines are updated here and by the scene during drags rather than in
        ``itemChange``: a Python ``itemChange`` runs for every flag and property change of
        every card, which made opening a 500-card map measurably slower.
        """
        self.setPos(pos)
        self.update_lines()

    def update_lines(self) -> None:
        for line in self.lines:
            line.update_path()

    def hoverEnterEvent(self, event: Any) -> None:
        self._refresh_tooltip()
        self._hover = True
        self.update()
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: Any) -> None:
        self._hover = False
        self.update()
        super().hoverLeaveEvent(event)

    # --- painting -----------------------------------------------------------------------

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        # At whole device pixels: its parts' pictures and its texts line up (``card_pictures``).
        at = snap(painter)
        # A departed card is see-through: its parts show through each other, which a copied
        # picture of the whole card would not.
        if painter.opacity() >= 1.0 and PICTURES.draw(
            painter,
            self._look(selected),
            _BOUNDS,
            lambda picture: self._paint_card(picture, lod, selected),
            at,
        ):
            return
        self._paint_card(painter, lod, selected, at)

    def _look(self, selected: bool) -> tuple[object, ...]:
        """Everything ``_paint_card`` reads: cards that look alike share one picture."""
        p = self.person
        contact = None if self.customer_safe or p.departed else contact_age_text(p, self.today)
        return (
            self.theme.dark, p.name, p.title, p.department, p.role, p.sentiment, p.influence,
            p.is_executive_sponsor, p.departed, p.departed_on, p.departed_to, contact,
            bool(self.warnings), self.customer_safe, self.diff_mark, self.drop_target,
            selected, self._hover,
        )  # fmt: skip
