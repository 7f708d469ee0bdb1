"""The portfolio report's Health history sheet: every account's weekly scores, streamed."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.exports.portfolio_data import Book
from app.exports.report_print import set_up_before_rows, set_up_printing
from app.exports.report_sheets import BAND_FILLS, MAX_WIDTH, SheetWriter
from app.exports.safety import Progress
from app.exports.xlsx_safety import safe_value
from app.services import dates_text

#: A custom number format id (Excel's own end at 163) for Health history's one-decimal scores.
SCORE_FORMAT_ID = 170
#: Width of a week's column in Health history (scores like 88.8; dates stand rotated).
WEEK_WIDTH = 6.5


class HealthHistorySheet(SheetWriter):
    """Writes the Health history sheet of ``book``, a chunk of scores at a time."""

    book: Book

    def health_history(self, progress: Progress) -> None:
        from openpyxl.formatting.rule import Rule
        from openpyxl.utils import get_column_letter

        book = self.book
        header = ["Account", "Owner", *(dates_text.day(week) for week in book.weeks)]
        ws = self.wb.create_sheet("Health history")
        name_width = max((len(a.row.name) for a in book.accounts), default=10)
        widths = [min(max(name_width + 2, 12), MAX_WIDTH), 18.0, *[WEEK_WIDTH] * len(book.weeks)]
        set_up_before_rows(ws)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.freeze_panes = "C2"
        # Week dates stand upright so a week's column stays as narrow as its scores.
        ws.row_dimensions[1].height = 76
        self._header(ws, header, rotate_from=2)
        total = max(len(book.accounts), 1)
        # Each score is coloured by the band it was given that week (a red measure can cap a
        # high score at yellow, so a threshold rule would disagree with the Band column).
        # The scores are written as plain values; one conditional format per band lists the
        # runs of weeks in that band, so a million scores need no styled cell each.
        runs: dict[str, list[str]] = {band: [] for band in BAND_FILLS}
        letters = [get_column_letter(index) for index in range(3, len(header) + 1)]
        for count, (line, scores, bands) in enumerate(book.history, start=1):
            ws.append([safe_value(ws, line.row.name), safe_value(ws, line.row.owner), *scores])
            _band_runs(bands, scores, letters, count + 1, runs)
            if count % 1000 == 0:
                progress(40 + 50 * count // total, 100, "Health history")
        for band, refs in runs.items():
            if refs:
                style = self._band_style(band)
                rule = Rule(type="expression", formula=["TRUE"], dxf=style, stopIfTrue=True)
                ws.conditional_formatting.add(" ".join(refs), rule)
        last_col = get_column_letter(len(header))
        last = max(len(book.accounts) + 1, 2)
        self._table(ws, f"A1:{last_col}{last}", header, "HealthHistory")
        self.layouts[ws.title] = set_up_printing(ws, widths, title_count=2, last_row=last)

    def _band_style(self, band: str) -> Any:
        from openpyxl.styles import Font, PatternFill
        from openpyxl.styles.differential import DifferentialStyle
        from openpyxl.styles.numbers import NumberFormat

        fill, ink = BAND_FILLS[band]
        # The rule also gives every score one decimal (97.0 beside 95.7, not 97), with no
        # styled cell per score.
        return DifferentialStyle(
            fill=PatternFill(bgColor=fill, fill_type="solid"),
            font=Font(color=ink),
            numFmt=NumberFormat(numFmtId=SCORE_FORMAT_ID, formatCode="0.0"),
        )


def _band_runs(
    bands: Sequence[str | None],
    scores: Sequence[float | None],
    letters: Sequence[str],
    row: int,
    runs: dict[str, list[str]],
) -> None:
    """Add the runs of consecutive scored weeks in one band (``C5:H5``) to ``runs``."""
    start = 0
    count = len(bands)
    while start < count:
        band = bands[start] if scores[start] is not None else None
        stop = start + 1
        while stop < count and scores[stop] is not None and bands[stop] == band:
            stop += 1
        if band in runs:
            first, last = letters[start], letters[stop - 1]
            runs[band].append(f"{first}{row}" if stop - start == 1 else f"{first}{row}:{last}{row}")
        start = stop
