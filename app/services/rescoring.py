"""Storing health scores: an account's weekly history rescored into ``HealthScore`` rows,
old rows replaced, in one unit of work (the one writer of scores)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import numpy as np
from sqlalchemy import Connection, Table, delete, insert
from sqlalchemy.orm import Session

from app.models.batches import batches
from app.models.health import HealthScore
from app.models.store import Store
from app.services.score_breakdown import breakdown_layout, encode_breakdowns
from app.services.scorecards import ScorecardSpec, ensure_default_scorecards, load_scorecards
from app.services.scoring import BANDS, ScoreResult, SnapshotFrame, compute_book, load_frame


def _connection(target: Store | Session | Connection) -> Any:
    """A context manager yielding (session or None, connection) in one unit of work."""
    from contextlib import contextmanager

    @contextmanager
    def scope() -> Any:
        if isinstance(target, Store):
            with target.session() as session:
                yield session, session.connection()
        elif isinstance(target, Session):
            yield target, target.connection()
        else:
            yield None, target

    return scope()


def rescore(target: Store | Session | Connection, account_ids: Iterable[str] | None = None) -> int:
    """Recompute and store the weekly HealthScore rows of ``account_ids`` (all when None).

    One unit of work: old scores of those accounts are deleted and replaced. Returns the
    number of scores stored. Seeds the default scorecards when there are none.
    """
    ids = None if account_ids is None else sorted(set(account_ids))
    with _connection(target) as (session, conn):
        if session is not None:
            ensure_default_scorecards(session)
            specs = load_scorecards(session)
        else:
            with Session(bind=conn, join_transaction_mode="create_savepoint") as own:
                ensure_default_scorecards(own)
                specs = load_scorecards(own)
                own.commit()
        frame = load_frame(conn, ids)
        table = cast(Table, HealthScore.__table__)
        if ids is None:
            conn.execute(delete(table))
        else:
            for batch in batches(ids):
                conn.execute(delete(table).where(table.c.account_id.in_(batch)))
        from app.services.account_summary import refresh_health

        if len(frame) == 0:
            refresh_health(conn, ids)
            return 0
        iso = conn.dialect.name == "sqlite"
        rows: list[tuple[Any, ...]] = []
        for spec, part, result in compute_book(frame, specs)[2]:
            rows.extend(_score_rows(frame.take(part), spec, result, iso_dates=iso))
        _insert_scores(conn, rows)
        # The account rows keep their latest health, in this same unit of work.
        refresh_health(conn, ids)
        return len(rows)


_SCORE_COLUMNS = ("account_id", "as_of", "score", "band", "breakdown")


def _score_rows(
    frame: SnapshotFrame, spec: ScorecardSpec, result: ScoreResult, *, iso_dates: bool
) -> list[tuple[Any, ...]]:
    """HealthScore rows (tuples in ``_SCORE_COLUMNS`` order) for the scored weeks of a frame."""
    keep = ~np.isnan(result.score)
    count = int(keep.sum())
    if count == 0:
        return []
    mask, keys = breakdown_layout(m.key for m in spec.measures)
    order = [next(j for j, m in enumerate(spec.measures) if m.key == key) for key in keys]
    points = np.column_stack([result.points[j] for j in order])[keep]
    breakdowns = encode_breakdowns(mask, points)
    dates = frame.as_of[keep].astype(str if iso_dates else object).tolist()
    bands = [BANDS[code].value for code in result.band[keep].tolist()]
    return list(
        zip(
            frame.account_id[keep].tolist(),
            dates,
            np.round(result.score[keep], 1).tolist(),
            bands,
            breakdowns,
            strict=True,
        )
    )


def _insert_scores(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Bulk insert in key order (pages fill up, no index splits); on SQLite via the driver."""
    rows.sort()
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(_SCORE_COLUMNS))
        sql = f"INSERT INTO health_score ({', '.join(_SCORE_COLUMNS)}) VALUES ({marks})"
        for start in range(0, len(rows), 50_000):
            conn.exec_driver_sql(sql, rows[start : start + 50_000])
        return
    table = cast(Table, HealthScore.__table__)
    for start in range(0, len(rows), 20_000):
        chunk = rows[start : start + 20_000]
        conn.execute(insert(table), [dict(zip(_SCORE_COLUMNS, r, strict=True)) for r in chunk])
