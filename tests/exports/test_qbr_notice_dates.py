"""The notice deadline is one rule: the calendar, its month view, the .ics feed, the report,
the deck and the brief give the same day, also when the plain subtraction lands on a weekend."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from app.exports.ics import calendar_feed
from app.exports.portfolio_report import export_report
from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.models import Account, Contract
from app.models.opening import open_workspace
from app.services.calendar_days import calendar_days
from app.services.renewal_calendar import CalendarFilter, EventKind, calendar_events

TODAY = date(2026, 9, 1)
START, END = date(2026, 10, 1), date(2026, 11, 30)


@pytest.mark.parametrize(
    ("end_date", "expected"),
    [
        (date(2027, 1, 30), date(2026, 10, 30)),  # 90 days before is Sunday 1 Nov
        (date(2027, 1, 29), date(2026, 10, 30)),  # 90 days before is Saturday 31 Oct
        (date(2027, 1, 27), date(2026, 10, 29)),  # a Thursday stays
    ],
)
def test_notice_deadline_is_equal_everywhere(
    tmp_path: Path, workspace_target: str, end_date: date, expected: date
) -> None:
    store = open_workspace(workspace_target, create=True)
    try:
        with store.session() as session:
            account = Account(name="Weekend Ltd", owner="Dana")
            session.add(account)
            session.flush()
            session.add(
                Contract(
                    account_id=account.id,
                    name="Platform",
                    start_date=date(2026, 1, 31),
                    end_date=end_date,
                    value_minor=50_000_00,
                    notice_days=90,
                )
            )
        notice_only = CalendarFilter(kinds=frozenset({EventKind.NOTICE}))
        with store.read() as session:
            events = calendar_events(session, START, END, notice_only, today=TODAY)
            cells = calendar_days(session, START, END, notice_only, today=TODAY)
            feed, _count = calendar_feed(
                session,
                START,
                END,
                notice_only,
                today=TODAY,
                now=datetime(2026, 9, 1, tzinfo=UTC),
            )
        assert [e.day for e in events] == [expected]
        assert [day for day, cell in cells.items() if cell.count] == [expected]
        assert re.findall(r"DTSTART;VALUE=DATE:(\d{8})", feed.decode()) == [
            expected.strftime("%Y%m%d")
        ]
        shown = f"{expected:%b} {expected.day}, {expected:%Y}"  # en_US, pinned in conftest
        deck = tmp_path / "internal.pptx"
        export_qbr(store, "Weekend Ltd", deck, today=TODAY, audience=Audience.INTERNAL)
        deck_rows = [
            [cell.text for cell in row.cells]
            for slide in Presentation(str(deck)).slides
            for shape in slide.shapes
            if shape.has_table
            for row in shape.table.rows
        ]
        assert ["Notice by", shown] in deck_rows
        brief = tmp_path / "internal.docx"
        export_qbr(store, "Weekend Ltd", brief, today=TODAY, audience=Audience.INTERNAL)
        brief_rows = [
            [cell.text for cell in row.cells]
            for table in Document(str(brief)).tables
            for row in table.rows
        ]
        assert ["Notice by", shown] in brief_rows
        report = tmp_path / "book.xlsx"
        export_report(store, report, today=TODAY)
        sheet = openpyxl.load_workbook(report)["Renewals"]
        header = [c.value for c in sheet[1]]
        notice_by = [row[header.index("Notice by")] for row in sheet.iter_rows(2, values_only=True)]
        assert [d.date() if isinstance(d, datetime) else d for d in notice_by] == [expected]
    finally:
        store.close()
