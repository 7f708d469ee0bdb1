"""Which records a replica holds: made as a copy of the team workspace (the whole book or
``--mine``), then kept to the user's accounts (those that became theirs brought in, those no
longer theirs let go). No Qt here."""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, text

from app.models import (
    Base,  # every table: the package loads the whole ORM
    sync_server,
)
from app.models import sync_codec as codec
from app.models.account_paths import account_paths
from app.models.errors import WorkspaceError
from app.models.opening import open_workspace
from app.models.replica import info_of, quiet_transaction, server_connection
from app.models.replica_capture import install_capture
from app.models.replica_rows import delete_local, local_row
from app.models.server import save_password, shown
from app.models.store import Store
from app.models.sync_codec import dependents


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
    with quiet_transaction(store) as connection:
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
