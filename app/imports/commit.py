"""Committing a planned import all or nothing, in bulk, journalled so it can be undone whole."""

from __future__ import annotations

import gc
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypedDict, Unpack

from sqlalchemy import Date, bindparam, insert, select, text, update
from sqlalchemy import Table as SATable
from sqlalchemy.orm import Session

from app.imports.mapping import Kind, Mapping, detect_mapping
from app.imports.plan import (
    Cancel,
    ImportPlan,
    Match,
    Progress,
    _tick,
    plan_import,
    row_key,
)
from app.imports.sources import ImportRefused, Table, open_table
from app.models import Base, ImportBatch, ImportJournal, new_id, utcnow
from app.models.base import ID_LENGTH, UTCDateTime
from app.models.opening import is_url, open_workspace, resolve_target
from app.models.store import Store

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
BATCH_TABLE: SATable = ImportBatch.__table__  # type: ignore[assignment]
JOURNAL_TABLE: SATable = ImportJournal.__table__  # type: ignore[assignment]


class ImportChoices(TypedDict, total=False):
    """How ``import_table`` goes about it (``import_to_path`` passes them on)."""

    match: Match
    dry_run: bool
    before_commit: Callable[[], None] | None
    progress: Progress | None
    cancel: Cancel | None
    skip_bad_rows: bool
    overwrite_edits: bool


@dataclass
class ImportOutcome:
    """What an import did: its plan, and the batch id when it was committed."""

    plan: ImportPlan
    batch_id: str | None = None
    #: The mapping the import used (detected or given).
    mapping: Mapping | None = None

    @property
    def committed(self) -> bool:
        """True when rows were written."""
        return self.batch_id is not None


def _table(name: str) -> SATable:
    return Base.metadata.tables[name]


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def import_table(
    store: Store,
    table: Table,
    mapping: Mapping,
    *,
    match: Match = "auto",
    dry_run: bool = False,
    before_commit: Callable[[], None] | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    skip_bad_rows: bool = False,
    overwrite_edits: bool = False,
) -> ImportOutcome:
    """Plan the import and, unless ``dry_run`` or the plan has errors, commit it whole.

    ``skip_bad_rows`` imports the good rows when some have errors (the plan lists the rest).

    ``before_commit`` runs once the plan is known to be good and before the first write
    (the place for a backup); if it raises, nothing is written. ``cancel`` is polled
    between batches; cancelling rolls everything back and raises ImportCancelled.
    """
    with _no_cyclic_gc():
        return _import_table(
            store,
            table,
            mapping,
            match,
            dry_run,
            before_commit,
            progress,
            cancel,
            skip_bad_rows,
            overwrite_edits,
        )


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector: a large import allocates millions of small
    containers, none of them cyclic, and repeated full collections made planning
    superlinear in the number of rows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_table(
    store: Store,
    table: Table,
    mapping: Mapping,
    match: Match,
    dry_run: bool,
    before_commit: Callable[[], None] | None,
    progress: Progress | None,
    cancel: Cancel | None,
    skip_bad_rows: bool = False,
    overwrite_edits: bool = False,
) -> ImportOutcome:
    def plan_in(session: Session) -> ImportPlan:
        return plan_import(
            session,
            table,
            mapping,
            match=match,
            progress=progress,
            cancel=cancel,
            overwrite_edits=overwrite_edits,
        )

    if dry_run:
        with store.read() as session:
            plan = plan_in(session)
        plan.skip_bad_rows = skip_bad_rows
        return ImportOutcome(plan)
    with store.session() as session:
        plan = plan_in(session)
        plan.skip_bad_rows = skip_bad_rows
        if not plan.ok or not plan.writes:
            # Nothing to write (the file as the workspace has it): no backup, no empty batch.
            session.rollback()
            return ImportOutcome(plan)
        if before_commit is not None:
            before_commit()
        batch_id = write_plan(session, plan, progress=progress, cancel=cancel)
    if progress is not None:
        progress("Done", 1.0)
    return ImportOutcome(plan, batch_id)


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
        batch_id = new_id()
        session.execute(
            insert(BATCH_TABLE),
            [
                {
                    "id": batch_id,
                    "created_at": utcnow(),
                    "kind": plan.kind,
                    "file_name": plan.file_name[:260],
                    "created_count": plan.created_rows + plan.new_accounts,
                    "updated_count": plan.updated_rows,
                    "undone_at": None,
                }
            ],
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
        target = _table(name)
        for start in range(0, len(rows), BATCH_ROWS):
            _tick(progress, cancel, "Writing", done / total)
            chunk = rows[start : start + BATCH_ROWS]
            bulk_insert(session, target, chunk)
            note(name, "create", [row_key(row) for row in chunk])
            done += len(chunk)
    groups: dict[tuple[str, tuple[str, ...]], list[dict[str, Any]]] = {}
    for name, row_id, changes, before in plan.updates:
        groups.setdefault((name, tuple(sorted(changes))), []).append(
            {**_key_params(_table(name), row_id), **changes}
        )
        note(name, "update", [row_id], json.dumps({k: _json_value(v) for k, v in before.items()}))
    for (name, columns), params in groups.items():
        target = _table(name)
        statement = (
            update(target).where(_key_where(target)).values({c: bindparam(c) for c in columns})
        )
        for start in range(0, len(params), BATCH_ROWS):
            _tick(progress, cancel, "Writing", done / total)
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
    _tick(progress, cancel, "Writing", 1.0)
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


def _restore(target: SATable, values: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in values.items():
        column_type = target.c[key].type
        if value is not None and isinstance(column_type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        out[key] = value
    return out


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


def list_imports(store: Store) -> list[ImportRecord]:
    """Every import committed to the workspace, newest first."""
    with store.read() as session:
        rows = session.scalars(select(ImportBatch).order_by(ImportBatch.created_at.desc())).all()
        return [
            ImportRecord(
                r.id,
                r.kind,
                r.file_name,
                r.created_at,
                r.created_count,
                r.updated_count,
                r.undone_at is not None,
            )
            for r in rows
        ]


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
                f"AND {_key_in(table, 'NOT IN', 'undo_created')} LIMIT 1"
            ).first()
            if later is not None:
                connection.exec_driver_sql("DELETE FROM undo_created")
                raise ImportRefused(
                    f"An account this import created has had {table.name.replace('_', ' ')} "
                    "records added since; undoing would delete them."
                )
        for name, action, row_ids, before in entries:
            if action != "update" or before is None:
                continue
            target = _table(name)
            values = _restore(target, json.loads(before))
            row_id = json.loads(row_ids)[0]
            session.execute(
                update(target).where(_key_where(target)).values(values),
                _key_params(target, row_id),
            )
        for name in reversed(WRITE_ORDER):
            condition = _key_in(_table(name), "IN", "undo_created WHERE tbl = :tbl")
            connection.execute(text(f"DELETE FROM {name} WHERE {condition}"), {"tbl": name})
        connection.exec_driver_sql("DELETE FROM undo_created")
        batch.undone_at = utcnow()
        return ImportRecord(
            batch.id,
            batch.kind,
            batch.file_name,
            batch.created_at,
            batch.created_count,
            batch.updated_count,
            True,
        )


def _key_where(table: SATable) -> Any:
    """The WHERE clause finding one row by its journal key (bound by ``_key_params``)."""
    if "id" in table.c:
        return table.c.id == bindparam("_id")
    return (table.c.account_id == bindparam("_account_id")) & (table.c.as_of == bindparam("_as_of"))


def _key_params(table: SATable, key: str) -> dict[str, Any]:
    """The parameters ``_key_where`` binds for the row a journal key (``row_key``) names."""
    if "id" in table.c:
        return {"_id": key}
    account_id, as_of = key.split(":")
    return {"_account_id": account_id, "_as_of": date.fromisoformat(as_of)}


def _key_in(table: SATable, test: str, source: str) -> str:
    """SQL: the row's journal key is (``test`` "IN") / is not ("NOT IN") among ``source``'s ids.

    A row without an id is keyed by (account_id, as_of), journalled as ``account_id:as_of``.
    """
    keys = [column.name for column in table.primary_key.columns]
    if keys != ["account_id", "as_of"]:
        return f"{keys[0] if keys else 'id'} {test} (SELECT id FROM {source})"
    width = ID_LENGTH
    return (
        # as_of as text on both sides: SQLite stores it so; PostgreSQL has a real date.
        f"(account_id, CAST(as_of AS TEXT)) {test} "
        f"(SELECT substr(id, 1, {width}), substr(id, {width + 2}) FROM {source})"
    )


def unrecognised(table: Table, kind: Kind | None) -> str:
    """The refusal for a file none of whose columns the catalogue knows."""
    columns = ", ".join(repr(h) for h in table.headers[:30])
    what = f"as {kind}" if kind is not None else "for any kind of record"
    advice = (
        "write a mapping file (see fieldbook import --help) and give it with --mapping"
        if kind is not None
        else "give --kind, or a mapping file with --mapping (see fieldbook import --help)"
    )
    return (
        f"No column of {table.path.name} is one Fieldbook recognises {what} (its columns are "
        f"{columns}); {advice}."
    )


def _workspace_files(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]


def import_to_path(
    db: str | os.PathLike[str] | None,
    file: str | Path,
    *,
    kind: Kind | None = None,
    mapping: Mapping | None = None,
    sheet: str | None = None,
    day_first: bool | None = None,
    default_currency: str | None = None,
    **choices: Unpack[ImportChoices],
) -> ImportOutcome:
    """Import ``file`` into the workspace at ``db``, creating the workspace if it is missing.

    ``choices`` are ``import_table``'s (match, dry run, progress, ...); without a
    ``before_commit`` an existing workspace gets a verified backup before the first write.

    A new workspace made for an import that is refused, has errors, is cancelled or is a
    dry run is removed again, so a failed first import leaves no file behind.
    """
    table = open_table(file, sheet=sheet)
    if mapping is None:
        mapping = detect_mapping(table.headers, kind)
        if not mapping.columns:
            raise ImportRefused(unrecognised(table, kind))
    elif kind is not None and mapping.kind != kind:
        raise ImportRefused(f"The mapping is for {mapping.kind}, not {kind}.")
    if day_first is not None:
        mapping.day_first = day_first
    if default_currency is not None:
        if not re.fullmatch(r"[A-Z]{3}", default_currency):
            raise ImportRefused(f"{default_currency!r} is not a three-letter currency code.")
        mapping.default_currency = default_currency
    mapping.check_against(table.headers, table.path.name)
    target = resolve_target(db)
    new_path = None if is_url(target) else Path(target).expanduser().absolute()
    if new_path is not None and new_path.exists():
        new_path = None
    store = open_workspace(db, create=True)
    if choices.get("before_commit") is None and new_path is None and store.path is not None:
        # An existing book gets a verified backup before the import writes a single row
        # (a team workspace's backups are the server's job: pg_dump).
        from app.services.backup import make_backup

        def backup() -> None:
            make_backup(store, "import")

        choices["before_commit"] = backup
    outcome: ImportOutcome | None = None
    try:
        outcome = import_table(store, table, mapping, **choices)
        outcome.mapping = mapping
        return outcome
    finally:
        store.close()
        if new_path is not None and (outcome is None or not outcome.committed):
            for leftover in _workspace_files(new_path):
                leftover.unlink(missing_ok=True)
