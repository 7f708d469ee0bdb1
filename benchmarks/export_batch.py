"""25 QBR decks in one batch (``fieldbook export qbr --all`` for a selection).

Target (issue 7): at most 10 s. The subject writes one customer deck per account for 25
demo accounts, each read, drawn and saved atomically. The floor opens and saves the bundled
template 25 times.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.core import Benchmark, Run
from benchmarks.export_bench import (
    ACCOUNTS,
    BATCH,
    QUICK_ACCOUNTS,
    ExportState,
    export_state,
    timed_run,
)
from benchmarks.workspaces import TODAY

MAX_SECONDS = 10.0


def prepare(workdir: Path, quick: bool) -> ExportState:
    state = export_state(workdir, quick)
    batch = state.folder / "batch"
    batch.mkdir(exist_ok=True)
    state.extra["batch"] = batch
    return state


def subject(state: ExportState) -> Run:
    from app.exports.qbr_batch import export_qbr_batch

    def run() -> None:
        outcome = export_qbr_batch(
            state.store, state.extra["batch"], account_ids=state.accounts, today=TODAY
        )
        assert len(outcome.written) == len(state.accounts) == BATCH, outcome.failures

    return timed_run(run)


def floor(state: ExportState) -> Run:
    from pptx import Presentation

    from app.exports.qbr_deck import default_template

    def run() -> None:
        for index in range(BATCH):
            Presentation(str(default_template())).save(str(state.extra["batch"] / f"f{index}.pptx"))

    return timed_run(run)


BENCHMARK = Benchmark(
    name="export_batch",
    what="25 customer QBR decks in one batch ({size}-account demo)",
    floor_what="python-pptx opens and saves the bundled template 25 times",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=3,
    quick_runs=1,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
