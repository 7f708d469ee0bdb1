"""What every part of the demo generator shares: the seeded dice, the pinned today, the rows."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np

Row = dict[str, Any]

# uuid.UUID(int=..., version=4): clear the variant and version bits, then set them.
_UUID4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_UUID4_SET = (0x8000 << 48) | (4 << 76)

#: How many weeks of metric history every account gets (two years, both ends included).
HISTORY_WEEKS = 105


@dataclass
class DemoContext:
    """The seeded random source, the pinned today and the rows waiting to be written."""

    rng: random.Random
    today: date
    rows: dict[str, list[Row]] = field(default_factory=dict)
    used_company_names: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Weekly snapshots land on the same weekday as today, the last one today itself.
        self.weeks: list[date] = [
            self.today - timedelta(weeks=HISTORY_WEEKS - 1 - i) for i in range(HISTORY_WEEKS)
        ]
        self.history_start = self.weeks[0]
        self.week_texts = [week.isoformat() for week in self.weeks]
        self.week_ordinals = np.array([week.toordinal() for week in self.weeks], dtype=np.int64)
        self.week_index = np.arange(HISTORY_WEEKS)
        #: Vectorised noise for the weekly history, seeded from the main generator.
        self.np_rng = np.random.Generator(np.random.PCG64(self.rng.getrandbits(64)))
        #: Metric snapshots, the bulk of the rows, as tuples (see ``history.SNAPSHOT_COLUMNS``).
        self.snapshot_rows: list[tuple[object, ...]] = []
        # Room for MAX_ACCOUNTS steps of at most 2**14 below 2**32.
        self._account_prefix = self.rng.getrandbits(28)

    def new_id(self) -> str:
        """A UUID drawn from the seeded generator, so ids repeat per seed.

        The same value ``app.models.new_id(rng)`` returns, built without the ``uuid.UUID``
        object: the demo draws over a million of them.
        """
        value = (self.rng.getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET
        return f"{value:032x}"

    def new_account_id(self) -> str:
        """Like ``new_id``, but each greater than the last (its first 8 hex digits climb).

        Everything an account owns is keyed or indexed by its id first, so the demo's rows
        then reach each of those B-trees in key order: appended to full pages rather than
        splitting half-full ones all over the file, which keeps the file small and fast.
        """
        self._account_prefix += 1 + self.rng.getrandbits(14)
        low = (self.rng.getrandbits(96) & _UUID4_CLEAR) | _UUID4_SET
        return f"{(self._account_prefix << 96) | low:032x}"

    def emit(self, table: str, row: Row) -> None:
        """Queue one row for ``table``."""
        bucket = self.rows.get(table)
        if bucket is None:
            bucket = self.rows[table] = []
        bucket.append(row)

    def pending(self) -> int:
        return len(self.snapshot_rows) + sum(len(bucket) for bucket in self.rows.values())

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    def stamp(self, day: date, hour: int = 9, minute: int = 0) -> datetime:
        """A UTC timestamp on ``day``: deterministic, unlike ``utcnow``."""
        return datetime.combine(day, time(hour, minute), tzinfo=UTC)

    def pick_weighted(self, weights: dict[str, int]) -> str:
        """A key of ``weights``, drawn with the odds its values give."""
        point = self.rng.random() * sum(weights.values())
        keys = list(weights)
        for key in keys:
            point -= weights[key]
            if point < 0:
                return key
        return keys[-1]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability


def clamp(value: float, low: float, high: float) -> float:
    """``value`` held inside ``[low, high]``."""
    return low if value < low else high if value > high else value


ProgressCallback = Callable[[int, int], None]
