"""The account hierarchy: tree rows in one query, roll-ups up the tree, re-parenting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, func, select, text
from sqlalchemy.orm import Session

from app.models import REVENUE_LINES, Account
from app.services import tree_rows
from app.services.tree_rows import AccountRow, Rollup, read_account_rows, rollup, row_of

__all__ = [
    "TREE_ROWS_SQL",
    "AccountRow",
    "Rollup",
    "ancestor_ids",
    "children_index",
    "descendant_ids",
    "load_account_rows",
    "reparent",
    "rollup",
    "rollup_revenue",
    "row_map",
    "row_of",
]

#: The tree's one scan (``app.services.tree_rows``), as a statement for sessions.
TREE_ROWS_SQL = text(tree_rows.TREE_ROWS_SQL)


def load_account_rows(session: Session | Connection) -> list[AccountRow]:
    """Every account's tree row, in one query returning tuples (no ORM objects)."""
    connection = session.connection() if isinstance(session, Session) else session
    # On the DB-API connection: 10,000 rows through SQLAlchemy's result rows cost more than
    # the query, and each fetched tuple becomes an ``AccountRow`` as it is.
    return read_account_rows(connection.connection)


def children_index(rows: Iterable[AccountRow]) -> dict[str | None, list[AccountRow]]:
    """Rows grouped by parent id (``None`` holds the top-level accounts), sorted by name."""
    index: dict[str | None, list[AccountRow]] = defaultdict(list)
    for row in rows:
        index[row.parent_id].append(row)
    for siblings in index.values():
        siblings.sort(key=lambda r: r.name.casefold())
    return dict(index)


def rollup_revenue(session: Session, account_id: str) -> dict[str, dict[str, int]]:
    """Every revenue line summed over an account and its descendants, per currency.

    One statement (the subtree and the sums together): on a team server every statement is a
    round trip, and an account screen makes several.
    """
    below = select(Account.id).where(Account.id == account_id).cte("subtree", recursive=True)
    below = below.union(select(Account.id).join(below, Account.parent_id == below.c.id))
    sums = [func.coalesce(func.sum(getattr(Account, line)), 0) for line in REVENUE_LINES]
    query = (
        select(Account.currency, *sums)
        .where(Account.id.in_(select(below.c.id)))
        .group_by(Account.currency)
    )
    return {
        currency: {line: int(value) for line, value in zip(REVENUE_LINES, values, strict=True)}
        for currency, *values in session.execute(query)
    }


def descendant_ids(session: Session | Connection, account_id: str) -> list[str]:
    """Ids of every account below ``account_id`` (not itself), nearest first."""
    query = text(
        """
        WITH RECURSIVE below(id, depth) AS (
            SELECT id, 1 FROM account WHERE parent_id = :root
            UNION ALL
            SELECT a.id, below.depth + 1 FROM account a JOIN below ON a.parent_id = below.id
        )
        SELECT id FROM below ORDER BY depth
        """
    )
    return [row[0] for row in session.execute(query, {"root": account_id})]


def ancestor_ids(session: Session | Connection, account_id: str) -> list[str]:
    """Ids from the account's parent up to its top-level account."""
    query = text(
        """
        WITH RECURSIVE above(id, parent_id, depth) AS (
            SELECT id, parent_id, 0 FROM account WHERE id = :start
            UNION ALL
            SELECT a.id, a.parent_id, above.depth + 1
              FROM account a JOIN above ON a.id = above.parent_id
             WHERE above.depth < 10000
        )
        SELECT id FROM above WHERE depth > 0 ORDER BY depth
        """
    )
    return [row[0] for row in session.execute(query, {"start": account_id})]


def reparent(session: Session, account_id: str, new_parent_id: str | None) -> str | None:
    """Move an account under ``new_parent_id`` (None: top level); returns the old parent id.

    Raises ``HierarchyCycleError`` when the new parent sits below the account, and
    ``LookupError`` when either account does not exist.
    """
    account = session.get(Account, account_id)
    if account is None:
        raise LookupError(f"No account with id {account_id}.")
    if new_parent_id is not None and session.get(Account, new_parent_id) is None:
        raise LookupError(f"No account with id {new_parent_id}.")
    old = account.parent_id
    account.parent_id = new_parent_id
    session.flush()
    return old


def row_map(rows: Iterable[AccountRow]) -> Mapping[str, AccountRow]:
    """Rows by account id."""
    return {r.id: r for r in rows}
