"""Merging a pushed batch into the team workspace, field by field (``sync_server`` runs it).

For every field the log says who wrote it last and with what clock:

* the pushed value is older than the server's (clock, node): it is not applied, and if it
  differs the laptop is told (``lost``: its value goes to its conflict list);
* it is newer: it is applied; if the value it replaces was written by someone else after the
  laptop's last pull (a concurrent edit) the laptop is told (``overwritten``: theirs is kept);
* the record is gone on the server (``deleted``), or the laptop deleted a record someone
  edited concurrently (``edited``): the deletion stands and the edited values are listed, with
  the record and what its deletion took (the server's cascade, and the children the same batch
  deleted first), so taking theirs brings all of it back;
* the database refuses it (row-level security: ``refused``; a constraint: ``invalid``) or it
  would close a loop in a hierarchy (``cycle``): not applied, the laptop takes the server's
  value back and lists its own.

Edits are written as the laptop user's own database role, so row-level security applies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.models import sync_codec as codec
from app.models.sync_outcomes import NOT_YOURS, outcome, refusal, refused
from app.models.sync_state import Entry, RowState, Stamp, key_where, load_states

#: Larger than any log position: a stamp written by this batch.
_THIS_BATCH = 2**62
#: Tells the log's triggers whose change they write, and when it was made.
_STAMPS = (
    "set_config('fieldbook.sync_hlc', %(hlc)s, true) IS NOT NULL "
    "AND set_config('fieldbook.sync_node', %(node)s, true) IS NOT NULL"
)
_STAMP = f"SELECT {_STAMPS}"


@dataclass
class _Write:
    """One record's winning field values, as one UPDATE, and what to note once it ran."""

    entry: Entry
    record: tuple[str, str]
    state: RowState
    statement: str
    params: dict[str, Any]
    writes: list[tuple[Entry, str, Any, Any, Stamp | None, bool]]


def _closes_loop(connection: Connection, tbl: str, column: str, row: str, target: str) -> bool:
    found = connection.exec_driver_sql(
        f'WITH RECURSIVE up(id) AS (SELECT %(target)s::text UNION SELECT t."{column}"::text '
        f'FROM "{tbl}" t JOIN up ON t.id = up.id WHERE t."{column}" IS NOT NULL) '
        "SELECT 1 FROM up WHERE id = %(row)s LIMIT 1",
        {"target": target, "row": row},
    ).first()
    return found is not None


class BatchMerge:
    """One pushed batch being merged: its changes applied in order, what came of each noted."""

    def __init__(self, connection: Connection, node: str, base: int, entries: list[Entry]):
        self.connection = connection
        self.node = node
        self.base = base
        self.states = load_states(connection, entries)
        self.outcomes: list[dict[str, Any]] = []
        self.applied = 0
        self._stamped: int | None = None
        self.queued: list[_Write] = []
        self.queued_records: set[tuple[str, str]] = set()
        #: Records this batch deleted and references it cleared ([table, key, field, value]):
        #: a laptop's deletion arrives as its cascade, children first.
        self.gone: list[tuple[str, dict[str, Any]]] = []
        self.cleared: list[list[Any]] = []

    def concurrent(self, stamp: Stamp | None) -> bool:
        return stamp is not None and stamp.seq > self.base and stamp.node != self.node

    def _configure(self, entry: Entry) -> None:
        """Stamp what the triggers log next with the laptop's clock and node."""
        if self._stamped == entry.hlc:
            return
        self.connection.exec_driver_sql(_STAMP, {"hlc": str(entry.hlc), "node": self.node})
        self._stamped = entry.hlc

    def _now(self, entry: Entry, statement: str, params: dict[str, Any]) -> int | tuple[str, str]:
        """Run one write that may fail, now (after the writes queued before it)."""
        self.flush()
        self._configure(entry)
        return self._run(statement, params)

    def _queue(self, write: _Write) -> None:
        """Hold a write that is not expected to fail, to send it with its neighbours."""
        self.queued.append(write)
        self.queued_records.add(write.record)

    def _settled(self, entry: Entry) -> None:
        """Send what is queued for ``entry``'s record: its next change is merged against it."""
        if (entry.tbl, entry.row_key) in self.queued_records:
            self.flush()

    def flush(self) -> None:
        """Send the queued writes in one round trip (psycopg's pipeline) under one savepoint;
        when one fails, undo them all and send them again one by one, each in its own
        savepoint, so only the refused ones become conflicts and the rest apply."""
        queued, self.queued = self.queued, []
        self.queued_records.clear()
        if not queued:
            return
        savepoint = self.connection.begin_nested()
        driver = self.connection.connection.driver_connection
        assert driver is not None
        cursors = []
        try:
            with driver.pipeline():
                for write in queued:
                    cursor = driver.cursor()
                    cursor.execute(write.statement, write.params)
                    cursors.append(cursor)
        except psycopg.Error:
            savepoint.rollback()
            self._stamped = None
            for write in queued:
                self._finish(write, self._run(write.statement, write.params))
            return
        savepoint.commit()
        self._stamped = queued[-1].entry.hlc
        for write, cursor in zip(queued, cursors, strict=True):
            self._finish(write, int(cursor.rowcount))

    def apply(self, entry: Entry) -> None:
        self._settled(entry)
        t = codec.table(entry.tbl)
        state = self.states[(entry.tbl, entry.row_key)]
        if entry.op == "delete":
            self._delete(t, entry, state)
        elif entry.op == "insert":
            values = json.loads(entry.value or "{}")
            if state.current is None:
                self._insert(t, entry, state, values)
            else:
                for name, value in values.items():
                    self._set(t, entry, state, name, value)
        elif state.current is None:
            kind = "deleted" if state.deleted else "invalid"
            if codec.is_quiet(entry.tbl, entry.field):
                kind = "quiet"
            self.outcomes.append(
                outcome(
                    kind,
                    entry,
                    entry.field,
                    mine=json.loads(entry.value or "null"),
                    stamp=state.deleted,
                    reason=None if state.deleted else "The record is not on the team workspace.",
                    action="drop",
                )
            )
        else:
            assert entry.field is not None
            self._set(t, entry, state, entry.field, json.loads(entry.value or "null"))

    def _run(self, statement: str, params: dict[str, Any]) -> int | tuple[str, str]:
        """Run one write in a savepoint: its row count, or (kind, reason) when refused."""
        savepoint = self.connection.begin_nested()
        try:
            count = self.connection.exec_driver_sql(statement, params).rowcount
        except (IntegrityError, DBAPIError) as exc:
            savepoint.rollback()
            return refusal(exc)
        savepoint.commit()
        return int(count)

    def _delete(self, t: Table, entry: Entry, state: RowState) -> None:
        if state.current is None:
            return
        edited = [
            (name, stamp)
            for name, stamp in state.fields.items()
            if self.concurrent(stamp) and not codec.is_quiet(t.name, name)
        ]
        # Someone edited it meanwhile: keep what the delete takes with it (their edits to it
        # and to its children are on no laptop), so taking theirs brings all of it back.
        taken = state.current
        if edited:
            self.flush()
            kept = codec.dependents(self.connection, t.name, taken, self.gone, self.cleared)
            taken = {**taken, codec.DEPENDENTS: kept}
        clause, params = key_where(t, entry.row_key)
        done = self._now(entry, f'DELETE FROM "{t.name}" WHERE {clause}', params)
        if done == 0:
            done = NOT_YOURS
        if isinstance(done, tuple):
            self.outcomes.append(refused(done, entry, None, "restore", record=state.current))
            return
        self.applied += 1
        self.gone.append((t.name, state.current))
        for name, stamp in edited:
            self.outcomes.append(
                outcome("edited", entry, name, theirs=taken.get(name), stamp=stamp, record=taken)
            )
        state.current = None
        state.deleted = Stamp(entry.hlc, self.node, _THIS_BATCH)
        state.created, state.fields = None, {}

    def _insert(self, t: Table, entry: Entry, state: RowState, values: dict[str, Any]) -> None:
        names = [n for n in codec.fields(t) if n in values]
        statement = (
            f'INSERT INTO "{t.name}" ({codec.column_list(names)}) '
            f"VALUES ({', '.join(f'%(v_{n})s' for n in names)})"
        )
        params = {f"v_{n}": codec.to_server(t.c[n], values[n]) for n in names}
        done = self._now(entry, statement, params)
        if isinstance(done, tuple):
            self.outcomes.append(refused(done, entry, None, "drop", mine=values, record=values))
            return
        self.applied += 1
        state.current = dict(values)
        state.created = Stamp(entry.hlc, self.node, _THIS_BATCH)
        state.deleted, state.fields = None, {}

    def _set(self, t: Table, entry: Entry, state: RowState, name: str, value: Any) -> None:
        self._set_many(t, state, [(entry, name, value)])

    def _set_many(self, t: Table, state: RowState, changes: list[tuple[Entry, str, Any]]) -> None:
        """Merge field changes of one record; the winners are written in one UPDATE."""
        writes: list[tuple[Entry, str, Any, Any, Stamp | None, bool]] = []
        for entry, name, value in changes:
            if name in codec.UNSYNCED_COLUMNS or name not in t.c or state.current is None:
                continue
            theirs = state.current.get(name)
            stamp = state.stamp(name)
            quiet = codec.is_quiet(t.name, name)
            equal = codec.same(t.c[name], theirs, value)
            if stamp is not None and stamp.beats(entry.hlc, self.node):
                if not equal:
                    kind = "quiet" if quiet else "lost"
                    self.outcomes.append(
                        outcome(
                            kind,
                            entry,
                            name,
                            mine=value,
                            theirs=theirs,
                            stamp=stamp,
                            action="revert",
                        )
                    )
                continue
            if equal:
                continue
            hierarchy = codec.HIERARCHIES.get((t.name, name))
            if hierarchy and value is not None:
                self.flush()
                row = codec.key_values(t, entry.row_key)["id"]
                if _closes_loop(self.connection, hierarchy, name, row, str(value)):
                    self.outcomes.append(
                        outcome(
                            "cycle",
                            entry,
                            name,
                            mine=value,
                            theirs=theirs,
                            stamp=stamp,
                            reason="The move would put a record under one of its own descendants.",
                            action="revert",
                        )
                    )
                    continue
            writes.append((entry, name, value, theirs, stamp, quiet))
        if not writes or state.current is None:
            return
        first = writes[0][0]
        clause, params = key_where(t, first.row_key)
        bump = ", version = version + 1" if t.name in codec.VERSIONED else ""
        sets = []
        for n, (_entry, name, value, *_rest) in enumerate(writes):
            params[f"v{n}"] = codec.to_server(t.c[name], value)
            sets.append(f'"{name}" = %(v{n})s')
        params["hlc"], params["node"] = str(first.hlc), self.node
        write = _Write(
            first,
            (t.name, first.row_key),
            state,
            # The UPDATE stamps its own log rows (its AFTER triggers run once it has matched).
            f'UPDATE "{t.name}" SET {", ".join(sets)}{bump} WHERE {clause} AND {_STAMPS}',
            params,
            writes,
        )
        # References and the owner are checked now (a refusal changes what later edits
        # meet); plain fields are sent with their neighbours, and retried one by one only
        # when the server refuses one of them.
        if any(name in _RISKY or t.c[name].foreign_keys for _e, name, *_r in writes):
            self._finish(write, self._now(first, write.statement, write.params))
        else:
            self._queue(write)

    def _finish(self, write: _Write, done: int | tuple[str, str]) -> None:
        """Note what came of one record's field writes."""
        if done == 0:
            done = NOT_YOURS
        state = write.state
        for entry, name, value, theirs, stamp, quiet in write.writes:
            if isinstance(done, tuple):
                self.outcomes.append(
                    refused(
                        done,
                        entry,
                        name,
                        "revert",
                        quiet=quiet,
                        mine=value,
                        theirs=theirs,
                        stamp=stamp,
                    )
                )
                continue
            self.applied += 1
            if value is None and theirs is not None and codec.table(entry.tbl).c[name].foreign_keys:
                self.cleared.append([entry.tbl, entry.row_key, name, theirs])
            if self.concurrent(stamp) and not quiet:
                self.outcomes.append(
                    outcome("overwritten", entry, name, mine=value, theirs=theirs, stamp=stamp)
                )
            if state.current is not None:
                state.current[name] = value
            state.fields[name] = Stamp(entry.hlc, self.node, _THIS_BATCH)

    def apply_sets(self, group: list[Entry]) -> None:
        """Several field changes of one record made at one moment (one local edit)."""
        first = group[0]
        self._settled(first)
        t = codec.table(first.tbl)
        state = self.states[(first.tbl, first.row_key)]
        if state.current is None:
            for entry in group:
                self.apply(entry)
            return
        changes = [(e, e.field or "", json.loads(e.value or "null")) for e in group]
        self._set_many(t, state, changes)


#: Columns whose change the server may refuse with an error (not by touching no row).
_RISKY = frozenset({"owner"})
