"""The health trend, in one place: how far an account's latest score moved in 90 days.

The trend is the latest score minus the score on the latest date at or before ``days``
(90) before the latest score's date, allowing a week of slack for a missed weekly run; an
account without a score that far back has no trend (None). The account tree, Health tab,
portfolio report and QBR exports all use this rule: call ``trend_of`` on a sorted series,
or ``latest_trends`` for many accounts at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import Connection, bindparam, text
from sqlalchemy.orm import Session

#: The trend's span in days, and the slack allowed for a missed weekly score.
TREND_DAYS = 90
SLACK_DAYS = 7


def score_before(series: Sequence[tuple[date, float]], when: date) -> float | None:
    """The score on the latest date at or before ``when`` (within the slack), from a series
    sorted by date."""
    best: tuple[date, float] | None = None
    for as_of, score in series:
        if as_of > when:
            break
        best = (as_of, score)
    if best is None or (when - best[0]).days > SLACK_DAYS:
        return None
    return best[1]


def trend_of(series: Sequence[tuple[date, float]], days: int = TREND_DAYS) -> float | None:
    """Change of the latest score over ``days`` (rounded to 0.1), from (date, score) points
    sorted by date; None without a score that far back."""
    if not series:
        return None
    latest_on, latest = series[-1]
    then = score_before(series, latest_on - timedelta(days=days))
    return None if then is None else round(latest - then, 1)


_LATEST_SQL = "SELECT account_id, max(as_of) FROM health_score{where} GROUP BY account_id"
_SERIES_SQL = (
    "SELECT account_id, as_of, score FROM health_score "
    "WHERE as_of >= :since{where} ORDER BY account_id, as_of"
)


def latest_trends(
    target: Session | Connection,
    account_ids: Iterable[str] | None = None,
    days: int = TREND_DAYS,
) -> dict[str, float | None]:
    """``trend_of`` for every scored account (or those of ``account_ids``), read in two
    queries: the latest dates, then the weeks the trends need."""
    ids = None if account_ids is None else sorted(set(account_ids))
    out: dict[str, float | None] = {}
    chunks = [None] if ids is None else [ids[i : i + 500] for i in range(0, len(ids), 500)]
    for chunk in chunks:
        where = "" if chunk is None else " AND account_id IN :ids"
        params: dict[str, object] = {} if chunk is None else {"ids": chunk}
        latest_sql = text(_LATEST_SQL.format(where=where.replace(" AND", " WHERE", 1)))
        if chunk is not None:
            latest_sql = latest_sql.bindparams(bindparam("ids", expanding=True))
        latest = {
            acc: _as_date(on) for acc, on in target.execute(latest_sql, params) if on is not None
        }
        if not latest:
            continue
        since = min(latest.values()) - timedelta(days=days + SLACK_DAYS)
        series_sql = text(_SERIES_SQL.format(where=where))
        if chunk is not None:
            series_sql = series_sql.bindparams(bindparam("ids", expanding=True))
        series: dict[str, list[tuple[date, float]]] = {}
        for acc, on, score in target.execute(series_sql, {**params, "since": since}):
            if acc in latest:
                series.setdefault(acc, []).append((_as_date(on), float(score)))
        for acc in latest:
            out[acc] = trend_of(series.get(acc, []), days)
    return out


def _as_date(value: object) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]
