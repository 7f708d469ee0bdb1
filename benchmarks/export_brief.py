"""One QBR brief (.docx) with its chart pictures and map, after imports.

Target (issue 7): at most 1 s. The subject is ``fieldbook export qbr --out X.docx`` for one
demo account: the same content as the deck as a 3-5 page document with two matplotlib
charts, the map picture, tables and page numbers. The floor saves an empty python-docx
document (the library's own fixed cost).
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

MAX_SECONDS = 1.0


def prepare(workdir: Path, quick: bool) -> ExportState:
    state = export_state(workdir, quick)
    export_one(state, ".docx")
    floor(state)
    return state


def subject(state: ExportState) -> Run:
    return timed_run(lambda: export_one(state, ".docx"))


def floor(state: ExportState) -> Run:
    from docx import Document

    target = str(state.folder / "floor.docx")
    return timed_run(lambda: Document().save(target))


BENCHMARK = Benchmark(
    name="export_brief",
    what="one customer QBR brief with chart pictures and map ({size}-account demo)",
    floor_what="python-docx saves an empty document",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=5,
    quick_runs=1,
    max_seconds=MAX_SECONDS,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
