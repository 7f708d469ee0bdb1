"""The demo portfolio: draw a whole book of accounts and write it in one transaction."""

from __future__ import annotations

import random
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.orm import Session

from app.models import Base
from app.models.store import Store
from app.services.account_summary import refresh_renewals
from app.services.alerts import evaluate_alerts
from app.services.demo import writer
from app.services.demo.accounts import AccountPlan, plan_hierarchy, write_account
from app.services.demo.context import DemoContext, ProgressCallback
from app.services.demo.contracts import write_contracts
from app.services.demo.history import (
    SNAPSHOT_COLUMNS,
    draw_touches,
    draw_trend,
    write_snapshots,
    write_surveys,
)
from app.services.demo.people import write_people
from app.services.demo.plays import write_governance, write_plays
from app.services.demo.work import write_activities, write_opportunities, write_plan, write_risks
from app.services.rescoring import rescore

#: Tables the demo fills, parents before children.
DEMO_TABLES = (
    "account",
    "stakeholder",
    "stakeholder_relation",
    "map_card",
    "contract",
    "renewal",
    "success_plan",
    "goal",
    "milestone",
    "activity",
    "activity_attendee",
    "risk",
    "task",
    "opportunity",
    "metric_snapshot",
    "survey_response",
)
#: Tables holding a book's data; ``--force`` empties these (scorecards and meta are settings).
#: What a demo's summary counts: the rows it writes, the scores and alerts derived from them.
SUMMARY_TABLES = (*DEMO_TABLES, "health_score", "health_alert")
BOOK_TABLES = (*DEMO_TABLES, "health_score", "map_version")
#: Rows held in memory before they are written.
FLUSH_ROWS = 100_000
MAX_ACCOUNTS = 200_000
#: Page cache for the generating connection, in KiB.
CACHE_KIB = 256 * 1024


class WorkspaceNotEmptyError(ValueError):
    """The workspace already holds accounts and replacing them was not asked for."""


@dataclass(frozen=True)
class DemoSummary:
    """What ``generate_demo`` wrote: rows per table and how long it took."""

    counts: dict[str, int]
    seconds: float

    @property
    def accounts(self) -> int:
        return self.counts.get("account", 0)

    def describe(self) -> str:
        """One line for people: the main counts and the time."""
        c = self.counts
        return (
            f"{c.get('account', 0):,} accounts, {c.get('stakeholder', 0):,} stakeholders, "
            f"{c.get('contract', 0):,} contracts, "
            f"{c.get('metric_snapshot', 0):,} weekly snapshots, "
            f"{c.get('activity', 0):,} touchpoints, {c.get('task', 0):,} tasks, "
            f"{c.get('risk', 0):,} risks in {self.seconds:.1f} s"
        )


def _tables() -> list[Table]:
    return [Base.metadata.tables[name] for name in DEMO_TABLES]


def _flush(connection: Connection, ctx: DemoContext, counts: dict[str, int]) -> None:
    for table in _tables():
        if table.name == "metric_snapshot":
            rows: list[Any] = ctx.snapshot_rows
            _write_snapshots(connection, table, ctx.snapshot_rows)
        else:
            rows = ctx.rows.get(table.name, [])
            writer.insert_dicts(connection, table, rows)
        counts[table.name] = counts.get(table.name, 0) + len(rows)
        rows.clear()


def _write_snapshots(connection: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
    """Snapshot tuples already hold what SQLite binds (ISO dates, bools as ints)."""
    if writer.driver_path(connection):
        writer.insert_tuples(connection, table, SNAPSHOT_COLUMNS, rows)
    elif rows:
        dicts = [dict(zip(SNAPSHOT_COLUMNS, row, strict=True)) for row in rows]
        for row in dicts:
            row["as_of"] = date.fromisoformat(row["as_of"])
        connection.execute(insert(table), dicts)


def workspace_has_accounts(connection: Connection) -> bool:
    """Whether the workspace holds any account (the demo would mix with real data)."""
    account = Base.metadata.tables["account"]
    return connection.execute(select(func.count()).select_from(account)).scalar_one() > 0


def _empty_book(connection: Connection) -> None:
    for name in reversed(BOOK_TABLES):
        connection.execute(delete(Base.metadata.tables[name]))


def _write_account(ctx: DemoContext, plan: AccountPlan) -> None:
    """Every row of one account, queued in ``ctx``."""
    write_contracts(ctx, plan)
    write_account(ctx, plan)
    people = write_people(ctx, plan)
    trend = draw_trend(ctx, plan)
    touches = draw_touches(ctx, plan, trend)
    nps_levels = write_snapshots(ctx, plan, trend, touches)
    write_surveys(ctx, plan, people, nps_levels)
    write_activities(ctx, plan, people, touches)
    write_risks(ctx, plan, people)
    write_plan(ctx, plan)
    write_opportunities(ctx, plan)


@contextmanager
def _big_page_cache(connection: Connection) -> Iterator[None]:
    """A bigger SQLite page cache while generating, the connection's own one restored after.

    Random UUID keys scatter index writes over the whole file; with the default 2 MB cache,
    pages are spilled to the WAL and read back again many times within the transaction.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    pages = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {pages}")


def generate_demo(
    store: Store,
    *,
    accounts: int = 200,
    seed: int = 1,
    today: date | None = None,
    replace: bool = False,
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Write a believable book of ``accounts`` accounts, the same for the same seed and today.

    Everything is written in one transaction: on any error nothing is left behind. Raises
    WorkspaceNotEmptyError when the workspace already has accounts and ``replace`` is false;
    with ``replace`` the existing book is deleted in the same transaction.
    """
    if not 1 <= accounts <= MAX_ACCOUNTS:
        raise ValueError(f"accounts must be between 1 and {MAX_ACCOUNTS}")
    started = clock.perf_counter()
    ctx = DemoContext(rng=random.Random(seed), today=today or date.today())
    counts: dict[str, int] = {}
    with store.engine.begin() as connection, _big_page_cache(connection):
        if workspace_has_accounts(connection):
            if not replace:
                raise WorkspaceNotEmptyError("The workspace already holds accounts.")
            _empty_book(connection)
        done = 0
        while done < accounts:
            for plan in plan_hierarchy(ctx, accounts - done):
                _write_account(ctx, plan)
                done += 1
            if ctx.pending() >= FLUSH_ROWS:
                _flush(connection, ctx, counts)
                if progress is not None:
                    progress(done, accounts)
        _flush(connection, ctx, counts)
        # Health scores come from the snapshots through the one scoring service, in the
        # same transaction, so a demo book never exists without its scores.
        counts["health_score"] = rescore(connection)
        refresh_renewals(connection)  # each account keeps its next renewal
        # Raise this week's alerts too, so the Today view of a new demo book has them.
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            counts["health_alert"] = len(evaluate_alerts(session, ctx.today))
            # Reviews per the cadence and plays in every state (gaps and plays on first start).
            counts["activity"] = counts.get("activity", 0) + write_governance(session, ctx)
            write_plays(session, ctx)
            session.commit()
        if progress is not None:
            progress(done, accounts)
    return DemoSummary(
        counts={
            name: counts.get(name, 0) for name in (*DEMO_TABLES, "health_score", "health_alert")
        },
        seconds=clock.perf_counter() - started,
    )
