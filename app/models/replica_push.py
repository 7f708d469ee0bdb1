"""Push: a replica's waiting changes sent batch by batch, each settled once the team
workspace confirms it (see app.models.replica). No Qt here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, text

from app.models import sync_codec as codec
from app.models import sync_server
from app.models.replica import ReplicaInfo, info_of, quiet_transaction
from app.models.replica_rows import (
    add_conflict,
    delete_local,
    insert_local,
    local_row,
    set_local,
    with_dependents,
)
from app.models.store import Store
from app.models.sync_codec import record_of
from app.models.sync_state import Entry

#: Outbox rows per pushed batch.
BATCH = 2_000


@dataclass
class PushReport:
    sent: int = 0
    applied: int = 0
    batches: int = 0
    resent: int = 0
    outcomes: list[dict[str, Any]] = field(default_factory=list)


def _next_batch(store: Store, info: ReplicaInfo) -> tuple[str, list[Entry]] | None:
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
    entries = [Entry(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in rows]
    return batch, entries


def _settle(store: Store, batch: str, result: dict[str, Any]) -> None:
    """Note what came of a confirmed batch and empty its outbox rows (one transaction)."""
    with quiet_transaction(store) as connection:
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
    """Send every waiting change, batch by batch; see app.models.replica."""
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
