"""Bulk writes for the demo: Core's statement and type processing, the driver's executemany."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert

from app.services.demo.context import Row


def driver_path(connection: Connection) -> bool:
    """Whether rows go straight to the driver (SQLite) rather than through Core's executemany."""
    return connection.dialect.paramstyle == "qmark"


def insert_dicts(connection: Connection, table: Table, rows: list[Row]) -> None:
    """Insert ``rows`` (dicts sharing the same keys) into ``table`` in one executemany.

    On SQLite the values go through each column type's own bind processor (what Core would
    do) and then straight to the driver: Core's per-row parameter handling costs about three
    times SQLite's own work here. Other databases take the plain Core path.
    """
    if not rows:
        return
    dialect = connection.dialect
    if not driver_path(connection):
        connection.execute(insert(table), rows)
        return
    names = [column.name for column in table.columns if column.name in rows[0]]
    processors: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(names):
        bind = table.columns[name].type.dialect_impl(dialect).bind_processor(dialect)
        if bind is not None:
            processors.append((index, _memoized(bind)))
    values: list[tuple[Any, ...]] = []
    for row in rows:
        record = [row[name] for name in names]
        for index, processor in processors:
            record[index] = processor(record[index])
        values.append(tuple(record))
    insert_tuples(connection, table, names, values)


def _memoized(bind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``bind`` remembering its answers: demo dates, stamps and enum values repeat a lot."""
    seen: dict[Any, Any] = {}

    def process(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            result = seen[value] = bind(value)
            return result

    return process


def insert_tuples(
    connection: Connection, table: Table, names: Sequence[str], values: list[tuple[Any, ...]]
) -> None:
    """Insert rows already converted to what the driver binds, in ``names`` order."""
    if not values:
        return
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    marks = ", ".join("?" * len(names))
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})", values
    )
