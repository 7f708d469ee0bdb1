"""The health trend, in one place: how far an account's latest score moved in 90 days.

The trend is the latest score minus the score on the latest date at or before ``days``
(90) before the latest score's date, allowing a week of slack for a missed weekly run; an
account without a score that far back has no trend (None). The account tree, Health tab,
portfolio report and QBR exports all use this rule: call ``trend_of`` on a sorted series,
or ``latest_trends`` for many accounts at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # SQLAlchemy is imported when trends are read, not for the tree's first paint
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

#: The trend's span in days, and the slack allowed for a missed weekly score.
TREND_DAYS = 90
SLACK_DAYS = 7
#: A move of fewer whole points than this, either way, reads as steady: a weekly score drifts
#: a point or two on its own. The tree's arrow, the Health tab, the report's colours and the
#: QBR's words all ask ``direction``.
TREND_FLAT = 3


class Direction(StrEnum):
    """Which way a health trend points, in the words the documents use."""

    UP = "up"
    DOWN = "down"
    STEADY = "steady"


def trend_points(delta: float) -> int:
    """A trend in the whole points every screen and document shows: halves round away from
    zero, as Excel shows the report's trend cells (``-2.5`` is ``-3`` everywhere)."""
    return int(math.copysign(math.floor(abs(delta) + 0.5), delta))


def direction(delta: float) -> Direction:
    """Up or down from ``TREND_FLAT`` whole points, else steady."""
    points = trend_points(delta)
    if points >= TREND_FLAT:
        return Direction.UP
    if points <= -TREND_FLAT:
        return Direction.DOWN
    return Direction.STEADY


_ARROWS = {Direction.UP: "↑", Direction.DOWN: "↓", Direction.STEADY: "→"}


def trend_arrow(delta: float | None) -> str:
    """↑, ↓ or → for a change in points (``direction``); empty when unknown."""
    return "" if delta is None else _ARROWS[direction(delta)]


def trend_words(delta: float) -> str:
    """A trend as words: ``up 5 points``, ``down 3 points``, ``steady`` for no move, and
    ``steady (down 2 points)`` for a move under ``TREND_FLAT``."""
    points = trend_points(delta)
    if points == 0:
        return "steady"
    size = abs(points)
    moved = f"{'up' if points > 0 else 'down'} {size:,} point{'' if size == 1 else 's'}"
    return moved if direction(delta) is not Direction.STEADY else f"steady ({moved})"


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
    from sqlalchemy import bindparam, text

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
