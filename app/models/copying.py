"""Move a book between workspaces (a file and a team server, either way), verified per table.

Everything is written in one transaction on the target: rows are copied table by table in
foreign-key order, the per-table counts are compared with the source's before committing,
and any difference or error rolls the whole copy back, so the target is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, select, update

from app.models import Base  # every table: the package loads the whole ORM
from app.models.errors import WorkspaceError
from app.models.stakeholder import PrivateNote, current_author
from app.models.store import Store

CHUNK = 5_000
#: Laptop sync's own bookkeeping (a change log, an outbox): it belongs to where it is, and
#: a copied book starts with none (app.models.sync_tables).
_NOT_COPIED = ("sync_log", "sync_batch", "sync_replica", "sync_outbox", "sync_conflict")


def book_tables() -> list[Table]:
    """The tables a copy moves, parents first."""
    return [t for t in Base.metadata.sorted_tables if t.name not in _NOT_COPIED]


#: Rows the migrations seed into every new workspace; the copy replaces them with the source's.
_SEEDED = ("scorecard", "scorecard_measure", "alert_rule", "workspace_meta")


@dataclass(frozen=True)
class CopyReport:
    """Rows per table, as counted in the source and (the same) in the target."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _self_references(table: Table) -> list[str]:
    """Columns of ``table`` that point at rows of the same table (filled in a second pass)."""
    return [
        fk.parent.name
        for fk in table.foreign_keys
        if fk.column.table is table and fk.parent.name not in table.primary_key.columns
    ]


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows in every table of the schema."""
    return {
        table.name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
        for table in book_tables()
    }


def copy_book(
    source: Store, target: Store, *, progress: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copy every row of ``source`` into ``target`` (which must hold no accounts).

    Raises WorkspaceError, having changed nothing, when the target already holds a book or
    the counts differ after copying.
    """
    if target.read_only:
        raise WorkspaceError(f"{target.name} is open read-only; nothing was copied.")
    tables = book_tables()
    with source.engine.connect() as reader, target.engine.connect() as writer, reader.begin():
        expected = count_rows(reader)
        with writer.begin():
            existing = count_rows(writer)
            busy = [n for n, c in existing.items() if c and n not in _SEEDED]
            if busy:
                raise WorkspaceError(
                    f"{target.name} already holds a book ({busy[0]} has rows); "
                    "copy into an empty workspace."
                )
            if writer.dialect.name == "postgresql":
                writer.exec_driver_sql("SET LOCAL fieldbook.copying = 'on'")
            for table in reversed(tables):
                if existing[table.name]:
                    writer.execute(table.delete())
            for table in tables:
                _copy_table(reader, writer, table)
                if progress is not None:
                    progress(table.name, expected[table.name])
            _hand_over_notes(reader, writer)
            if writer.dialect.name == "postgresql":
                _advance_sequences(writer, tables)
            found = count_rows(writer)
            wrong = [n for n in expected if found[n] != expected[n]]
            if wrong:
                name = wrong[0]
                raise WorkspaceError(
                    f"The copy of {name} has {found[name]:,} rows, not {expected[name]:,}; "
                    "nothing was copied."
                )
        if writer.dialect.name == "postgresql":
            # The server plans its queries from statistics that a bulk load leaves empty
            # until autovacuum gets round to them: gather them now, so the first screens
            # opened on the copied book are planned for its real size.
            with writer.begin():
                writer.exec_driver_sql("ANALYZE")
    return CopyReport(expected)


def _hand_over_notes(reader: Connection, writer: Connection) -> None:
    """The copier's own private notes stay theirs: a file's notes are written by the computer's
    user, a server's by a login, so the author changes with the workspace. Other people's
    notes keep their authors (the copier read them only if the server let them)."""
    mine, theirs = current_author(reader), current_author(writer)
    if mine != theirs:
        note = cast(Table, PrivateNote.__table__)
        kept = {"updated_at": note.c.updated_at}  # a hand-over is not an edit of the note
        writer.execute(update(note).where(note.c.author == mine).values(author=theirs, **kept))


def _copy_table(reader: Connection, writer: Connection, table: Table) -> None:
    later = _self_references(table)
    # The second pass must not touch timestamps an update would otherwise refresh.
    kept = [c.name for c in table.columns if c.onupdate is not None] if later else []
    keys = [column.name for column in table.primary_key.columns]
    order = [table.c[name] for name in keys]
    result = reader.execution_options(stream_results=True).execute(select(table).order_by(*order))
    links: list[dict[str, Any]] = []
    while rows := result.mappings().fetchmany(CHUNK):
        values = [dict(row) for row in rows]
        if later:
            for row in values:
                if any(row[name] is not None for name in later):
                    links.append(
                        {
                            **{f"k_{k}": row[k] for k in keys},
                            **{f"v_{n}": row[n] for n in [*later, *kept]},
                        }
                    )
                for name in later:
                    row[name] = None
        writer.execute(table.insert(), values)
    if links:
        where = [table.c[k] == bindparam(f"k_{k}") for k in keys]
        statement = (
            update(table).where(*where).values({n: bindparam(f"v_{n}") for n in [*later, *kept]})
        )
        for start in range(0, len(links), CHUNK):
            writer.execute(statement, links[start : start + CHUNK])


def _advance_sequences(writer: Connection, tables: list[Table]) -> None:
    """Serial keys were copied as they were: move their sequences past them."""
    for table in tables:
        column = table.autoincrement_column
        if column is not None:
            writer.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                f"coalesce((SELECT max({column.name}) FROM {table.name}), 0) + 1, false)"
            )
