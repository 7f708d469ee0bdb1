"""The map tab's gestures on the map and its panels, turned into undo commands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF

from app.models.enums import RelationKind
from app.services import map_edits
from app.services.map_layout import H_GAP
from app.views.map import commands, dialogs
from app.views.map.commands import Position
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH

if TYPE_CHECKING:
    from app.views.map.tab_host import MapTabHost as _Tab
else:
    _Tab = object


class MapGestures(_Tab):
    """Mixed into ``StakeholderMapTab``: drags, drops, lines and form edits become commands."""

    def _on_cards_moved(
        self, old: Mapping[str, Position], new: Mapping[str, Position], key: str
    ) -> None:
        assert self.account_id is not None
        new = self._clear_of_others(new)
        self.push(commands.MoveCardsCommand(self.ctx, self.account_id, old, new, key))

    def _clear_of_others(self, new: Mapping[str, Position]) -> dict[str, Position]:
        """Moved cards that landed on a card they do not report to slide to a free spot.

        A card is never left stranded on top of another: either the drop sets "reports
        to" (dropped with the pointer on the card) or the card moves beside it.
        """
        placed = dict(new)
        moving = set(new)
        for pid, (x, y) in new.items():
            rect = QRectF(x, y, CARD_WIDTH, CARD_HEIGHT)
            hit = any(
                other not in moving
                and rect.intersects(QRectF(c.pos().x(), c.pos().y(), CARD_WIDTH, CARD_HEIGHT))
                for other, c in self.scene.cards.items()
            )
            if hit:
                centre = QPointF(x + CARD_WIDTH / 2, y + CARD_HEIGHT / 2)
                placed[pid] = self.scene.free_spot_near(centre, exclude=moving)
                self.scene.cards[pid].move_to(QPointF(*placed[pid]))
        return placed

    def reveal(self, ids: list[str]) -> None:
        """Scroll so these people's cards are fully in view (new or re-laid cards)."""
        on_map = [pid for pid in ids if pid in self.scene.cards]
        if on_map:
            self.view.reveal(self.scene.cards_rect(on_map))

    def _why_not_reports_to(self, report_id: str, manager_id: str | None) -> str | None:
        with self.ctx.store.read() as session:
            return map_edits.check_reports_to(session, report_id, manager_id)

    def _on_report_requested(
        self, report_id: str, manager_id: str, old: Mapping[str, Position]
    ) -> None:
        assert self.account_id is not None and self.imap is not None
        card = self.scene.cards[report_id]
        message = self._why_not_reports_to(report_id, manager_id)
        report, manager = self.imap.people[report_id], self.imap.people[manager_id]
        if message is None and report.reports_to_id == manager_id:
            message = f"{report.name} already reports to {manager.name}."
        if message is not None:
            # Refused: the card goes back where it was, and the user is told why.
            card.move_to(QPointF(*old[report_id]))
            self.notify(message)
            dialogs.refuse(self, message)
            return
        slot = self.scene.free_slot_below(manager_id, exclude=report_id)
        self.push(
            commands.SetReportsToCommand(
                self.ctx,
                self.account_id,
                report_id,
                manager_id,
                old_positions=dict(old),
                new_positions={report_id: slot},
                text=f"{report.name} reports to {manager.name}",
            )
        )
        self.reveal([report_id, manager_id])

    def _on_relation_requested(self, source: str, target: str, kind: RelationKind) -> None:
        assert self.account_id is not None
        self.push(commands.AddRelationCommand(self.ctx, self.account_id, source, target, kind))

    def _on_people_dropped(self, ids: list[str], scene_pos: QPointF) -> None:
        if self.account_id is None or self.imap is None:
            return
        ids = [pid for pid in ids if pid not in self.scene.cards]
        if not ids:
            return
        boss = self.scene.card_at(scene_pos)
        if boss is not None and len(ids) == 1 and ids[0] in self.imap.people:
            # Dropped onto a card: they join the map reporting to that person.
            pid = ids[0]
            message = self._why_not_reports_to(pid, boss.stakeholder_id)
            if message is not None:
                dialogs.refuse(self, message)
                return
            name = self.imap.people[pid].name
            self.push(
                commands.SetReportsToCommand(
                    self.ctx,
                    self.account_id,
                    pid,
                    boss.stakeholder_id,
                    old_positions={pid: None},
                    new_positions={pid: self.scene.free_slot_below(boss.stakeholder_id, pid)},
                    text=f"Add {name}, reporting to {boss.person.name}",
                )
            )
            self.reveal([pid])
            return
        new: dict[str, Position | None] = {}
        for i, pid in enumerate(ids):
            new[pid] = (
                scene_pos.x() - CARD_WIDTH / 2 + i * (CARD_WIDTH + H_GAP),
                scene_pos.y() - CARD_HEIGHT / 2,
            )
        old: dict[str, Position | None] = dict.fromkeys(ids)
        text = "Add to map" if len(ids) == 1 else f"Add {len(ids)} people to map"
        self.push(commands.PlaceCardsCommand(self.ctx, self.account_id, old, new, text))
        self.reveal(ids)

    def _add_at_centre(self, ids: list[str]) -> None:
        centre = self.view.mapToScene(self.view.viewport().rect().center())
        x, y = self.scene.free_spot_near(centre)
        self._on_people_dropped(ids, QPointF(x + CARD_WIDTH / 2, y + CARD_HEIGHT / 2))

    def _select_people(self, ids: list[str]) -> None:
        self.scene.select_ids(ids)
        on_map = [pid for pid in ids if pid in self.scene.cards]
        if on_map:
            self.view.ensureVisible(self.scene.cards_rect(on_map), 40, 40)

    def _on_selection(self) -> None:
        """One card selected: the person panel shows them; none: the panel shows its hint."""
        if self.scene.dragging:
            return
        ids = self.scene.selected_ids()
        if self.imap is None:
            return
        if len(ids) == 1:
            self.edit_panel.show_person(self.imap.people.get(ids[0]))
            if self.side_tabs.currentIndex() != 2:
                self.side_tabs.setCurrentIndex(1)
        elif not ids:
            self.edit_panel.show_person(None)

    def edit_person(self, stakeholder_id: str) -> None:
        """Open the side panel's form on this person."""
        if self.imap is None:
            return
        self.edit_panel.show_person(self.imap.people.get(stakeholder_id))
        self.side_tabs.setCurrentIndex(1)

    def _on_edited(self, stakeholder_id: str, changes: dict[str, object]) -> None:
        assert self.account_id is not None
        if "reports_to_id" in changes:
            manager = changes["reports_to_id"]
            message = self._why_not_reports_to(
                stakeholder_id, manager if isinstance(manager, str) else None
            )
            if message is not None:
                dialogs.refuse(self, message)
                return
        self.push(
            commands.EditStakeholderCommand(self.ctx, self.account_id, stakeholder_id, changes)
        )
