"""The account tree's rows: one plain scan of ``account``, and roll-ups up the hierarchy.

Plain Python with no SQLAlchemy: the window paints its first rows from this before the ORM is
imported (``app.models.store.Store.plain_read``); ``app.services.hierarchy`` reads the same
rows through a session.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from app.models.enums import HealthBand

#: One plain scan for the tree: the latest health and next renewal are kept on the account
#: row (``app.services.account_summary``), so the cost is one row per account.
TREE_ROWS_SQL = """
    SELECT a.id, a.parent_id, a.name, a.currency, a.arr_minor, a.owner, a.segment,
           a.health_score, a.health_band, a.next_renewal, a.health_trend
      FROM account a
"""


#: Band by stored value: a dict look-up instead of an Enum call per row (10k rows at start).
#: Keyed by the plain strings; a ``HealthBand`` (a ``StrEnum``) finds itself too.
_BANDS: dict[str, HealthBand] = {band.value: band for band in HealthBand}


@lru_cache(maxsize=4096)
def _day(iso: str) -> date:
    """A stored ISO date (SQLite keeps dates as text); renewals share a few hundred days."""
    return date.fromisoformat(iso)


_new_row = tuple.__new__
_field = itemgetter


class AccountRow(tuple):  # type: ignore[type-arg]
    """What the account tree shows of one account, before roll-up.

    A tuple in ``TREE_ROWS_SQL``'s column order, made straight from the fetched row (10,000
    accounts at start-up: a Python ``__init__`` per row cost more than the query). The stored
    band and renewal day are turned into ``HealthBand`` and ``date`` when read.
    """

    __slots__ = ()

    def __new__(
        cls,
        id: str,
        parent_id: str | None,
        name: str,
        currency: str,
        arr_minor: int,
        owner: str | None,
        segment: str | None,
        health_score: float | None,
        health_band: HealthBand | str | None,
        next_renewal: date | str | None,
        health_trend: float | None = None,
    ) -> AccountRow:
        values = (
            id, parent_id, name, currency, arr_minor, owner, segment, health_score,
            health_band, next_renewal, health_trend,
        )  # fmt: skip
        return _new_row(cls, values)

    if TYPE_CHECKING:
        id: str
        parent_id: str | None
        name: str
        currency: str
        arr_minor: int
        owner: str | None
        segment: str | None
        health_score: float | None
        #: The 90-day change of the latest score (``app.services.health_trend``).
        health_trend: float | None
    else:
        id = property(_field(0))
        parent_id = property(_field(1))
        name = property(_field(2))
        currency = property(_field(3))
        arr_minor = property(_field(4))
        owner = property(_field(5))
        segment = property(_field(6))
        health_score = property(_field(7))
        health_trend = property(_field(10))

    @property
    def health_band(self) -> HealthBand | None:
        band = self[8]
        return None if band is None else _BANDS.get(band)

    @property
    def next_renewal(self) -> date | None:
        day = self[9]
        return _day(day) if type(day) is str else day

    def __repr__(self) -> str:
        return f"AccountRow(id={self[0]!r}, name={self[2]!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_new_row, (AccountRow, tuple(self)))


@dataclass(slots=True)
class Rollup:
    """Totals of an account and everything below it."""

    #: Summed per currency: children in another currency are not silently converted.
    arr_minor: dict[str, int] = field(default_factory=dict)
    next_renewal: date | None = None
    worst_band: HealthBand | None = None
    descendants: int = 0

    def arr_in(self, currency: str) -> int:
        """The rolled-up ARR in ``currency`` (other currencies are reported separately)."""
        return self.arr_minor.get(currency, 0)


def read_account_rows(connection: Any) -> list[AccountRow]:
    """Every account's tree row, read on a DB-API connection (``TREE_ROWS_SQL``)."""
    cursor = connection.cursor()
    try:
        cursor.execute(TREE_ROWS_SQL)
        fetched = cursor.fetchall()
    finally:
        cursor.close()
    return list(map(partial(_new_row, AccountRow), fetched))


def book_rows(store: Any) -> list[AccountRow]:
    """Every account's tree row from ``store``: a workspace file's on a plain connection (no
    SQLAlchemy, so the window's first paint does not wait for it), a server's in a session."""
    if store.file is not None:
        with store.plain_read() as connection:
            return read_account_rows(connection)
    from app.services.hierarchy import load_account_rows

    with store.read() as session:
        return load_account_rows(session)


def row_of(values: Any) -> AccountRow:
    """An ``AccountRow`` from one row of ``TREE_ROWS_SQL``."""
    return _new_row(AccountRow, tuple(values))


def rollup(rows: Iterable[AccountRow]) -> dict[str, Rollup]:
    """Roll ARR, earliest renewal and worst health band up the tree, for every account."""
    rows = list(rows)
    kids: dict[str | None, list[AccountRow]] = defaultdict(list)
    for row in rows:
        kids[row[1]].append(row)
    # Every account starts with its own figures (a leaf's are final: most accounts are). By
    # position, as ``AccountRow``'s properties read them: 10,000 rows at start-up, where the
    # two Python property calls per row cost a tenth of the roll-up.
    bands = _BANDS
    result = {
        row[0]: Rollup(
            {row[3]: row[4]},
            _day(day) if type(day := row[9]) is str else day,
            None if (band := row[8]) is None else bands.get(band),
        )
        for row in rows
    }
    # Top-down order from the roots (and from the children of missing parents) over the
    # accounts that have children, so a deep hierarchy cannot overflow the stack; then each
    # total is added to its parent's, children before parents.
    order = [r for r in kids.get(None, ()) if r.id in kids]
    for missing in kids.keys() - result.keys() - {None}:
        order.extend(r for r in kids[missing] if r.id in kids)
    position = 0
    while position < len(order):
        order.extend(r for r in kids[order[position].id] if r.id in kids)
        position += 1
    for row in reversed(order):
        parent = result[row.id]
        arr = parent.arr_minor
        for child in kids[row.id]:
            total = result[child.id]
            for currency, amount in total.arr_minor.items():
                arr[currency] = arr.get(currency, 0) + amount
            renewal = total.next_renewal
            if renewal is not None and (
                parent.next_renewal is None or renewal < parent.next_renewal
            ):
                parent.next_renewal = renewal
            band = total.worst_band
            if band is not None and (
                parent.worst_band is None or band.rank < parent.worst_band.rank
            ):
                parent.worst_band = band
            parent.descendants += 1 + total.descendants
    return result
