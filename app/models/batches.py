"""Long lists of ids read or written a batch at a time, so each ``IN (...)`` stays modest."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

#: Values per ``IN (...)`` list: far below SQLite's limit on bound parameters, and small
#: enough that each statement stays quick to plan.
BATCH_SIZE = 500


def batches(values: list[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    """``values`` in consecutive slices of at most ``size`` (none for an empty list)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
