"""Integrity rules SQLite cannot express: no cycles in the account or reporting hierarchies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.models.account import Account
from app.models.stakeholder import Stakeholder


class HierarchyCycleError(ValueError):
    """Raised when an edit would make an account its own ancestor, or a person their own boss."""


class CrossAccountError(ValueError):
    """Raised when a stakeholder would report to someone at another account."""


def _pending_ref(obj: Any, relation: str, column: str) -> str | None:
    """The id ``obj`` points to, counting a relationship set but not yet flushed."""
    state = inspect(obj)
    history = state.attrs[relation].history
    if history.added:
        target = history.added[0]
        return None if target is None else target.id
    return getattr(obj, column)  # type: ignore[no-any-return]


def _changed(obj: Any, relation: str, column: str) -> bool:
    state = inspect(obj)
    return bool(state.attrs[relation].history.added or state.attrs[column].history.added)


def _walk(session: Session, cls: type[Any], start: str | None, relation: str, column: str) -> Any:
    seen: set[str] = set()
    current = start
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        node = session.get(cls, current)
        current = None if node is None else _pending_ref(node, relation, column)


@event.listens_for(Session, "before_flush")
def _refuse_cycles(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Account) and _changed(obj, "parent", "parent_id"):
            if obj.id is None:
                continue
            parent = _pending_ref(obj, "parent", "parent_id")
            if obj.id in _walk(session, Account, parent, "parent", "parent_id"):
                raise HierarchyCycleError(
                    f"{obj.name} cannot sit under one of its own sub-accounts."
                )
        elif isinstance(obj, Stakeholder) and _changed(obj, "reports_to", "reports_to_id"):
            manager_id = _pending_ref(obj, "reports_to", "reports_to_id")
            if manager_id is None or obj.id is None:
                continue
            manager = session.get(Stakeholder, manager_id)
            if manager is not None and manager.account_id != obj.account_id:
                raise CrossAccountError(
                    f"{obj.name} can only report to someone at the same account."
                )
            if obj.id in _walk(session, Stakeholder, manager_id, "reports_to", "reports_to_id"):
                raise HierarchyCycleError(
                    f"{obj.name} cannot report to someone who already reports to them."
                )
