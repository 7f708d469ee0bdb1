"""Other people's commits to a team workspace, as change sets on ``store.changes``.

The server's triggers (migration 0004_team) send one notification per statement on the
``fieldbook_changes`` channel, delivered when the transaction commits; a listener thread
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

from app.models.changes import ChangeSet, kind_of_table
from app.models.server import CLIENT_SETTING
from app.models.store import Store

CHANNEL = "fieldbook_changes"
#: The listening window: what arrives within it is published as one change set.
GATHER_S = 0.25


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
