"""20 people editing overlapping accounts of one team workspace at once, for 60 seconds.

Each writer is its own store (its own connections, as on its own laptop) and loops: read an
account's ARR, save it plus one with the value it read as ``expected`` (what the Overview
does), and on "someone else saved first" read again and retry, as a user would. Writers pick
from 10 accounts, so they collide all the time. Afterwards every account's ARR must equal its
start plus the increments that were saved: a lost update shows as a difference. Targets: no
lost update and no error reaching a writer (a deadlock would); throughput is reported. The
floor is one writer alone for the same time, so the ratio says what contention costs.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import select

from app.models import Account
from app.models.conflicts import EditConflictError
from app.models.opening import open_workspace
from app.models.store import Store
from app.services import accounts
from benchmarks.core import Benchmark, Run
from benchmarks.pg_server import new_database

WRITERS = 20
SECONDS = 60.0
QUICK_SECONDS = 5.0
HOT_ACCOUNTS = 10


class State:
    def __init__(self, url: str, ids: list[str], seconds: float) -> None:
        self.url = url
        self.ids = ids
        self.seconds = seconds


def prepare(_workdir: Path, quick: bool) -> State:
    url = new_database()
    store = open_workspace(url)
    with store.session() as session:
        rows = [Account(name=f"Shared {i}", arr_minor=1_000_000) for i in range(HOT_ACCOUNTS)]
        session.add_all(rows)
        session.flush()
        ids = [row.id for row in rows]
    store.close()
    return State(url, ids, QUICK_SECONDS if quick else SECONDS)


def _arr(store: Store, ids: list[str]) -> dict[str, int]:
    with store.read() as session:
        return dict(
            session.execute(select(Account.id, Account.arr_minor).where(Account.id.in_(ids)))
            .tuples()
            .all()
        )


def hammer(state: State, writers: int) -> Run:
    stores = [open_workspace(state.url) for _ in range(writers)]
    before = _arr(stores[0], state.ids)
    saved = dict.fromkeys(state.ids, 0)
    conflicts = [0]
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + state.seconds

    def work(number: int, store: Store) -> None:
        turn = number
        while time.perf_counter() < deadline:
            account_id = state.ids[turn % len(state.ids)]
            turn += 7
            while True:
                try:
                    with store.read() as session:
                        seen = accounts.account_values(session, account_id)["arr_minor"]
                    with store.session() as session:
                        accounts.update_account(
                            session, account_id, {"arr_minor": seen + 1}, {"arr_minor": seen}
                        )
                except EditConflictError:
                    with lock:
                        conflicts[0] += 1
                    continue
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    return
                with lock:
                    saved[account_id] += 1
                break

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n, store)) for n, store in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    after = _arr(stores[0], state.ids)
    for store in stores:
        store.close()
    lost = sum(abs(after[i] - before[i] - saved[i]) for i in state.ids)
    total = sum(saved.values())
    if errors:
        print(f"  first writer error: {errors[0]}")
    return Run(
        seconds,
        {
            "saves/s": total / seconds,
            "saves": float(total),
            "conflicts retried": float(conflicts[0]),
            "lost updates": float(lost),
            "writer errors": float(len(errors)),
        },
    )


BENCHMARK = Benchmark(
    name="team_writers",
    what=f"{WRITERS} writers saving overlapping accounts of a team workspace (PostgreSQL)",
    floor_what="one writer alone on the same accounts for the same time",
    prepare=prepare,
    subject=lambda state: hammer(state, WRITERS),
    floor=lambda state: hammer(state, 1),
    runs=1,
    quick_runs=1,
    max_figures={"lost updates": 0, "writer errors": 0},
    size=HOT_ACCOUNTS,
    quick_size=HOT_ACCOUNTS,
)
