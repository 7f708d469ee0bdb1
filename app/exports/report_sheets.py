"""Workbook plumbing for the portfolio report: sheets, styled cells, tables, colour rules."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from app.exports.report_print import PrintLayout, set_up_before_rows, set_up_printing
from app.exports.safety import clean_text
from app.exports.xlsx_safety import safe_value, text_cell
from app.services import dates_text
from app.services.health_trend import TREND_FLAT
from app.services.money import currency_symbol, format_money, to_major

RED, YELLOW, GREEN = "F8D7D4", "FCEFC7", "D5EDDB"
RED_INK, YELLOW_INK, GREEN_INK = "8A1F17", "7A5B00", "1E5631"
#: Fill and ink of a health band's scores.
BAND_FILLS = {"red": (RED, RED_INK), "yellow": (YELLOW, YELLOW_INK), "green": (GREEN, GREEN_INK)}
HEADER_FILL, HEADER_INK = "1F3A5F", "FFFFFF"
#: Widest a column gets: longer text wraps to the cell edge on screen and on paper.
MAX_WIDTH = 45


@dataclass(frozen=True)
class Money:
    """An amount in minor units with its currency; written as a number with a currency format."""

    minor: int
    currency: str


def money_format(currency: str) -> str:
    """An Excel number format showing whole units of ``currency``."""
    symbol = currency_symbol(currency)
    if symbol.upper() != currency.upper():
        return f'"{symbol}"#,##0;-"{symbol}"#,##0'
    return f'#,##0 "{clean_text(currency)[:3]}";-#,##0 "{clean_text(currency)[:3]}"'


def padded(fmt: str) -> str:
    """``fmt`` with a space's width at the right of each section (Excel's ``_)``), so a
    right-aligned number never runs into the text of the column beside it."""
    return ";".join(part if part.endswith("_)") else part + "_)" for part in fmt.split(";"))


class SheetWriter:
    """What every sheet of the report is written with; the report's writer adds the sheets."""

    def __init__(self, workbook: Any) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = workbook
        self.header_font = Font(name="Calibri", size=11, bold=True, color=HEADER_INK)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.header_align = Alignment(vertical="center", wrap_text=False)
        self.tables = 0
        self._formats: dict[str, str] = {}
        #: Each sheet's column widths (set before its rows) and its print layout (after).
        self._widths: dict[str, list[float]] = {}
        self.layouts: dict[str, PrintLayout] = {}

    def _sheet(
        self,
        title: str,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        freeze: str,
    ) -> Any:
        """A sheet with widths that fit its contents (write-only: set before any row)."""
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(title)
        ws.freeze_panes = freeze
        widths: list[float] = []
        for index, name in enumerate(header):
            width = len(name) + 4  # room for the filter button
            width = max(width, _column_width(row[index] for row in rows[:5000]))
            widths.append(min(width + 1, MAX_WIDTH))
            ws.column_dimensions[get_column_letter(index + 1)].width = widths[-1]
        self._widths[title] = widths
        set_up_before_rows(ws)
        return ws

    def _write(
        self,
        ws: Any,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        outline: Sequence[int] | None = None,
        formats: dict[int, str] | None = None,
    ) -> None:
        from openpyxl.utils import column_index_from_string, get_column_letter

        self._header(ws, header)
        count = 0
        # One styled cell per column and format, re-filled each row: write-only mode writes a
        # row as soon as it is appended, so reusing the cell saves building 10^5 styled cells.
        styled: dict[tuple[int, str], Any] = {}
        for count, row in enumerate(rows, start=1):
            if outline and outline[count - 1]:
                ws.row_dimensions[count + 1].outlineLevel = outline[count - 1]
            cells = []
            for index, value in enumerate(row):
                fmt = formats.get(index) if formats else None
                cells.append(self._cell(ws, value, fmt, styled, index))
            ws.append(cells)
        last_col = get_column_letter(len(header))
        # A table needs a data row, even an empty one.
        self._table(ws, f"A1:{last_col}{max(count + 1, 2)}", header, ws.title.replace(" ", ""))
        # The frozen columns (the account, its name) repeat on every page of a wide sheet.
        titles = column_index_from_string(ws.freeze_panes.rstrip("0123456789")) - 1
        self.layouts[ws.title] = set_up_printing(
            ws, self._widths[ws.title], title_count=titles, last_row=max(count + 1, 2)
        )

    def _header(self, ws: Any, names: Sequence[str], rotate_from: int | None = None) -> None:
        from openpyxl.styles import Alignment

        upright = Alignment(horizontal="center", vertical="bottom", text_rotation=90)
        cells = []
        for index, name in enumerate(names):
            cell = text_cell(ws, name)
            cell.font = self.header_font
            cell.fill = self.header_fill
            rotated = rotate_from is not None and index >= rotate_from
            cell.alignment = upright if rotated else self.header_align
            cells.append(cell)
        ws.append(cells)

    def _cell(
        self,
        ws: Any,
        value: Any,
        fmt: str | None = None,
        styled: dict[tuple[int, str], Any] | None = None,
        column: int = 0,
    ) -> Any:
        if isinstance(value, Money):
            major = float(to_major(value.minor, value.currency))
            return self._styled(ws, major, padded(self._money(value.currency)), styled, column)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and fmt is None:
            fmt = "0.0" if isinstance(value, float) else "0"
            value = round(value, 1) if isinstance(value, float) else value
        if fmt is not None and value is not None:
            return self._styled(ws, value, padded(fmt) if number else fmt, styled, column)
        if isinstance(value, date):
            return self._styled(ws, value, day_format(), styled, column)
        return safe_value(ws, value)

    def _styled(
        self, ws: Any, value: Any, fmt: str, cache: dict[tuple[int, str], Any] | None, column: int
    ) -> Any:
        from openpyxl.cell import WriteOnlyCell

        # One styled cell per column and format, re-filled each row: write-only mode writes a
        # row as soon as it is appended.
        cell = None if cache is None else cache.get((column, fmt))
        if cell is None:
            cell = WriteOnlyCell(ws)
            cell.number_format = fmt
            if cache is not None:
                cache[(column, fmt)] = cell
        cell.value = value
        return cell

    def _money(self, currency: str) -> str:
        fmt = self._formats.get(currency)
        if fmt is None:
            fmt = self._formats[currency] = money_format(currency)
        return fmt

    def _table(self, ws: Any, ref: str, header: Sequence[str], name: str) -> None:
        from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

        self.tables += 1
        table = Table(displayName=f"{name}{self.tables}", ref=ref)
        # Write-only sheets cannot be read back, so the columns are named here.
        table.tableColumns = [
            TableColumn(id=index, name=clean_text(title)) for index, title in enumerate(header, 1)
        ]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl always warns in write-only mode; the columns are named just above.
            warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
            ws.add_table(table)

    # -- red / yellow / green -------------------------------------------------------------
    def _fills(self) -> tuple[Any, Any, Any]:
        from openpyxl.styles import Font, PatternFill
        from openpyxl.styles.differential import DifferentialStyle

        def style(fill: str, ink: str) -> Any:
            return DifferentialStyle(
                fill=PatternFill(bgColor=fill, fill_type="solid"), font=Font(color=ink)
            )

        return style(RED, RED_INK), style(YELLOW, YELLOW_INK), style(GREEN, GREEN_INK)

    def _rule(self, ws: Any, ref: str, operator: str, formula: list[str], style: Any) -> None:
        from openpyxl.formatting.rule import Rule

        rule = Rule(type="cellIs", operator=operator, formula=formula, dxf=style)
        ws.conditional_formatting.add(ref, rule)

    def _number_rule(self, ws: Any, ref: str, condition: str, style: Any) -> None:
        """Colour numbers meeting ``condition`` (``{}`` is the cell); blanks stay white."""
        from openpyxl.formatting.rule import Rule

        first = ref.split(":")[0]
        formula = f"AND(ISNUMBER({first}),{condition.format(first)})"
        ws.conditional_formatting.add(ref, Rule(type="expression", formula=[formula], dxf=style))

    def _score_by_band(self, ws: Any, ref: str, band_column: str) -> None:
        """Colour scores by their band (the Band column), so the two never disagree."""
        from openpyxl.formatting.rule import Rule

        row = ref.split(":")[0].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        for word, style in zip(("Red", "Yellow", "Green"), self._fills(), strict=True):
            formula = f'${band_column}{row}="{word}"'
            ws.conditional_formatting.add(
                ref, Rule(type="expression", formula=[formula], dxf=style)
            )

    def _text_colours(self, ws: Any, ref: str, mapping: dict[str, int]) -> None:
        styles = self._fills()
        for word, which in mapping.items():
            self._rule(ws, ref, "equal", [f'"{word}"'], styles[which])

    def _band_colours(self, ws: Any, ref: str) -> None:
        self._text_colours(ws, ref, {"Red": 0, "Yellow": 1, "Green": 2})

    def _forecast_colours(self, ws: Any, ref: str) -> None:
        self._text_colours(ws, ref, {"At risk": 0, "Lost": 0, "Likely": 1, "Commit": 2})

    def _severity_colours(self, ws: Any, ref: str) -> None:
        self._text_colours(ws, ref, {"Critical": 0, "High": 0, "Medium": 1, "Low": 2})

    def _yes_no_colours(self, ws: Any, ref: str) -> None:
        self._text_colours(ws, ref, {"No": 0, "Yes": 2})

    def _trend_colours(self, ws: Any, ref: str) -> None:
        red, _yellow, green = self._fills()
        # Whole points, halves away from zero as Excel shows them: the one rule of which way a
        # trend points (``health_trend.direction``).
        self._number_rule(ws, ref, f"ROUND({{}},0)<=-{TREND_FLAT}", red)
        self._number_rule(ws, ref, f"ROUND({{}},0)>={TREND_FLAT}", green)

    def _days_colours(self, ws: Any, ref: str) -> None:
        # 60 days: the last reminder; 120 days: the latest a CSM should have talked renewal.
        red, yellow, _green = self._fills()
        self._number_rule(ws, ref, "{}<60", red)
        self._number_rule(ws, ref, "{}<120", yellow)


def day_format() -> str:
    """The Excel number format of a date cell: the day as the rest of Fieldbook writes it
    (app.services.dates_text.day), ``mmm d, yyyy`` in en_US, ``d mmm yyyy`` in en_GB; the cell
    stays a real date."""
    return _excel_day_format(dates_text.day_pattern())


@cache
def _excel_day_format(pattern: str) -> str:
    parts = []
    for token in re.findall(r"'[^']*'|y+|M+|d+|[^yMd']+", pattern):
        if token.startswith("'"):
            parts.append(f'"{token[1:-1]}"')
        elif token[0] == "y":
            parts.append("yyyy")
        elif token[0] in "Md":
            parts.append(token.lower())
        else:
            parts.append(f'"{token}"' if any(c.isalpha() for c in token) else token)
    return "".join(parts)


def _column_width(values: Iterable[Any]) -> int:
    """The widest of ``values`` as the report shows them (``_display_width``), formatting
    each distinct day once and each currency's amounts once: the widest is the largest
    amount (more digits) and the most negative (its sign too)."""
    widest = 0
    days: set[date] = set()
    extremes: dict[str, tuple[int, int]] = {}
    for value in values:
        if isinstance(value, Money):
            low, high = extremes.get(value.currency, (0, 0))
            extremes[value.currency] = (min(low, value.minor), max(high, value.minor))
        elif isinstance(value, date):
            days.add(value)
        else:
            widest = max(widest, _display_width(value))
    for currency, (low, high) in extremes.items():
        widest = max(widest, *(_display_width(Money(m, currency)) for m in (low, high)))
    return max(widest, *map(_display_width, days), 0)


def _display_width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, Money):
        return len(format_money(value.minor, value.currency)) + 1
    if isinstance(value, date):
        return len(dates_text.day(value)) + 1
    if isinstance(value, float):
        return 7
    return len(str(value))
