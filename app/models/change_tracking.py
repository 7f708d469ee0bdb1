"""Works out, per committed unit of work, which kinds of record and accounts it touched.

Three ways a session writes, three listeners, one tally per session:

- the ORM flush (``after_flush``): every new, changed and deleted object, with its account
  found through its ``account_id`` or its parent chain (a milestone's goal's plan);
- ORM-executed statements (``session.execute(delete(Task).where(...))``, bulk inserts): the
  rows' accounts are read before the statement runs, or taken from its parameters;
- anything else run on the session's connection (Core or raw SQL, e.g. bulk score writes):
  the table named by the SQL, for every account.

Deleting a row also touches the kinds of the rows the database cascades to. The tally is
published on the store's :class:`~app.models.changes.ChangeFeed` after the commit, as one
:class:`~app.models.changes.ChangeSet`; a rollback drops it.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, select
from sqlalchemy.orm import InstanceState, ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.attributes import instance_state
from sqlalchemy.orm.util import identity_key
from sqlalchemy.sql.elements import ColumnElement

from app.models import Base  # every table: the package loads the whole ORM
from app.models.changes import ChangeFeed, ChangeKind, ChangeSet, kind_of_table

_TALLY = "fieldbook_change_tally"
_DML = re.compile(
    r'^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+"?(\w+)"?',
    re.IGNORECASE,
)
#: Bookkeeping tables no view shows (the change counter lives in ``workspace_meta`` but is
#: written through a statement the store marks as bookkeeping, see ``quietly``).
_IGNORED_TABLES = frozenset({"alembic_version"})


@dataclass
class _Tally:
    """What one session has written since its transaction began."""

    kinds: set[ChangeKind] = field(default_factory=set)
    accounts: set[str] = field(default_factory=set)
    #: Some write's accounts are unknown: announce the kinds for every account.
    every_account: bool = False
    #: >0 while the ORM (flush or an ORM statement) accounts for the SQL it runs.
    accounted: int = 0
    #: >0 while the store runs its own bookkeeping SQL.
    quiet: int = 0

    def add(self, table: Table, accounts: set[str] | None, *, deleted: bool = False) -> None:
        if table.name in _IGNORED_TABLES:
            return
        self.kinds.add(kind_of_table(table.name))
        if deleted:
            self.kinds.update(kind_of_table(t.name) for t in _dependents(table))
        if accounts is None:
            self.every_account = True
        else:
            self.accounts.update(accounts)

    def change_set(self) -> ChangeSet:
        accounts = () if self.every_account else self.accounts
        return ChangeSet.of(*self.kinds, accounts=accounts)


def _tally(session: Session) -> _Tally:
    tally = session.info.get(_TALLY)
    if tally is None:
        tally = session.info[_TALLY] = _Tally()
    return tally


# ---------------------------------------------------------------------- the schema's shape
@functools.cache
def _tables() -> dict[str, Table]:
    return {t.name: t for t in Base.metadata.sorted_tables}


@functools.cache
def _dependents(table: Table) -> frozenset[Table]:
    """Tables whose rows the database changes when a row of ``table`` is deleted."""
    found: set[Table] = set()
    todo = [table]
    while todo:
        parent = todo.pop()
        for child in Base.metadata.sorted_tables:
            for fk in child.foreign_keys:
                if fk.column.table is not parent or child in found:
                    continue
                if fk.ondelete in ("CASCADE", "SET NULL"):
                    found.add(child)
                    if fk.ondelete == "CASCADE":
                        todo.append(child)
    return frozenset(found)


def _link_up(table: Table) -> tuple[str, Table] | None:
    """The foreign key a row without ``account_id`` belongs to its parent by (cascading)."""
    for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
        if fk.ondelete == "CASCADE" and fk.column.table is not table:
            return fk.parent.name, fk.column.table
    return None


def _accounts_where(
    connection: Connection, table: Table, where: ColumnElement[bool] | None
) -> set[str] | None:
    """The accounts of the rows of ``table`` that ``where`` selects (None: cannot tell)."""
    if table.name == "account":
        query = select(table.c.id, table.c.parent_id)
        if where is not None:
            query = query.where(where)
        return {v for row in connection.execute(query) for v in row if v is not None}
    source: Any = table
    current = table
    while "account_id" not in current.c:
        link = _link_up(current)
        if link is None:
            return None
        column, parent = link
        source = source.join(parent, current.c[column] == parent.c.id)
        current = parent
    query = select(current.c.account_id).select_from(source).distinct()
    if where is not None:
        query = query.where(where)
    return {str(v) for (v,) in connection.execute(query) if v is not None}


# ---------------------------------------------------------------------- ORM objects
def _object_accounts(session: Session, obj: object, depth: int = 0) -> set[str] | None:
    state: InstanceState[Any] = instance_state(obj)
    mapper = state.mapper
    table = mapper.local_table
    assert isinstance(table, Table)
    values = state.dict

    def with_history(column: str) -> set[str]:
        found = {values.get(column)}
        prop = mapper.get_property_by_column(table.c[column])
        found.update(state.attrs[prop.key].history.deleted or ())
        return {str(v) for v in found if v is not None}

    if table.name == "account":
        ids = {str(values["id"])} if values.get("id") is not None else set()
        parent_key = mapper.get_property_by_column(table.c.parent_id).key
        history = state.attrs[parent_key].history
        if state.pending or state.deleted or state.was_deleted or history.has_changes():
            ids |= with_history("parent_id")  # the old and new parents' roll-ups change too
        return ids or None
    if "account_id" in table.c:
        return with_history("account_id") or None
    link = _link_up(table)
    if link is None or depth > 5:
        return None
    column, parent = link
    parent_id = values.get(mapper.get_property_by_column(table.c[column]).key)
    if parent_id is None:
        return None
    return _row_accounts(session, parent, parent_id, depth + 1)


def _row_accounts(session: Session, table: Table, pk: Any, depth: int) -> set[str] | None:
    """A row's accounts: from the session when it holds the row (even one being deleted)."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            held = session.identity_map.get(identity_key(mapper.class_, pk))
            if held is not None:
                return _object_accounts(session, held, depth)
    return _accounts_where(session.connection(), table, table.c.id == pk)


def _statement_table(statement: Any) -> Table | None:
    table = getattr(statement, "table", None)
    if table is None:
        return None
    name = getattr(table, "name", None)
    return _tables().get(name) if isinstance(name, str) else None


def _inserted_accounts(
    session: Session, table: Table, parameters: Iterable[Mapping[str, Any]]
) -> set[str] | None:
    accounts: set[str] = set()
    column = (
        "id" if table.name == "account" else ("account_id" if "account_id" in table.c else None)
    )
    link = _link_up(table) if column is None else None
    for row in parameters:
        if table.name == "account" and row.get("parent_id") is not None:
            accounts.add(str(row["parent_id"]))
        if column is not None:
            if row.get(column) is None:
                return None
            accounts.add(str(row[column]))
        elif link is not None and row.get(link[0]) is not None:
            found = _row_accounts(session, link[1], row[link[0]], 1)
            if found is None:
                return None
            accounts |= found
        else:
            return None
    return accounts


# ---------------------------------------------------------------------- the listeners
def track_changes(engine: Engine, sessions: sessionmaker[Session], feed: ChangeFeed) -> None:
    """Tally what each session of ``sessions`` writes and publish it on ``feed`` per commit."""
    by_connection: weakref.WeakKeyDictionary[Connection, _Tally] = weakref.WeakKeyDictionary()

    @event.listens_for(sessions, "after_begin")
    def _began(session: Session, _transaction: Any, connection: Connection) -> None:
        by_connection[connection] = _tally(session)

    @event.listens_for(sessions, "before_flush")
    def _flushing(session: Session, _context: Any, _instances: Any) -> None:
        _tally(session).accounted += 1

    @event.listens_for(sessions, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        tally = _tally(session)
        for obj in session.new:
            tally.add(_table_of(obj), _object_accounts(session, obj))
        for obj in session.dirty:
            if session.is_modified(obj, include_collections=False):
                tally.add(_table_of(obj), _object_accounts(session, obj))
        for obj in session.deleted:
            tally.add(_table_of(obj), _object_accounts(session, obj), deleted=True)

    @event.listens_for(sessions, "after_flush_postexec")
    def _flush_done(session: Session, _context: Any) -> None:
        tally = _tally(session)
        tally.accounted = max(0, tally.accounted - 1)

    @event.listens_for(sessions, "do_orm_execute")
    def _executing(state: ORMExecuteState) -> Any:
        if not (state.is_insert or state.is_update or state.is_delete):
            return None
        table = _statement_table(state.statement)
        if table is None:
            return None
        session = state.session
        accounts: set[str] | None
        if state.is_insert:
            params = state.parameters
            rows: list[Mapping[str, Any]]
            if isinstance(params, Mapping):
                rows = [params]
            elif params:
                rows = list(params)
            else:
                rows = []
            accounts = _inserted_accounts(session, table, rows) if rows else None
        elif state.parameters:
            accounts = None  # executemany: the rows are chosen by each parameter set
        else:
            accounts = _accounts_where(
                session.connection(), table, getattr(state.statement, "whereclause", None)
            )
        tally = _tally(session)
        tally.add(table, accounts, deleted=state.is_delete)
        tally.accounted += 1
        try:
            return state.invoke_statement()
        finally:
            tally.accounted -= 1

    @event.listens_for(engine, "before_cursor_execute")
    def _sql(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        tally = by_connection.get(connection)
        if tally is None or tally.accounted or tally.quiet:
            return
        match = _DML.match(statement)
        if match is None:
            return
        table = _tables().get(match.group(1).lower())
        if table is not None:
            tally.add(table, None, deleted=statement.lstrip()[:6].upper() == "DELETE")

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        tally = session.info.pop(_TALLY, None)
        if tally is not None:
            feed.publish(tally.change_set())

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_TALLY, None)


def note_accounts(session: Session, account_ids: Iterable[str]) -> None:
    """Announce ``account_ids``'s rows as changed: for SQL a service runs ``quietly`` on
    derived columns of known accounts (the kept tree summary), so the change set stays
    per account instead of book-wide."""
    _tally(session).add(_tables()["account"], set(account_ids))


@contextmanager
def quietly(session: Session) -> Iterator[None]:
    """Run the store's own bookkeeping SQL in ``session`` without announcing it."""
    tally = _tally(session)
    tally.quiet += 1
    try:
        yield
    finally:
        tally.quiet -= 1


def _table_of(obj: object) -> Table:
    state: InstanceState[Any] = instance_state(obj)
    table = state.mapper.local_table
    assert isinstance(table, Table)
    return table
