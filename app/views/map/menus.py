"""Context menus of the map: right-click a card or a line; double-click a line for its note."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF

from app.models.enums import RelationKind
from app.services.stakeholder_graph import RELATION_LABELS, MapLine
from app.views.map import commands, dialogs

if TYPE_CHECKING:
    from app.views.map.tab import StakeholderMapTab

STRENGTHS = {1: "weak", 2: "medium", 3: "strong"}


class MapMenus(QObject):
    """Turns menu choices into the tab's actions and undo commands."""

    def __init__(self, tab: StakeholderMapTab) -> None:
        super().__init__(tab)
        self.tab = tab
        tab.scene.menu_requested.connect(self.show_menu)
        tab.scene.line_activated.connect(self.edit_note)

    def _line(self, relation_id: str) -> MapLine | None:
        if self.tab.imap is None:
            return None
        return next((line for line in self.tab.imap.lines if line.id == relation_id), None)

    def show_menu(self, what: str, item_id: str, screen_pos: QPointF) -> None:
        if what == "card":
            self._card_menu(item_id, screen_pos)
        else:
            self._line_menu(item_id, screen_pos)

    def _card_menu(self, stakeholder_id: str, screen_pos: QPointF) -> None:
        tab = self.tab
        if tab.imap is None or tab.account_id is None:
            return
        person = tab.imap.people[stakeholder_id]
        actions = [("edit", "Edit…"), ("rename", "Rename"), ("-", "-")]
        if person.reports_to_id is not None:
            actions.append(("no_manager", "Reports to nobody"))
        if not person.departed:
            actions.append(("departed", "Mark as departed…"))
        actions += [("-", "-"), ("remove", "Remove…")]
        choice = dialogs.choose_action(screen_pos, actions)
        if choice == "edit":
            tab.edit_person(stakeholder_id)
        elif choice == "rename":
            tab.rename_selected()
        elif choice == "no_manager":
            tab.push(
                commands.SetReportsToCommand(
                    tab.ctx, tab.account_id, stakeholder_id, None,
                    text=f"{person.name} reports to nobody",
                )
            )  # fmt: skip
        elif choice == "departed":
            tab.mark_departed(stakeholder_id)
        elif choice == "remove":
            tab.remove_selected()

    def _line_menu(self, relation_id: str, screen_pos: QPointF) -> None:
        tab = self.tab
        line = self._line(relation_id)
        if line is None or tab.account_id is None:
            return
        actions = [("note", "Note…"), ("-", "-")]
        for value, word in STRENGTHS.items():
            mark = "● " if value == line.strength else "   "
            actions.append((f"strength:{value}", f"{mark}Strength: {word}"))
        actions.append(("-", "-"))
        for kind, label in RELATION_LABELS.items():
            if kind is not line.kind:
                actions.append((f"kind:{kind.value}", f"Make it: {label.lower()}"))
        actions += [("-", "-"), ("remove", "Remove line")]
        choice = dialogs.choose_action(screen_pos, actions)
        if choice is None:
            return
        if choice == "note":
            self.edit_note(relation_id)
        elif choice == "remove":
            tab.push(commands.RemoveRelationCommand(tab.ctx, tab.account_id, relation_id))
        elif choice.startswith("strength:"):
            strength = int(choice.split(":", 1)[1])
            tab.push(
                commands.UpdateRelationCommand(
                    tab.ctx, tab.account_id, relation_id, strength=strength
                )
            )
        elif choice.startswith("kind:"):
            kind = RelationKind(choice.split(":", 1)[1])
            tab.push(
                commands.UpdateRelationCommand(tab.ctx, tab.account_id, relation_id, kind=kind)
            )

    def edit_note(self, relation_id: str) -> None:
        """Ask for the line's note (empty clears it)."""
        tab = self.tab
        line = self._line(relation_id)
        if line is None or tab.account_id is None:
            return
        note = dialogs.ask_text(tab, "Line note", "Note on this line:", line.note or "")
        if note is None or note == (line.note or ""):
            return
        tab.push(commands.UpdateRelationCommand(tab.ctx, tab.account_id, relation_id, note=note))
