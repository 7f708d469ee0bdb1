"""A pushed batch's changes, and what the team workspace has of the records they touch: each
record's current values and, from the change log, who wrote each of its fields last."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table

from app.models import sync_codec as codec


@dataclass(frozen=True)
class Stamp:
    """Who wrote a change (clock and node) and where the change log has it (``seq``)."""

    hlc: int
    node: str
    seq: int

    def beats(self, hlc: int, node: str) -> bool:
        return (self.hlc, self.node) > (hlc, node)


@dataclass
class RowState:
    """What the server has of one record and who wrote each of its fields."""

    current: dict[str, Any] | None
    created: Stamp | None = None
    deleted: Stamp | None = None
    fields: dict[str, Stamp] = field(default_factory=dict)

    def stamp(self, name: str) -> Stamp | None:
        return self.fields.get(name) or self.created


@dataclass(frozen=True)
class Entry:
    """One pushed change (a row of the laptop's outbox)."""

    tbl: str
    row_key: str
    op: str
    field: str | None
    value: str | None
    hlc: int


def key_where(t: Table, key: str) -> tuple[str, dict[str, Any]]:
    """The WHERE clause (psycopg parameters) that picks the record named ``key`` of ``t``."""
    values = codec.key_values(t, key)
    clause = " AND ".join(f'"{name}" = %(k_{name})s' for name in values)
    return clause, {f"k_{name}": value for name, value in values.items()}


def load_states(connection: Connection, entries: list[Entry]) -> dict[tuple[str, str], RowState]:
    """The current record and the log stamps of every record the batch touches."""
    keys: dict[str, set[str]] = {}
    for entry in entries:
        keys.setdefault(entry.tbl, set()).add(entry.row_key)
    states: dict[tuple[str, str], RowState] = {}
    for tbl, wanted in keys.items():
        t = codec.table(tbl)
        names = codec.key_columns(t)
        if len(names) == 1:
            rows = connection.exec_driver_sql(
                f"SELECT to_jsonb(t) - 'version' FROM \"{tbl}\" t "
                f'WHERE "{names[0]}" = ANY(%(keys)s)',
                {"keys": list(wanted)},
            ).scalars()
            found = {codec.row_key(t, row): row for row in rows}
        else:
            found = {}
            for key in wanted:
                clause, params = key_where(t, key)
                row = connection.exec_driver_sql(
                    f"SELECT to_jsonb(t) - 'version' FROM \"{tbl}\" t WHERE {clause}", params
                ).scalar()
                if row is not None:
                    found[key] = row
        for key in wanted:
            states[(tbl, key)] = RowState(current=found.get(key))
        # Only the latest of each kind of change to each field counts: replayed in log order
        # they leave the same stamps as the whole history would, which grows with time.
        log = connection.exec_driver_sql(
            "SELECT DISTINCT ON (row_key, op, field) row_key, op, field, hlc, node, seq "
            "FROM sync_log WHERE tbl = %(t)s AND row_key = ANY(%(keys)s) "
            "ORDER BY row_key, op, field, seq DESC",
            {"t": tbl, "keys": list(wanted)},
        ).all()
        for key, op, name, hlc, node, seq in sorted(log, key=lambda r: int(r[5])):
            state = states[(tbl, key)]
            stamp = Stamp(int(hlc), str(node), int(seq))
            if op == "insert":
                state.created, state.deleted, state.fields = stamp, None, {}
            elif op == "delete":
                state.created, state.deleted, state.fields = None, stamp, {}
            else:
                state.fields[name] = stamp
    return states
