"""The portfolio report (.xlsx): streamed with openpyxl's write-only mode, typed and tidy."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.exports.portfolio_data import Book, gather_book
from app.exports.report_print import set_up_before_rows, set_up_printing
from app.exports.report_sheets import (
    BAND_FILLS,
    HEADER_FILL,
    MAX_WIDTH,
    RED_INK,
    Money,
    SheetWriter,
    money_format,
)
from app.exports.safety import (
    DocumentInfo,
    ExportError,
    atomic_output,
    check_output_path,
)
from app.exports.xlsx_safety import safe_value, save_workbook, text_cell
from app.models.store import Store
from app.services.renewal_dates import deadline_before

REPORT_SUFFIXES = (".xlsx",)
Progress = Callable[[int, int, str], None]

#: Excel shows at most 7 outline levels below the top.
MAX_OUTLINE = 7
SUMMARY_WIDTHS = (36, 16, 14, 14, 14, 14, 4)
#: A custom number format id (Excel's own end at 163) for Health history's one-decimal scores.
SCORE_FORMAT_ID = 170
#: Width of a week's column in Health history (scores like 88.8; dates stand rotated).
WEEK_WIDTH = 6.5


@dataclass
class ReportExport:
    """What the report export wrote."""

    path: Path
    accounts: int
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def export_report(
    store: Store,
    out: Path,
    *,
    owner: str | None = None,
    today: date | None = None,
    company: str = "",
    progress: Progress | None = None,
) -> ReportExport:
    """Write the portfolio report of the book (or of one owner) to ``out``, atomically."""
    out = check_output_path(out, REPORT_SUFFIXES)
    today = today or date.today()
    report = progress or (lambda _done, _total, _what: None)
    with store.read() as session:
        report(0, 100, "Reading the book")
        book = gather_book(session, today, owner)
        if owner and not book.accounts:
            raise ExportError(f"No account is owned by {owner}.")
        if not company:
            from app.exports.qbr import company_name

            company = company_name(session)
        scope = f"{owner}'s book" if owner else "the whole book"
        info = DocumentInfo(
            title=f"Portfolio report: {scope}, {today.isoformat()}",
            author=owner or "Fieldbook",
            company=company,
            subject="Portfolio report",
        )
        with atomic_output(out) as temp:
            sheets = write_report(book, temp, info, report)
    notes = []
    if not book.accounts:
        notes.append("No accounts matched; the report has headers only.")
    said = summary_note(book)
    if said:
        notes.append(f"Summary totals are in {book.currency}. {said}")
    return ReportExport(path=out, accounts=len(book.accounts), sheets=sheets, notes=notes)


def arr_by_currency(book: Book) -> dict[str, int]:
    """The book's own ARR (each account once, sub-accounts included) per currency."""
    totals: dict[str, int] = {}
    for line in book.accounts:
        totals[line.row.currency] = totals.get(line.row.currency, 0) + line.row.arr_minor
    return totals


def summary_note(book: Book) -> str:
    """The rate dates the summary used and, in full, what it leaves out for want of a rate."""
    return book.rates.convert(arr_by_currency(book)).note


def write_report(book: Book, target: Path, info: DocumentInfo, progress: Progress) -> list[str]:
    """Stream every sheet of the report for ``book`` into ``target`` (no database here: the
    book, its health history stream included, was gathered through the services)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    writer = _ReportWriter(workbook, book)
    try:
        progress(10, 100, "Summary")
        writer.summary()
        progress(20, 100, "Accounts")
        writer.accounts()
        progress(35, 100, "Renewals")
        writer.renewals()
        progress(40, 100, "Health history")
        writer.health_history(progress)
        progress(90, 100, "Risks and stakeholders")
        writer.risks()
        writer.coverage()
        writer.stakeholders()
        writer.review_gaps()
        progress(95, 100, "Saving")
        save_workbook(workbook, target, info)
    except BaseException:
        _discard(workbook)
        raise
    progress(100, 100, "Done")
    return [ws.title for ws in workbook.worksheets]


class _ReportWriter(SheetWriter):
    def __init__(self, workbook: Any, book: Book) -> None:
        super().__init__(workbook)
        self.book = book

    # -- sheets ---------------------------------------------------------------------------
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
            band = a.row.health_band.value.capitalize() if a.row.health_band else "No score"
            by_band[band] += rates.to_reporting(a.row.arr_minor, a.row.currency) or 0
        soon = book.today + timedelta(days=90)
        due = [r for r in book.renewals if r.end_date <= soon]
        due_value = sum(rates.to_reporting(r.value_minor, r.currency) or 0 for r in due)
        title = text_cell(ws, "Portfolio report")
        title.font = Font(name="Calibri", bold=True, size=16, color=HEADER_FILL)
        ws.append([title])
        scope = f"{book.owner}'s accounts" if book.owner else "All accounts"
        ws.append([safe_value(ws, f"{scope} on {book.today.isoformat()}; amounts in {currency}")])
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
        forecasts = ["Commit", "Likely", "At risk", "Lost", "Not set"]
        self._header(ws, ["Quarter", *forecasts])
        quarter_first = row
        for quarter in book.quarters:
            values = dict.fromkeys(forecasts, 0)
            for r in book.renewals:
                converted = rates.to_reporting(r.value_minor, r.currency)
                if r.quarter == quarter.code and converted is not None:
                    key = (r.forecast or "not_set").replace("_", " ").capitalize()
                    values[key] += converted
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

    def accounts(self) -> None:
        from openpyxl.worksheet.properties import Outline

        book = self.book
        header = [
            "Account", "Parent", "Owner", "Segment", "Currency", "ARR", "ARR with sub-accounts",
            "Baseline revenue", "Forecast revenue", "Usage target", "Usage actual",
            "Price erosion", "Terminations", "Service credits", "Overdue debt", "Health score",
            "Band", "90-day trend", "Next renewal", "Days left", "Forecast",
            "Economic buyer", "Champion", "Open risks", "Survey NPS", "Employees",
            "Company revenue",
        ]  # fmt: skip
        rows = []
        for a in book.accounts:
            r, rev, cur = a.row, a.revenue, a.row.currency
            days_left = None if r.next_renewal is None else (r.next_renewal - book.today).days
            rows.append(
                [
                    r.name, a.parent_name, r.owner, _words(r.segment), cur,
                    Money(r.arr_minor, cur), Money(a.arr_with_children, cur),
                    *(Money(rev.get(key, 0), cur) for key in (
                        "baseline", "forecast", "usage_target", "usage_actual", "price_erosion",
                        "terminations", "service_credits", "overdue_debt")),
                    r.health_score, _words(None if r.health_band is None else r.health_band.value),
                    a.trend_90d, r.next_renewal, days_left, _words(a.forecast),
                    _yes(a.economic_buyer), _yes(a.champion), a.open_risks,
                    None if a.nps is None else round(a.nps), a.employees,
                    None if a.annual_revenue_minor is None else Money(a.annual_revenue_minor, cur),
                ]
            )  # fmt: skip
        ws = self._sheet("Accounts", header, rows, freeze="B2")
        ws.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=False)
        depths = [min(a.depth, MAX_OUTLINE) for a in book.accounts]
        ws.sheet_format.outlineLevelRow = max(depths, default=0)
        self._write(ws, header, rows, outline=depths)
        last = max(len(rows) + 1, 2)
        self._band_colours(ws, f"Q2:Q{last}")
        self._score_by_band(ws, f"P2:P{last}", "Q")
        self._trend_colours(ws, f"R2:R{last}")
        self._days_colours(ws, f"T2:T{last}")
        self._forecast_colours(ws, f"U2:U{last}")
        self._yes_no_colours(ws, f"V2:W{last}")

    def renewals(self) -> None:
        book = self.book
        header = [
            "Quarter", "End date", "Days left", "Account", "Owner", "Contract", "Annual value",
            "Currency", "Auto-renews", "Notice days", "Notice by", "Forecast", "Likelihood",
            "Health band", "Next step",
        ]  # fmt: skip
        rows = [
            [
                r.quarter, r.end_date, (r.end_date - book.today).days, r.account, r.owner,
                r.contract, Money(r.value_minor, r.currency), r.currency, _yes(r.auto_renew),
                r.notice_days, deadline_before(r.end_date, r.notice_days), _words(r.forecast),
                None if r.likelihood is None else r.likelihood / 100,
                None if r.band is None else r.band.capitalize(), r.next_step,
            ]
            for r in book.renewals
        ]  # fmt: skip
        ws = self._sheet("Renewals", header, rows, freeze="E2")
        self._write(ws, header, rows, formats={12: "0%"})
        last = max(len(rows) + 1, 2)
        self._days_colours(ws, f"C2:C{last}")
        self._forecast_colours(ws, f"L2:L{last}")
        self._band_colours(ws, f"N2:N{last}")

    def health_history(self, progress: Progress) -> None:
        from openpyxl.formatting.rule import Rule
        from openpyxl.utils import get_column_letter

        book = self.book
        header = ["Account", "Owner", *(week.isoformat() for week in book.weeks)]
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

    def risks(self) -> None:
        book = self.book
        header = [
            "Account", "Risk", "Category", "Severity", "Status", "Escalation", "Owner",
            "Opened", "Due", "Days open", "Mitigation", "Internal notes",
        ]  # fmt: skip
        rows = [
            [
                r.account, r.title, _words(r.category), _words(r.severity), _words(r.status),
                _yes(r.escalation), r.owner, r.opened_on, r.due_on,
                (book.today - r.opened_on).days, r.mitigation, r.internal_notes,
            ]
            for r in book.risks
        ]  # fmt: skip
        ws = self._sheet("Risks", header, rows, freeze="C2")
        self._write(ws, header, rows)
        last = max(len(rows) + 1, 2)
        self._severity_colours(ws, f"D2:D{last}")

    def coverage(self) -> None:
        book = self.book
        header = [
            "Account", "Owner", "ARR", "Stakeholders", "Economic buyer", "Champion",
            "Executive sponsor", "Supporters", "Detractors", "Last contact",
            "Days since contact", "Gaps",
        ]  # fmt: skip
        rows = []
        for a in book.accounts:
            gaps = [
                label
                for label, present in (
                    ("no economic buyer", a.economic_buyer),
                    ("no champion", a.champion),
                    ("no executive sponsor", a.executive_sponsor),
                )
                if not present
            ]
            since = None if a.last_contact is None else (book.today - a.last_contact).days
            rows.append(
                [
                    a.row.name, a.row.owner, Money(a.row.arr_minor, a.row.currency),
                    a.stakeholders, _yes(a.economic_buyer), _yes(a.champion),
                    _yes(a.executive_sponsor), a.supporters, a.detractors, a.last_contact,
                    since, "; ".join(gaps).capitalize() if gaps else "Covered",
                ]
            )  # fmt: skip
        ws = self._sheet("Stakeholder coverage", header, rows, freeze="B2")
        self._write(ws, header, rows)
        last = max(len(rows) + 1, 2)
        self._yes_no_colours(ws, f"E2:G{last}")

    def stakeholders(self) -> None:
        """One row per person, in the headers the contacts import reads back."""
        header = [
            "Account", "Account ID", "Name", "Title", "Department", "Email", "Phone",
            "Reports To", "Role", "Influence", "Sentiment", "Last contact", "Departed",
            "Departed on",
        ]  # fmt: skip
        rows = [
            [
                s.account, s.account_ref, s.name, s.title, s.department, s.email, s.phone,
                s.reports_to, _words(s.role), s.influence, s.sentiment, s.last_contact,
                _yes(s.departed), s.departed_on,
            ]
            for s in self.book.stakeholders
        ]  # fmt: skip
        ws = self._sheet("Stakeholders", header, rows, freeze="D2")
        self._write(ws, header, rows)
        last = max(len(rows) + 1, 2)
        red, _yellow, green = self._fills()
        self._number_rule(ws, f"K2:K{last}", "{}<0", red)
        self._number_rule(ws, f"K2:K{last}", "{}>0", green)

    def review_gaps(self) -> None:
        """Governance reviews overdue or due within 30 days, by the segment cadence."""
        header = [
            "Account", "Owner", "Review", "Every (days)", "Last held", "Due", "Days overdue",
            "Status",
        ]  # fmt: skip
        rows = [
            [
                g.account_name, g.owner, g.label, g.every_days, g.last_on, g.due_on,
                max(g.overdue_days, 0), g.text[:1].upper() + g.text[1:],
            ]
            for g in self.book.review_gaps
        ]  # fmt: skip
        ws = self._sheet("Review gaps", header, rows, freeze="B2")
        self._write(ws, header, rows)
        red, _yellow, _green = self._fills()
        self._number_rule(ws, f"G2:G{max(len(rows) + 1, 2)}", "{}>0", red)

    # -- writing --------------------------------------------------------------------------


def _discard(workbook: Any) -> None:
    """Close a failed write-only workbook's sheets and remove their temp files."""
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


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


def _words(value: str | None) -> str | None:
    return None if not value else value.replace("_", " ").capitalize()


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"
