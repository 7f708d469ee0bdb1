"""Edits of an account's stakeholder map, each done in the caller's session (no Qt).

Every function returns what its undo needs, so the views' undo commands stay thin.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import (
    CrossAccountError,
    HierarchyCycleError,
    MapCard,
    Risk,
    Stakeholder,
    StakeholderRelation,
    Task,
    new_id,
)
from app.models.enums import BuyingRole, RelationKind, RiskCategory, Severity
from app.services import play_triggers, private_notes
from app.services.field_checks import editable_changes, strip_required
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
#: Days the CSM gets to name a departed contact's successor.
SUCCESSOR_TASK_DAYS = 14


class MapEditError(ValueError):
    """An edit the map refuses; the message is one sentence for the user."""


@contextmanager
def _checked(session: Session) -> Iterator[Session]:
    """The edit's changes flushed at its end, integrity errors coming out as one sentence."""
    try:
        yield session
        session.flush()
    except (HierarchyCycleError, CrossAccountError) as exc:
        raise MapEditError(str(exc)) from exc
    except IntegrityError as exc:
        raise MapEditError("That change breaks a rule of the workspace and was not saved.") from exc


def _person(session: Session, stakeholder_id: str) -> Stakeholder:
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
    with _checked(session):
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
                person = _person(session, stakeholder_id)
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
        _person(session, stakeholder_id).reports_to_id = manager_id
        if manager_id is not None:
            _person(session, manager_id)
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
    with _checked(session):
        person = _person(session, stakeholder_id)
        if manager_id == stakeholder_id:
            raise MapEditError(f"{person.name} cannot report to themselves.")
        if manager_id is not None:
            _person(session, manager_id)
        previous = person.reports_to_id
        person.reports_to_id = manager_id
    return previous


# --- relation lines -------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationSpec(MapLine):
    """Everything needed to (re)create a relation line with the same id: the line and the
    account it belongs to."""

    account_id: str = field(kw_only=True)


def add_relation(
    session: Session,
    account_id: str,
    source_id: str,
    target_id: str,
    kind: RelationKind,
    *,
    strength: int = 2,
    note: str | None = None,
    relation_id: str | None = None,
) -> RelationSpec:
    """Draw a line between two people of the account; returns it (with its id)."""
    if source_id == target_id:
        raise MapEditError("A line needs two different people.")
    if not 1 <= strength <= 3:
        raise MapEditError("Line strength goes from 1 (weak) to 3 (strong).")
    spec = RelationSpec(
        id=relation_id or new_id(),
        account_id=account_id,
        source_id=source_id,
        target_id=target_id,
        kind=RelationKind(kind),
        strength=strength,
        note=note,
    )
    with _checked(session):
        for pid in (source_id, target_id):
            if _person(session, pid).account_id != account_id:
                raise MapEditError("Both ends of a line must be at the same account.")
        session.add(
            StakeholderRelation(
                id=spec.id,
                account_id=account_id,
                source_id=source_id,
                target_id=target_id,
                kind=spec.kind,
                strength=strength,
                note=note,
            )
        )
    return spec


def _spec(rel: StakeholderRelation) -> RelationSpec:
    return RelationSpec(
        id=rel.id,
        account_id=rel.account_id,
        source_id=rel.source_id,
        target_id=rel.target_id,
        kind=rel.kind,
        strength=rel.strength,
        note=rel.note,
    )


def remove_relation(session: Session, relation_id: str) -> RelationSpec:
    """Erase a line; returns it so undo can draw it again."""
    with _checked(session):
        rel = session.get(StakeholderRelation, relation_id)
        if rel is None:
            raise MapEditError("That line no longer exists.")
        spec = _spec(rel)
        session.delete(rel)
    return spec


def restore_relation(session: Session, spec: RelationSpec) -> None:
    """Draw a removed line again, with its id, kind, strength and note."""
    add_relation(
        session,
        spec.account_id,
        spec.source_id,
        spec.target_id,
        spec.kind,
        strength=spec.strength,
        note=spec.note,
        relation_id=spec.id,
    )


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
    with _checked(session):
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
            raise MapEditError(f"{key.replace('_', ' ').capitalize()} goes from {low} to {high}.")
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
    with _checked(session):
        person = _person(session, stakeholder_id)
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
    with _checked(session):
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
    with _checked(session):
        _person(session, stakeholder_id)
        return delete_captured(session, "stakeholder", stakeholder_id)


def restore_stakeholder(session: Session, captured: RowCapture) -> None:
    """Undo ``delete_stakeholder``: the person, card, lines, reports and attendance return."""
    with _checked(session):
        restore(session, captured)


# --- contact change -------------------------------------------------------------------------


@dataclass(frozen=True)
class Departure:
    """A recorded departure: what the person's fields were, and the risk and tasks it opened."""

    stakeholder_id: str
    previous: Mapping[str, Any]
    risk_id: str | None
    task_ids: tuple[str, ...] = field(default=())
    #: Plays the departure started (the champion-left playbook).
    play_ids: tuple[str, ...] = field(default=())


def mark_departed(
    session: Session,
    stakeholder_id: str,
    *,
    departed_on: date,
    departed_to: str | None = None,
    is_lead: bool = False,
    today: date | None = None,
) -> Departure:
    """The contact change workflow, in one unit of work.

    The person stays on the map, greyed, with their leaving date. Losing a champion,
    economic buyer, decision maker or executive sponsor opens a renewal risk; every
    departure gets a task to identify the successor, and a "where they went" flagged as a
    sales lead gets a task to tell sales.
    """
    today = today or date.today()
    changes = {
        "departed": True,
        "departed_on": departed_on,
        "departed_to": (departed_to or "").strip() or None,
        "departed_is_lead": bool(is_lead),
    }
    task_ids: list[str] = []
    risk_id: str | None = None
    with _checked(session):
        person = _person(session, stakeholder_id)
        if person.departed:
            raise MapEditError(f"{person.name} is already marked as departed.")
        previous = {key: getattr(person, key) for key in changes}
        for key, value in changes.items():
            setattr(person, key, value)
        key_contact = person.is_executive_sponsor or person.role in {
            BuyingRole.CHAMPION,
            BuyingRole.ECONOMIC_BUYER,
            BuyingRole.DECISION_MAKER,
        }
        what = (
            "executive sponsor"
            if person.is_executive_sponsor
            else (person.role.value.replace("_", " ") if person.role else "contact")
        )
        if key_contact:
            risk_id = new_id()
            session.add(
                Risk(
                    id=risk_id,
                    account_id=person.account_id,
                    category=RiskCategory.RENEWAL,
                    title=f"{what.capitalize()} {person.name} has left",
                    description=(
                        f"{person.name} left on {departed_on.isoformat()}"
                        + (f" for {changes['departed_to']}" if changes["departed_to"] else "")
                        + ". The renewal has lost a key contact until a successor is engaged."
                    ),
                    severity=Severity.HIGH,
                    opened_on=today,
                    due_on=today.fromordinal(today.toordinal() + SUCCESSOR_TASK_DAYS),
                    mitigation="Identify and engage the successor; re-introduce our team.",
                    shared=False,
                )
            )
        task_ids.append(new_id())
        session.add(
            Task(
                id=task_ids[-1],
                account_id=person.account_id,
                risk_id=risk_id,
                title=f"Identify {person.name}'s successor and re-introduce our team",
                due_on=today.fromordinal(today.toordinal() + SUCCESSOR_TASK_DAYS),
                shared=False,
            )
        )
        if is_lead and changes["departed_to"]:
            task_ids.append(new_id())
            session.add(
                Task(
                    id=task_ids[-1],
                    account_id=person.account_id,
                    title=f"Tell sales: {person.name} moved to {changes['departed_to']} (lead)",
                    due_on=today.fromordinal(today.toordinal() + 7),
                    shared=False,
                )
            )
        session.flush()
        play_ids = play_triggers.contact_departed(session, stakeholder_id, today)
    return Departure(stakeholder_id, previous, risk_id, tuple(task_ids), tuple(play_ids))


def undo_departure(session: Session, departure: Departure) -> None:
    """Reverse ``mark_departed``: fields back, its risk and tasks removed."""
    with _checked(session):
        person = _person(session, departure.stakeholder_id)
        for key, value in departure.previous.items():
            setattr(person, key, value)
        if departure.task_ids:
            session.execute(delete(Task).where(Task.id.in_(departure.task_ids)))
        if departure.risk_id is not None:
            session.execute(delete(Risk).where(Risk.id == departure.risk_id))
        play_triggers.withdraw(session, list(departure.play_ids))
