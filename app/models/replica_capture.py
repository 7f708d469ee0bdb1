"""A replica's capture triggers: every local change, per field, into the outbox (no Qt here)."""

from __future__ import annotations

from sqlalchemy import Connection, Table

from app.models import sync_codec as codec

_CLOCK = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 65536"


def _key_sql(t: Table, row: str) -> str:
    keys = codec.key_columns(t)
    if len(keys) == 1:
        return f'{row}."{keys[0]}"'
    return "json_array(" + ", ".join(f'{row}."{k}"' for k in keys) + ")"


def capture_triggers(t: Table) -> dict[str, str]:
    """The SQLite triggers that write ``t``'s local changes to the outbox, by name."""
    names = codec.fields(t)
    when = "WHEN (SELECT applying FROM sync_replica WHERE id = 1) = 0"
    tick = f"UPDATE sync_replica SET hlc = max(hlc + 1, {_CLOCK}) WHERE id = 1;"
    clock = "(SELECT hlc FROM sync_replica WHERE id = 1)"
    into = "INSERT INTO sync_outbox (tbl, row_key, op, field, value, hlc)"
    record = "json_object(" + ", ".join(f"'{n}', NEW.\"{n}\"" for n in names) + ")"
    changed = " UNION ALL ".join(
        f'SELECT \'{n}\' AS f, json_quote(NEW."{n}") AS v WHERE OLD."{n}" IS NOT NEW."{n}"'
        for n in names
    )
    prefix = f"sync_capture_{t.name}"
    return {
        f"{prefix}_insert": (
            f'CREATE TRIGGER {prefix}_insert AFTER INSERT ON "{t.name}" {when} BEGIN {tick} '
            f"{into} VALUES ('{t.name}', {_key_sql(t, 'NEW')}, 'insert', NULL, {record}, {clock});"
            " END"
        ),
        f"{prefix}_update": (
            f'CREATE TRIGGER {prefix}_update AFTER UPDATE ON "{t.name}" {when} BEGIN {tick} '
            f"{into} SELECT '{t.name}', {_key_sql(t, 'NEW')}, 'set', f, v, {clock} "
            f"FROM ({changed}); END"
        ),
        f"{prefix}_delete": (
            f'CREATE TRIGGER {prefix}_delete AFTER DELETE ON "{t.name}" {when} BEGIN {tick} '
            f"{into} VALUES ('{t.name}', {_key_sql(t, 'OLD')}, 'delete', NULL, NULL, {clock});"
            " END"
        ),
    }


def install_capture(connection: Connection) -> int:
    """Make (or remake, after a schema upgrade rebuilt a table) the capture triggers.

    Returns how many were (re)made.
    """
    existing: dict[str, str] = {
        str(name): str(sql)
        for name, sql in connection.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'sync_capture_%'"
        )
    }
    wanted: dict[str, str] = {}
    for t in codec.synced_tables().values():
        wanted.update(capture_triggers(t))
    made = 0
    for name, sql in wanted.items():
        if existing.get(name) != sql:
            if name in existing:
                connection.exec_driver_sql(f"DROP TRIGGER {name}")
            connection.exec_driver_sql(sql)
            made += 1
    for name in existing.keys() - wanted.keys():
        connection.exec_driver_sql(f"DROP TRIGGER {name}")
    return made
