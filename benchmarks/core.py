"""What a benchmark is, and how one is timed: medians of several runs against a floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Run:
    """One timed run: seconds, plus any figures worth reporting (a file size, a row count)."""

    seconds: float
    figures: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Benchmark:
    """A measured operation, the floor it is compared with, and the targets it must meet.

    ``prepare(workdir, quick)`` builds the state both ``subject`` and ``floor`` run on (not
    timed). ``subject`` and ``floor`` each time themselves and return a ``Run``, so set-up
    inside them (a fresh file per run) stays out of the figure.
    """

    name: str
    #: What is measured; ``{size}`` is replaced by the case size (accounts).
    what: str
    floor_what: str
    prepare: Callable[[Path, bool], Any]
    subject: Callable[[Any], Run]
    floor: Callable[[Any], Run]
    runs: int
    quick_runs: int
    max_seconds: float | None = None
    max_ratio: float | None = None
    #: Limits on the subject's figures, by figure name (the last run's figure is checked).
    max_figures: dict[str, float] = field(default_factory=dict)
    #: The case size (accounts), and the smaller one ``--quick`` runs (not held to targets).
    size: int = 0
    quick_size: int = 0
    #: For benchmarks that pair subject and floor themselves (the map and calendar ones):
    #: ``whole(workdir, quick)`` returns (median seconds, floor seconds, figures); then
    #: ``prepare``/``subject``/``floor`` are not used.
    whole: Callable[[Path, bool], tuple[float, float, dict[str, float]]] | None = None

    def describe(self, quick: bool) -> str:
        return self.what.format(size=f"{self.quick_size if quick else self.size:,}")


@dataclass(frozen=True)
class Result:
    """A benchmark's medians, ratio and verdict."""

    benchmark: Benchmark
    median: float
    floor: float
    figures: dict[str, float]
    misses: list[str]
    quick: bool
    #: Why the benchmark could not be measured (its error), if it could not.
    error: str | None = None

    @property
    def ratio(self) -> float:
        return self.median / self.floor if self.floor > 0 else float("inf")


def timed(action: Callable[[], Any]) -> float:
    """Seconds ``action`` takes, by the wall clock (what a user waits for)."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(benchmark: Benchmark, workdir: Path, quick: bool) -> Result:
    """Run ``benchmark`` (subject and floor alternating) and judge it against its targets."""
    if benchmark.whole is not None:
        median, floor, figures = benchmark.whole(workdir, quick)
    else:
        state = benchmark.prepare(workdir, quick)
        runs = benchmark.quick_runs if quick else benchmark.runs
        subject_runs: list[Run] = []
        floor_runs: list[Run] = []
        for _ in range(runs):
            # Alternate, so a busy spell on the machine hits both sides alike.
            floor_runs.append(benchmark.floor(state))
            subject_runs.append(benchmark.subject(state))
        median = statistics.median(run.seconds for run in subject_runs)
        floor = statistics.median(run.seconds for run in floor_runs)
        figures = {**floor_runs[-1].figures, **subject_runs[-1].figures}
    misses: list[str] = []
    if not quick:
        if benchmark.max_seconds is not None and median > benchmark.max_seconds:
            target = format_seconds(benchmark.max_seconds)
            misses.append(f"median {format_seconds(median)} > {target}")
        if benchmark.max_ratio is not None and floor > 0 and median / floor > benchmark.max_ratio:
            misses.append(f"ratio {median / floor:.1f}x > {benchmark.max_ratio:g}x")
        for name, limit in benchmark.max_figures.items():
            if figures.get(name, 0.0) > limit:
                misses.append(f"{name} {figures[name]:,.1f} > {limit:,.0f}")
    return Result(benchmark, median, floor, figures, misses, quick)


def failed(benchmark: Benchmark, error: str, quick: bool) -> Result:
    """The result of a benchmark that raised: no figures, its error kept for the report."""
    return Result(benchmark, 0.0, 0.0, {}, [f"failed: {error.splitlines()[-1]}"], quick, error)


def no_step(*_args: Any) -> Any:
    """``prepare``/``subject``/``floor`` of a benchmark that measures itself whole."""
    raise AssertionError("this benchmark is measured by its `whole` function")


def format_seconds(seconds: float) -> str:
    """Seconds in the unit that reads best: ms below a second."""
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.1f} s"


def describe_target(benchmark: Benchmark) -> str:
    parts = []
    if benchmark.max_seconds is not None:
        parts.append(f"<= {format_seconds(benchmark.max_seconds)}")
    if benchmark.max_ratio is not None:
        parts.append(f"<= {benchmark.max_ratio:g}x floor")
    parts.extend(f"{name} <= {limit:,.0f}" for name, limit in benchmark.max_figures.items())
    return ", ".join(parts) or "report only"
