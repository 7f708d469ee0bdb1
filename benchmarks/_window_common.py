"""Shared helpers for the window benchmarks: a cached synthetic workspace, timing, reports."""

from __future__ import annotations

import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "fieldbook-bench"


def workspace(accounts: int) -> Path:
    """A workspace with ``accounts`` accounts (built once, then reused from the temp folder)."""
    from app.models.store import open_workspace
    from benchmarks.book import build_book

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"window-{accounts}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        store = open_workspace(partial, create=True)
        build_book(store, accounts, seed=7, rich=accounts <= 20_000)
        store.close()
        partial.replace(path)
    return path


def median_of(samples: list[float]) -> float:
    return statistics.median(samples)


def report(name: str, median: float, floor: float, target: str, ok: bool) -> None:
    """One line per figure: what, median, floor, target, verdict."""
    verdict = "meets" if ok else "MISSES"
    print(f"{name:<44} median {median * 1000:8.1f} ms  floor {floor * 1000:7.1f} ms  "
          f"target {target:<14} {verdict}")  # fmt: skip


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    import time

    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        out.append(time.perf_counter() - start)
    return out
