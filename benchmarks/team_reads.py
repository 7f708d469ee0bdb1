"""A team workspace on PostgreSQL against the same book in a file: the tree and one account.

Both read the same demo book (copied into a fresh database on a local PostgreSQL server with
``fieldbook copy``'s code), through the same services, in the same run:

- ``team_tree_rows``: the account tree's rows for 10,000 accounts; target <= 3x the file.
- ``team_account_screen``: what one account's screen reads (its values, revenue roll-up,
  subtree, risks, tasks, contracts and influence map) for the largest account; <= 3x.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from app.models import Stakeholder
from app.models.copying import copy_book
from app.models.opening import open_workspace
from app.models.store import Store
from app.services import accounts, work_items
from app.services.hierarchy import descendant_ids, load_account_rows, rollup_revenue
from app.services.stakeholder_graph import load_account_map
from benchmarks.core import Benchmark, Run, timed
from benchmarks.pg_server import new_database
from benchmarks.workspaces import TODAY, demo_workspace

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
MAX_RATIO = 3.0


class State:
    def __init__(self, file: Store, server: Store, accounts: int, account_id: str) -> None:
        self.file = file
        self.server = server
        self.accounts = accounts
        self.account_id = account_id


_states: dict[int, State] = {}


def prepare(workdir: Path, quick: bool) -> State:
    """The demo book in a file and on the server (made once per run for both benchmarks)."""
    size = QUICK_ACCOUNTS if quick else ACCOUNTS
    if size in _states:
        return _states[size]
    path = demo_workspace(workdir, size)
    file = open_workspace(path)
    server = open_workspace(new_database())
    copy_book(file, server)
    with file.read() as session:
        busiest = session.execute(
            select(Stakeholder.account_id)
            .group_by(Stakeholder.account_id)
            .order_by(func.count().desc(), Stakeholder.account_id)
            .limit(1)
        ).scalar_one()
    state = _states[size] = State(file, server, size, busiest)
    for store in (file, server):  # warm caches on both sides alike
        tree(store, size)
        account_screen(store, busiest)
    return state


def tree(store: Store, expected: int) -> Run:
    loaded: list[Any] = []

    def load() -> None:
        with store.read() as session:
            loaded.extend(load_account_rows(session))

    seconds = timed(load)
    assert len(loaded) == expected
    return Run(seconds)


def account_screen(store: Store, account_id: str) -> Run:
    def load() -> None:
        with store.read() as session:
            accounts.account_values(session, account_id)
            rollup_revenue(session, account_id)
            descendant_ids(session, account_id)
            for kind in ("risk", "task", "contract"):
                work_items.list_items(session, kind, account_id)
        load_account_map(store, account_id, today=TODAY)

    return Run(timed(load))


TREE = Benchmark(
    name="team_tree_rows",
    what="load the account tree's rows for {size} accounts from a team workspace (PostgreSQL)",
    floor_what="the same rows from the same book in a workspace file (SQLite)",
    prepare=prepare,
    subject=lambda state: tree(state.server, state.accounts),
    floor=lambda state: tree(state.file, state.accounts),
    runs=9,
    quick_runs=5,
    max_ratio=MAX_RATIO,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)

SCREEN = Benchmark(
    name="team_account_screen",
    what="read one account's screen from a team workspace ({size}-account book, PostgreSQL)",
    floor_what="the same reads from the same book in a workspace file (SQLite)",
    prepare=prepare,
    subject=lambda state: account_screen(state.server, state.account_id),
    floor=lambda state: account_screen(state.file, state.account_id),
    runs=15,
    quick_runs=7,
    max_ratio=MAX_RATIO,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
