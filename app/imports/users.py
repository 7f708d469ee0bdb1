"""A CRM's users file: owner ids turned into names, now and for the imports that follow.

A record's owner arrives as the CRM's user id (Salesforce ``OwnerId`` "005..."). Given with
the rest of an export, the users file names the owners as the records go in. Given alone,
it names the owners of records already imported, and the names are kept in the workspace so
a later import of accounts or deals names its owners too.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table as SATable
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.imports.fields import Kind, field_spec
from app.imports.mapping import Mapping
from app.imports.plan_model import ImportPlan
from app.imports.sources import ImportRefused, Table
from app.imports.values import clean_text
from app.models import Account, Opportunity, WorkspaceMeta, utcnow

#: Where the workspace keeps the CRM's user names (user id -> name).
USERS_KEY = "import.crm_users"
#: The records whose ``owner`` may hold a CRM user id.
_ACCOUNTS: SATable = Account.__table__  # type: ignore[assignment]
_OPPORTUNITIES: SATable = Opportunity.__table__  # type: ignore[assignment]
OWNED: tuple[tuple[SATable, str, Kind], ...] = (
    (_ACCOUNTS, "account", "accounts"),
    (_OPPORTUNITIES, "opportunity", "opportunities"),
)


def read_users(table: Table, mapping: Mapping) -> dict[str, str]:
    """User id -> name (else first and last name, else email) for each row of a users file."""
    index = {h: i for i, h in enumerate(table.headers)}
    positions = {key: index[h] for key, h in mapping.columns.items() if h in index}
    users: dict[str, str] = {}
    for row in table.rows():
        cells = row.cells
        values = {
            key: clean_text(cells[at]) if at < len(cells) else None for key, at in positions.items()
        }
        user_id = values.get("external_id")
        joined = " ".join(p for p in (values.get("first_name"), values.get("last_name")) if p)
        name = values.get("name") or joined or values.get("email")
        if user_id and name:
            users[user_id] = name[:100]
    return users


def kept_users(session: Session) -> dict[str, str]:
    """The CRM user names kept from earlier users files (user id -> name)."""
    row = session.get(WorkspaceMeta, USERS_KEY)
    if row is None:
        return {}
    try:
        found = json.loads(row.value)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def keep_users(session: Session, users: dict[str, str]) -> None:
    """Add ``users`` to the names the workspace keeps (a newer name replaces an older one)."""
    row = session.get(WorkspaceMeta, USERS_KEY)
    merged = {**kept_users(session), **users}
    text = json.dumps(merged, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(WorkspaceMeta(key=USERS_KEY, value=text))
    else:
        row.value = text
    session.flush()


def plan_users(session: Session, table: Table, mapping: Mapping) -> ImportPlan:
    """What a users file changes: the owners it names among the records already here, and
    the users to keep for later imports. Raises ImportRefused for a file without users."""
    plan = ImportPlan("users", table.path.name, table.described_as, "external_id", mapping=mapping)
    plan.ignored = mapping.ignored(table.headers)
    users = read_users(table, mapping)
    plan.rows_read = sum(1 for _ in table.rows())
    if plan.rows_read == 0:
        raise ImportRefused(f"{table.path.name} has a header row but no data rows.")
    plan.filled = {key: len(users) for key in mapping.columns}
    known = kept_users(session)
    plan.kept_users = {k: v for k, v in users.items() if known.get(k) != v}
    now = utcnow()
    named: dict[str, int] = {}
    for target, noun, kind in OWNED:
        rows = session.execute(
            select(target.c.id, target.c[_name_column(target)], target.c.owner).where(
                target.c.owner.in_(list(users))
            )
        )
        for row_id, name, owner in rows:
            before: dict[str, Any] = {"owner": owner}
            plan.updates.append(
                (target.name, row_id, {"owner": users[owner], "updated_at": now}, before)
            )
            # As other changes read ("Maya: role champion → blocker", "Health 60 → 45"), the
            # field named as the window names it.
            change = f"{field_spec(kind, 'owner').label} {owner} → {users[owner]}"
            plan.changed.append((0, f"{name} ({noun})", [change]))
            named[noun] = named.get(noun, 0) + 1
    plan.updated_rows = len(plan.updates)
    plan.notes.append(_note(len(users), len(plan.kept_users), named))
    return plan


def _name_column(target: SATable) -> str:
    return "name" if "name" in target.c else "title"


def _note(read: int, new: int, named: dict[str, int]) -> str:
    kept = (
        f"Keeps the names of {new:,} of its {read:,} users for this and later imports"
        if new
        else f"The workspace already knows its {read:,} users"
    )
    if named:
        counts = " and ".join(
            f"{count:,} {noun}{'' if count == 1 else 's'}"
            if noun == "account"
            else f"{count:,} {'opportunity' if count == 1 else 'opportunities'}"
            for noun, count in named.items()
        )
        return f"{kept}; names the owner of {counts} already imported."
    return f"{kept}; no record already in the workspace has one of their ids as owner."
