"""Loading the account tree's rows for 10,000 accounts.

Target: at most 40 ms and at most 5x the floor, a raw ``sqlite3`` query of the same columns
(id, parent, name, currency, ARR, owner, segment, latest health score, band and trend, next
renewal: all kept on the account row since ``0004_perf``, so both sides are a plain scan)
fetched as tuples. The subject is what the tree panel does, ``app.services.tree_rows.book_rows``:
on a workspace file, a plain read connection and the same scan turned into tree rows.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from app.models.store import Store
from app.services.tree_rows import TREE_ROWS_SQL, book_rows
from benchmarks.core import Benchmark, Run, timed
from benchmarks.workspaces import demo_workspace, open_shared

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
MAX_SECONDS = 0.040
MAX_RATIO = 5.0


class State:
    def __init__(self, store: Store, raw: Any, accounts: int) -> None:
        self.store = store
        self.raw = raw
        self.accounts = accounts


def prepare(workdir: Path, quick: bool) -> State:
    accounts = QUICK_ACCOUNTS if quick else ACCOUNTS
    path = demo_workspace(workdir, accounts)
    raw = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    state = State(open_shared(path), raw, accounts)
    subject(state)  # warm the page cache
    floor(state)
    return state


def subject(state: State) -> Run:
    loaded: list[Any] = []

    def load() -> None:
        loaded.extend(book_rows(state.store))

    cpu = time.process_time()
    seconds = timed(load)
    cpu_ms = (time.process_time() - cpu) * 1000
    assert len(loaded) == state.accounts
    # CPU time too: on a shared machine the wall clock also counts waiting for a core.
    return Run(seconds, {"cpu_ms": cpu_ms})


def floor(state: State) -> Run:
    loaded: list[Any] = []
    cpu = time.process_time()
    seconds = timed(lambda: loaded.extend(state.raw.execute(TREE_ROWS_SQL).fetchall()))
    cpu_ms = (time.process_time() - cpu) * 1000
    assert len(loaded) == state.accounts
    # The floor's CPU beside the subject's: under load the wall clock of both swells, and
    # what is left above the raw query shows only CPU to CPU.
    return Run(seconds, {"floor_cpu_ms": cpu_ms})


BENCHMARK = Benchmark(
    name="tree_rows",
    what="load the account tree's rows for {size} accounts (book_rows)",
    floor_what="raw sqlite3 query of the same columns, fetched as tuples",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=15,
    quick_runs=7,
    max_seconds=MAX_SECONDS,
    max_ratio=MAX_RATIO,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
