"""Process start to the main window painted with the account tree populated, 10,000 accounts.

Target: at most 4x the floor, a bare ``QMainWindow`` shown and painted by a fresh process
(Python + PySide6 start-up). The subject is a fresh process importing the app, opening the
demo workspace and painting the window; figures split it into imports (Qt, SQLAlchemy, the
models, the views), opening the workspace (Alembic's upgrade check) and building the window.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks._window_process import APP_SCRIPT, FLOOR_SCRIPT, figures, run_child
from benchmarks.core import Benchmark, Run
from benchmarks.workspaces import demo_workspace

ACCOUNTS = 10_000
QUICK_ACCOUNTS = 1_000
MAX_RATIO = 4.0


class State:
    def __init__(self, db: Path, config: Path) -> None:
        self.db = db
        self.config = config


def prepare(workdir: Path, quick: bool) -> State:
    db = demo_workspace(workdir, QUICK_ACCOUNTS if quick else ACCOUNTS)
    config = workdir / "window-config"
    config.mkdir(exist_ok=True)
    state = State(db, config)
    subject(state)  # warm the file cache and the bytecode caches
    return state


def subject(state: State) -> Run:
    seconds, output = run_child(APP_SCRIPT, str(state.db), config=state.config)
    eager = output.split("eager", 1)[1].split("\n", 1)[0].strip()
    assert not eager, f"imported at start-up: {eager}"
    return Run(seconds, figures(output))


def floor(state: State) -> Run:
    seconds, output = run_child(FLOOR_SCRIPT, config=state.config)
    return Run(seconds, {"floor_cpu_ms": figures(output).get("cpu_ms", 0.0)})


BENCHMARK = Benchmark(
    name="window_startup",
    what="process start to the main window painted with {size} accounts in the tree",
    floor_what="a fresh process showing and painting a bare QMainWindow",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=5,
    quick_runs=3,
    max_ratio=MAX_RATIO,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
