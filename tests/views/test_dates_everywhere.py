"""One account's next renewal reads the same day in the window (overview, tree, pipeline), the
customer deck and brief, the Excel report and the .ics feed: how a date reads has one home,
app.services.dates_text (en_US here, pinned in tests/conftest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
from docx import Document
from pptx import Presentation
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.exports.ics import export_calendar
from app.exports.portfolio_report import export_report
from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.models import Account
from app.models.opening import open_workspace
from app.services.account_overview import next_renewal
from app.views.calendar.pipeline_panel import RenewalPipelinePanel
from app.views.tree.columns import COL_NAME, COL_RENEWAL
from tests.views.conftest import TODAY, main_window_as, write_demo


def _en_us(day: date) -> str:
    return f"{day:%b} {day.day}, {day:%Y}"


def test_the_next_renewal_reads_the_same_everywhere(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_workspace(write_demo(tmp_path, TODAY))
    try:
        window = main_window_as(qtbot, store)
        home = window.home  # type: ignore[attr-defined]
        titles = [home.tabText(i) for i in range(home.count())]
        home.setCurrentIndex(titles.index("Renewal pipeline"))
        QApplication.processEvents()
        panel = window.findChild(RenewalPipelinePanel)  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: panel.action_rows.rowCount() > 0)
        # A top-level account whose own pipeline renewal is its next one in the whole subtree.
        rows = panel.action_rows.rows()
        with store.read() as session:
            top = {a.id: a.name for a in session.query(Account).filter(Account.parent_id.is_(None))}
            index = next(
                i
                for i, row in enumerate(rows)
                if row.contract.account_id in top
                and (found := next_renewal(session, row.contract.account_id, TODAY)) is not None
                and found.end_date == row.renewal_on
            )
        account_id, renewal = rows[index].contract.account_id, rows[index].renewal_on
        name = top[account_id]
        shown = _en_us(renewal)

        # The window: the pipeline, the tree (cell and tooltip), the account's overview.
        assert panel.action_rows.index(index, 1).data() == shown
        model = window.tree.model  # type: ignore[attr-defined]
        names = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
        cell = model.index(names.index(name), COL_RENEWAL)
        assert cell.data().startswith(f"{renewal:%b} {renewal.day}, ’{renewal:%y} · ")
        assert f", {shown}, " in cell.data(Qt.ItemDataRole.ToolTipRole)
        window.open_account(account_id, "Overview")  # type: ignore[attr-defined]
        overview = window.workspace.current_tab()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: overview.cards["renewal"].note.text().startswith(shown))

        # The customer deck and brief.
        deck, brief = tmp_path / "customer.pptx", tmp_path / "customer.docx"
        export_qbr(store, name, deck, today=TODAY, audience=Audience.CUSTOMER)
        export_qbr(store, name, brief, today=TODAY, audience=Audience.CUSTOMER)
        slides = "\n".join(
            shape.text_frame.text
            for slide in Presentation(str(deck)).slides
            for shape in slide.shapes
            if shape.has_text_frame
        )
        assert f"renews on {shown}" in slides
        paragraphs = "\n".join(p.text for p in Document(str(brief)).paragraphs)
        assert f"renews on {shown}" in paragraphs

        # The report: a real date, shown in the same form.
        report = tmp_path / "report.xlsx"
        export_report(store, report, today=TODAY)
        sheet = openpyxl.load_workbook(report)["Accounts"]
        header = [c.value for c in sheet[1]]
        cells = {r[0].value: r[header.index("Next renewal")] for r in sheet.iter_rows(min_row=2)}
        assert cells[name].value.date() == renewal
        assert cells[name].number_format == "mmm d, yyyy"  # Excel writes Dec 5, 2026

        # The .ics feed's detail (TEXT escapes the comma, long lines fold).
        feed = tmp_path / "feed.ics"
        with store.read() as session:
            days = (renewal - TODAY).days + 1
            export_calendar(
                session, feed, today=TODAY, days=days, now=datetime(2026, 5, 4, tzinfo=UTC)
            )
        text = feed.read_text(encoding="utf-8").replace("\r\n ", "").replace("\n ", "")
        assert f"renews on {shown.replace(',', chr(92) + ',')}" in text
    finally:
        store.close()
