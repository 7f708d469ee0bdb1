"""Row captures: everything a delete removes, kept so undo can put it back exactly."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.orm import Session

from app.models import Base, note_keeping
from app.models.batches import batches


@dataclass
class RowCapture:
    """Rows of several tables (parents first) plus outside references that pointed into them.

    ``relinks`` are ``(table, key column, key, column, value)`` for rows outside the capture
    whose ``SET NULL`` foreign key the delete cleared; restoring sets them back.
    """

    tables: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)
    relinks: list[tuple[str, str, Any, str, Any]] = field(default_factory=list)

    def count(self, table: str) -> int:
        """How many rows of ``table`` the capture holds."""
        return sum(len(rows) for name, rows in self.tables if name == table)


def _single_key(table: Table) -> str | None:
    keys = list(table.primary_key.columns)
    return keys[0].name if len(keys) == 1 else None


def capture(session: Session, table_name: str, ids: Iterable[str]) -> RowCapture:
    """Capture rows ``ids`` of ``table_name`` and every row a cascading delete would remove."""
    captured: dict[str, set[Any]] = {table_name: set(ids)}
    result = RowCapture()
    for table in Base.metadata.sorted_tables:
        rows: list[dict[str, Any]] = []
        key = _single_key(table)
        if table.name == table_name and key is not None:
            wanted = sorted(captured[table_name])
            for chunk in batches(wanted):
                query = select(table).where(table.c[key].in_(chunk))
                rows.extend(dict(r._mapping) for r in session.execute(query))
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if fk.ondelete != "CASCADE" or target not in captured or target == table.name:
                continue
            parents = sorted(captured[target])
            for chunk in batches(parents):
                query = select(table).where(fk.parent.in_(chunk))
                rows.extend(dict(r._mapping) for r in session.execute(query))
        if rows and key is not None:
            rows.extend(_self_cascade(session, table, key, {r[key] for r in rows}))
        if not rows:
            continue
        rows = _unique(rows, table)
        if key is not None:
            captured.setdefault(table.name, set()).update(r[key] for r in rows)
        result.tables.append((table.name, rows))
    # Outside rows whose SET NULL reference the delete will clear.
    for table in Base.metadata.sorted_tables:
        key = _single_key(table)
        if key is None:
            continue
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if fk.ondelete != "SET NULL" or target not in captured:
                continue
            own = captured.get(table.name, set())
            for chunk in batches(sorted(captured[target])):
                query = select(table.c[key], fk.parent).where(fk.parent.in_(chunk))
                for row_key, value in session.execute(query):
                    if row_key not in own:
                        result.relinks.append((table.name, key, row_key, fk.parent.name, value))
    return result


def _self_cascade(
    session: Session, table: Table, key: str, start: set[Any]
) -> list[dict[str, Any]]:
    """Rows below ``start`` through the table's own cascading foreign key (sub-accounts)."""
    fks = [fk for fk in table.foreign_keys if fk.column.table is table and fk.ondelete == "CASCADE"]
    found: list[dict[str, Any]] = []
    seen = set(start)
    frontier = sorted(start)
    while frontier and fks:
        fresh: list[Any] = []
        for fk in fks:
            for chunk in batches(frontier):
                query = select(table).where(fk.parent.in_(chunk))
                for r in session.execute(query):
                    row = dict(r._mapping)
                    if row[key] not in seen:
                        seen.add(row[key])
                        found.append(row)
                        fresh.append(row[key])
        frontier = fresh
    return found


def _unique(rows: list[dict[str, Any]], table: Table) -> list[dict[str, Any]]:
    keys = [c.name for c in table.primary_key.columns]
    seen: set[tuple[Any, ...]] = set()
    out = []
    for row in rows:
        ident = tuple(row[k] for k in keys)
        if ident not in seen:
            seen.add(ident)
            out.append(row)
    if table.name == "account":
        out = _parents_first(out)
    return out


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_id = {r["id"]: r for r in rows}

    def depth(row: dict[str, Any]) -> int:
        level = 0
        parent = row["parent_id"]
        while parent in by_id and level <= len(by_id):
            level += 1
            parent = by_id[parent]["parent_id"]
        return level

    return sorted(rows, key=depth)


def delete_captured(session: Session, table_name: str, row_id: str) -> RowCapture:
    """Delete row ``row_id`` of ``table_name`` and what cascades from it; returns the capture
    undo needs (``restore``). Private notes on the people it removes, every author's, are not
    deleted with them but kept unseen for that undo (app.models.note_keeping)."""
    snapshot = capture(session, table_name, [row_id])
    table = Base.metadata.tables[table_name]
    session.execute(delete(table).where(table.c.id == row_id))
    session.expire_all()
    people = (row["id"] for name, rows in snapshot.tables if name == "stakeholder" for row in rows)
    note_keeping.people_deleted(session, people)
    return snapshot


def restore(session: Session, snapshot: RowCapture) -> None:
    """Insert every captured row again (same ids), then re-point the outside references."""
    tables = Base.metadata.tables
    for name, rows in snapshot.tables:
        table = tables[name]
        key = _single_key(table)
        # Self references (reports-to, successor) may point at rows inserted later.
        self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        deferred = [c for c in self_refs if name != "account"]
        first = [{**r, **dict.fromkeys(deferred)} for r in rows] if deferred else rows
        session.execute(table.insert(), first)
        if deferred and key is not None:
            for row in rows:
                values = {c: row[c] for c in deferred if row[c] is not None}
                if values:
                    session.execute(update(table).where(table.c[key] == row[key]).values(values))
    for name, key, row_key, column, value in snapshot.relinks:
        table = tables[name]
        session.execute(update(table).where(table.c[key] == row_key).values({column: value}))
    session.flush()
