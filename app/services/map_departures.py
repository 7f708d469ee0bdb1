"""The contact change: a person leaving the customer, kept on the map with the renewal risk
and the tasks their leaving opens (undone as one edit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from app.models import Risk, Task, new_id
from app.models.enums import RiskCategory, Severity
from app.services import dates_text, play_triggers
from app.services.labels import label_of
from app.services.map_edits import MapEditError, checked_edit, existing_person
from app.services.stakeholder_graph import KEY_ROLES

#: Days the CSM gets to name a departed contact's successor.
SUCCESSOR_TASK_DAYS = 14


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
    with checked_edit(session):
        person = existing_person(session, stakeholder_id)
        if person.departed:
            raise MapEditError(f"{person.name} is already marked as departed.")
        previous = {key: getattr(person, key) for key in changes}
        for key, value in changes.items():
            setattr(person, key, value)
        key_contact = person.is_executive_sponsor or person.role in KEY_ROLES
        # The role's own words start the title (capitalize() would lower an acronym).
        what = (
            "Executive sponsor"
            if person.is_executive_sponsor
            else (label_of(person.role) if person.role else "Contact")
        )
        if key_contact:
            risk_id = new_id()
            session.add(
                Risk(
                    id=risk_id,
                    account_id=person.account_id,
                    category=RiskCategory.RENEWAL,
                    title=f"{what} {person.name} has left",
                    description=(
                        f"{person.name} left on {dates_text.day(departed_on)}"
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
    with checked_edit(session):
        person = existing_person(session, departure.stakeholder_id)
        for key, value in departure.previous.items():
            setattr(person, key, value)
        if departure.task_ids:
            session.execute(delete(Task).where(Task.id.in_(departure.task_ids)))
        if departure.risk_id is not None:
            session.execute(delete(Risk).where(Risk.id == departure.risk_id))
        play_triggers.withdraw(session, list(departure.play_ids))
