"""A filter keystroke to the repainted account tree at 100,000 accounts. Target: 150 ms.

Same subject and floor as ``window_filter``, at ten times the book.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks._window_tree import TreeState, keystroke, plain_repaint
from benchmarks.core import Benchmark

ACCOUNTS = 100_000
QUICK_ACCOUNTS = 10_000
MAX_SECONDS = 0.150


def prepare(_workdir: Path, quick: bool) -> TreeState:
    state = TreeState(QUICK_ACCOUNTS if quick else ACCOUNTS, expand=False)
    for _ in range(9):
        keystroke(state)
    return state


BENCHMARK = Benchmark(
    name="window_filter_100k",
    what="filter keystroke to repaint, {size} accounts",
    floor_what="plain QTableView + QStandardItemModel repainting one screen of rows",
    prepare=prepare,
    subject=keystroke,
    floor=plain_repaint,
    runs=18,
    quick_runs=9,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
