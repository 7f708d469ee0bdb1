"""Edits to what hangs off an account: contracts, renewals, plans, goals, milestones,
activities, tasks, risks, opportunities. One generic set of create/update/delete functions."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, Table, select
from sqlalchemy.orm import Session

from app.models import (
    Account,
    Activity,
    Base,
    Contract,
    Goal,
    Milestone,
    Opportunity,
    Renewal,
    Risk,
    Stakeholder,
    SuccessPlan,
    Task,
    new_id,
)
from app.models.changes import ChangeKind, kind_of_table
from app.models.enums import MilestoneStatus
from app.services import play_triggers
from app.services.row_capture import RowCapture, delete_captured, restore
from app.services.visibility import risk_shared_by_default, task_shared_by_default

#: Item kinds by the name used in change events and undo texts.
KINDS: dict[str, type[Base]] = {
    "contract": Contract,
    "renewal": Renewal,
    "plan": SuccessPlan,
    "goal": Goal,
    "milestone": Milestone,
    "activity": Activity,
    "task": Task,
    "risk": Risk,
    "opportunity": Opportunity,
}

#: A renewal's fields a contract's row carries as ``renewal_<name>``.
_RENEWAL_FIELDS = ("id", "forecast", "likelihood", "next_step", "outcome")

#: Columns never set from a form.
_SYSTEM = frozenset({"id", "created_at", "updated_at"})


class ItemNotFoundError(LookupError):
    """The item an edit names no longer exists."""


def change_kind(kind: str) -> ChangeKind:
    """The kind of change an edit of items of ``kind`` is announced as."""
    return kind_of_table(model_of(kind).__tablename__)


def model_of(kind: str) -> type[Base]:
    """The ORM class of an item kind; ``KeyError`` names the unknown kind."""
    try:
        return KINDS[kind]
    except KeyError:
        raise KeyError(f"Unknown item kind {kind!r}.") from None


def _coerce(model: type[Base], values: Mapping[str, Any]) -> dict[str, Any]:
    table: Table = model.__table__  # type: ignore[assignment]
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "attendee_ids" and model is Activity:
            out[name] = list(value or [])
            continue
        if name in _SYSTEM or name not in table.c:
            raise ValueError(f"{model.__name__} has no editable field {name}.")
        column_type = table.c[name].type
        enum_class = getattr(column_type, "enum_class", None)
        if value is not None and enum_class is not None and issubclass(enum_class, StrEnum):
            value = enum_class(value)
        if isinstance(value, str) and name in {"title", "name"}:
            value = value.strip()
            if not value:
                raise ValueError("A title is required.")
        out[name] = value
    return out


def _attendees(session: Session, ids: list[str]) -> list[Stakeholder]:
    if not ids:
        return []
    found = list(session.execute(select(Stakeholder).where(Stakeholder.id.in_(ids))).scalars())
    return sorted(found, key=lambda s: ids.index(s.id))


def create_item(
    session: Session, kind: str, values: Mapping[str, Any], item_id: str | None = None
) -> str:
    """Add an item of ``kind``; returns its id (``item_id`` lets redo re-create the same id)."""
    model = model_of(kind)
    fields = _coerce(model, values)
    attendee_ids = fields.pop("attendee_ids", None)
    if model is Task and not fields.get("owner") and fields.get("account_id"):
        # A task nobody owns is a task nobody does: default to the account's owner.
        account = session.get(Account, fields["account_id"])
        if account is not None and account.owner:
            fields["owner"] = account.owner
    if "shared" not in fields:
        # The visibility rules (app.services.visibility), not the column's default, decide.
        if model is Task:
            fields["shared"] = task_shared_by_default(risk_id=fields.get("risk_id"))
        elif model is Risk:
            fields["shared"] = risk_shared_by_default(fields.get("category"))
    item = model(id=item_id or new_id(), **fields)
    if attendee_ids is not None:
        item.attendees = _attendees(session, attendee_ids)  # type: ignore[attr-defined]
    session.add(item)
    session.flush()
    if isinstance(item, Risk) and item.is_escalation:
        play_triggers.escalation_opened(session, item.id)
    return str(item.id)  # type: ignore[attr-defined]


def update_item(
    session: Session, kind: str, item_id: str, changes: Mapping[str, Any]
) -> dict[str, Any]:
    """Apply ``changes`` to one item; returns the previous values of the changed fields."""
    model = model_of(kind)
    item = session.get(model, item_id)
    if item is None:
        raise ItemNotFoundError(f"No {kind} with id {item_id}.")
    fields = _coerce(model, changes)
    old: dict[str, Any] = {}
    if "attendee_ids" in fields:
        old["attendee_ids"] = [s.id for s in item.attendees]  # type: ignore[attr-defined]
        item.attendees = _attendees(session, fields.pop("attendee_ids"))  # type: ignore[attr-defined]
    for name, value in fields.items():
        old[name] = getattr(item, name)
        setattr(item, name, value)
    if model is Task and "done" in fields:
        item.done_at = datetime.now(UTC) if fields["done"] else None  # type: ignore[attr-defined]
        old.setdefault("done_at", None)
    if model is Milestone and "status" in fields:
        item.done_on = date.today() if item.status == MilestoneStatus.DONE else None  # type: ignore[attr-defined]
    session.flush()
    return old


def delete_item(session: Session, kind: str, item_id: str) -> RowCapture:
    """Delete one item and what cascades from it; returns what undo needs to restore it."""
    model = model_of(kind)
    if session.get(model, item_id) is None:
        raise ItemNotFoundError(f"No {kind} with id {item_id}.")
    table: Table = model.__table__  # type: ignore[assignment]
    return delete_captured(session, table.name, item_id)


def restore_item(session: Session, snapshot: RowCapture) -> None:
    """Put a deleted item back exactly as ``delete_item`` captured it."""
    restore(session, snapshot)


def _plain(item: Base) -> dict[str, Any]:
    table: Table = item.__table__  # type: ignore[assignment]
    return {c.name: getattr(item, c.key) for c in table.c}


def list_items(session: Session, kind: str, account_id: str) -> list[dict[str, Any]]:
    """An account's items of ``kind`` as plain dicts (column values; activities also carry
    ``attendee_ids``/``attendee_names``; contracts their renewal's fields as ``renewal_*``)."""
    model = model_of(kind)
    query: Select[Any]
    if kind == "goal":
        query = (
            select(Goal)
            .join(SuccessPlan)
            .where(SuccessPlan.account_id == account_id)
            .order_by(Goal.position, Goal.title)
        )
    elif kind == "milestone":
        query = (
            select(Milestone)
            .join(Goal)
            .join(SuccessPlan)
            .where(SuccessPlan.account_id == account_id)
            .order_by(Milestone.due_on)
        )
    elif kind == "renewal":
        query = select(Renewal).join(Renewal.contract).where(Contract.account_id == account_id)
    else:
        query = select(model).where(model.account_id == account_id)  # type: ignore[attr-defined]
        order = {
            "contract": Contract.end_date,
            "activity": Activity.occurred_at.desc(),
            "task": Task.due_on,
            "risk": Risk.opened_on.desc(),
            "opportunity": Opportunity.expected_close_on,
            "plan": SuccessPlan.title,
        }[kind]
        query = query.order_by(order)
    if kind == "contract":
        # Each contract's renewal (at most one) in the same statement: one round trip.
        query = query.outerjoin(Renewal, Renewal.contract_id == Contract.id).add_columns(
            *(getattr(Renewal, name) for name in _RENEWAL_FIELDS)
        )
        fetched = session.execute(query).all()
        items = [found[0] for found in fetched]
        rows = [_plain(item) for item in items]
        for row, found in zip(rows, fetched, strict=True):
            for name, value in zip(_RENEWAL_FIELDS, found[1:], strict=True):
                row[f"renewal_{name}"] = value
    else:
        items = list(session.execute(query).scalars())
        rows = [_plain(item) for item in items]
    if kind == "activity":
        for row, item in zip(rows, items, strict=True):
            row["attendee_ids"] = [s.id for s in item.attendees]
            row["attendee_names"] = [s.name for s in item.attendees]
    if kind == "milestone":
        for row, item in zip(rows, items, strict=True):
            row["goal_title"] = item.goal.title
    if kind == "task":
        rows.sort(key=lambda r: (r["done"], r["due_on"] is None, r["due_on"] or date.max))
    return rows


def account_of_item(session: Session, kind: str, item_id: str) -> str | None:
    """The account an item belongs to (None if the item is gone)."""
    if kind == "goal":
        query = select(SuccessPlan.account_id).join(Goal).where(Goal.id == item_id)
    elif kind == "milestone":
        query = (
            select(SuccessPlan.account_id).join(Goal).join(Milestone).where(Milestone.id == item_id)
        )
    elif kind == "renewal":
        query = select(Contract.account_id).join(Renewal.contract).where(Renewal.id == item_id)
    else:
        model = model_of(kind)
        query = select(model.account_id).where(model.id == item_id)  # type: ignore[attr-defined]
    return session.execute(query).scalar_one_or_none()


def stakeholder_choices(session: Session, account_id: str) -> list[tuple[str, str]]:
    """``(id, "Name, Title")`` of an account's current stakeholders, for attendee pickers."""
    query = (
        select(Stakeholder.id, Stakeholder.name, Stakeholder.title)
        .where(Stakeholder.account_id == account_id, Stakeholder.departed.is_(False))
        .order_by(Stakeholder.name)
    )
    return [(i, f"{n}, {t}" if t else n) for i, n, t in session.execute(query)]


def goal_choices(session: Session, account_id: str) -> list[tuple[str, str]]:
    """``(id, title)`` of an account's goals, for milestone forms."""
    return [(g["id"], g["title"]) for g in list_items(session, "goal", account_id)]


def plan_id_of(session: Session, account_id: str) -> str | None:
    """The account's success plan id, or None when it has none yet."""
    query = select(SuccessPlan.id).where(SuccessPlan.account_id == account_id).limit(1)
    return session.execute(query).scalar_one_or_none()


def ensure_plan(session: Session, account_id: str, plan_id: str | None = None) -> str:
    """The account's success plan id, creating an empty plan when it has none."""
    existing = session.execute(
        select(SuccessPlan.id).where(SuccessPlan.account_id == account_id).limit(1)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    account = session.get(Account, account_id)
    if account is None:
        raise ItemNotFoundError(f"No account with id {account_id}.")
    plan = SuccessPlan(id=plan_id or new_id(), account_id=account_id, title="Success plan")
    session.add(plan)
    session.flush()
    return plan.id
