"""Undo commands for every map edit; each states the service calls that make it and undo it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from app.models import new_id
from app.models.enums import RelationKind
from app.services import map_departures, map_edits
from app.services.labels import in_sentence, label_of
from app.services.map_departures import Departure
from app.services.map_edits import RelationSpec
from app.services.row_capture import RowCapture
from app.views.context import AppContext
from app.views.map import dialogs
from app.views.undo import ServiceEdit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Position = tuple[float, float]
MOVE_COMMAND_ID = 4101
Kept = TypeVar("Kept")


class MapCommand(ServiceEdit[Kept]):
    """A map edit of one account. A refused step changes nothing in the workspace, so the
    map tab's reload (``on_refused``) puts back what the scene showed ahead of the edit."""

    def __init__(self, ctx: AppContext, account_id: str, text: str) -> None:
        super().__init__(ctx, text)
        self.account_id = account_id

    def tell_refusal(self, parent: QWidget | None, message: str) -> None:
        dialogs.refuse(parent, message)


class PlaceCardsCommand(MapCommand[None]):
    """Move cards, put people on the map (position) or take them off (None)."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        old: Mapping[str, Position | None],
        new: Mapping[str, Position | None],
        text: str,
    ) -> None:
        super().__init__(ctx, account_id, text)
        # The view's own ``old`` (not the service's answer): merged nudges keep the first.
        self.old = dict(old)
        self.new = dict(new)

    def change(self, session: Session) -> None:
        map_edits.place_cards(session, self.account_id, self.new)

    def change_back(self, session: Session, kept: None) -> None:
        map_edits.place_cards(session, self.account_id, self.old)


class MoveCardsCommand(PlaceCardsCommand):
    """A drag or a nudge; consecutive nudges (same merge key) become one undo step."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        old: Mapping[str, Position],
        new: Mapping[str, Position],
        merge_key: str = "",
        text: str | None = None,
    ) -> None:
        count = len(new)
        default = "Move card" if count == 1 else f"Move {count} cards"
        super().__init__(ctx, account_id, old, new, text or default)
        self.merge_key = merge_key

    def id(self) -> int:
        return MOVE_COMMAND_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            not isinstance(other, MoveCardsCommand)
            or not self.merge_key
            or other.merge_key != self.merge_key
            or other.account_id != self.account_id
        ):
            return False
        self.new.update(other.new)
        for pid, pos in other.old.items():
            self.old.setdefault(pid, pos)
        return True


class SetReportsToCommand(MapCommand[str | None]):
    """Make a person report to a manager, and optionally re-place their card."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        stakeholder_id: str,
        manager_id: str | None,
        *,
        old_positions: Mapping[str, Position | None] | None = None,
        new_positions: Mapping[str, Position | None] | None = None,
        text: str = "Set reports-to",
    ) -> None:
        super().__init__(ctx, account_id, text)
        self.stakeholder_id = stakeholder_id
        self.manager_id = manager_id
        self.old_positions = dict(old_positions or {})
        self.new_positions = dict(new_positions or {})

    def change(self, session: Session) -> str | None:
        previous = map_edits.set_reports_to(session, self.stakeholder_id, self.manager_id)
        if self.new_positions:
            map_edits.place_cards(session, self.account_id, self.new_positions)
        return previous

    def change_back(self, session: Session, kept: str | None) -> None:
        map_edits.set_reports_to(session, self.stakeholder_id, kept)
        if self.old_positions:
            map_edits.place_cards(session, self.account_id, self.old_positions)


class AddRelationCommand(MapCommand[RelationSpec]):
    """Draw an influence, dotted-line, conflict or alliance line (a redo draws the same one)."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        source_id: str,
        target_id: str,
        kind: RelationKind,
        strength: int = 2,
    ) -> None:
        words = in_sentence(label_of(kind))  # "dotted line" is a line already
        super().__init__(
            ctx, account_id, f"Draw {words}" + ("" if words.endswith(" line") else " line")
        )
        # Its id made once: a redo draws the same line.
        line = (new_id(), source_id, target_id, kind, strength)
        self.line = RelationSpec(*line, account_id=account_id)

    def change(self, session: Session) -> RelationSpec:
        map_edits.add_relation(session, self.line)
        return self.line

    def change_back(self, session: Session, kept: RelationSpec) -> None:
        map_edits.remove_relation(session, kept.id)


class RemoveRelationCommand(MapCommand[RelationSpec]):
    """Erase a line."""

    def __init__(self, ctx: AppContext, account_id: str, relation_id: str) -> None:
        super().__init__(ctx, account_id, "Remove line")
        self.relation_id = relation_id

    def change(self, session: Session) -> RelationSpec:
        return map_edits.remove_relation(session, self.relation_id)

    def change_back(self, session: Session, kept: RelationSpec) -> None:
        map_edits.add_relation(session, kept)


class UpdateRelationCommand(MapCommand[RelationSpec]):
    """Change a line's kind, strength or note."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        relation_id: str,
        *,
        kind: RelationKind | None = None,
        strength: int | None = None,
        note: str | None = None,
    ) -> None:
        super().__init__(ctx, account_id, "Edit line")
        self.relation_id = relation_id
        self.changes: dict[str, Any] = {"kind": kind, "strength": strength, "note": note}

    def change(self, session: Session) -> RelationSpec:
        return map_edits.update_relation(session, self.relation_id, **self.changes)

    def change_back(self, session: Session, kept: RelationSpec) -> None:
        map_edits.update_relation(
            session, self.relation_id, kind=kept.kind, strength=kept.strength, note=kept.note or ""
        )


class EditStakeholderCommand(MapCommand[dict[str, Any]]):
    """Change fields of one stakeholder (the edit panel, F2 rename)."""

    def __init__(
        self, ctx: AppContext, account_id: str, stakeholder_id: str, changes: Mapping[str, Any]
    ) -> None:
        text = "Rename" if set(changes) == {"name"} else "Edit stakeholder"
        super().__init__(ctx, account_id, text)
        self.stakeholder_id = stakeholder_id
        self.changes = dict(changes)

    def change(self, session: Session) -> dict[str, Any]:
        return map_edits.update_stakeholder(session, self.stakeholder_id, self.changes)

    def change_back(self, session: Session, kept: dict[str, Any]) -> None:
        map_edits.update_stakeholder(session, self.stakeholder_id, kept)


class CreateStakeholderCommand(MapCommand[str]):
    """Add a new person to the account, on the map (a redo adds them again with their id)."""

    def __init__(
        self, ctx: AppContext, account_id: str, name: str, position: Position, **fields: Any
    ) -> None:
        super().__init__(ctx, account_id, f"Add {name}")
        self.name = name
        self.position = position
        self.fields = fields
        #: Set once the person exists, so the tab can select the newcomer.
        self.stakeholder_id: str | None = None

    def change(self, session: Session) -> str:
        self.stakeholder_id = map_edits.create_stakeholder(
            session,
            self.account_id,
            self.name,
            position=self.position,
            stakeholder_id=self.stakeholder_id,
            **self.fields,
        )
        return self.stakeholder_id

    def change_back(self, session: Session, kept: str) -> None:
        map_edits.delete_stakeholder(session, kept)


class DeleteStakeholderCommand(MapCommand[RowCapture]):
    """Delete a person from the account (their card and lines go with them)."""

    def __init__(self, ctx: AppContext, account_id: str, stakeholder_id: str, name: str) -> None:
        super().__init__(ctx, account_id, f"Delete {name}")
        self.stakeholder_id = stakeholder_id

    def change(self, session: Session) -> RowCapture:
        return map_edits.delete_stakeholder(session, self.stakeholder_id)

    def change_back(self, session: Session, kept: RowCapture) -> None:
        map_edits.restore_stakeholder(session, kept)


class MarkDepartedCommand(MapCommand[Departure]):
    """The contact change workflow: departed, renewal risk, successor task; one undo step."""

    def __init__(
        self,
        ctx: AppContext,
        account_id: str,
        stakeholder_id: str,
        name: str,
        answer: dialogs.DepartureAnswer,
        today: date,
    ) -> None:
        super().__init__(ctx, account_id, f"Mark {name} as departed")
        self.stakeholder_id = stakeholder_id
        self.answer = answer
        self.today = today

    def change(self, session: Session) -> Departure:
        return map_departures.mark_departed(
            session,
            self.stakeholder_id,
            departed_on=self.answer.departed_on,
            departed_to=self.answer.departed_to,
            is_lead=self.answer.is_lead,
            today=self.today,
        )

    def change_back(self, session: Session, kept: Departure) -> None:
        map_departures.undo_departure(session, kept)
