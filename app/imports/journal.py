"""The undo journal's vocabulary: its tables, how it names a row (its id, or
``account_id:as_of`` for a weekly row) and finds that row again in SQL, and how it keeps the
values an update replaced."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, bindparam, insert
from sqlalchemy import Table as SATable
from sqlalchemy.orm import Session

from app.models import ImportBatch, ImportJournal, new_id, utcnow
from app.models.base import ID_LENGTH, UTCDateTime

BATCH_TABLE: SATable = ImportBatch.__table__  # type: ignore[assignment]
JOURNAL_TABLE: SATable = ImportJournal.__table__  # type: ignore[assignment]


def new_batch(
    session: Session, kind: str, file_name: str, *, created: int = 0, updated: int = 0
) -> str:
    """Record a new import (what the history lists and undo reverts whole); returns its id."""
    batch_id = new_id()
    session.execute(
        insert(BATCH_TABLE),
        [
            {
                "id": batch_id,
                "created_at": utcnow(),
                "kind": kind,
                "file_name": file_name[:260],
                "created_count": created,
                "updated_count": updated,
                "undone_at": None,
            }
        ],
    )
    return batch_id


def row_key(row: dict[str, Any]) -> str:
    """What the journal records a row by: its id, or ``account_id:as_of`` for a weekly row.

    Weekly snapshots are keyed by (account, week) and have no id of their own.
    """
    if "id" in row:
        return str(row["id"])
    as_of = row["as_of"]
    return f"{row['account_id']}:{as_of.isoformat() if isinstance(as_of, date) else as_of}"


def json_value(value: Any) -> Any:
    """A value an update replaces, as the journal's JSON keeps it (dates as ISO text)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def restored(target: SATable, values: dict[str, Any]) -> dict[str, Any]:
    """Replaced values read back from the journal's JSON, typed for ``target``'s columns."""
    out = {}
    for key, value in values.items():
        column_type = target.c[key].type
        if value is not None and isinstance(column_type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


def key_where(table: SATable) -> Any:
    """The WHERE clause finding one row by its journal key (bound by ``key_params``)."""
    if "id" in table.c:
        return table.c.id == bindparam("_id")
    return (table.c.account_id == bindparam("_account_id")) & (table.c.as_of == bindparam("_as_of"))


def key_params(table: SATable, key: str) -> dict[str, Any]:
    """The parameters ``key_where`` binds for the row a journal key (``row_key``) names."""
    if "id" in table.c:
        return {"_id": key}
    account_id, as_of = key.split(":")
    return {"_account_id": account_id, "_as_of": date.fromisoformat(as_of)}


def key_in(table: SATable, test: str, source: str) -> str:
    """SQL: the row's journal key is (``test`` "IN") / is not ("NOT IN") among ``source``'s ids.

    A row without an id is keyed by (account_id, as_of), journalled as ``account_id:as_of``.
    """
    keys = [column.name for column in table.primary_key.columns]
    if keys != ["account_id", "as_of"]:
        return f"{keys[0] if keys else 'id'} {test} (SELECT id FROM {source})"
    width = ID_LENGTH
    return (
        # as_of as text on both sides: SQLite stores it so; PostgreSQL has a real date.
        f"(account_id, CAST(as_of AS TEXT)) {test} "
        f"(SELECT substr(id, 1, {width}), substr(id, {width + 2}) FROM {source})"
    )
