"""One frame of scrolling the account tree a page down, 10,000 accounts all expanded.
Target: 16 ms (a frame at 60 Hz). Floor: a plain Qt table repainting one screen of rows."""

from __future__ import annotations

from pathlib import Path

from benchmarks._window_tree import TreeState, plain_repaint, scroll_page
from benchmarks.core import Benchmark

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
MAX_SECONDS = 0.016


def prepare(_workdir: Path, quick: bool) -> TreeState:
    state = TreeState(QUICK_ACCOUNTS if quick else ACCOUNTS, expand=True)
    for _ in range(5):
        scroll_page(state)
    return state


BENCHMARK = Benchmark(
    name="window_scroll",
    what="one frame scrolling a page of the tree, {size} accounts expanded",
    floor_what="plain QTableView + QStandardItemModel repainting one screen of rows",
    prepare=prepare,
    subject=scroll_page,
    floor=plain_repaint,
    runs=40,
    quick_runs=10,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
