"""Edits of an account's stakeholder map, each done in the caller's session (no Qt).

Every function returns what its undo needs, so the views' undo commands stay thin.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import (
    CrossAccountError,
    HierarchyCycleError,
    MapCard,
    Stakeholder,
    StakeholderRelation,
    new_id,
)
from app.models.enums import BuyingRole, RelationKind
from app.services import private_notes
from app.services.field_checks import editable_changes, strip_required
from app.services.labels import field_label
from app.services.row_capture import RowCapture, delete_captured, restore
from app.services.stakeholder_graph import MapLine

Position = tuple[float, float]

#: Stakeholder fields the map's edit panel may change.
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "title",
        "department",
        "email",
        "phone",
        "reports_to_id",
        "role",
        "sentiment",
        "influence",
        "relationship_strength",
        "is_executive_sponsor",
        "last_contact_on",
        "departed",
        "departed_on",
        "departed_to",
        "departed_is_lead",
        "successor_id",
        "our_counterpart",
        "private_notes",
    }
)
#: The editing person's own private note (a row of its own: app.services.private_notes).
NOTE_FIELD = "private_notes"
_NO_NOTE = object()
_SCALES = {"sentiment": (-2, 2), "influence": (1, 5), "relationship_strength": (1, 5)}


class MapEditError(ValueError):
    """An edit the map refuses; the message is one sentence for the user."""


@contextmanager
def checked_edit(session: Session) -> Iterator[Session]:
    """The edit's changes flushed at its end, integrity errors coming out as one sentence."""
    try:
        yield session
        session.flush()
    except (HierarchyCycleError, CrossAccountError) as exc:
        raise MapEditError(str(exc)) from exc
    except IntegrityError as exc:
        raise MapEditError("That change breaks a rule of the workspace and was not saved.") from exc


def existing_person(session: Session, stakeholder_id: str) -> Stakeholder:
    """The person, or the edit refused: they were deleted meanwhile."""
    person = session.get(Stakeholder, stakeholder_id)
    if person is None:
        raise MapEditError("That person no longer exists.")
    return person


# --- cards ----------------------------------------------------------------------------------


def place_cards(
    session: Session, account_id: str, positions: Mapping[str, Position | None]
) -> dict[str, Position | None]:
    """Put cards at ``positions`` (None takes the card off the map); returns the old places."""
    previous: dict[str, Position | None] = {}
    with checked_edit(session):
        existing = {
            card.stakeholder_id: card
            for card in session.scalars(
                select(MapCard).where(MapCard.stakeholder_id.in_(list(positions)))
            )
        }
        for stakeholder_id, pos in positions.items():
            card = existing.get(stakeholder_id)
            previous[stakeholder_id] = None if card is None else (card.x, card.y)
            if pos is None:
                if card is not None:
                    session.delete(card)
            elif card is None:
                person = existing_person(session, stakeholder_id)
                if person.account_id != account_id:
                    raise MapEditError(f"{person.name} belongs to another account.")
                session.add(
                    MapCard(
                        stakeholder_id=stakeholder_id,
                        account_id=account_id,
                        x=float(pos[0]),
                        y=float(pos[1]),
                    )
                )
            else:
                card.x, card.y = float(pos[0]), float(pos[1])
    return previous


# --- reporting lines ------------------------------------------------------------------------


def check_reports_to(session: Session, stakeholder_id: str, manager_id: str | None) -> str | None:
    """Why ``stakeholder_id`` cannot report to ``manager_id`` (one sentence), or None if fine.

    Tries the change inside a savepoint that is rolled back, so the ORM's guards decide.
    """
    savepoint = session.begin_nested()
    try:
        existing_person(session, stakeholder_id).reports_to_id = manager_id
        if manager_id is not None:
            existing_person(session, manager_id)
        session.flush()
    except (HierarchyCycleError, CrossAccountError, MapEditError) as exc:
        return str(exc)
    except IntegrityError:
        return "Nobody can report to themselves."
    finally:
        savepoint.rollback()
    return None


def set_reports_to(session: Session, stakeholder_id: str, manager_id: str | None) -> str | None:
    """Make ``stakeholder_id`` report to ``manager_id`` (None: to nobody); returns the old one.

    Raises MapEditError, having changed nothing, for a cycle or a manager at another account.
    """
    with checked_edit(session):
        person = existing_person(session, stakeholder_id)
        if manager_id == stakeholder_id:
            raise MapEditError(f"{person.name} cannot report to themselves.")
        if manager_id is not None:
            existing_person(session, manager_id)
        previous = person.reports_to_id
        person.reports_to_id = manager_id
    return previous


# --- relation lines -------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationSpec(MapLine):
    """Everything needed to (re)create a relation line with the same id: the line and the
    account it belongs to."""

    account_id: str = field(kw_only=True)


def add_relation(session: Session, line: RelationSpec) -> None:
    """Draw ``line`` between two people of its account, with its id (a new line, or a
    removed one drawn again)."""
    if line.source_id == line.target_id:
        raise MapEditError("A line needs two different people.")
    if not 1 <= line.strength <= 3:
        raise MapEditError("Line strength goes from 1 (weak) to 3 (strong).")
    with checked_edit(session):
        for pid in (line.source_id, line.target_id):
            if existing_person(session, pid).account_id != line.account_id:
                raise MapEditError("Both ends of a line must be at the same account.")
        session.add(StakeholderRelation(**asdict(line)))


def _spec(rel: StakeholderRelation) -> RelationSpec:
    line = (rel.id, rel.source_id, rel.target_id, rel.kind, rel.strength, rel.note)
    return RelationSpec(*line, account_id=rel.account_id)


def remove_relation(session: Session, relation_id: str) -> RelationSpec:
    """Erase a line; returns it so undo can draw it again."""
    with checked_edit(session):
        rel = session.get(StakeholderRelation, relation_id)
        if rel is None:
            raise MapEditError("That line no longer exists.")
        spec = _spec(rel)
        session.delete(rel)
    return spec


def update_relation(
    session: Session,
    relation_id: str,
    *,
    kind: RelationKind | None = None,
    strength: int | None = None,
    note: str | None = None,
) -> RelationSpec:
    """Change a line's kind, strength or note (None leaves it); returns it as it was."""
    if strength is not None and not 1 <= strength <= 3:
        raise MapEditError("Line strength goes from 1 (weak) to 3 (strong).")
    with checked_edit(session):
        rel = session.get(StakeholderRelation, relation_id)
        if rel is None:
            raise MapEditError("That line no longer exists.")
        previous = _spec(rel)
        if kind is not None:
            rel.kind = RelationKind(kind)
        if strength is not None:
            rel.strength = strength
        if note is not None:
            rel.note = note or None
    return previous


# --- people ---------------------------------------------------------------------------------


def _validate(changes: Mapping[str, Any]) -> dict[str, Any]:
    clean = editable_changes(changes, EDITABLE_FIELDS, "A stakeholder", MapEditError)
    strip_required(clean, "name", "A stakeholder needs a name.", MapEditError)
    for key, (low, high) in _SCALES.items():
        if key in clean and not low <= int(clean[key]) <= high:
            raise MapEditError(f"{field_label('stakeholder', key)} goes from {low} to {high}.")
    if clean.get("role") is not None:
        clean["role"] = BuyingRole(clean["role"])
    for key in ("title", "department", "email", "phone", "our_counterpart", "private_notes"):
        if key in clean and isinstance(clean[key], str):
            clean[key] = clean[key].strip() or None
    return clean


def update_stakeholder(
    session: Session, stakeholder_id: str, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Change a stakeholder's fields; returns the old values of the fields changed."""
    clean = _validate(changes)
    with checked_edit(session):
        person = existing_person(session, stakeholder_id)
        note = clean.pop(NOTE_FIELD, _NO_NOTE)
        previous = {key: getattr(person, key) for key in clean}
        for key, value in clean.items():
            setattr(person, key, value)
        if note is not _NO_NOTE:
            previous[NOTE_FIELD] = private_notes.set_note(session, stakeholder_id, note)
    return previous


def create_stakeholder(
    session: Session,
    account_id: str,
    name: str,
    *,
    position: Position | None = None,
    stakeholder_id: str | None = None,
    **fields: Any,
) -> str:
    """Add a person to the account (on the map at ``position`` if given); returns their id."""
    clean = _validate({"name": name, **fields})
    note = clean.pop(NOTE_FIELD, None)
    new = stakeholder_id or new_id()
    with checked_edit(session):
        session.add(Stakeholder(id=new, account_id=account_id, **clean))
        if note is not None:
            session.flush()
            private_notes.set_note(session, new, note)
        if position is not None:
            session.flush()
            session.add(
                MapCard(stakeholder_id=new, account_id=account_id, x=position[0], y=position[1])
            )
    return new


def delete_stakeholder(session: Session, stakeholder_id: str) -> RowCapture:
    """Delete a person, their card and lines; their reports then report to nobody.

    Returns the row capture undo needs (``restore_stakeholder``): the person, every row the
    delete cascades to, and the references it clears (reports-to, successor, survey answers).
    Private notes on the person, everyone's, are not deleted with them but kept for the undo
    (app.services.row_capture.delete_captured).
    """
    with checked_edit(session):
        existing_person(session, stakeholder_id)
        return delete_captured(session, "stakeholder", stakeholder_id)


def restore_stakeholder(session: Session, captured: RowCapture) -> None:
    """Undo ``delete_stakeholder``: the person, card, lines, reports and attendance return."""
    with checked_edit(session):
        restore(session, captured)
