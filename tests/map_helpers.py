"""Small hand-built stakeholder maps shared by the map's service, view and export tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar

from app.models import Account, Activity, MapCard, Stakeholder, StakeholderRelation
from app.models.enums import ActivityKind, RelationKind
from app.models.store import Store
from app.services.private_notes import set_note

T = TypeVar("T")

TODAY = date(2026, 6, 1)


def add_account(store: Store, name: str = "Acme Corp") -> str:
    with store.session() as session:
        account = Account(name=name)
        session.add(account)
        session.flush()
        return account.id


def add_person(
    store: Store,
    account_id: str,
    name: str,
    *,
    at: tuple[float, float] | None = None,
    **fields: Any,
) -> str:
    """A stakeholder (touched recently unless told otherwise), with a card when ``at`` is set."""
    fields.setdefault("last_contact_on", TODAY)
    note = fields.pop("private_notes", None)
    with store.session() as session:
        person = Stakeholder(account_id=account_id, name=name, **fields)
        session.add(person)
        session.flush()
        if note is not None:
            set_note(session, person.id, note)
        if at is not None:
            session.add(MapCard(stakeholder_id=person.id, account_id=account_id, x=at[0], y=at[1]))
        return person.id


def add_line(
    store: Store, account_id: str, source: str, target: str, kind: RelationKind, strength: int = 2
) -> str:
    with store.session() as session:
        rel = StakeholderRelation(
            account_id=account_id, source_id=source, target_id=target, kind=kind, strength=strength
        )
        session.add(rel)
        session.flush()
        return rel.id


def add_touchpoint(store: Store, account_id: str, attendees: list[str], on: date) -> None:
    with store.session() as session:
        activity = Activity(
            account_id=account_id,
            kind=ActivityKind.CALL,
            title="Call",
            occurred_at=datetime.combine(on, time(10), tzinfo=UTC),
        )
        activity.attendees = [session.get(Stakeholder, pid) for pid in attendees]  # type: ignore[misc]
        session.add(activity)


def in_unit(store: Store, edit: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one service edit in its own unit of work, as an undo command does."""
    with store.session() as session:
        return edit(session, *args, **kwargs)
