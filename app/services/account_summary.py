"""What the account tree shows of each account, kept on the account row itself.

The latest health (score, band, 90-day trend) and the next renewal (the earliest end date of
an active contract) are stored on ``account`` so the tree reads one plain row per account.
They are kept in the same transaction as the change that moves them:

- health: ``app.services.rescoring.rescore`` (the one writer of scores) calls
  ``refresh_health`` for the accounts it scored;
- renewals: every unit of work that touched a contract (through the ORM or a Core statement
  run by the session) refreshes ``next_renewal`` of those accounts before it commits
  (``track_changes``; scores written through the ORM likewise refresh the health);
  bulk writers on a bare connection (the demo generator, imports) call
  ``refresh_renewals`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, bindparam, event, inspect, text
from sqlalchemy.orm import ORMExecuteState, Session

from app.models import Contract, HealthScore
from app.models.batches import batches
from app.models.change_tracking import note_accounts, quietly
from app.services.health_trend import latest_trends

_NEXT_RENEWAL = (
    "UPDATE account SET next_renewal = (SELECT min(c.end_date) FROM contract c "
    "WHERE c.account_id = account.id AND c.status = 'active')"
)
_LATEST_HEALTH = (
    "UPDATE account SET "
    "health_score = (SELECT h.score FROM health_score h WHERE h.account_id = account.id "
    "ORDER BY h.as_of DESC LIMIT 1), "
    "health_band = (SELECT h.band FROM health_score h WHERE h.account_id = account.id "
    "ORDER BY h.as_of DESC LIMIT 1), "
    "health_trend = NULL"
)
_SET_TREND = text("UPDATE account SET health_trend = :trend WHERE id = :id")


def _chunks(ids: Iterable[str] | None) -> list[list[str] | None]:
    """The ids in batches, or one ``None`` for every account."""
    return [None] if ids is None else list(batches(sorted(set(ids))))


def _run(conn: Connection | Session, sql: str, ids: Iterable[str] | None) -> None:
    for chunk in _chunks(ids):
        if chunk is None:
            conn.execute(text(sql))
        else:
            statement = text(sql + " WHERE account.id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            )
            conn.execute(statement, {"ids": chunk})


def refresh_renewals(conn: Connection | Session, account_ids: Iterable[str] | None = None) -> None:
    """Recompute ``account.next_renewal`` for ``account_ids`` (every account when None)."""
    _run(conn, _NEXT_RENEWAL, account_ids)


def refresh_health(conn: Connection | Session, account_ids: Iterable[str] | None = None) -> None:
    """Recompute the latest score, band and trend kept on ``account_ids`` (all when None)."""
    ids = None if account_ids is None else list(account_ids)
    _run(conn, _LATEST_HEALTH, ids)
    trends = [
        {"id": acc, "trend": trend}
        for acc, trend in latest_trends(conn, ids).items()
        if trend is not None
    ]
    for start in range(0, len(trends), 20_000):
        conn.execute(_SET_TREND, trends[start : start + 20_000])


# -- keeping the summary with every unit of work that touches contracts or scores -----------

#: ``session.info`` keys: account ids whose contracts / scores this unit of work changed.
_CONTRACTS = "fieldbook_contract_accounts"
_SCORES = "fieldbook_score_accounts"
#: In those sets: a Core statement changed rows of accounts not known (refresh them all).
_ALL = "*"
_TABLES = {"contract": _CONTRACTS, "health_score": _SCORES}


def _note(session: Session, key: str, account_ids: Iterable[str | None]) -> None:
    touched: set[str] = session.info.setdefault(key, set())
    touched.update(a for a in account_ids if a is not None)


def contracts_changed(session: Session, account_ids: Iterable[str] | None = None) -> None:
    """Tell the unit of work it changed contracts of ``account_ids`` (unknown: None) behind
    the session's back (on its connection): their next renewal is refreshed at commit."""
    _note(session, _CONTRACTS, [_ALL] if account_ids is None else account_ids)


def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        key = _CONTRACTS if isinstance(obj, Contract) else None
        key = _SCORES if isinstance(obj, HealthScore) else key
        if key is None:
            continue
        # A row moved to another account changes both.
        moved = inspect(obj).attrs.account_id.history.deleted or ()
        _note(session, key, [obj.account_id, *moved])


def _executed(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    key = _TABLES.get(getattr(table, "name", ""))
    if key is not None:
        _note(state.session, key, [_ALL])


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()
    contracts: set[str] | None = session.info.pop(_CONTRACTS, None)
    scores: set[str] | None = session.info.pop(_SCORES, None)
    if contracts:
        _refresh(session, refresh_renewals, contracts)
    if scores:
        _refresh(session, refresh_health, scores)


def _refresh(
    session: Session, refresh: Callable[[Session, Iterable[str] | None], None], ids: set[str]
) -> None:
    if _ALL in ids:
        refresh(session, None)  # the change feed announces it for every account
        return
    with quietly(session):
        refresh(session, ids)
    note_accounts(session, ids)  # only these accounts' rows changed


def _after_rollback(session: Session) -> None:
    session.info.pop(_CONTRACTS, None)
    session.info.pop(_SCORES, None)


def track_changes() -> None:
    """Keep the summary with every session's contract and score changes (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "do_orm_execute", _executed)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_rollback", _after_rollback)


track_changes()
