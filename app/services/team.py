"""Team workspace rules the app asks before an edit: may I edit this account, who changed what.

The database enforces the rules (see app.models.policies); these functions let the app say
so in a sentence before trying, and show the audit trail. On a workspace file (one person)
every edit is allowed and there is no audit trail.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, text
from sqlalchemy.orm import Session

from app.models import Account, policies
from app.models.conflicts import EditConflictError, EditRefusedError
from app.models.team import AuditEntry, TeamMember
from app.services.labels import (
    a_record,
    account_field_label,
    field_label,
    in_sentence,
    record_label,
    stored_in_words,
)


def _on_server(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def may_edit(session: Session, account_id: str) -> bool:
    """Whether the signed-in person may change this account's records."""
    if not _on_server(session) or not policies.installed(session.connection()):
        return True
    return bool(
        session.execute(
            text("SELECT fieldbook_can_edit(:id, current_user)"), {"id": account_id}
        ).scalar()
    )


def check_may_edit(session: Session, account: Account) -> None:
    """Raise EditRefusedError (one sentence) when the signed-in person may not edit it."""
    if not may_edit(session, account.id):
        owner = account.owner or "nobody"
        raise EditRefusedError(
            f"{account.name} belongs to {owner}; only they, its account team or a team lead "
            "can change it."
        )


def person_of(bind: Session | Connection) -> Callable[[str], str]:
    """A login as the team knows its person: the name the team's members list it under
    (synced to a laptop with the book), the login itself when the team does not list it."""
    names = dict(bind.execute(select(TeamMember.login, TeamMember.name)).tuples().all())
    return lambda login: names.get(login, login)


def last_editor(session: Session, table: str, row_id: str) -> str | None:
    """The login that last changed the row, from the audit trail (None when unknown)."""
    if not _on_server(session):
        return None
    return session.execute(
        select(AuditEntry.who)
        .where(AuditEntry.table_name == table, AuditEntry.row_id == row_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).scalar()


def check_unchanged(
    session: Session, account: Account, expected: Mapping[str, Any], labels: Mapping[str, str]
) -> None:
    """Raise EditConflictError when a field no longer holds the value the user saw."""
    for name, seen in expected.items():
        now = getattr(account, name)
        if getattr(now, "value", now) != getattr(seen, "value", seen):
            login = last_editor(session, "account", account.id)
            # The person, as the conflicts list and History name them, not the login.
            who = person_of(session)(login) if login else "Someone else"
            # The field and its value as the Overview shows them: "the segment ... to
            # Mid-market", "the ARR ... to $120,000.00", not "mid_market", "arr minor".
            label = labels.get(name) or in_sentence(account_field_label(name))
            column = Account.__table__.c.get(name)
            shown = "nothing" if now is None else stored_in_words(now, column, account.currency)
            raise EditConflictError(
                f"{who} changed the {label} of {account.name} to {shown} meanwhile; "
                "your change was not saved."
            )


@dataclass(frozen=True)
class HistoryLine:
    """One change of the audit trail as the window lists it."""

    at: datetime
    #: The login that made the change; ``person`` is its name as the team knows it.
    who: str
    person: str
    what: str


def account_history(session: Session, account_id: str, limit: int = 50) -> list[HistoryLine]:
    """Who changed what of an account and its records, newest first."""
    rows = session.execute(
        select(AuditEntry)
        .where(or_(AuditEntry.of_account == account_id, AuditEntry.row_id == account_id))
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    ).scalars()
    person = person_of(session)
    return [HistoryLine(row.at, row.who, person(row.who), describe(row)) for row in rows]


def describe(entry: AuditEntry) -> str:
    """``changed owner, name of account`` / ``added a task`` / ``removed a risk``."""
    # The record as the window calls it ("a map line", not "a stakeholder relation").
    thing = in_sentence(record_label(entry.table_name))
    if entry.action == "insert":
        return f"added {a_record(entry.table_name)}"
    if entry.action == "delete":
        return f"removed {a_record(entry.table_name)}"
    try:
        fields = sorted(json.loads(entry.changes))
    except ValueError:
        fields = []
    # An account's field as its Overview names it ("owner (CSM)"), another record's by its column.
    named = (in_sentence(field_label(entry.table_name, f)) for f in fields)
    changed = ", ".join(named) or "nothing"
    return f"changed {changed} of the {thing}"
