"""Edits to accounts: create, rename, change fields, delete (with what goes along), restore."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.orm import Session

from app.models import (
    REVENUE_LINES,
    Account,
    Activity,
    Contract,
    HierarchyCycleError,
    Opportunity,
    Risk,
    Stakeholder,
    SuccessPlan,
    Task,
    new_id,
)
from app.models.enums import BuyingRole, LifecycleStage, Segment
from app.services import play_triggers
from app.services.field_checks import editable_changes, strip_required
from app.services.hierarchy import TREE_ROWS_SQL, AccountRow, descendant_ids, row_of
from app.services.labels import quoted
from app.services.row_capture import RowCapture, delete_captured, restore

#: Account columns an edit may change (ids and timestamps are not for the user to set).
EDITABLE_FIELDS = frozenset(
    {
        "name",
        "industry",
        "segment",
        "tier",
        "region",
        "owner",
        "lifecycle_stage",
        "currency",
        *REVENUE_LINES,
        "licences",
        "annual_revenue_minor",
        "employees",
        "account_type",
        "external_id",
        "notes",
    }
)

_ENUMS: dict[str, Any] = {"segment": Segment, "lifecycle_stage": LifecycleStage}


class AccountNotFoundError(LookupError):
    """The account an edit names no longer exists."""


def _get(session: Session, account_id: str) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise AccountNotFoundError(f"No account with id {account_id}.")
    return account


def _clean(changes: Mapping[str, Any]) -> dict[str, Any]:
    values = editable_changes(changes, EDITABLE_FIELDS, "Account")
    for name, enum in _ENUMS.items():
        if values.get(name) is not None:
            values[name] = enum(values[name])
    strip_required(values, "name", "An account needs a name.")
    if "currency" in values:
        values["currency"] = str(values["currency"]).strip().upper()
        if len(values["currency"]) != 3 or not values["currency"].isalpha():
            raise ValueError("A currency is a three-letter code such as EUR.")
    return values


def default_owner(session: Session) -> str | None:
    """The owner of the most accounts in the workspace (None in an empty workspace)."""
    row = session.execute(
        select(Account.owner, func.count())
        .where(Account.owner.is_not(None), Account.owner != "")
        .group_by(Account.owner)
        .order_by(func.count().desc(), Account.owner)
        .limit(1)
    ).first()
    return None if row is None else str(row[0])


def create_account(
    session: Session,
    name: str,
    parent_id: str | None = None,
    account_id: str | None = None,
    **fields: Any,
) -> str:
    """Add an account (under ``parent_id`` when given, inheriting its owner and currency)."""
    values = _clean({"name": name, **fields})
    if parent_id is not None:
        parent = _get(session, parent_id)
        values.setdefault("owner", parent.owner)
        values.setdefault("currency", parent.currency)
        values.setdefault("segment", parent.segment)
    else:
        # A new account always has an owner: the one who owns most of the book (the CSM).
        owner = default_owner(session)
        if owner is not None:
            values.setdefault("owner", owner)
    account = Account(id=account_id or new_id(), parent_id=parent_id, **values)
    session.add(account)
    session.flush()
    return account.id


def update_account(
    session: Session,
    account_id: str,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """Apply ``changes`` to an account; returns the previous values of the changed fields.

    ``expected`` holds the values the user saw: when someone else changed one of them since,
    EditConflictError says who and what, and nothing is saved. On a team workspace,
    EditRefusedError says when the account is not the user's to edit. Setting the lifecycle
    stage to onboarding starts the onboarding play (on ``today``).
    """
    from app.services import team

    account = _get(session, account_id)
    team.check_may_edit(session, account)
    if expected is not None:
        team.check_unchanged(session, account, _clean(expected), {})
    values = _clean(changes)
    old = {name: getattr(account, name) for name in values}
    for name, value in values.items():
        setattr(account, name, value)
    session.flush()
    if "lifecycle_stage" in values:
        play_triggers.lifecycle_changed(
            session, account_id, old["lifecycle_stage"], values["lifecycle_stage"], today
        )
    return old


def rename_account(session: Session, account_id: str, name: str) -> str:
    """Rename an account; returns the old name."""
    return str(update_account(session, account_id, {"name": name})["name"])


def account_values(session: Session, account_id: str) -> dict[str, Any]:
    """Every editable field of an account, plus id and parent, as plain values."""
    account = _get(session, account_id)
    values = {name: getattr(account, name) for name in EDITABLE_FIELDS}
    values["id"] = account.id
    values["parent_id"] = account.parent_id
    return values


def check_reparent(session: Session, account_id: str, new_parent_id: str | None) -> None:
    """Raise ``HierarchyCycleError`` (one sentence) if the move would make a cycle."""
    if new_parent_id is None:
        return
    account = _get(session, account_id)
    _get(session, new_parent_id)
    if new_parent_id == account_id or new_parent_id in set(descendant_ids(session, account_id)):
        raise HierarchyCycleError(f"{account.name} cannot sit under one of its own sub-accounts.")


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting an account takes with it, for the confirmation question."""

    name: str
    sub_accounts: int
    stakeholders: int
    contracts: int
    activities: int
    tasks: int
    risks: int
    opportunities: int
    success_plans: int

    def sentence(self) -> str:
        """E.g. "Delete Acme with 2 sub-accounts, 5 stakeholders and 3 contracts?"."""
        parts = [
            _plural(self.sub_accounts, "sub-account"),
            _plural(self.stakeholders, "stakeholder"),
            _plural(self.contracts, "contract"),
            _plural(self.success_plans, "success plan"),
            _plural(self.activities, "touchpoint"),
            _plural(self.tasks, "task"),
            _plural(self.risks, "risk"),
            _plural(self.opportunities, "opportunity", "opportunities"),
        ]
        parts = [p for p in parts if p]
        if not parts:
            return f"Delete {self.name}?"
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return f"Delete {self.name} with {listed}?"


def _plural(count: int, one: str, many: str | None = None) -> str:
    if count == 0:
        return ""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def deletion_impact(session: Session, account_id: str) -> DeletionImpact:
    """Count what a delete of ``account_id`` removes along with it (sub-accounts included)."""
    account = _get(session, account_id)
    below = descendant_ids(session, account_id)
    ids = [account_id, *below]

    def count(model: Any) -> int:
        total = 0
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            query = select(func.count()).select_from(model).where(model.account_id.in_(chunk))
            total += int(session.execute(query).scalar_one())
        return total

    return DeletionImpact(
        name=account.name,
        sub_accounts=len(below),
        stakeholders=count(Stakeholder),
        contracts=count(Contract),
        activities=count(Activity),
        tasks=count(Task),
        risks=count(Risk),
        opportunities=count(Opportunity),
        success_plans=count(SuccessPlan),
    )


def delete_account(session: Session, account_id: str) -> RowCapture:
    """Delete an account and everything below it; returns what undo needs to restore it."""
    _get(session, account_id)
    return delete_captured(session, "account", account_id)


def restore_account(session: Session, snapshot: RowCapture) -> None:
    """Put a deleted account back exactly as ``delete_account`` captured it."""
    restore(session, snapshot)


_ROWS_BY_ID_SQL = text(TREE_ROWS_SQL.text + " WHERE a.id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def load_rows_for(session: Session, ids: Iterable[str]) -> list[AccountRow]:
    """The tree rows of some accounts (missing ids are simply absent)."""
    wanted = list(ids)
    rows: list[AccountRow] = []
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows.extend(row_of(r) for r in session.execute(_ROWS_BY_ID_SQL, {"ids": chunk}))
    return rows


def health_trends(session: Session, ids: Iterable[str] | None = None) -> dict[str, float]:
    """The 90-day health trend per account (``app.services.health_trend``), where known."""
    from app.services.health_trend import latest_trends

    return {acc: t for acc, t in latest_trends(session, ids).items() if t is not None}


def accounts_with_champion(session: Session) -> set[str]:
    """Accounts with at least one current (not departed) champion."""
    query = (
        select(Stakeholder.account_id)
        .where(Stakeholder.role == BuyingRole.CHAMPION, Stakeholder.departed.is_(False))
        .distinct()
    )
    return set(session.execute(query).scalars())


def account_path(session: Session, account_id: str) -> list[tuple[str, str]]:
    """``(id, name)`` from the top-level account down to this one."""
    names: list[tuple[str, str]] = []
    current: str | None = account_id
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        row = session.execute(
            select(Account.id, Account.name, Account.parent_id).where(Account.id == current)
        ).first()
        if row is None:
            break
        names.append((row[0], row[1]))
        current = row[2]
    names.reverse()
    return names


def account_names(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every account, by name: what account pickers offer."""
    return [
        (account_id, name)
        for account_id, name in session.execute(
            select(Account.id, Account.name).order_by(Account.name)
        )
    ]


def find_account(session: Session, name_or_id: str) -> tuple[str, str]:
    """``(id, name)`` of the account with id ``name_or_id``, else the one so named (any case).

    The one lookup every command and view uses; AccountNotFoundError says, in one sentence,
    that there is none or that several share the name.
    """
    row = session.execute(select(Account.id, Account.name).where(Account.id == name_or_id)).first()
    if row is not None:
        return str(row[0]), str(row[1])
    rows = session.execute(
        select(Account.id, Account.name).where(
            func.lower(Account.name) == name_or_id.strip().lower()
        )
    ).all()
    if not rows:
        raise AccountNotFoundError(f"There is no account called {quoted(name_or_id)}.")
    if len(rows) > 1:
        raise AccountNotFoundError(
            f"{len(rows)} accounts are called {quoted(name_or_id)}; give the account id instead."
        )
    return str(rows[0][0]), str(rows[0][1])


def find_accounts_by_name(session: Session, name: str) -> list[str]:
    """Ids of accounts named ``name`` (case-insensitive, surrounding spaces ignored)."""
    query = select(Account.id).where(func.lower(Account.name) == name.strip().lower())
    return list(session.execute(query).scalars())
