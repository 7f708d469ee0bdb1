"""A filter keystroke to the repainted account tree at 10,000 accounts. Target: 30 ms.

The floor is a plain ``QTableView`` over a ``QStandardItemModel`` repainting a screen of
rows of the same size: Qt's own cost to draw that much text on this machine right now.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks._window_tree import TreeState, keystroke, plain_repaint
from benchmarks.core import Benchmark

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
MAX_SECONDS = 0.030


def prepare(_workdir: Path, quick: bool) -> TreeState:
    state = TreeState(QUICK_ACCOUNTS if quick else ACCOUNTS, expand=False)
    for _ in range(9):  # one warm-up pass through the keystrokes
        keystroke(state)
    return state


BENCHMARK = Benchmark(
    name="window_filter",
    what="filter keystroke to repaint, {size} accounts",
    floor_what="plain QTableView + QStandardItemModel repainting one screen of rows",
    prepare=prepare,
    subject=keystroke,
    floor=plain_repaint,
    runs=27,
    quick_runs=9,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
