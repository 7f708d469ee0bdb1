"""A laptop replica of a team workspace: what it is, its state, its server (no Qt here).

A replica is an ordinary workspace file plus the ``sync_replica`` row and SQLite triggers that
write every local change, per field, into ``sync_outbox`` with the replica's hybrid logical
clock (app.models.replica_capture). Nothing else in the app knows: every edit path is
captured, whichever code made it.

A sync pushes then pulls:

* push (app.models.replica_push): the waiting changes get a batch id (committed locally
  first), the server applies the batch in one transaction and records it
  (app.models.sync_server), and only when that commit is confirmed does the laptop note the
  outcome and empty those outbox rows, in one local transaction. A kill anywhere leaves either
  the batch waiting (sent again as it is, which the server recognises) or everything done.
* pull (app.models.replica_pull): the server's log after the last pulled position, applied
  quietly (the triggers are off while ``applying`` is set) page by page, each page with its
  new position in one local transaction. A change made on the laptop meanwhile meets an
  incoming one field by field: the later clock wins and the other value goes to the conflict
  list.

Making a replica and keeping a ``--mine`` one to the user's accounts is
app.models.replica_copy; the local row writes both sides of a merge use are
app.models.replica_rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from app.models.errors import WorkspaceError
from app.models.schema import head_revision, known_revisions
from app.models.server import connection_problem, make_server_engine, parse_server_url, shown
from app.models.store import Store


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
def quiet_transaction(store: Store) -> Iterator[Connection]:
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
            raise ServerUnreachableError(str(connection_problem(exc, url))) from exc
        yield engine, url
    finally:
        engine.dispose()


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
