"""The scorecard what-if: rescoring 10,000 accounts x 2 years of weekly history in memory.

Target (issue 5): at most 1 s. The floor is the least any vectorised scoring must do: one
weighted, NaN-skipping sum over the same thirteen signal columns (``np.nansum`` of each
column times a weight). The subject is ``compute_book`` under the default scorecards:
points by linear scales and thresholds, renormalised weights, bands, the red cap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from app.services.scorecards import default_scorecards
from app.services.scoring import compute_book
from benchmarks.core import Benchmark, Run, timed
from benchmarks.health_bench import synthetic_frame

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
WEEKS = 104
MAX_SECONDS = 1.0


def prepare(_workdir: Path, quick: bool) -> Any:
    frame = synthetic_frame(QUICK_ACCOUNTS if quick else ACCOUNTS, WEEKS)
    return frame, default_scorecards()


def subject(state: Any) -> Run:
    frame, specs = state
    scores: list[Any] = []
    seconds = timed(lambda: scores.append(compute_book(frame, specs)))
    assert len(scores[0][0]) == len(frame)
    return Run(seconds, {"rows": float(len(frame))})


def floor(state: Any) -> Run:
    frame, _ = state
    columns = list(frame.signals.values())

    def weighted_sum() -> None:
        total = np.zeros(len(frame))
        for weight, column in enumerate(columns, start=1):
            total += np.nan_to_num(column) * weight

    return Run(timed(weighted_sum))


BENCHMARK = Benchmark(
    name="health_what_if",
    what="score {size} accounts x 104 weeks under the default scorecards (compute_book)",
    floor_what="a NaN-skipping weighted sum over the same 13 signal columns",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=7,
    quick_runs=3,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
