"""How the portfolio report prints: landscape pages a lead can read and hand round.

Every sheet prints landscape with its header row repeated on each page, a print area that is
exactly its table, and a footer naming the sheet and page. A sheet that fits the page width
at a readable scale is fitted to one page wide; a wider one (Accounts, Health history) is
fitted to as few pages across as keep it readable, with its frozen columns (the account
names) repeated on every page and pages numbered across before down.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Column-width units (about one digit each) across a landscape page at 100 % scale, inside
#: the margins below; a sheet is never scaled below ``MIN_SCALE`` to fit.
PAGE_UNITS = 130
MIN_SCALE = 0.6
#: Margins in inches: narrow sides, room for the footer.
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6, "header": 0.25, "footer": 0.3}


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """What was set on a sheet: pages across, repeated columns, the print area."""

    pages_wide: int
    title_columns: str | None
    area: str


def pages_across(widths: Sequence[float], title_count: int) -> int:
    """Pages across a sheet of these column widths needs at no less than ``MIN_SCALE``."""
    usable = PAGE_UNITS / MIN_SCALE
    total = sum(widths)
    if total <= usable:
        return 1
    titles = sum(widths[:title_count])
    return math.ceil((total - titles) / max(usable - titles, 1))


def set_up_before_rows(ws: Any) -> None:
    """The part of the page setup a write-only sheet writes before its first row."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def set_up_printing(
    ws: Any, widths: Sequence[float], *, title_count: int, last_row: int
) -> PrintLayout:
    """Landscape, fitted to the page width (or split across with titles), header repeated."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    last_col = get_column_letter(max(len(widths), 1))
    pages = pages_across(widths, title_count)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = pages
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.gridLines = False
    ws.print_title_rows = "1:1"
    titles = None
    if pages > 1 and title_count:
        titles = f"A:{get_column_letter(title_count)}"
        ws.print_title_cols = titles
        ws.page_setup.pageOrder = "overThenDown"
    area = f"A1:{last_col}{max(last_row, 1)}"
    ws.print_area = area
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P of &N"
    ws.oddFooter.left.size = ws.oddFooter.right.size = 8
    return PrintLayout(pages, titles, area)
