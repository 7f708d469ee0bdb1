"""The history of committed imports, and undoing one whole: what it created removed, what it
changed put back, in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text, update

from app.imports.journal import JOURNAL_TABLE, key_in, key_params, key_where, restored
from app.imports.sources import ImportRefused
from app.imports.writing import WRITE_ORDER, table_named
from app.models import Base, ImportBatch, utcnow
from app.models.store import Store
from app.services.labels import a_record


@dataclass(frozen=True)
class ImportRecord:
    """A committed import as the history lists it."""

    batch_id: str
    kind: str
    file_name: str
    created_at: datetime
    created_count: int
    updated_count: int
    undone: bool

    @classmethod
    def of(cls, batch: ImportBatch) -> ImportRecord:
        """The history's record of one batch."""
        return cls(
            batch.id,
            batch.kind,
            batch.file_name,
            batch.created_at,
            batch.created_count,
            batch.updated_count,
            batch.undone_at is not None,
        )


def list_imports(store: Store) -> list[ImportRecord]:
    """Every import committed to the workspace, newest first."""
    with store.read() as session:
        rows = session.scalars(select(ImportBatch).order_by(ImportBatch.created_at.desc())).all()
        return [ImportRecord.of(row) for row in rows]


def undo_import(store: Store, batch_id: str) -> ImportRecord:
    """Remove what an import created and put back what it changed, in one transaction.

    Refuses (ImportRefused) when the import is unknown, already undone, or when an account
    it created has since gained records of its own (undoing would delete them).
    """
    with store.session() as session:
        batch = session.get(ImportBatch, batch_id)
        if batch is None:
            raise ImportRefused(f"There is no import {batch_id} in this workspace.")
        if batch.undone_at is not None:
            raise ImportRefused(f"The import of {batch.file_name} was already undone.")
        entries = session.execute(
            select(
                JOURNAL_TABLE.c.table_name,
                JOURNAL_TABLE.c.action,
                JOURNAL_TABLE.c.row_ids,
                JOURNAL_TABLE.c.before,
            )
            .where(JOURNAL_TABLE.c.batch_id == batch_id)
            .order_by(JOURNAL_TABLE.c.seq.desc())
        ).all()
        if any(entry[0] == "contract" for entry in entries):
            from app.services.account_summary import contracts_changed

            contracts_changed(session)
        connection = session.connection()
        connection.exec_driver_sql(
            "CREATE TEMP TABLE IF NOT EXISTS undo_created (id TEXT PRIMARY KEY, tbl TEXT)"
        )
        connection.exec_driver_sql("DELETE FROM undo_created")
        created = [
            {"id": row_id, "tbl": name}
            for name, action, row_ids, _ in entries
            if action == "create"
            for row_id in json.loads(row_ids)
        ]
        if created:
            # Bound by SQLAlchemy, so the paramstyle suits SQLite and PostgreSQL alike.
            connection.execute(
                text("INSERT INTO undo_created (id, tbl) VALUES (:id, :tbl)"), created
            )
        for table in Base.metadata.sorted_tables:
            column = "parent_id" if table.name == "account" else "account_id"
            if column not in table.c:
                continue
            later = connection.exec_driver_sql(
                f"SELECT 1 FROM {table.name} WHERE {column} IN "
                "(SELECT id FROM undo_created WHERE tbl = 'account') "
                f"AND {key_in(table, 'NOT IN', 'undo_created')} LIMIT 1"
            ).first()
            if later is not None:
                connection.exec_driver_sql("DELETE FROM undo_created")
                # The record as the window calls it ("a health snapshot", "a map line").
                added = "a sub-account" if table.name == "account" else a_record(table.name)
                raise ImportRefused(
                    f"An account this import created has had {added} added since; "
                    "undoing would delete it."
                )
        for name, action, row_ids, before in entries:
            if action != "update" or before is None:
                continue
            target = table_named(name)
            values = restored(target, json.loads(before))
            row_id = json.loads(row_ids)[0]
            session.execute(
                update(target).where(key_where(target)).values(values),
                key_params(target, row_id),
            )
        for name in reversed(WRITE_ORDER):
            condition = key_in(table_named(name), "IN", "undo_created WHERE tbl = :tbl")
            connection.execute(text(f"DELETE FROM {name} WHERE {condition}"), {"tbl": name})
        connection.exec_driver_sql("DELETE FROM undo_created")
        batch.undone_at = utcnow()
        return ImportRecord.of(batch)
