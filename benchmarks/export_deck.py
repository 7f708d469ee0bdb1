"""One QBR deck (.pptx) with its native charts and map, after imports.

Target (issue 7): at most 0.5 s. The subject is ``fieldbook export qbr`` for one demo
account: read its QBR content, draw its stakeholder map, build 8 slides from the template's
layouts with two native charts and speaker notes, and save atomically. The floor opens the
bundled template and saves it again (python-pptx's own fixed cost).
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.core import Benchmark, Run
from benchmarks.export_bench import (
    ACCOUNTS,
    QUICK_ACCOUNTS,
    ExportState,
    export_one,
    export_state,
    timed_run,
)

MAX_SECONDS = 0.5


def prepare(workdir: Path, quick: bool) -> ExportState:
    state = export_state(workdir, quick)
    export_one(state, ".pptx")  # imports and font caches, for both sides alike
    floor(state)
    return state


def subject(state: ExportState) -> Run:
    return timed_run(lambda: export_one(state, ".pptx"))


def floor(state: ExportState) -> Run:
    from pptx import Presentation

    from app.exports.qbr_deck import default_template

    target = str(state.folder / "floor.pptx")
    return timed_run(lambda: Presentation(str(default_template())).save(target))


BENCHMARK = Benchmark(
    name="export_deck",
    what="one customer QBR deck with charts and map ({size}-account demo)",
    floor_what="python-pptx opens the bundled template and saves it",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=7,
    quick_runs=1,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
