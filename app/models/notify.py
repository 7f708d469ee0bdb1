"""Other people's commits to a team workspace, as change sets on ``store.changes``.

The server's triggers (:func:`install_triggers`, on every table of records after each schema
upgrade) send one notification per statement on the ``fieldbook_changes`` channel with the
table and the accounts its rows belong to, delivered when the transaction commits; a listener thread
holds one extra connection with ``LISTEN``, merges what one commit sent into a single
:class:`~app.models.changes.ChangeSet` (``remote=True``) and hands it to ``deliver``
(by default ``store.changes.publish``; the GUI passes a function that hops to the Qt
thread). The store's own commits are recognised by its client tag and skipped: the store
announces those itself.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from app.models.account_paths import account_path, record_tables
from app.models.changes import ChangeSet, kind_of_table
from app.models.server import CLIENT_SETTING
from app.models.store import Store

CHANNEL = "fieldbook_changes"
#: The listening window: what arrives within it is published as one change set.
GATHER_S = 0.25
#: The triggers every table of records carries, one per kind of statement.
TRIGGER_EVENTS = {"insert": "NEW", "update": "NEW", "delete": "OLD"}

#: One notification per statement: its table and the accounts of the rows it touched, found by
#: the query the trigger passes (see app.models.account_paths); none for a book-wide table.
ANNOUNCE_FUNCTION = """
CREATE OR REPLACE FUNCTION fieldbook_announce() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids text[];
BEGIN
    IF TG_ARGV[0] <> '' THEN
        EXECUTE TG_ARGV[0] INTO ids;
        IF ids IS NULL THEN
            PERFORM 1 FROM changed_rows LIMIT 1;
            IF NOT FOUND THEN
                RETURN NULL;  -- the statement touched no rows
            END IF;
            ids := '{}';  -- their parents are gone too (and announced themselves)
        ELSIF cardinality(ids) > 100 THEN
            ids := NULL;  -- too many to list: book-wide
        END IF;
    END IF;
    PERFORM pg_notify('fieldbook_changes', json_build_object(
        'client', current_setting('fieldbook.client', true),
        'who', current_user,
        'table', TG_TABLE_NAME,
        'accounts', ids)::text);
    RETURN NULL;
END $$
"""


def announced_accounts_query(table_name: str) -> str:
    """What the trigger on ``table_name`` runs to find the accounts of the changed rows
    (empty: a book-wide table)."""
    table = next(t for t in record_tables() if t.name == table_name)
    path = account_path(table)
    return "" if path is None else path.changed_accounts_sql("changed_rows")


def install_triggers(connection: Connection) -> list[str]:
    """Announce every table of records (all of the schema but its bookkeeping); idempotent.

    Run after every schema upgrade of a team workspace, so a table a later revision adds is
    announced without anyone listing it. Returns the tables announced.
    """
    connection.exec_driver_sql(ANNOUNCE_FUNCTION)
    names = []
    for table in record_tables():
        query = announced_accounts_query(table.name).replace("'", "''")
        for event, rows in TRIGGER_EVENTS.items():
            trigger = f"fieldbook_announce_{event}"
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table.name}")
            connection.exec_driver_sql(
                f"CREATE TRIGGER {trigger} AFTER {event.upper()} ON {table.name} "
                f"REFERENCING {rows} TABLE AS changed_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION fieldbook_announce('{query}')"
            )
        names.append(table.name)
    return names


def change_set(payloads: list[dict[str, Any]]) -> ChangeSet:
    """One change set for the notifications of one commit (or of a few, merged)."""
    merged = ChangeSet(remote=True)
    for payload in payloads:
        accounts = payload.get("accounts")
        kind = kind_of_table(str(payload.get("table", "")))
        one = ChangeSet.of(kind, accounts=accounts or (), remote=True)
        if accounts is None and payload.get("table") != "account_team":
            # Too many accounts to list, or a book-wide table: everything of that kind.
            one = ChangeSet.of(kind, remote=True)
        merged = one if not merged else merged.merged(one)
    return merged


class RemoteChanges:
    """A thread listening for other people's commits to the store's team workspace."""

    def __init__(self, store: Store, deliver: Callable[[ChangeSet], None] | None = None) -> None:
        self.store = store
        self.deliver = deliver or store.changes.publish
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None
        with store.engine.connect() as connection:
            self.client = str(
                connection.exec_driver_sql(
                    f"SELECT current_setting('{CLIENT_SETTING}', true)"
                ).scalar()
                or ""
            )

    def start(self) -> RemoteChanges:
        import psycopg

        url = self.store.engine.url.set(drivername="postgresql")
        self._connection = psycopg.connect(
            url.render_as_string(hide_password=False),
            autocommit=True,
            application_name="fieldbook listener",
        )
        self._connection.execute(f"LISTEN {CHANNEL}")
        self._thread = threading.Thread(target=self._run, name="fieldbook-listener", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        connection = self._connection
        while not self._stop.is_set():
            try:
                # Everything that arrived within one short window: one commit's statements
                # come together, so they become one change set.
                batch = [json.loads(note.payload) for note in connection.notifies(timeout=GATHER_S)]
            except Exception:
                if self._stop.is_set():
                    return
                raise
            theirs = [p for p in batch if p.get("client") != self.client]
            if theirs:
                self.deliver(change_set(theirs))

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def listen(
    store: Store, deliver: Callable[[ChangeSet], None] | None = None
) -> RemoteChanges | None:
    """Start listening when ``store`` is a team workspace (None for a workspace file)."""
    if store.engine.dialect.name != "postgresql":
        return None
    return RemoteChanges(store, deliver).start()
