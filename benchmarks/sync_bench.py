"""Laptop sync against a local PostgreSQL server: a day's edits, and the first replica.

* ``sync_day``: a laptop replica of a 10,000-account book has 500 edits of its own and the
  team 500 on the server; one ``fieldbook sync`` sends and receives them (<= 2 s). The floor
  is the same writes done plainly: 500 updates in one server transaction plus 500 in one
  laptop transaction, so the ratio is what merging per field costs. The idle sync (nothing to
  exchange) is reported too: sync cost follows the changes, not the book.
* ``sync_first_replica``: making the replica of the whole book, against a plain verified copy
  of the same rows into a new file (``fieldbook copy``) as the floor (<= 3x).
"""

from __future__ import annotations

import itertools
import time
from pathlib import Path

from sqlalchemy import insert, text

from app.models import Account, Stakeholder, new_id
from app.models.copying import copy_book
from app.models.opening import open_workspace
from app.models.replica_copy import create_replica
from app.models.store import Store
from app.services import sync
from benchmarks.core import Benchmark, Run
from benchmarks.pg_server import new_database

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
EDITS = 500
_files = itertools.count()


class State:
    def __init__(self, url: str, folder: Path, ids: list[str]) -> None:
        self.url = url
        self.folder = folder
        self.ids = ids
        self.laptop: Store | None = None
        self.server: Store | None = None
        self.turn = 0


def _book(workdir: Path, quick: bool) -> State:
    url = new_database()
    store = open_workspace(url)
    size = QUICK_ACCOUNTS if quick else ACCOUNTS
    ids = [new_id() for _ in range(size)]
    with store.session() as session:
        session.execute(
            insert(Account),
            [{"id": i, "name": f"Account {n:05}", "owner": "Pat"} for n, i in enumerate(ids)],
        )
        session.execute(
            insert(Stakeholder),
            [
                {"id": new_id(), "account_id": i, "name": f"Contact {n}"}
                for n, i in enumerate(ids)
                for _ in range(2)
            ],
        )
    store.close()
    return State(url, workdir, ids)


def _new_file(state: State) -> Path:
    return state.folder / f"laptop-{next(_files)}.db"


# ------------------------------------------------------------------ a day's sync
def prepare_day(workdir: Path, quick: bool) -> State:
    state = _book(workdir, quick)
    path = _new_file(state)
    create_replica(state.url, path)
    state.laptop = open_workspace(path)
    state.server = open_workspace(state.url)
    return state


def _edits(state: State, store: Store, tag: str) -> None:
    state.turn += 1
    start = (state.turn * EDITS) % len(state.ids)
    chosen = (state.ids * 2)[start : start + EDITS]
    with store.session() as session:
        for key in chosen:
            account = session.get(Account, key)
            assert account is not None
            account.notes = f"{tag} {state.turn}"


def day_sync(state: State) -> Run:
    assert state.laptop is not None and state.server is not None
    _edits(state, state.laptop, "laptop")
    _edits(state, state.server, "team")
    started = time.perf_counter()
    result = sync.sync(state.laptop)
    seconds = time.perf_counter() - started
    idle = time.perf_counter()
    sync.sync(state.laptop)
    idle_seconds = time.perf_counter() - idle
    return Run(
        seconds,
        {
            "changes sent": float(result.pushed),
            "changes received": float(result.pulled),
            "idle sync s": idle_seconds,
        },
    )


def day_plain(state: State) -> Run:
    assert state.laptop is not None and state.server is not None
    chosen = state.ids[:EDITS]
    started = time.perf_counter()
    for store in (state.server, state.laptop):
        with store.engine.begin() as connection:
            connection.execute(
                text("UPDATE account SET industry = :v WHERE id = :k"),
                [{"v": f"plain {state.turn}", "k": key} for key in chosen],
            )
    return Run(time.perf_counter() - started)


# ------------------------------------------------------------------ the first replica
def first_replica(state: State) -> Run:
    path = _new_file(state)
    started = time.perf_counter()
    report = create_replica(state.url, path)
    return Run(time.perf_counter() - started, {"rows": float(report.total)})


def plain_copy(state: State) -> Run:
    path = _new_file(state)
    started = time.perf_counter()
    source = open_workspace(state.url)
    target = open_workspace(path, create=True)
    try:
        copy_book(source, target)
    finally:
        target.close()
        source.close()
    return Run(time.perf_counter() - started)


BENCHMARK_LIST = (
    Benchmark(
        name="sync_day",
        what="sync a {size}-account laptop replica: 500 edits sent, 500 of the team received",
        floor_what="the same 500 + 500 updates written plainly (one transaction each side)",
        prepare=prepare_day,
        subject=day_sync,
        floor=day_plain,
        runs=3,
        quick_runs=1,
        max_seconds=2.0,
        size=ACCOUNTS,
        quick_size=QUICK_ACCOUNTS,
    ),
    Benchmark(
        name="sync_first_replica",
        what="make a laptop replica of a {size}-account team book (PostgreSQL -> file)",
        floor_what="a plain verified copy of the same book into a new file (fieldbook copy)",
        prepare=_book,
        subject=first_replica,
        floor=plain_copy,
        runs=3,
        quick_runs=1,
        max_ratio=3.0,
        size=ACCOUNTS,
        quick_size=QUICK_ACCOUNTS,
    ),
)
