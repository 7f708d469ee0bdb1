"""Demo workspaces the benchmarks share, generated once per run of the runner."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.models.opening import open_workspace
from app.models.store import Store
from app.services.demo import generate_demo

#: Every benchmark's demo uses this seed and today, so figures compare run to run.
SEED = 1
TODAY = date(2026, 11, 22)


def cached_demo_path(workdir: Path, accounts: int) -> Path:
    return workdir / f"demo-{accounts}.db"


def demo_workspace(workdir: Path, accounts: int) -> Path:
    """A demo workspace of ``accounts`` accounts in ``workdir``, made on first use."""
    path = cached_demo_path(workdir, accounts)
    if not path.exists():
        store = open_workspace(path, create=True)
        try:
            generate_demo(store, accounts=accounts, seed=SEED, today=TODAY)
        finally:
            store.close()
    return path


_OPEN: list[Store] = []


def open_shared(path: Path) -> Store:
    """Open ``path`` for a benchmark; the runner closes it when that benchmark is done, so
    the next one (a window benchmark's child process, say) can take the workspace's lock."""
    store = open_workspace(path)
    _OPEN.append(store)
    return store


def close_shared() -> None:
    """Close every store ``open_shared`` opened (the runner calls this after each benchmark)."""
    while _OPEN:
        _OPEN.pop().close()
