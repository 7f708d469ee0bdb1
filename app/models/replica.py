"""A laptop replica of a team workspace: made, captured, pushed and pulled (no Qt here).

A replica is an ordinary workspace file plus the ``sync_replica`` row and SQLite triggers that
write every local change, per field, into ``sync_outbox`` with the replica's hybrid logical
clock. Nothing else in the app knows: every edit path is captured, whichever code made it.

A sync pushes then pulls:

* push: the waiting changes get a batch id (committed locally first), the server applies the
  batch in one transaction and records it (app.models.sync_server), and only when that commit
  is confirmed does the laptop note the outcome and empty those outbox rows, in one local
  transaction. A kill anywhere leaves either the batch waiting (sent again as it is, which the
  server recognises) or everything done.
* pull: the server's log after the last pulled position, applied quietly (the triggers are
  off while ``applying`` is set) page by page, each page with its new position in one local
  transaction. A change made on the laptop meanwhile meets an incoming one field by field:
  the later clock wins and the other value goes to the conflict list.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from app.models import (
    Base,  # every table: the package loads the whole ORM
    sync_server,
)
from app.models import sync_codec as codec
from app.models.account_paths import account_paths
from app.models.errors import WorkspaceError
from app.models.server import (
    connection_problem,
    make_server_engine,
    parse_server_url,
    save_password,
    shown,
)
from app.models.store import Store, head_revision, known_revisions, open_workspace
from app.models.sync_codec import DEPENDENTS, dependents, record_of

#: Outbox rows per pushed batch, and log rows per pulled page.
BATCH = 2_000
PAGE = 5_000
_CLOCK = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) * 65536"


class NotAReplicaError(WorkspaceError):
    """The workspace is not a replica of a team workspace."""


class SchemaMismatchError(WorkspaceError):
    """The laptop and the team workspace are on different schema versions."""


class ServerUnreachableError(WorkspaceError):
    """The team workspace could not be reached (the laptop is offline)."""


@dataclass(frozen=True)
class ReplicaInfo:
    server: str
    node: str
    scope: str
    hlc: int
    pulled: int
    pending_batch: str | None
    synced_at: datetime | None
    tried_at: datetime | None
    problem: str | None


# ------------------------------------------------------------------ capture triggers
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


# ------------------------------------------------------------------ replica state
def replica_info(connection: Connection) -> ReplicaInfo | None:
    row = (
        connection.exec_driver_sql(
            "SELECT server, node, scope, hlc, pulled, pending_batch, synced_at, tried_at, problem "
            "FROM sync_replica WHERE id = 1"
        )
        .mappings()
        .first()
    )
    if row is None:
        return None

    def when(value: Any) -> datetime | None:
        return None if value is None else datetime.fromisoformat(str(value)).replace(tzinfo=UTC)

    return ReplicaInfo(
        server=row["server"],
        node=row["node"],
        scope=row["scope"],
        hlc=int(row["hlc"]),
        pulled=int(row["pulled"]),
        pending_batch=row["pending_batch"],
        synced_at=when(row["synced_at"]),
        tried_at=when(row["tried_at"]),
        problem=row["problem"],
    )


def info_of(store: Store) -> ReplicaInfo:
    if store.engine.dialect.name != "sqlite":
        raise NotAReplicaError(
            f"{store.name} is the team workspace itself; sync a laptop replica of it."
        )
    with store.engine.connect() as connection:
        info = replica_info(connection)
    if info is None:
        raise NotAReplicaError(
            f"{store.name} is not a replica of a team workspace; make one with "
            "fieldbook replica --from ADDRESS --db FILE."
        )
    return info


def is_replica(store: Store) -> bool:
    if store.engine.dialect.name != "sqlite":
        return False
    with store.engine.connect() as connection:
        return replica_info(connection) is not None


@contextmanager
def _local(store: Store) -> Iterator[Connection]:
    """One local transaction with the capture triggers quiet (writes merged values)."""
    store.wait_until_writable()
    with store.engine.connect() as connection, connection.begin():
        connection.exec_driver_sql("UPDATE sync_replica SET applying = 1 WHERE id = 1")
        yield connection
        connection.exec_driver_sql("UPDATE sync_replica SET applying = 0 WHERE id = 1")


# ------------------------------------------------------------------ the server connection
def check_schema(connection: Connection, address: str) -> None:
    """Refuse (one sentence) when this Fieldbook and the team workspace differ in schema."""
    revision = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    head = head_revision()
    if revision == head:
        return
    if revision not in known_revisions():
        raise SchemaMismatchError(
            f"The team workspace at {address} is on a newer schema ({revision}) than this "
            "Fieldbook; upgrade Fieldbook on this laptop before syncing."
        )
    raise SchemaMismatchError(
        f"The team workspace at {address} is on an older schema ({revision}) than this "
        f"Fieldbook ({head}); ask your team lead to upgrade it before syncing."
    )


@contextmanager
def server_connection(address: str) -> Iterator[tuple[Engine, URL]]:
    """An engine on the team workspace (the user's own login), schema checked."""
    url = parse_server_url(address)
    engine = make_server_engine(url)
    try:
        try:
            with engine.connect() as connection:
                check_schema(connection, shown(url))
        except (OperationalError, DBAPIError) as exc:
            raise ServerUnreachableError(connection_problem(exc, url)) from exc
        yield engine, url
    finally:
        engine.dispose()


# ------------------------------------------------------------------ making a replica
@dataclass(frozen=True)
class ReplicaReport:
    counts: dict[str, int]
    scope: str
    position: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _my_accounts(reader: Connection) -> set[str]:
    """The accounts the connected user owns or is on the team of, and their ancestors."""
    name = reader.exec_driver_sql(
        "SELECT name FROM team_member WHERE login = current_user"
    ).scalar()
    if name is None:
        user = reader.exec_driver_sql("SELECT current_user").scalar()
        raise WorkspaceError(
            f"{user} is not a member of the team, so it owns no accounts; "
            "leave out --mine to take the whole book."
        )
    rows = reader.exec_driver_sql(
        "WITH RECURSIVE kept(id) AS ("
        " SELECT id FROM account WHERE owner = %(name)s"
        " UNION SELECT account_id FROM account_team WHERE login = current_user"
        " UNION SELECT a.parent_id FROM account a JOIN kept ON a.id = kept.id"
        "  WHERE a.parent_id IS NOT NULL) SELECT id FROM kept",
        {"name": name},
    ).scalars()
    return {str(r) for r in rows}


def _copy_rows(
    reader: Connection,
    writer: Connection,
    accounts: set[str] | None,
    *,
    selects: dict[str, str] | None = None,
    kept: dict[str, set[Any]] | None = None,
) -> dict[str, int]:
    """Copy every table (with ``accounts``: only those accounts and what hangs off them).

    ``selects``: only these tables, read with these queries (``:ids`` is ``accounts``);
    ``kept``: the keys of records already here that the copied ones may name.
    """
    from app.models.copying import CHUNK, _self_references

    kept = {} if kept is None else kept
    referenced = {
        fk.column.table.name for t in Base.metadata.tables.values() for fk in t.foreign_keys
    }
    counts: dict[str, int] = {}
    for t in Base.metadata.sorted_tables:
        if t.name in ("sync_log", "sync_batch", "sync_replica", "sync_outbox", "sync_conflict"):
            continue
        if selects is not None and t.name not in selects:
            continue
        later = _self_references(t)
        keys = codec.key_columns(t)
        query = f'SELECT * FROM "{t.name}"' if selects is None else selects[t.name]
        result = reader.execution_options(stream_results=True).execute(
            text(query + " ORDER BY " + ", ".join(f'"{k}"' for k in keys)),
            {"ids": sorted(accounts or ())} if selects is not None else {},
        )
        links: list[dict[str, Any]] = []
        count = 0
        mine = kept.setdefault(t.name, set()) if t.name in referenced else None
        while rows := result.mappings().fetchmany(CHUNK):
            values = []
            for source in rows:
                row = dict(source)
                if accounts is not None and not _wanted(t, row, accounts, kept):
                    continue
                if mine is not None and len(keys) == 1:
                    mine.add(row[keys[0]])
                if later and any(row[n] is not None for n in later):
                    links.append({**{f"k_{k}": row[k] for k in keys}, **{n: row[n] for n in later}})
                for n in later:
                    row[n] = None
                values.append({n: codec.to_sqlite(t.c[n], row[n]) for n in row})
            if values:
                names = list(values[0])
                writer.execute(
                    text(
                        f'INSERT INTO "{t.name}" ({codec.column_list(names)}) '
                        f"VALUES ({', '.join(f':{n}' for n in names)})"
                    ),
                    values,
                )
                count += len(values)
        if links:
            where = " AND ".join(f'"{k}" = :k_{k}' for k in keys)
            sets = ", ".join(f'"{n}" = :{n}' for n in later)
            writer.execute(text(f'UPDATE "{t.name}" SET {sets} WHERE {where}'), links)
        counts[t.name] = count
    return counts


def bring_accounts(reader: Connection, writer: Connection, wanted: set[str]) -> dict[str, int]:
    """Copy into a ``--mine`` replica accounts that became the user's after it was made, the
    ancestors it lacks and everything that hangs off them (as :func:`create_replica` would).

    ``reader`` is on the team workspace; ``writer`` is the replica's (quiet) transaction.
    """
    here = {str(k) for k in writer.exec_driver_sql("SELECT id FROM account").scalars()}
    found = reader.execute(
        text(
            "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM account "
            "WHERE id = ANY(:ids) UNION SELECT a.id, a.parent_id FROM account a "
            "JOIN up ON a.id = up.parent_id) SELECT id FROM up"
        ),
        {"ids": sorted(wanted)},
    ).scalars()
    accounts = {str(k) for k in found} - here
    if not accounts:
        return {}
    paths = account_paths()
    selects = {"account": 'SELECT * FROM "account" WHERE id = ANY(:ids)'}
    for name, path in paths.items():
        if name != "account" and name in codec.synced_tables():
            selects[name] = f'SELECT * FROM "{name}" WHERE {path.row_account_sql()} = ANY(:ids)'
    kept: dict[str, set[Any]] = {}
    for fk in {fk for t in codec.synced_tables().values() for fk in t.foreign_keys}:
        parent = fk.column.table
        if parent.name not in kept and len(codec.key_columns(parent)) == 1:
            column = codec.key_columns(parent)[0]
            kept[parent.name] = set(
                writer.exec_driver_sql(f'SELECT "{column}" FROM "{parent.name}"').scalars()
            )
    return _copy_rows(reader, writer, accounts, selects=selects, kept=kept)


def _wanted(t: Table, row: dict[str, Any], accounts: set[str], kept: dict[str, set[Any]]) -> bool:
    """Whether a ``--mine`` replica holds ``row`` (references to what it lacks are cleared)."""
    if t.name == "account":
        return row["id"] in accounts
    if t.name == "audit_entry":
        return row["of_account"] is None or row["of_account"] in accounts
    for fk in t.foreign_keys:
        parent = fk.column.table.name
        value = row.get(fk.parent.name)
        if value is None or parent == t.name or value in kept.get(parent, ()):
            continue
        if fk.ondelete == "SET NULL" or (fk.parent.nullable and fk.ondelete != "CASCADE"):
            row[fk.parent.name] = None
        else:
            return False
    return True


def create_replica(address: str, path: Path, *, mine: bool = False) -> ReplicaReport:
    """Make ``path`` (a new file) a replica of the team workspace at ``address``.

    Raises WorkspaceError, leaving no file behind, when anything goes wrong.
    """
    if path.exists() and path.stat().st_size > 0:
        raise WorkspaceError(f"{path} already exists; a replica is made in a new file.")
    with server_connection(address) as (engine, url):
        if url.password:
            with suppress(WorkspaceError):  # no keyring here: sync asks the address for it
                save_password(url, url.password)
        store = None
        try:
            store = open_workspace(path, create=True)
            with (
                engine.connect().execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                ) as reader,
                reader.begin(),
            ):
                accounts = _my_accounts(reader) if mine else None
                at = sync_server.position(reader)
                login = str(reader.exec_driver_sql("SELECT current_user").scalar())
                with store.engine.connect() as writer, writer.begin():
                    for t in reversed(Base.metadata.sorted_tables):
                        writer.execute(t.delete())
                    counts = _copy_rows(reader, writer, accounts)
                    writer.exec_driver_sql(
                        "INSERT INTO sync_replica (id, server, node, scope, hlc, pulled, "
                        "applying) VALUES (1, :server, :node, :scope, :hlc, :pulled, 0)",
                        {
                            "server": shown(url),
                            "node": f"{login}@{uuid.uuid4().hex[:12]}",
                            "scope": "mine" if mine else "book",
                            "hlc": codec.wall_clock(),
                            "pulled": at,
                        },
                    )
                    install_capture(writer)
            store.close()
        except BaseException:
            if store is not None:
                store.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            raise
    return ReplicaReport(counts, "mine" if mine else "book", at)


# ------------------------------------------------------------------ local writes
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


# ------------------------------------------------------------------ push
@dataclass
class PushReport:
    sent: int = 0
    applied: int = 0
    batches: int = 0
    resent: int = 0
    outcomes: list[dict[str, Any]] = field(default_factory=list)


def _next_batch(store: Store, info: ReplicaInfo) -> tuple[str, list[sync_server.Entry]] | None:
    """The batch to send: the one sent before and not confirmed, else a new one."""
    with store.engine.connect() as connection, connection.begin():
        batch = connection.exec_driver_sql(
            "SELECT pending_batch FROM sync_replica WHERE id = 1"
        ).scalar()
        if batch is None:
            first = connection.exec_driver_sql(
                "SELECT id FROM sync_outbox WHERE batch IS NULL ORDER BY id LIMIT 1"
            ).scalar()
            if first is None:
                return None
            batch = uuid.uuid4().hex
            connection.execute(
                text(
                    "UPDATE sync_outbox SET batch = :b WHERE batch IS NULL AND id IN "
                    "(SELECT id FROM sync_outbox WHERE batch IS NULL ORDER BY id LIMIT :n)"
                ),
                {"b": batch, "n": BATCH},
            )
            connection.execute(
                text("UPDATE sync_replica SET pending_batch = :b WHERE id = 1"), {"b": batch}
            )
        rows = connection.execute(
            text(
                "SELECT tbl, row_key, op, field, value, hlc FROM sync_outbox "
                "WHERE batch = :b ORDER BY id"
            ),
            {"b": batch},
        ).all()
    entries = [sync_server.Entry(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]
    return batch, entries


def _settle(store: Store, batch: str, result: dict[str, Any]) -> None:
    """Note what came of a confirmed batch and empty its outbox rows (one transaction)."""
    with _local(store) as connection:
        waiting = {
            (r[0], r[1], r[2])
            for r in connection.exec_driver_sql(
                "SELECT tbl, row_key, field FROM sync_outbox WHERE batch IS NULL"
            )
        }
        restores: list[dict[str, Any]] = []
        dropped: dict[tuple[str, str], dict[str, Any]] = {}
        for outcome in result["outcomes"]:
            tbl, key, name = outcome["tbl"], outcome["row_key"], outcome.get("field")
            action = outcome.get("action")
            if action == "drop":
                row = local_row(connection, tbl, key)
                if row is not None:
                    dropped[(tbl, key)] = with_dependents(connection, tbl, row)
                    if outcome["kind"] == "deleted" and name is None:
                        outcome = {**outcome, "mine": record_of(tbl, row)}
                    delete_local(connection, tbl, key)
                if (tbl, key) in dropped:  # every change of it that was refused can bring it back
                    outcome = {**outcome, "record": outcome.get("record") or dropped[(tbl, key)]}
            elif action == "revert" and (tbl, key, name) not in waiting:
                set_local(connection, tbl, key, name, outcome.get("theirs"))
            elif action == "restore":
                restores.append(outcome)
            if outcome["kind"] != "quiet":
                add_conflict(connection, outcome)
        order = {name: n for n, name in enumerate(codec.synced_tables())}
        for outcome in sorted(restores, key=lambda o: order[o["tbl"]]):
            insert_local(connection, outcome["tbl"], outcome["record"])
        stamps = [int(o["their_hlc"]) for o in result["outcomes"] if o.get("their_hlc")]
        connection.execute(
            text("UPDATE sync_replica SET pending_batch = NULL, hlc = max(hlc, :h) WHERE id = 1"),
            {"h": max(stamps, default=0)},
        )
        connection.execute(text("DELETE FROM sync_outbox WHERE batch = :b"), {"b": batch})


def push(store: Store, engine: Engine, *, hook: Callable[[str], None] | None = None) -> PushReport:
    """Send every waiting change, batch by batch; see the module docstring."""
    report = PushReport()
    while True:
        info = info_of(store)
        found = _next_batch(store, info)
        if found is None:
            return report
        batch, entries = found
        if hook is not None:
            hook("sending")
        with engine.connect() as connection, connection.begin():
            result = sync_server.apply_batch(connection, batch, info.node, info.pulled, entries)
        if hook is not None:
            hook("sent")
        _settle(store, batch, result)
        report.batches += 1
        report.sent += len(entries)
        report.applied += int(result["applied"])
        report.resent += int(bool(result.get("repeated")))
        report.outcomes.extend(o for o in result["outcomes"] if o["kind"] != "quiet")


# ------------------------------------------------------------------ pull
@dataclass
class PullReport:
    received: int = 0
    applied: int = 0
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    position: int = 0


def _waiting(
    connection: Connection,
) -> dict[tuple[str, str], list[tuple[str, str | None, Any, int]]]:
    """Local changes not yet pushed, by record: (op, field, value, clock)."""
    found: dict[tuple[str, str], list[tuple[str, str | None, Any, int]]] = {}
    for tbl, key, op, name, value, hlc in connection.exec_driver_sql(
        "SELECT tbl, row_key, op, field, value, hlc FROM sync_outbox "
        "WHERE batch IS NULL ORDER BY id"
    ):
        found.setdefault((tbl, key), []).append(
            (op, name, None if value is None else json.loads(value), int(hlc))
        )
    return found


class _Pull:
    def __init__(
        self,
        connection: Connection,
        node: str,
        report: PullReport,
        me: tuple[str, str | None] | None = None,
    ):
        self.connection = connection
        self.node = node
        self.report = report
        #: A ``--mine`` replica: the user's login and team name, whose new accounts it fetches.
        self.me = me
        self.wanted: set[str] = set()
        self.waiting = _waiting(connection)
        #: Field values to write, by record, in log order (written together by ``flush``).
        self.pending: dict[tuple[str, str], dict[str, Any]] = {}
        #: Records this page deletes that were edited here, with what goes with them, taken
        #: before the page runs (the log lists the records a deletion cascades to before it).
        self.taken: dict[tuple[str, str], dict[str, Any]] = {}

    def becomes_mine(self, tbl: str, record: dict[str, Any]) -> None:
        """Note an account this ``--mine`` replica lacks that is now the user's."""
        if self.me is None:
            return
        login, name = self.me
        if tbl == "account" and name is not None and record.get("owner") == name:
            account = record.get("id")
        elif tbl == "account_team" and record.get("login") == login:
            account = record.get("account_id")
        else:
            return
        if account is not None and local_row(self.connection, "account", str(account)) is None:
            self.wanted.add(str(account))

    def take_before(self, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            tbl, key, op = row[1], row[2], row[3]
            if op != "delete" or tbl not in codec.synced_tables():
                continue
            if any(w[0] == "set" for w in self.waiting.get((tbl, key), [])):
                here = local_row(self.connection, tbl, key)
                if here is not None:
                    self.taken[(tbl, key)] = with_dependents(self.connection, tbl, here)

    def write(self, tbl: str, key: str, name: str, value: Any) -> None:
        self.pending.setdefault((tbl, key), {})[name] = value

    def flush(self) -> None:
        pending, self.pending = self.pending, {}
        if pending:
            set_many_local(self.connection, pending)

    def conflict(self, **outcome: Any) -> None:
        add_conflict(self.connection, outcome)
        self.report.conflicts.append(outcome)

    def forget(self, tbl: str, key: str, name: str | None = None) -> None:
        """Drop waiting local changes that lost (of one field, or of the whole record)."""
        if name is None:
            self.connection.execute(
                text("DELETE FROM sync_outbox WHERE batch IS NULL AND tbl = :t AND row_key = :k"),
                {"t": tbl, "k": key},
            )
            self.waiting.pop((tbl, key), None)
            return
        self.connection.execute(
            text(
                "DELETE FROM sync_outbox WHERE batch IS NULL AND tbl = :t AND row_key = :k "
                "AND op = 'set' AND field = :f"
            ),
            {"t": tbl, "k": key, "f": name},
        )
        left = [w for w in self.waiting.get((tbl, key), []) if not (w[0] == "set" and w[1] == name)]
        self.waiting[(tbl, key)] = left

    def apply(
        self, tbl: str, key: str, op: str, name: str | None, value: Any, hlc: int, node: str
    ) -> None:
        if tbl not in codec.synced_tables():
            return
        mine = self.waiting.get((tbl, key), [])
        if op != "set":
            self.flush()  # the record's own values as the log left them, before it goes
        if op == "delete":
            row = local_row(self.connection, tbl, key)
            if row is not None and node == self.node:
                delete_local(self.connection, tbl, key)
            elif row is not None:
                edits = {w[1]: w for w in mine if w[0] == "set"}
                record = self.taken.get((tbl, key)) or with_dependents(self.connection, tbl, row)
                for fname, (_, _, mine_value, my_hlc) in edits.items():
                    if fname is not None and not codec.is_quiet(tbl, fname):
                        self.conflict(
                            kind="deleted",
                            tbl=tbl,
                            row_key=key,
                            field=fname,
                            mine=mine_value,
                            theirs=None,
                            their_node=node,
                            their_hlc=hlc,
                            my_hlc=my_hlc,
                            record=record,
                        )
                self.forget(tbl, key)
                delete_local(self.connection, tbl, key)
            return
        if op == "insert":
            record = value or {}
            if local_row(self.connection, tbl, key) is None:
                gone_here = any(w[0] == "delete" for w in mine)
                if not gone_here and not insert_local(self.connection, tbl, record):
                    self.becomes_mine(tbl, record)
                return
            for fname, fvalue in record.items():
                self.set(tbl, key, fname, fvalue, hlc, node, mine)
            return
        assert name is not None
        self.set(tbl, key, name, value, hlc, node, mine)

    def set(
        self, tbl: str, key: str, name: str, value: Any, hlc: int, node: str, mine: list[Any]
    ) -> None:
        t = codec.table(tbl)
        if name not in t.c:
            return
        if self.me is not None and (tbl, name) == ("account", "owner"):
            self.becomes_mine(tbl, {"id": key, "owner": value})
        if node == self.node:
            if not any(w[0] != "set" or w[1] == name for w in mine):
                self.write(tbl, key, name, value)
            return
        gone = [w for w in mine if w[0] == "delete"]
        if gone and not codec.is_quiet(tbl, name):
            self.conflict(
                kind="edited",
                tbl=tbl,
                row_key=key,
                field=name,
                mine=None,
                theirs=value,
                their_node=node,
                their_hlc=hlc,
                my_hlc=gone[-1][3],
                record=None,
            )
            return
        edits = [w for w in mine if w[0] == "set" and w[1] == name]
        if edits:
            _, _, mine_value, my_hlc = edits[-1]
            quiet = codec.is_quiet(tbl, name) or codec.same(t.c[name], mine_value, value)
            mine_wins = (my_hlc, self.node) > (hlc, node)
            if not quiet:
                self.conflict(
                    kind="overwritten" if mine_wins else "lost",
                    tbl=tbl,
                    row_key=key,
                    field=name,
                    mine=mine_value,
                    theirs=value,
                    their_node=node,
                    their_hlc=hlc,
                    my_hlc=my_hlc,
                    record=None,
                )
            if mine_wins:
                return
            self.forget(tbl, key, name)
        self.write(tbl, key, name, value)


def pull(store: Store, engine: Engine, *, hook: Callable[[str], None] | None = None) -> PullReport:
    """Apply the team's changes since the last pull, page by page."""
    report = PullReport()
    me: tuple[str, str | None] | None = None
    while True:
        info = info_of(store)
        with engine.connect() as server, server.begin():
            rows = sync_server.changes_since(server, info.pulled, PAGE)
            if info.scope == "mine" and me is None:
                login, name = server.exec_driver_sql(
                    "SELECT current_user, (SELECT name FROM team_member WHERE login = current_user)"
                ).one()
                me = (str(login), name)
        if not rows:
            report.position = info.pulled
            return report
        if hook is not None:
            hook("pulled")
        with _local(store) as connection:
            page = _Pull(connection, info.node, report, me)
            page.take_before(rows)
            top = info.hlc
            for _seq, tbl, key, op, name, value, hlc, node in rows:
                report.received += 1
                top = max(top, int(hlc))
                # The laptop's own pushed changes are replayed too: the log's order is the
                # server's, so replaying it leaves each field as the server holds it.
                page.apply(
                    tbl, key, op, name, None if value is None else json.loads(value), int(hlc), node
                )
                report.applied += 1
            page.flush()
            if page.wanted:  # copied as the server holds them now; later pages replay on top
                with (
                    engine.connect().execution_options(
                        isolation_level="REPEATABLE READ", postgresql_readonly=True
                    ) as reader,
                    reader.begin(),
                ):
                    bring_accounts(reader, connection, page.wanted)
            connection.execute(
                text("UPDATE sync_replica SET pulled = :p, hlc = :h WHERE id = 1"),
                {"p": int(rows[-1][0]), "h": top},
            )
        if len(rows) < PAGE:
            report.position = int(rows[-1][0])
            return report


def let_go(store: Store, engine: Engine) -> list[str]:
    """Take off a ``--mine`` replica the accounts that are no longer the user's (owned, on
    their team, or above one of those), with what hangs off them, as the team workspace holds
    them now; nothing is sent for it. An account holding changes not yet sent stays until a
    push has sent them (the team workspace takes them or they become conflicts to review).
    Returns the ids of the accounts taken off."""
    if info_of(store).scope != "mine":
        return []
    with (
        engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        ) as reader,
        reader.begin(),
    ):
        wanted = _my_accounts(reader)
    left: list[str] = []
    with _local(store) as connection:
        here = {str(k) for k in connection.exec_driver_sql("SELECT id FROM account").scalars()}
        waiting = {
            (str(t), str(k))
            for t, k in connection.exec_driver_sql("SELECT DISTINCT tbl, row_key FROM sync_outbox")
        }
        for account in sorted(here - wanted):
            row = local_row(connection, "account", account)
            if row is None:  # went with an account above it
                continue
            taken = dependents(connection, "account", row)["records"]
            held = {("account", account)}
            held.update((tbl, codec.row_key(codec.table(tbl), found)) for tbl, found in taken)
            if held & waiting:
                continue
            delete_local(connection, "account", account)
            left.append(account)
    return left


# ------------------------------------------------------------------ bookkeeping
def note_attempt(store: Store, *, problem: str | None) -> None:
    """Remember when a sync was tried and, if it failed, why (a synced time when it worked)."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with store.engine.connect() as connection, connection.begin():
        if problem is None:
            connection.execute(
                text(
                    "UPDATE sync_replica SET tried_at = :t, synced_at = :t, problem = NULL "
                    "WHERE id = 1"
                ),
                {"t": now},
            )
        else:
            connection.execute(
                text("UPDATE sync_replica SET tried_at = :t, problem = :p WHERE id = 1"),
                {"t": now, "p": problem},
            )


def waiting_count(connection: Connection) -> int:
    """Records changed here and not yet sent."""
    return int(
        connection.exec_driver_sql(
            "SELECT count(*) FROM (SELECT DISTINCT tbl, row_key FROM sync_outbox)"
        ).scalar_one()
    )


def open_conflicts(connection: Connection) -> int:
    return int(
        connection.exec_driver_sql(
            "SELECT count(*) FROM sync_conflict WHERE resolved IS NULL"
        ).scalar_one()
    )
