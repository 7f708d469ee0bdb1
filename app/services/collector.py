"""Pausing Python's cyclic garbage collector around bulk work that makes no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the block; a collector that was off stays off.

    For work that allocates many small containers, none of them cyclic (an import's planned
    rows, the tree's 10,000 fetched rows): the passes they trigger walk every object of the
    running app and find nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
