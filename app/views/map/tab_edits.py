"""The map tab's toolbar and key actions that edit the map (add, tidy, remove, rename, depart)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QVariantAnimation

from app.services.map_layout import FIT_WIDTH, LayoutSpec, tidy_layout
from app.views.map import commands, dialogs
from app.views.map.commands import Position
from app.views.map.inline_edit import InlineEditor
from app.views.map.style import CARD_WIDTH
from app.views.map.view import READABLE_ZOOM

if TYPE_CHECKING:
    from app.views.map.tab_host import MapTabHost as _Tab
else:
    _Tab = object


class MapEdits(_Tab):
    """Mixed into ``StakeholderMapTab``: the edits its ``MAP_ACTIONS`` handlers make."""

    def add_person(self) -> None:
        """Ask for a name and put the new person in the middle of the view."""
        if self.account_id is None:
            return
        name = dialogs.ask_text(self, "Add person", "Name:")
        if name is None:
            return
        pos = self.scene.free_spot_near(self.view.mapToScene(self.view.viewport().rect().center()))
        command = commands.CreateStakeholderCommand(self.ctx, self.account_id, name.strip(), pos)
        self.push(command)
        # Select the newcomer so the next gesture (drag onto a manager, F2) applies to them.
        if command.stakeholder_id:
            self.scene.select_ids([command.stakeholder_id])
            self.reveal([command.stakeholder_id])

    def tidy_layout(self) -> None:
        """Lay the map out as an org chart, animated, as one undo step."""
        if self.imap is None or self.account_id is None or not self.scene.cards:
            return
        people = [p.id for p in self.imap.on_map()]
        old = self.scene.positions()
        reports_to = {p.id: p.reports_to_id for p in self.imap.on_map()}
        influences = [(line.source_id, line.target_id) for line in self.imap.lines_on_map()]
        # As wide as this view shows at the readable zoom: the chart never scrolls sideways.
        fit = self.view.viewport().width() / READABLE_ZOOM
        spec = LayoutSpec(max_width=max(FIT_WIDTH, fit))
        laid = tidy_layout(people, reports_to, influences, current=old, spec=spec)
        rect = self.scene.cards_rect()
        dx = rect.left() - min(x for x, _ in laid.values())
        dy = rect.top() - min(y for _, y in laid.values())
        new = {pid: (x + dx, y + dy) for pid, (x, y) in laid.items()}
        if new == old:
            return
        self.push(
            commands.MoveCardsCommand(self.ctx, self.account_id, old, new, text="Tidy layout")
        )
        self._animate(old, new)
        self.view.update_scroll_area(grow_only=True)

    def _animate(self, old: Mapping[str, Position], new: Mapping[str, Position]) -> None:
        cards = {pid: self.scene.cards[pid] for pid in new if pid in self.scene.cards}
        animation = QVariantAnimation(self)
        animation.setStartValue(0.0)
        animation.setEndValue(1.0)
        animation.setDuration(350)

        def step(value: float) -> None:  # valueChanged carries the float it interpolates
            t = float(value)
            for pid, card in cards.items():
                (x0, y0), (x1, y1) = old[pid], new[pid]
                card.move_to(QPointF(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))

        animation.valueChanged.connect(step)
        step(0.0)
        if self._animation is not None:
            self._animation.stop()
        self._animation = animation
        animation.start()

    def remove_selected(self) -> None:
        """Delete key: lines go at once; for cards, ask: off the map, or delete the person."""
        if self.account_id is None or self.imap is None:
            return
        from app.views.map.line_items import RelationLine

        lines = [i for i in self.scene.selectedItems() if isinstance(i, RelationLine)]
        ids = self.scene.selected_ids()
        if not lines and not ids:
            return
        answer = "card"
        if ids:
            answer = dialogs.ask_removal(self, [self.imap.people[pid].name for pid in ids]) or ""
            if not answer:
                return
        stack = self.ctx.undo_stack
        stack.beginMacro("Remove from map" if answer == "card" else "Delete people")
        for line in lines:
            self.push(commands.RemoveRelationCommand(self.ctx, self.account_id, line.relation_id))
        if ids and answer == "card":
            old = {pid: self.imap.people[pid].position for pid in ids}
            text = "Remove from map"
            self.push(
                commands.PlaceCardsCommand(self.ctx, self.account_id, old, dict.fromkeys(ids), text)
            )
        elif ids:
            for pid in ids:
                name = self.imap.people[pid].name
                self.push(commands.DeleteStakeholderCommand(self.ctx, self.account_id, pid, name))
        stack.endMacro()

    def rename_selected(self) -> None:
        """F2: edit the selected card's name in place."""
        ids = self.scene.selected_ids()
        if len(ids) != 1 or self.account_id is None:
            return
        card = self.scene.cards[ids[0]]
        top_left = self.view.mapFromScene(card.mapToScene(QPointF(66, 8)))
        bottom_right = self.view.mapFromScene(card.mapToScene(QPointF(CARD_WIDTH - 8, 28)))
        editor = InlineEditor(self.view.viewport(), card.person.name)
        editor.setGeometry(QRectF(top_left.toPointF(), bottom_right.toPointF()).toRect())
        pid = ids[0]
        editor.committed.connect(lambda text: self._rename(pid, text))
        self._editor = editor
        editor.show()
        editor.setFocus()

    def _rename(self, stakeholder_id: str, name: str) -> None:
        self._editor = None
        if self.imap is None or self.account_id is None:
            return
        if name.strip() and name.strip() != self.imap.people[stakeholder_id].name:
            self._on_edited(stakeholder_id, {"name": name.strip()})

    def mark_selected_departed(self) -> None:
        ids = self.scene.selected_ids()
        if len(ids) == 1:
            self.mark_departed(ids[0])

    def mark_departed(self, stakeholder_id: str) -> None:
        """The contact change workflow: ask when and where they went, then one undo step."""
        if self.imap is None or self.account_id is None:
            return
        person = self.imap.people[stakeholder_id]
        if person.departed:
            dialogs.refuse(self, f"{person.name} is already marked as departed.")
            return
        answer = dialogs.ask_departure(self, person.name, self.ctx.today)
        if answer is None:
            return
        self.push(
            commands.MarkDepartedCommand(
                self.ctx, self.account_id, stakeholder_id, person.name, answer, self.ctx.today
            )
        )

    def set_customer_safe(self, on: bool) -> None:
        """Show the map as the customer may see it (no sentiment, notes or warnings)."""
        self.safe_action.setChecked(on)
        self.scene.set_customer_safe(on)
        self.legend.set_customer_safe(on)
        self.warnings_panel.show_warnings(self.warnings, hidden=on)
        self._place_overlays()

    @property
    def customer_safe(self) -> bool:
        return self.safe_action.isChecked()
