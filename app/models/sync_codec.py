"""What laptop sync moves: which tables, how a record is named, how a value travels.

A value travels as JSON. Each side writes what its database holds (SQLite's text dates and
0/1 booleans, PostgreSQL's ISO timestamps and true/false); :func:`decode` turns either into the
Python value of the column's type, and :func:`to_sqlite` / the driver turn that back into what
the other database stores, so the same record reads the same on the server and the laptop.

A record is named by its table and ``row_key``: the primary key's value, or a JSON array of the
values of a composite key (the server's trigger and the laptop's triggers build the same text).

The hybrid logical clock is one integer: milliseconds since 1970 times 65,536 plus a counter;
two edits are ordered by (clock, node id).
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    Table,
    TypeDecorator,
    text,
)

from app.models import Base  # every table: the package loads the whole ORM
from app.models.account_paths import BOOKKEEPING

#: Tables that never travel: local facts, the server's own trail, sync's own bookkeeping.
NOT_SYNCED = BOOKKEEPING
#: Bumped by whoever writes the row (optimistic concurrency); never merged.
UNSYNCED_COLUMNS = frozenset({"version"})
#: Fields merged by clock without asking anyone: timestamps, and account figures the app
#: derives from scores and contracts (app.services.account_summary).
QUIET_FIELDS = frozenset({"created_at", "updated_at"})
QUIET_PER_TABLE = {
    "account": frozenset({"health_score", "health_band", "health_trend", "next_renewal"}),
}
#: A change of these may close a loop in a hierarchy (refused with a conflict).
HIERARCHIES = {("account", "parent_id"): "account", ("stakeholder", "reports_to_id"): "stakeholder"}
#: Tables whose rows carry a ``version`` (bumped by every write of a merged value).
VERSIONED = frozenset({"account", "stakeholder"})
TICKS = 65_536


@cache
def synced_tables() -> dict[str, Table]:
    """The synced tables by name, parents before children."""
    import app.models  # noqa: F401  (every model registered)

    return {t.name: t for t in Base.metadata.sorted_tables if t.name not in NOT_SYNCED}


def table(name: str) -> Table:
    try:
        return synced_tables()[name]
    except KeyError:
        raise ValueError(f"{name} is not a synced table") from None


def fields(t: Table) -> list[str]:
    """The columns of ``t`` that travel."""
    return [c.name for c in t.columns if c.name not in UNSYNCED_COLUMNS]


def column_list(names: list[str]) -> str:
    """Quoted column names for an SQL statement."""
    return ", ".join(f'"{name}"' for name in names)


def is_quiet(tbl: str, field: str | None) -> bool:
    return field in QUIET_FIELDS or field in QUIET_PER_TABLE.get(tbl, frozenset())


def key_columns(t: Table) -> list[str]:
    return [c.name for c in t.primary_key.columns]


def row_key(t: Table, row: dict[str, Any]) -> str:
    """The name of the record ``row`` (typed or stored values) of ``t``."""
    keys = key_columns(t)
    if len(keys) == 1:
        return str(_key_text(t.c[keys[0]], row[keys[0]]))
    return json.dumps([_key_text(t.c[k], row[k]) for k in keys], separators=(",", ":"))


def _key_text(column: Column[Any], value: Any) -> str:
    typed = decode(column, value)
    return typed.isoformat() if isinstance(typed, date) else str(typed)


def key_values(t: Table, key: str) -> dict[str, Any]:
    """The primary key values (typed) of the record named ``key``."""
    names = key_columns(t)
    raw = [key] if len(names) == 1 else json.loads(key)
    return {name: decode(t.c[name], value) for name, value in zip(names, raw, strict=True)}


def _kind(column: Column[Any]) -> str:
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl  # type: ignore[assignment]
    if isinstance(kind, DateTime):
        return "datetime"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Boolean):
        return "bool"
    if isinstance(kind, Float):
        return "float"
    if isinstance(kind, Integer):
        return "int"
    return "str"


def decode(column: Column[Any], value: Any) -> Any:
    """The Python value of ``column`` from what either database stored (or its JSON)."""
    if value is None:
        return None
    kind = _kind(column)
    if kind == "datetime":
        if isinstance(value, datetime):
            return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        return datetime.fromisoformat(str(value)).replace(tzinfo=None)
    if kind == "date":
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return date.fromisoformat(str(value)[:10])
    if kind == "bool":
        return bool(value)
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    return value


def decode_json(column: Column[Any], text: str | None) -> Any:
    return None if text is None else decode(column, json.loads(text))


def to_json(column: Column[Any], value: Any) -> str:
    """A typed (or stored) value as the JSON that travels."""
    typed = decode(column, value)
    if isinstance(typed, datetime):
        return json.dumps(typed.isoformat(sep=" ", timespec="microseconds"))
    if isinstance(typed, date):
        return json.dumps(typed.isoformat())
    return json.dumps(typed)


def to_sqlite(column: Column[Any], value: Any) -> Any:
    """A typed value as SQLite stores it for SQLAlchemy to read back."""
    typed = decode(column, value)
    if isinstance(typed, datetime):
        return typed.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(typed, date):
        return typed.isoformat()
    if isinstance(typed, bool):
        return int(typed)
    return typed


def to_server(column: Column[Any], value: Any) -> Any:
    """A typed value for PostgreSQL (psycopg adapts dates, datetimes and booleans)."""
    return decode(column, value)


def same(column: Column[Any], a: Any, b: Any) -> bool:
    return bool(decode(column, a) == decode(column, b))


def record_json(t: Table, row: dict[str, Any]) -> str:
    """A whole record (typed or stored values) as the JSON object that travels."""
    return json.dumps({name: json.loads(to_json(t.c[name], row.get(name))) for name in fields(t)})


def record_of(tbl: str, row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the JSON-ready record that travels."""
    result: dict[str, Any] = json.loads(record_json(table(tbl), row))
    return result


#: Where a record's conflict keeps what its deletion took with it (see :func:`dependents`).
DEPENDENTS = "_dependents"


def dependents(
    connection: Connection,
    tbl: str,
    row: dict[str, Any],
    gone: Sequence[tuple[str, dict[str, Any]]] = (),
    cleared: Sequence[list[Any]] = (),
) -> dict[str, Any]:
    """What deleting the record ``row`` takes with it (on the laptop or the team workspace),
    so bringing it back can bring that back too: ``records``, the [table, record] deleted
    with it (CASCADE), parents first, and ``links``, the [table, key, field, value]
    references to it cleared (SET NULL). ``gone`` and ``cleared``: records already deleted and
    references already cleared by the same deletion (as [table, key, field, value]), which the
    database no longer shows."""
    records: list[list[Any]] = []
    links: list[list[Any]] = []
    seen = {(tbl, row_key(table(tbl), row))}
    frontier = [(table(tbl), row)]
    while frontier:
        parent, parent_row = frontier.pop(0)
        for child in synced_tables().values():
            for fk in child.foreign_keys:
                value = parent_row.get(fk.column.name)
                if fk.column.table is not parent or value is None:
                    continue
                if fk.ondelete not in ("CASCADE", "SET NULL"):
                    continue
                found = [
                    *connection.execute(
                        text(f'SELECT * FROM "{child.name}" WHERE "{fk.parent.name}" = :v'),
                        {"v": value},
                    ).mappings(),
                    *(
                        r
                        for name, r in gone
                        if name == child.name and r.get(fk.parent.name) == value
                    ),
                ]
                links.extend(
                    link
                    for link in cleared
                    if link[0] == child.name and link[2:] == [fk.parent.name, value]
                )
                for source in found:
                    found_row = dict(source)
                    key = row_key(child, found_row)
                    if fk.ondelete == "SET NULL":
                        links.append([child.name, key, fk.parent.name, value])
                    elif (child.name, key) not in seen:
                        seen.add((child.name, key))
                        records.append([child.name, record_of(child.name, found_row)])
                        frontier.append((child, found_row))
    return {"records": records, "links": links}


def wall_clock() -> int:
    """This moment as a clock value with a zero counter."""
    return int(time.time() * 1000) * TICKS


def clock_time(hlc: int | None) -> datetime | None:
    """When a clock value was taken (UTC)."""
    if not hlc:
        return None
    return datetime.fromtimestamp((hlc // TICKS) / 1000, UTC)


def who(node: str | None) -> str:
    """The login in a node id (``login@laptop-id`` or ``login@server``)."""
    if not node:
        return "someone"
    return node.partition("@")[0] or "someone"
