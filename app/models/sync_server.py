"""The team workspace's side of laptop sync: apply a pushed batch, hand out changes since N.

A batch is applied in the caller's one transaction, under the change log's advisory lock, and
recorded in ``sync_batch`` with what came of it; a batch id seen before is not applied again,
its recorded outcome is returned instead (a laptop killed before it heard the answer).

How a batch is merged, field by field, and what the laptop is told is app.models.sync_merge.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection

from app.models.sync_merge import BatchMerge
from app.models.sync_state import Entry

#: The advisory lock of app/models/migrations/steps/sync.py.
LOG_LOCK = 7_261_001


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
    batch = BatchMerge(connection, node, base, entries)
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
