"""The portfolio report's Summary sheet: the book's figures beside their native charts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.exports.portfolio_data import Book
from app.exports.report_print import set_up_before_rows, set_up_printing
from app.exports.report_sheets import HEADER_FILL, RED_INK, Money, SheetWriter, money_format
from app.exports.xlsx_safety import safe_value, text_cell
from app.models.enums import ForecastCategory
from app.services import dates_text
from app.services.labels import forecast_label, label_of

SUMMARY_WIDTHS = (36, 16, 14, 14, 14, 14, 4)


def arr_by_currency(book: Book) -> dict[str, int]:
    """The book's own ARR (each account once, sub-accounts included) per currency."""
    totals: dict[str, int] = {}
    for line in book.accounts:
        totals[line.row.currency] = totals.get(line.row.currency, 0) + line.row.arr_minor
    return totals


def summary_note(book: Book) -> str:
    """The rate dates the summary used and, in full, what it leaves out for want of a rate."""
    return book.rates.convert(arr_by_currency(book)).note


class SummarySheet(SheetWriter):
    """Writes the Summary sheet of ``book``."""

    book: Book

    def summary(self) -> None:
        from openpyxl.chart import BarChart, Reference
        from openpyxl.chart.series import DataPoint
        from openpyxl.styles import Font

        book = self.book
        rates = book.rates
        currency = book.currency
        ws = self.wb.create_sheet("Summary")
        # One printed page: the KPIs beside their charts.
        set_up_before_rows(ws)
        for letter, width in zip("ABCDEFG", SUMMARY_WIDTHS, strict=True):
            ws.column_dimensions[letter].width = width
        # Totals in the reporting currency, converted with the user's rates; amounts in a
        # currency without a rate stay out of them and row 3 names them.
        arr_total = rates.convert(arr_by_currency(book)).minor
        by_band = {"Green": 0, "Yellow": 0, "Red": 0, "No score": 0}
        for a in book.accounts:
            band = label_of(a.row.health_band) if a.row.health_band else "No score"
            by_band[band] += rates.to_reporting(a.row.arr_minor, a.row.currency) or 0
        soon = book.today + timedelta(days=90)
        due = [r for r in book.renewals if r.end_date <= soon]
        due_value = sum(rates.to_reporting(r.value_minor, r.currency) or 0 for r in due)
        title = text_cell(ws, "Portfolio report")
        title.font = Font(name="Calibri", bold=True, size=16, color=HEADER_FILL)
        ws.append([title])
        scope = f"{book.owner}'s accounts" if book.owner else "All accounts"
        ws.append(
            [safe_value(ws, f"{scope} on {dates_text.day(book.today)}; amounts in {currency}")]
        )
        note = text_cell(ws, summary_note(book))
        note.font = Font(name="Calibri", size=11, italic=True, color=RED_INK)
        ws.append([note])
        kpis: list[tuple[str, Any]] = [
            ("Accounts", len(book.accounts)),
            ("Top-level customers", sum(a.depth == 0 for a in book.accounts)),
            ("ARR", Money(arr_total, currency)),
            ("ARR in red health", Money(by_band["Red"], currency)),
            ("ARR in yellow health", Money(by_band["Yellow"], currency)),
            ("Renewals in the next 90 days", len(due)),
            (
                "Value renewing in the next 90 days",
                Money(due_value, currency),
            ),
            ("Accounts without a champion", sum(not a.champion for a in book.accounts)),
            (
                "Accounts without an economic buyer",
                sum(not a.economic_buyer for a in book.accounts),
            ),
            ("Open risks", len(book.risks)),
            ("Escalations", sum(r.escalation for r in book.risks)),
        ]
        first = 4
        self._header(ws, ["Measure", "Value"])
        for name, value in kpis:
            ws.append([name, self._cell(ws, value)])
        self._table(ws, f"A{first}:B{first + len(kpis)}", ["Measure", "Value"], "Kpis")

        row = first + len(kpis) + 2
        ws.append([])
        self._header(ws, ["Health band", f"ARR ({currency})"])
        band_first = row
        for band, amount in by_band.items():
            ws.append([band, self._cell(ws, Money(amount, currency))])
        band_last = band_first + len(by_band)
        self._table(
            ws, f"A{band_first}:B{band_last}", ["Health band", f"ARR ({currency})"], "ArrByBand"
        )
        chart = BarChart()
        chart.type = "col"
        chart.title = "ARR by health band"
        chart.legend = None
        chart.y_axis.numFmt = money_format(currency)
        data = Reference(ws, min_col=2, min_row=band_first, max_row=band_last)
        cats = Reference(ws, min_col=1, min_row=band_first + 1, max_row=band_last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        series = chart.series[0]
        for index, colour in enumerate(("3C9D5D", "E0A526", "C8453B", "9CA3AF")):
            point = DataPoint(idx=index)
            point.graphicalProperties.solidFill = colour
            series.dPt.append(point)
        chart.height, chart.width = 7.5, 14
        ws.add_chart(chart, "H4")

        row = band_last + 2
        ws.append([])
        # Each call as the Renewals tab offers it ("At risk", "Not called"), from one home.
        forecasts = [forecast_label(c) for c in (*ForecastCategory, None)]
        self._header(ws, ["Quarter", *forecasts])
        quarter_first = row
        for quarter in book.quarters:
            values = dict.fromkeys(forecasts, 0)
            for r in book.renewals:
                converted = rates.to_reporting(r.value_minor, r.currency)
                if r.quarter == quarter.code and converted is not None:
                    values[forecast_label(r.forecast)] += converted
            ws.append(
                [quarter.code, *(self._cell(ws, Money(values[f], currency)) for f in forecasts)]
            )
        quarter_last = quarter_first + 4
        self._table(
            ws, f"A{quarter_first}:F{quarter_last}", ["Quarter", *forecasts], "RenewalsByQuarter"
        )
        stacked = BarChart()
        stacked.type = "col"
        stacked.grouping = "stacked"
        stacked.overlap = 100
        stacked.title = "Renewals by quarter and forecast"
        stacked.y_axis.numFmt = money_format(currency)
        data = Reference(ws, min_col=2, max_col=6, min_row=quarter_first, max_row=quarter_last)
        stacked.add_data(data, titles_from_data=True)
        stacked.set_categories(
            Reference(ws, min_col=1, min_row=quarter_first + 1, max_row=quarter_last)
        )
        for series, colour in zip(
            stacked.series, ("3C9D5D", "8CC7A0", "E0A526", "C8453B", "9CA3AF"), strict=True
        ):
            series.graphicalProperties.solidFill = colour
            series.graphicalProperties.line.solidFill = colour
        stacked.height, stacked.width = 7.5, 14
        ws.add_chart(stacked, "H20")
        # Columns A-G hold the figures, the charts take H-P down to row 35.
        layout = set_up_printing(ws, [*SUMMARY_WIDTHS, *[8.43] * 9], title_count=0, last_row=35)
        ws.page_setup.fitToHeight = 1
        self.layouts[ws.title] = layout
