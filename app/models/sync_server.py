"""The team workspace's side of laptop sync: apply a pushed batch, hand out changes since N.

A batch is applied in the caller's one transaction, under the change log's advisory lock, and
recorded in ``sync_batch`` with what came of it; a batch id seen before is not applied again,
its recorded outcome is returned instead (a laptop killed before it heard the answer).

Merging is per field. For every field the log says who wrote it last and with what clock:

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
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.models import sync_codec as codec
from app.models.conflicts import INSUFFICIENT_PRIVILEGE, sqlstate

#: The advisory lock of app/models/migrations/steps/sync.py.
LOG_LOCK = 7_261_001
#: Larger than any log position: a stamp written by this batch.
_THIS_BATCH = 2**62
#: Tells the log's triggers whose change they write, and when it was made.
_STAMPS = (
    "set_config('fieldbook.sync_hlc', %(hlc)s, true) IS NOT NULL "
    "AND set_config('fieldbook.sync_node', %(node)s, true) IS NOT NULL"
)
_STAMP = f"SELECT {_STAMPS}"


@dataclass(frozen=True)
class Stamp:
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


@dataclass
class _Write:
    """One record's winning field values, as one UPDATE, and what to note once it ran."""

    entry: Entry
    record: tuple[str, str]
    state: RowState
    statement: str
    params: dict[str, Any]
    writes: list[tuple[Entry, str, Any, Any, Stamp | None, bool]]


def _where(t: Table, key: str) -> tuple[str, dict[str, Any]]:
    values = codec.key_values(t, key)
    clause = " AND ".join(f'"{name}" = %(k_{name})s' for name in values)
    return clause, {f"k_{name}": value for name, value in values.items()}


def _load(connection: Connection, entries: list[Entry]) -> dict[tuple[str, str], RowState]:
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
                clause, params = _where(t, key)
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


def _outcome(
    kind: str,
    entry: Entry,
    name: str | None,
    *,
    mine: Any = None,
    theirs: Any = None,
    stamp: Stamp | None = None,
    record: dict[str, Any] | None = None,
    reason: str | None = None,
    action: str | None = None,
) -> dict[str, Any]:
    """What the laptop is told about one change; ``action``: revert, drop or restore."""
    return {
        "kind": kind,
        "tbl": entry.tbl,
        "row_key": entry.row_key,
        "field": name,
        "mine": mine,
        "theirs": theirs,
        "their_hlc": stamp.hlc if stamp else None,
        "their_node": stamp.node if stamp else None,
        "my_hlc": entry.hlc,
        "record": record,
        "reason": reason,
        "action": action,
    }


def _refused(
    refusal: tuple[str, str],
    entry: Entry,
    name: str | None,
    action: str,
    *,
    quiet: bool = False,
    **details: Any,
) -> dict[str, Any]:
    """The outcome of a write the server refused: ``refusal`` is (kind, reason) as
    :func:`_refusal` words it; a ``quiet`` field's refusal is reported as ``quiet``."""
    kind, reason = refusal
    return _outcome(
        "quiet" if quiet else kind, entry, name, reason=reason, action=action, **details
    )


#: The refusal of a write that touched no row: row-level security hides the record.
_NOT_YOURS = ("refused", "You may only change accounts you own or are on the team of.")


def _refusal(exc: DBAPIError) -> tuple[str, str]:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if sqlstate(exc) == INSUFFICIENT_PRIVILEGE:
        return "refused", text
    return "invalid", text


def _closes_loop(connection: Connection, tbl: str, column: str, row: str, target: str) -> bool:
    found = connection.exec_driver_sql(
        f'WITH RECURSIVE up(id) AS (SELECT %(target)s::text UNION SELECT t."{column}"::text '
        f'FROM "{tbl}" t JOIN up ON t.id = up.id WHERE t."{column}" IS NOT NULL) '
        "SELECT 1 FROM up WHERE id = %(row)s LIMIT 1",
        {"target": target, "row": row},
    ).first()
    return found is not None


class _Batch:
    def __init__(self, connection: Connection, node: str, base: int, entries: list[Entry]):
        self.connection = connection
        self.node = node
        self.base = base
        self.states = _load(connection, entries)
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
                _outcome(
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
            return _refusal(exc)
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
        clause, params = _where(t, entry.row_key)
        done = self._now(entry, f'DELETE FROM "{t.name}" WHERE {clause}', params)
        if done == 0:
            done = _NOT_YOURS
        if isinstance(done, tuple):
            self.outcomes.append(_refused(done, entry, None, "restore", record=state.current))
            return
        self.applied += 1
        self.gone.append((t.name, state.current))
        for name, stamp in edited:
            self.outcomes.append(
                _outcome("edited", entry, name, theirs=taken.get(name), stamp=stamp, record=taken)
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
            self.outcomes.append(_refused(done, entry, None, "drop", mine=values, record=values))
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
                        _outcome(
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
                        _outcome(
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
        clause, params = _where(t, first.row_key)
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
            done = _NOT_YOURS
        state = write.state
        for entry, name, value, theirs, stamp, quiet in write.writes:
            if isinstance(done, tuple):
                self.outcomes.append(
                    _refused(
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
                    _outcome("overwritten", entry, name, mine=value, theirs=theirs, stamp=stamp)
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


def apply_batch(
    connection: Connection, batch_id: str, node: str, base: int, entries: list[Entry]
) -> dict[str, Any]:
    """Apply a pushed batch in the caller's transaction; what the laptop is to be told.

    ``base`` is the log position the laptop had pulled when it made these changes.
    """
    connection.exec_driver_sql("SELECT pg_advisory_xact_lock(%(l)s)", {"l": LOG_LOCK})
    done = connection.exec_driver_sql(
        "SELECT result FROM sync_batch WHERE id = %(id)s", {"id": batch_id}
    ).scalar()
    if done is not None:
        result: dict[str, Any] = json.loads(done)
        result["repeated"] = True
        return result
    batch = _Batch(connection, node, base, entries)
    group: list[Entry] = []
    for entry in [*entries, None]:
        same_edit = (
            entry is not None
            and group
            and entry.op == "set"
            and (entry.tbl, entry.row_key, entry.hlc)
            == (group[0].tbl, group[0].row_key, group[0].hlc)
        )
        if same_edit:
            assert entry is not None
            group.append(entry)
            continue
        if group:
            batch.apply_sets(group)
            group = []
        if entry is None:
            break
        if entry.op == "set":
            group = [entry]
        else:
            batch.apply(entry)
    batch.flush()
    result = {"applied": batch.applied, "outcomes": batch.outcomes, "repeated": False}
    connection.exec_driver_sql(
        "INSERT INTO sync_batch (id, node, at, result) "
        "VALUES (%(id)s, %(node)s, now() AT TIME ZONE 'UTC', %(result)s)",
        {"id": batch_id, "node": node, "result": json.dumps(result)},
    )
    return result


#: Log rows a deletion writes: the records it takes (deletes) and the references it clears.
_TAKEN = "(op = 'delete' OR (op = 'set' AND value = 'null'))"


def changes_since(connection: Connection, position: int, limit: int) -> list[tuple[Any, ...]]:
    """About ``limit`` log rows after ``position``, in order, never ending inside a deletion.

    A deletion logs the records it takes and the references it clears before the record
    itself, one transaction's rows one after another (the log's advisory lock); the laptop
    keeps what a deletion takes only when it sees them together, so a full page goes on
    through the run of such rows that its last row is in.
    """
    select = "SELECT seq, tbl, row_key, op, field, value, hlc, node FROM sync_log "
    rows = [
        tuple(row)
        for row in connection.exec_driver_sql(
            select + "WHERE seq > %(p)s ORDER BY seq LIMIT %(n)s", {"p": position, "n": limit}
        )
    ]
    last = rows[-1] if len(rows) == limit else None
    if last is not None and (last[3] == "delete" or (last[3], last[5]) == ("set", "null")):
        rows.extend(
            tuple(row)
            for row in connection.exec_driver_sql(
                select + "WHERE seq > %(last)s AND seq < coalesce((SELECT min(seq) FROM sync_log "
                f"WHERE seq > %(last)s AND NOT {_TAKEN}), 9223372036854775807) ORDER BY seq",
                {"last": last[0]},
            )
        )
    return rows


def position(connection: Connection) -> int:
    """The latest log position the caller's snapshot sees."""
    return int(
        connection.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM sync_log").scalar_one()
    )
