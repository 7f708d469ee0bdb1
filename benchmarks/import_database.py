"""The database work of importing 100,000 contact rows: bulk insert, journal, commit.

Target (issue 8): at most 1.5 s on a machine where the floor takes about a second, so at
most 1.5x the floor: raw ``sqlite3.executemany`` of the same account and stakeholder rows
into the same schema, same pragmas, one transaction. The subject is ``write_plan`` (Core
``insert()`` executemany in batches of 5,000, each column's bind processor applied once per
distinct value, the undo journal) and the commit, for a plan made beforehand.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from benchmarks.core import Benchmark, Run
from benchmarks.import_bench import QUICK_ROWS, ROWS, State, _fresh, floor, prepare

MAX_RATIO = 1.5


def _prepare(workdir: Path, quick: bool) -> State:
    return prepare(workdir, quick, memory=False)


def subject(state: State) -> Run:
    from app.imports.writing import write_plan
    from app.models.opening import open_workspace

    store = open_workspace(_fresh(state, "database.db"))
    gc.disable()  # as import_table does
    try:
        started = time.perf_counter()
        with store.session() as session:
            write_plan(session, state.plan)
        return Run(time.perf_counter() - started)
    finally:
        gc.enable()
        store.close()


BENCHMARK = Benchmark(
    name="import_database",
    what="write and commit {size} planned contact rows (write_plan: bulk insert, journal)",
    floor_what="raw sqlite3 executemany of the same account and stakeholder rows",
    prepare=_prepare,
    subject=subject,
    floor=floor,
    runs=5,
    quick_runs=2,
    max_ratio=MAX_RATIO,
    size=ROWS,
    quick_size=QUICK_ROWS,
)
