"""What the export benchmarks share: the demo book, the account they export, CPU timing.

The four benchmarks (``export_deck``, ``export_brief``, ``export_batch``, ``export_report``)
run on the runner's shared demo workspace (10,000 accounts with two years of weekly history;
1,000 with ``--quick``). Each ``Run`` also carries ``cpu_ms``, this process's CPU time: on a
shared machine the wall clock also counts the time spent waiting for a core.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.models.store import Store
from benchmarks.core import Run
from benchmarks.workspaces import TODAY, demo_workspace, open_shared

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
#: The accounts a deck or brief is made for: the first top-level accounts by name.
BATCH = 25


@dataclass
class ExportState:
    """An open demo workspace, the accounts to export and a folder to write into."""

    store: Store
    folder: Path
    accounts: list[str]
    extra: dict[str, Any] = field(default_factory=dict)


_STATES: dict[tuple[Path, bool], ExportState] = {}


def export_state(workdir: Path, quick: bool) -> ExportState:
    """The shared state, opened once per run of the runner."""
    key = (workdir, quick)
    if key not in _STATES or _STATES[key].store.lock is None:  # closed after the last one
        path = demo_workspace(workdir, QUICK_ACCOUNTS if quick else ACCOUNTS)
        store = open_shared(path)
        with store.read() as session:
            ids = list(
                session.execute(
                    text(
                        "SELECT a.id FROM account a WHERE a.parent_id IS NULL AND EXISTS "
                        "(SELECT 1 FROM stakeholder s WHERE s.account_id = a.id) "
                        "ORDER BY a.name LIMIT :n"
                    ),
                    {"n": BATCH},
                ).scalars()
            )
        folder = workdir / "exports"
        folder.mkdir(exist_ok=True)
        _STATES[key] = ExportState(store, folder, ids)
    return _STATES[key]


def timed_run(action: Callable[[], Any]) -> Run:
    """Wall seconds of ``action``, with its CPU milliseconds as a figure."""
    started, started_cpu = time.perf_counter(), time.process_time()
    action()
    seconds = time.perf_counter() - started
    return Run(seconds, {"cpu_ms": (time.process_time() - started_cpu) * 1000})


def export_one(state: ExportState, suffix: str) -> None:
    """One customer QBR of the first account (imports and caches already warm)."""
    from app.exports.qbr import export_qbr

    export_qbr(state.store, state.accounts[0], state.folder / f"qbr{suffix}", today=TODAY)
