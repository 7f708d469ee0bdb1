"""The Excel portfolio report of the whole book (``fieldbook export report``).

Target (issue 7): at most 1.5x the floor. The subject reads the book (10,000 demo accounts,
two years of weekly scores) and streams the seven sheets with openpyxl's write-only mode:
typed and formatted cells, outline levels, tables, conditional formats, band fills and
charts. The floor writes exactly the same cell values (read back from the report once, not
timed) with openpyxl's write-only mode alone: no reading, no styles, no tables.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.core import Benchmark, Run
from benchmarks.export_bench import ACCOUNTS, QUICK_ACCOUNTS, ExportState, export_state, timed_run
from benchmarks.workspaces import TODAY

MAX_RATIO = 1.5


def prepare(workdir: Path, quick: bool) -> ExportState:
    import openpyxl

    from app.exports.portfolio_report import export_report

    state = export_state(workdir, quick)
    out = state.folder / "report.xlsx"
    export_report(state.store, out, today=TODAY)
    workbook = openpyxl.load_workbook(out, read_only=True)
    state.extra["cells"] = {
        ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in workbook
    }
    workbook.close()
    return state


def subject(state: ExportState) -> Run:
    from app.exports.portfolio_report import export_report

    out = state.folder / "report.xlsx"
    return timed_run(lambda: export_report(state.store, out, today=TODAY))


def floor(state: ExportState) -> Run:
    import openpyxl

    def write() -> None:
        plain = openpyxl.Workbook(write_only=True)
        for title, rows in state.extra["cells"].items():
            ws = plain.create_sheet(title)
            for row in rows:
                ws.append(row)
        plain.save(str(state.folder / "floor.xlsx"))

    return timed_run(write)


BENCHMARK = Benchmark(
    name="export_report",
    what="the portfolio report of {size} accounts with two years of weekly scores",
    floor_what="the same cell values written with openpyxl's write-only mode alone",
    prepare=prepare,
    subject=subject,
    floor=floor,
    runs=3,
    quick_runs=1,
    max_ratio=MAX_RATIO,
    size=ACCOUNTS,
    quick_size=QUICK_ACCOUNTS,
)
