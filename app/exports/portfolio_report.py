"""The portfolio report (.xlsx): streamed with openpyxl's write-only mode, typed and tidy."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.exports.portfolio_data import Book, gather_book
from app.exports.report_history import HealthHistorySheet
from app.exports.report_sheets import Money
from app.exports.report_summary import SummarySheet, summary_note
from app.exports.safety import (
    DocumentInfo,
    ExportError,
    ExportResult,
    Progress,
    atomic_output,
    check_output_path,
)
from app.exports.xlsx_safety import save_workbook
from app.models.store import Store
from app.services import dates_text
from app.services.labels import field_label, label_of
from app.services.renewal_dates import deadline_before

REPORT_SUFFIXES = (".xlsx",)

#: Excel shows at most 7 outline levels below the top.
MAX_OUTLINE = 7


@dataclass(kw_only=True)
class ReportExport(ExportResult):
    """What the report export wrote (its ``parts`` are the sheets), and how many accounts."""

    accounts: int


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
            title=f"Portfolio report: {scope}, {dates_text.day(today)}",
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
    return ReportExport(path=out, parts=sheets, notes=notes, accounts=len(book.accounts))


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


class _ReportWriter(SummarySheet, HealthHistorySheet):
    """The report's sheets: Summary and Health history from their modules, the lists here."""

    def __init__(self, workbook: Any, book: Book) -> None:
        super().__init__(workbook)
        self.book = book

    # -- sheets ---------------------------------------------------------------------------
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
        # The trend in whole points with its sign, as the window shows it ("-5"); the cell
        # keeps the tenths.
        trend_format = {header.index("90-day trend"): "+0;-0;0"}
        self._write(ws, header, rows, outline=depths, formats=trend_format)
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
                _words(r.band), r.next_step,
            ]
            for r in book.renewals
        ]  # fmt: skip
        ws = self._sheet("Renewals", header, rows, freeze="E2")
        self._write(ws, header, rows, formats={12: "0%"})
        last = max(len(rows) + 1, 2)
        self._days_colours(ws, f"C2:C{last}")
        self._forecast_colours(ws, f"L2:L{last}")
        self._band_colours(ws, f"N2:N{last}")

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
            "Reports To", field_label("stakeholder", "role"), "Influence", "Sentiment",
            "Last contact", "Departed", "Departed on",
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


def _words(value: str | None) -> str | None:
    """An enum value as the window words it (``labels.label_of``); an empty cell for none."""
    return label_of(value) or None


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"
