"""Writing a good plan inside the caller's transaction: bulk inserts and updates in batches,
each journalled so the import can be undone whole."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table as SATable
from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from app.imports.journal import JOURNAL_TABLE, json_value, key_params, key_where, new_batch, row_key
from app.imports.plan_model import Cancel, ImportPlan, Progress, report_progress
from app.models import Base, new_id

#: Rows per INSERT batch: large enough for executemany to pay off, small enough to cancel.
BATCH_ROWS = 5000
#: Tables an import writes, parents first (undo deletes in the reverse order).
WRITE_ORDER = (
    "account",
    "stakeholder",
    "opportunity",
    "contract",
    "renewal",
    "metric_snapshot",
    "activity",
)


def table_named(name: str) -> SATable:
    """The table an import writes, by its name in the journal."""
    return Base.metadata.tables[name]


def write_plan(
    session: Session,
    plan: ImportPlan,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    batch_id: str | None = None,
    journal_start: int = 0,
) -> str:
    """Write a good plan inside the caller's transaction with bulk inserts; returns the batch id.

    Several plans (the files of one export) share a batch when ``batch_id`` names one the
    caller made; ``journal_start`` then continues its journal's sequence.
    """
    if batch_id is None:
        batch_id = new_batch(
            session,
            plan.kind,
            plan.file_name,
            created=plan.records_created,
            updated=plan.updated_rows,
        )
    total = max(1, sum(len(rows) for rows in plan.creates.values()) + len(plan.updates))
    done = 0
    journal: list[dict[str, Any]] = []

    def note(table_name: str, action: str, ids: list[str], before: str | None = None) -> None:
        journal.append(
            {
                "id": new_id(),
                "batch_id": batch_id,
                "seq": journal_start + len(journal),
                "table_name": table_name,
                "action": action,
                "row_ids": json.dumps(ids),
                "before": before,
            }
        )

    for name in WRITE_ORDER:
        rows = plan.creates.get(name, [])
        target = table_named(name)
        for start in range(0, len(rows), BATCH_ROWS):
            report_progress(progress, cancel, "Writing", done / total)
            chunk = rows[start : start + BATCH_ROWS]
            bulk_insert(session, target, chunk)
            note(name, "create", [row_key(row) for row in chunk])
            done += len(chunk)
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for name, row_id, changes, before in plan.updates:
        groups.setdefault((name, tuple(sorted(changes))), []).append(
            {**key_params(table_named(name), row_id), **changes}
        )
        note(name, "update", [row_id], json.dumps({k: json_value(v) for k, v in before.items()}))
    for (name, columns), params in groups.items():
        target = table_named(name)
        statement = (
            update(target).where(key_where(target)).values({c: bindparam(c) for c in columns})
        )
        for start in range(0, len(params), BATCH_ROWS):
            report_progress(progress, cancel, "Writing", done / total)
            chunk = params[start : start + BATCH_ROWS]
            session.connection().execute(statement, chunk)
            done += len(chunk)
    for start in range(0, len(journal), BATCH_ROWS):
        session.execute(insert(JOURNAL_TABLE), journal[start : start + BATCH_ROWS])
    if plan.kept_users:
        from app.imports.users import keep_users

        keep_users(session, plan.kept_users)
    if plan.creates.get("contract") or any(u[0] in ("contract", "renewal") for u in plan.updates):
        from app.services.account_summary import refresh_renewals

        refresh_renewals(session)  # the accounts' next renewal, in this same transaction
    report_progress(progress, cancel, "Writing", 1.0)
    return batch_id


def bulk_insert(session: Session, table: SATable, rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts holding every column) with one executemany on the driver.

    The statement is SQLAlchemy Core's ``insert(table)``; values go through each column
    type's own bind processor, computed once per distinct value, since per-row processing
    by the engine costs more than the database work itself for a large import.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = [column.name for column in table.columns]
    compiled = insert(table).values({n: bindparam(n) for n in names}).compile(dialect=dialect)
    if not compiled.positiontup:
        # A driver with named parameters (PostgreSQL): let the engine do the executemany.
        session.execute(insert(table), rows)
        return
    order = list(compiled.positiontup)
    processors: list[tuple[int, Callable[[Any], Any], dict[Any, Any]]] = []
    for position, name in enumerate(order):
        found = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if found is not None:
            processors.append((position, found, {}))
    params = []
    for row in rows:
        values = [row[name] for name in order]
        for position, process, cache in processors:
            value = values[position]
            if value is not None:
                try:
                    values[position] = cache[value]
                except KeyError:
                    values[position] = cache[value] = process(value)
        params.append(tuple(values))
    connection.exec_driver_sql(str(compiled), params)
