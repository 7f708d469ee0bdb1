"""Resident memory with the 10,000-account workspace open in the main window (after the
deferred loads: trends, Today). Target: at most 250 MB. The floor (time only) is a bare
painted ``QMainWindow`` process; its RSS is reported as ``floor_rss_mb`` for comparison."""

from __future__ import annotations

from pathlib import Path

from benchmarks._window_process import APP_SCRIPT, FLOOR_SCRIPT, figures, run_child
from benchmarks.core import Benchmark, Run
from benchmarks.window_startup import ACCOUNTS, QUICK_ACCOUNTS, State
from benchmarks.workspaces import demo_workspace

MAX_RSS_MB = 250.0


def prepare(workdir: Path, quick: bool) -> State:
    config = workdir / "window-config"
    config.mkdir(exist_ok=True)
    return State(demo_workspace(workdir, QUICK_ACCOUNTS if quick else ACCOUNTS), config)


def subject(state: State) -> Run:
    seconds, output = run_child(APP_SCRIPT, str(state.db), "memory", config=state.config)
    found = figures(output)
    return Run(seconds, {"rss_mb": found["rss_mb"]})


def floor(state: State) -> Run:
    seconds, output = run_child(FLOOR_SCRIPT, config=state.config)
    return Run(seconds, figures(output))


BENCHMARK = Benchmark(
    name="window_memory",
    what="resident memory with {size} accounts open in the main window",
    floor_what="a fresh process painting a bare QMainWindow (time; RSS about 60 MB)",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=3,
    quick_runs=1,
    max_figures={"rss_mb": MAX_RSS_MB},
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
