"""A replica's local row writes, made quietly while a sync merges, and its conflict list
(no Qt here)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, text
from sqlalchemy.exc import IntegrityError

from app.models import sync_codec as codec
from app.models.sync_codec import DEPENDENTS, dependents, record_of


def _where(t: Table, key: str) -> tuple[str, dict[str, Any]]:
    values = codec.key_values(t, key)
    clause = " AND ".join(f'"{n}" = :k_{n}' for n in values)
    return clause, {f"k_{n}": codec.to_sqlite(t.c[n], v) for n, v in values.items()}


def local_row(connection: Connection, tbl: str, key: str) -> dict[str, Any] | None:
    t = codec.table(tbl)
    clause, params = _where(t, key)
    row = (
        connection.execute(text(f'SELECT * FROM "{tbl}" WHERE {clause}'), params).mappings().first()
    )
    return None if row is None else dict(row)


def set_local(connection: Connection, tbl: str, key: str, name: str, value: Any) -> bool:
    """Write one field of a local record; False when the record is not here."""
    t = codec.table(tbl)
    if name not in t.c or name in codec.UNSYNCED_COLUMNS:
        return False
    clause, params = _where(t, key)
    bump = ", version = version + 1" if tbl in codec.VERSIONED else ""
    params["v"] = codec.to_sqlite(t.c[name], value)
    savepoint = connection.begin_nested()
    try:
        count = connection.execute(
            text(f'UPDATE "{tbl}" SET "{name}" = :v{bump} WHERE {clause}'), params
        ).rowcount
    except IntegrityError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return bool(count)


def set_many_local(connection: Connection, changes: dict[tuple[str, str], dict[str, Any]]) -> None:
    """Write fields of many local records, each record's in one UPDATE that leaves a record
    already holding those values alone; one refused by a constraint keeps its old values
    field by field as :func:`set_local` would (records not here are skipped)."""
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for (tbl, key), values in changes.items():
        t = codec.table(tbl)
        names = tuple(n for n in values if n in t.c and n not in codec.UNSYNCED_COLUMNS)
        if not names:
            continue
        _clause, params = _where(t, key)
        for n, name in enumerate(names):
            params[f"v{n}"] = codec.to_sqlite(t.c[name], values[name])
        groups.setdefault((tbl, names), []).append(params)
    savepoint = connection.begin_nested()
    try:
        for (tbl, names), rows in groups.items():
            connection.execute(text(_update_sql(codec.table(tbl), names)), rows)
    except IntegrityError:
        savepoint.rollback()
        for (tbl, key), values in changes.items():
            for name, value in values.items():
                set_local(connection, tbl, key, name, value)
        return
    savepoint.commit()


def _update_sql(t: Table, names: tuple[str, ...]) -> str:
    keys = " AND ".join(f'"{k}" = :k_{k}' for k in codec.key_columns(t))
    sets = ", ".join(f'"{name}" = :v{n}' for n, name in enumerate(names))
    changed = " OR ".join(f'"{name}" IS NOT :v{n}' for n, name in enumerate(names))
    bump = ", version = version + 1" if t.name in codec.VERSIONED else ""
    return f'UPDATE "{t.name}" SET {sets}{bump} WHERE {keys} AND ({changed})'


def insert_local(connection: Connection, tbl: str, record: dict[str, Any]) -> bool:
    """Add a record (all its fields); False when it is already here or its parent is not."""
    t = codec.table(tbl)
    names = [n for n in codec.fields(t) if n in record]
    params = {n: codec.to_sqlite(t.c[n], record[n]) for n in names}
    savepoint = connection.begin_nested()
    try:
        connection.execute(
            text(
                f'INSERT INTO "{tbl}" ({codec.column_list(names)}) '
                f"VALUES ({', '.join(f':{n}' for n in names)})"
            ),
            params,
        )
    except IntegrityError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def with_dependents(connection: Connection, tbl: str, row: dict[str, Any]) -> dict[str, Any]:
    """The record ``row`` as a conflict keeps it: its fields and its :func:`dependents`."""
    return {**record_of(tbl, row), DEPENDENTS: dependents(connection, tbl, row)}


def restore_dependents(connection: Connection, record: dict[str, Any]) -> int:
    """Bring back what a record's deletion took with it (after the record itself); the
    records whose own parents are gone stay gone. Returns how many came back."""
    kept = record.get(DEPENDENTS) or {}
    waiting = [(str(tbl), dict(found)) for tbl, found in kept.get("records", [])]
    back = 0
    while waiting:  # a record may name another one brought back after it
        left = [(tbl, found) for tbl, found in waiting if not insert_local(connection, tbl, found)]
        back += len(waiting) - len(left)
        if len(left) == len(waiting):
            break
        waiting = left
    for tbl, key, name, value in kept.get("links", []):
        row = local_row(connection, tbl, key)
        if row is not None and row.get(name) is None:
            set_local(connection, tbl, key, name, value)
    return back


def delete_local(connection: Connection, tbl: str, key: str) -> None:
    t = codec.table(tbl)
    clause, params = _where(t, key)
    connection.execute(text(f'DELETE FROM "{tbl}" WHERE {clause}'), params)


def add_conflict(connection: Connection, outcome: dict[str, Any]) -> None:
    record = outcome.get("record")
    connection.execute(
        text(
            "INSERT INTO sync_conflict (tbl, row_key, field, kind, mine, theirs, their_node, "
            "their_hlc, my_hlc, record, reason, found_at) VALUES (:tbl, :row_key, :field, "
            ":kind, :mine, :theirs, :their_node, :their_hlc, :my_hlc, :record, :reason, :at)"
        ),
        {
            "tbl": outcome["tbl"],
            "row_key": outcome["row_key"],
            "field": outcome.get("field"),
            "kind": outcome["kind"],
            "mine": json.dumps(outcome.get("mine")),
            "theirs": json.dumps(outcome.get("theirs")),
            "their_node": outcome.get("their_node"),
            "their_hlc": outcome.get("their_hlc"),
            "my_hlc": outcome.get("my_hlc"),
            "record": None if record is None else json.dumps(record),
            "reason": outcome.get("reason"),
            "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f"),
        },
    )
