"""Generating a 10,000-account demo workspace with two years of weekly history.

Target: at most 60 s and a file of at most 500 MB. The floor is the least any generator can
do: store the same number of metric snapshot rows (accounts x 105 weeks, two thirds of the
demo's rows) with raw ``sqlite3`` ``executemany`` into the real ``metric_snapshot`` table, rows
built beforehand, same pragmas (WAL, synchronous FULL, foreign keys, the generator's page
cache), one transaction. The ratio says what drawing the whole book and writing the other
tables costs on top; it is reported, not held to a target.
"""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.dialects import sqlite
from sqlalchemy.schema import CreateTable

from app.models import Base
from app.models.opening import open_workspace
from app.services.demo import generate_demo
from app.services.demo.context import HISTORY_WEEKS
from app.services.demo.generator import CACHE_KIB
from app.services.demo.history import SNAPSHOT_COLUMNS
from benchmarks.core import Benchmark, Run, timed
from benchmarks.workspaces import SEED, TODAY, cached_demo_path

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
MAX_SECONDS = 60.0
MAX_FILE_MB = 500.0


class State:
    """The case being measured and the floor's rows, built once."""

    def __init__(self, workdir: Path, accounts: int) -> None:
        self.workdir = workdir
        self.accounts = accounts
        self.runs = 0
        rng = random.Random(SEED)
        # In key order, as the demo writes them (see DemoContext.new_account_id).
        self.account_ids = sorted(f"{rng.getrandbits(128):032x}" for _ in range(accounts))
        weeks = [(TODAY - timedelta(weeks=w)).isoformat() for w in range(HISTORY_WEEKS)]
        self.snapshots = [
            (
                account,
                week,
                40,
                50,
                3,
                7,
                0,
                22.0,
                31.0,
                4.1,
                6,
                1,
                0,
                0,
                0,
                4,
            )
            for account in self.account_ids
            for week in weeks
        ]


def prepare(workdir: Path, quick: bool) -> State:
    return State(workdir, QUICK_ACCOUNTS if quick else ACCOUNTS)


def subject(state: State) -> Run:
    state.runs += 1
    path = state.workdir / f"generated-{state.runs}.db"

    def generate() -> None:
        store = open_workspace(path, create=True)
        try:
            generate_demo(store, accounts=state.accounts, seed=SEED, today=TODAY)
        finally:
            store.close()

    cpu_started = time.process_time()
    seconds = timed(generate)
    # CPU seconds of this process: unlike the wall clock, barely moved by a busy machine.
    cpu = time.process_time() - cpu_started
    size_mb = path.stat().st_size / 1e6
    keep = cached_demo_path(state.workdir, state.accounts)
    if keep.exists():
        path.unlink()
    else:
        path.rename(keep)  # the tree benchmark reads this workspace
    return Run(seconds, {"file_mb": size_mb, "cpu_s": cpu})


def floor(state: State) -> Run:
    path = state.workdir / "floor.db"
    dialect = sqlite.dialect()
    snapshot = Base.metadata.tables["metric_snapshot"]
    marks = ", ".join("?" * len(SNAPSHOT_COLUMNS))
    insert_sql = f"INSERT INTO metric_snapshot ({', '.join(SNAPSHOT_COLUMNS)}) VALUES ({marks})"

    def write() -> None:
        conn: Any = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            conn.execute("CREATE TABLE account (id VARCHAR(32) PRIMARY KEY)")
            conn.execute(str(CreateTable(snapshot).compile(dialect=dialect)))
            conn.execute("BEGIN")
            accounts = [(account,) for account in state.account_ids]
            conn.executemany("INSERT INTO account (id) VALUES (?)", accounts)
            conn.executemany(insert_sql, state.snapshots)
            conn.execute("COMMIT")
        finally:
            conn.close()

    seconds = timed(write)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return Run(seconds)


BENCHMARK = Benchmark(
    name="demo_generation",
    what="open a new workspace and generate a {size}-account demo with 2 years of weeks",
    floor_what="raw sqlite3 executemany of the same number of metric snapshot rows",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=3,
    quick_runs=1,
    max_seconds=MAX_SECONDS,
    max_figures={"file_mb": MAX_FILE_MB},
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
