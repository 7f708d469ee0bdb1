"""The map's scene: cards and lines kept in step with a map snapshot, and the mouse gestures.

Gestures become signals (moved, dropped on a manager, line drawn); the tab turns them into
undo commands, so the scene itself never writes to the store. Building its items from a
snapshot, all at once or the shown part first, is ``scene_build``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGraphicsScene,
    QGraphicsSceneContextMenuEvent,
    QGraphicsSceneMouseEvent,
    QWidget,
)

from app.models.enums import RelationKind
from app.services.map_layout import H_GAP, V_GAP
from app.views.map import dialogs
from app.views.map.card_item import StakeholderCard
from app.views.map.line_groups import ReportingGroup
from app.views.map.line_items import LinkPreview, MapLineItem, RelationLine
from app.views.map.line_labels import CardBodies, LineLabel
from app.views.map.scene_build import Position, SceneBuilding
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH, LIGHT, MapTheme

if TYPE_CHECKING:
    from app.views.map.scene_build import _CardSpot, _Unbuilt

NUDGE = 10.0
_drag_ids = itertools.count(1)


def relation_kind_for(modifiers: Qt.KeyboardModifier) -> RelationKind | None:
    """Modifier shortcuts while drawing a line; None means "ask with the popup"."""
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    if ctrl and shift:
        return RelationKind.DOTTED_LINE
    if shift:
        return RelationKind.INFLUENCE
    if ctrl:
        return RelationKind.CONFLICT
    if alt:
        return RelationKind.ALLIANCE
    return None


class StakeholderScene(SceneBuilding, QGraphicsScene):
    """Cards and lines of one account's map."""

    #: (old positions, new positions, merge key): cards were dragged or nudged.
    cards_moved = Signal(object, object, str)
    #: (report id, manager id, positions before the drag): a card was dropped on a card.
    report_requested = Signal(str, str, object)
    #: (source id, target id, RelationKind): a line was drawn from a card's handle.
    relation_requested = Signal(str, str, object)
    #: A card was double-clicked.
    card_activated = Signal(str)
    #: A relation line was double-clicked (edit its note).
    line_activated = Signal(str)
    #: (kind "card" or "line", id, screen position): a context menu was asked for.
    menu_requested = Signal(str, str, object)

    def __init__(self, parent: QWidget | None = None, theme: MapTheme = LIGHT) -> None:
        super().__init__(parent)
        self.theme = theme
        self._cards: dict[str, StakeholderCard] = {}
        self._lines: list[MapLineItem | ReportingGroup] = []
        #: The lines built so far: reporting groups by manager, relation lines by id.
        self._groups: dict[str, ReportingGroup] = {}
        self._relations: dict[str, RelationLine] = {}
        #: What a map opened in part (``sync(lazy=True)``) has not built yet.
        self._unbuilt: _Unbuilt | None = None
        #: Where the cards not built yet stand, for the lines built before them.
        self._spots: dict[str, _CardSpot] = {}
        #: The part of the scene built first (``build_near``).
        self._built_near: QRectF | None = None
        #: Cards stack in the order they were first shown (see ``_z``).
        self._card_seq = 0
        self.customer_safe = False
        self.today = date.today()
        self._press: dict[str, QPointF] = {}
        self._drop_target: StakeholderCard | None = None
        self._link_source: StakeholderCard | None = None
        self._preview: LinkPreview | None = None
        self.dragging = False
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self.setBackgroundBrush(theme.canvas)
        #: Relation lines selected now, whose labels draw a thicker frame.
        self._selected_lines: list[RelationLine] = []
        self.selectionChanged.connect(self._repaint_line_labels)

    def set_customer_safe(self, on: bool) -> None:
        """Hide internal labels (sentiment colours, blocker badges, notes, warnings)."""
        self.customer_safe = on
        for card in self.cards.values():
            card.customer_safe = on
            card._tooltip_stale = True
            card.update()
        bodies = CardBodies(self.cards.values())
        for line in self.lines:
            if isinstance(line, RelationLine):
                # Conflicts are internal knowledge: the customer never sees them drawn.
                line.setVisible(not (on and line.line.kind is RelationKind.CONFLICT))
                line.set_show_note(not on, bodies)  # the label follows the line's visibility

    def _repaint_line_labels(self) -> None:
        """A line's label shows whether its line is selected (not an ``itemChange``: a
        Python ``itemChange`` runs for every property change of every line as the map opens).
        """
        selected = [i for i in self.selectedItems() if isinstance(i, RelationLine)]
        for line in (*self._selected_lines, *selected):
            if shiboken6.isValid(line.label):  # not deleted by ``clear()`` meanwhile
                line.label.update()
        self._selected_lines = selected

    def set_diff_marks(self, marks: Mapping[str, str]) -> None:
        """Mark cards as joined / changed / left (version compare); empty clears."""
        # Clearing needs no card that is not built yet.
        for pid, card in (self.cards if marks else self._cards).items():
            card.set_flag_state(diff=marks.get(pid))

    def selected_ids(self) -> list[str]:
        return [item.stakeholder_id for item in self.selected_cards()]

    def selected_cards(self) -> list[StakeholderCard]:
        return [item for item in self.selectedItems() if isinstance(item, StakeholderCard)]

    def select_ids(self, ids: Iterable[str]) -> None:
        """Select exactly these people's cards."""
        wanted = set(ids)
        self.clearSelection()
        for pid in wanted:
            card = self.cards.get(pid)
            if card is not None:
                card.setSelected(True)

    def cards_rect(self, ids: Iterable[str] | None = None) -> QRectF:
        """The rectangle around the given cards (all cards by default), built or not yet."""
        corners = {pid: (c.pos().x(), c.pos().y()) for pid, c in self._cards.items()}
        if self._unbuilt is not None:
            for pid, xy in self._unbuilt.positions.items():
                corners.setdefault(pid, xy)
        points = (
            list(corners.values()) if ids is None else [corners[i] for i in ids if i in corners]
        )
        if not points:
            return QRectF()
        xs, ys = [x for x, _ in points], [y for _, y in points]
        left, top = min(xs), min(ys)
        return QRectF(left, top, max(xs) + CARD_WIDTH - left, max(ys) + CARD_HEIGHT - top)

    def positions(self) -> dict[str, Position]:
        return {pid: (c.pos().x(), c.pos().y()) for pid, c in self.cards.items()}

    def card_at(self, scene_pos: QPointF, exclude: Iterable[str] = ()) -> StakeholderCard | None:
        """The topmost card under ``scene_pos``, skipping ``exclude``."""
        skip = set(exclude)
        for item in self.items(scene_pos):
            if isinstance(item, StakeholderCard) and item.stakeholder_id not in skip:
                return item
        return None

    # --- free places for new cards ---------------------------------------------------------

    def _is_free(self, x: float, y: float, exclude: str | Iterable[str] | None = None) -> bool:
        rect = QRectF(x - 8, y - 8, CARD_WIDTH + 16, CARD_HEIGHT + 16)
        skip = {exclude} if isinstance(exclude, str) else set(exclude or ())
        return not any(
            pid not in skip
            and rect.intersects(QRectF(c.pos().x(), c.pos().y(), CARD_WIDTH, CARD_HEIGHT))
            for pid, c in self.cards.items()
        )

    def free_slot_below(self, manager_id: str, exclude: str) -> Position:
        """A spot one row under the manager where no other card sits."""
        manager = self.cards[manager_id].pos()
        y = manager.y() + CARD_HEIGHT + V_GAP
        step = CARD_WIDTH + H_GAP
        for i in range(200):
            x = manager.x() + (i + 1) // 2 * step * (1 if i % 2 else -1)
            if self._is_free(x, y, exclude):
                return (x, y)
        return (manager.x(), y)

    def free_spot_near(self, centre: QPointF, exclude: Iterable[str] = ()) -> Position:
        """The free card spot nearest ``centre``, on a grid around it (new people)."""
        x0, y0 = centre.x() - CARD_WIDTH / 2, centre.y() - CARD_HEIGHT / 2
        step_x, step_y = CARD_WIDTH + H_GAP, CARD_HEIGHT + V_GAP / 2
        candidates = sorted(
            ((dx, dy) for dx in range(-6, 7) for dy in range(-6, 7)),
            key=lambda d: (d[0] ** 2 + (1.6 * d[1]) ** 2, d[1], d[0]),
        )
        for dx, dy in candidates:
            x, y = x0 + dx * step_x, y0 + dy * step_y
            if self._is_free(x, y, exclude):
                return (x, y)
        return (x0, y0)

    # --- mouse gestures -----------------------------------------------------------------

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        self._press = {}
        if event.button() == Qt.MouseButton.LeftButton:
            card = self.card_at(event.scenePos())
            if card is not None and card.on_handle(event.scenePos()) and not card.person.departed:
                self._link_source = card
                self._preview = LinkPreview(card.mapToScene(card.handle_centre()), self.theme)
                self.addItem(self._preview)
                event.accept()
                return
        super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and self.card_at(event.scenePos()):
            self.cache_cards()
            self._press = {c.stakeholder_id: QPointF(c.pos()) for c in self.selected_cards()}

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link_source is not None and self._preview is not None:
            self._preview.follow(event.scenePos())
            target = self.card_at(event.scenePos(), exclude=[self._link_source.stakeholder_id])
            self._set_drop_target(target)
            return
        super().mouseMoveEvent(event)
        if self._press and event.buttons() & Qt.MouseButton.LeftButton:
            self.dragging = True
            for pid in self._press:
                self.cards[pid].update_lines()
            target = None
            if len(self._press) == 1:
                target = self.card_at(event.scenePos(), exclude=self._press)
            self._set_drop_target(target)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._link_source is not None:
            self._finish_link(event)
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, {}
        self.dragging = False
        target = self._drop_target
        self._set_drop_target(None)
        if not press:
            return
        old = {pid: (p.x(), p.y()) for pid, p in press.items()}
        new = {
            pid: (self.cards[pid].pos().x(), self.cards[pid].pos().y())
            for pid in press
            if pid in self.cards
        }
        if old == new:
            return
        if target is not None and len(press) == 1:
            (report_id,) = press
            self.report_requested.emit(report_id, target.stakeholder_id, old)
            return
        self.cards_moved.emit(old, new, f"drag-{next(_drag_ids)}")

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        labelled = self.label_at(event.scenePos())
        if labelled is not None:
            self.line_activated.emit(labelled.relation_id)
            event.accept()
            return
        card = self.card_at(event.scenePos())
        if card is not None:
            self.card_activated.emit(card.stakeholder_id)
            event.accept()
            return
        line = self.line_at(event.scenePos())
        if line is not None:
            self.line_activated.emit(line.relation_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def line_at(self, scene_pos: QPointF) -> RelationLine | None:
        """The relation line under ``scene_pos`` (within a few pixels, or its label), if any."""
        labelled = self.label_at(scene_pos)
        if labelled is not None:
            return labelled
        for item in self.items(QRectF(scene_pos - QPointF(4, 4), QSizeF(8, 8))):
            if isinstance(item, RelationLine) and item.isVisible():
                return item
        return None

    def label_at(self, scene_pos: QPointF) -> RelationLine | None:
        """The line whose label (drawn above the cards) is under ``scene_pos``, if any."""
        for item in self.items(scene_pos):
            if isinstance(item, LineLabel) and item.isVisible():
                return item.owner
        return None

    def contextMenuEvent(self, event: QGraphicsSceneContextMenuEvent) -> None:
        card = None if self.label_at(event.scenePos()) else self.card_at(event.scenePos())
        if card is not None:
            if not card.isSelected():
                self.select_ids([card.stakeholder_id])
            self.menu_requested.emit("card", card.stakeholder_id, event.screenPos())
            event.accept()
            return
        line = self.line_at(event.scenePos())
        if line is not None:
            self.clearSelection()
            line.setSelected(True)
            self.menu_requested.emit("line", line.relation_id, event.screenPos())
            event.accept()
            return
        super().contextMenuEvent(event)

    def _finish_link(self, event: QGraphicsSceneMouseEvent) -> None:
        source = self._link_source
        assert source is not None
        self._link_source = None
        if self._preview is not None:
            self.removeItem(self._preview)
            self._preview = None
        self._set_drop_target(None)
        target = self.card_at(event.scenePos(), exclude=[source.stakeholder_id])
        if target is None:
            return
        kind = relation_kind_for(event.modifiers())
        if kind is None:
            kind = dialogs.choose_relation_kind(event.screenPos())
        if kind is not None:
            self.relation_requested.emit(source.stakeholder_id, target.stakeholder_id, kind)

    def _set_drop_target(self, card: StakeholderCard | None) -> None:
        if card is self._drop_target:
            return
        if self._drop_target is not None:
            self._drop_target.set_flag_state(drop_target=False)
        self._drop_target = card
        if card is not None:
            card.set_flag_state(drop_target=True)

    # --- keyboard -----------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        steps = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        cards = self.selected_cards()
        if event.key() in steps and cards:
            dx, dy = steps[Qt.Key(event.key())]
            step = 1.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else NUDGE
            old = {c.stakeholder_id: (c.pos().x(), c.pos().y()) for c in cards}
            new = {pid: (x + dx * step, y + dy * step) for pid, (x, y) in old.items()}
            for card in cards:
                card.move_to(QPointF(*new[card.stakeholder_id]))
            # Consecutive nudges of the same cards merge into one undo step.
            key = "nudge-" + ",".join(sorted(old))
            self.cards_moved.emit(old, new, key)
            event.accept()
            return
        super().keyPressEvent(event)
