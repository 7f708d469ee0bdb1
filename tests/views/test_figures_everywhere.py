"""One account's ARR and health trend read the same in the window (tree, overview, Health tab),
the internal deck and brief, the Excel report and the .ics feed: money has one home
(app.services.money) and which way a trend points one rule (app.services.health_trend).
The companion of test_dates_everywhere.py, which does the same for dates."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from docx import Document
from pptx import Presentation
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.exports.ics import export_calendar
from app.exports.portfolio_report import export_report
from app.exports.qbr import export_qbr
from app.exports.qbr_data import Audience
from app.models import Account
from app.models.opening import open_workspace
from app.services.health_trend import direction, trend_arrow, trend_points, trend_words
from app.services.money import format_compact, format_money
from app.views.tree.columns import COL_ARR, COL_HEALTH, COL_NAME, TREND_GLYPHS
from tests.views.conftest import TODAY, main_window_as, write_demo


def _texts(path: Path) -> str:
    """Every text of a deck or brief, table cells included, one per line."""
    if path.suffix == ".pptx":
        shapes = [s for slide in Presentation(str(path)).slides for s in slide.shapes]
        texts = [s.text_frame.text for s in shapes if s.has_text_frame]
        texts += [c.text for s in shapes if s.has_table for r in s.table.rows for c in r.cells]
    else:
        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        texts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(texts)


def test_the_arr_and_the_trend_read_the_same_everywhere(qtbot: QtBot, tmp_path: Path) -> None:
    store = open_workspace(write_demo(tmp_path, TODAY))
    try:
        # A top-level account with sub-accounts in its own currency and a trend that moved.
        with store.read() as session:
            parents = {a.parent_id for a in session.query(Account) if a.parent_id}
            account = max(
                (
                    a
                    for a in session.query(Account).filter(Account.parent_id.is_(None))
                    if a.id in parents
                    and a.health_trend is not None
                    and abs(trend_points(a.health_trend)) >= 3
                ),
                key=lambda a: abs(a.health_trend or 0),
            )
            account_id, name = account.id, account.name
            currency, own_minor = account.currency, account.arr_minor
            trend = account.health_trend
            assert trend is not None
            children = [a for a in session.query(Account) if a.parent_id == account.id]
            assert any(c.currency == currency for c in children)
        own = format_money(own_minor, currency)
        words = trend_words(trend)  # e.g. "down 5 points"

        # The window: the tree's ARR (with sub-accounts) and its tooltip (own), the health
        # cell's arrow and tooltip, the overview's ARR card, the Health tab's trend.
        window = main_window_as(qtbot, store)
        model = window.tree.model  # type: ignore[attr-defined]
        names = [model.index(r, COL_NAME).data() for r in range(model.rowCount())]
        row = names.index(name)
        rolled = model.index(row, COL_ARR).data().removesuffix(" +")
        assert f"Own ARR {own}" in model.index(row, COL_ARR).data(Qt.ItemDataRole.ToolTipRole)
        qtbot.waitUntil(
            lambda: model.index(row, COL_HEALTH).data().endswith(TREND_GLYPHS[direction(trend)])
        )
        health_tip = model.index(row, COL_HEALTH).data(Qt.ItemDataRole.ToolTipRole)
        assert health_tip.endswith(f", {words} over 90 days")

        window.open_account(account_id, "Overview")  # type: ignore[attr-defined]
        overview = window.workspace.current_tab()  # type: ignore[attr-defined]
        card = overview.cards["arr"]  # the headline figure in its compact form
        qtbot.waitUntil(lambda: f"own {own}" in card.note.text())
        shown_compact = card.value.text()

        window.open_account(account_id, "Health")  # type: ignore[attr-defined]
        health = window.workspace.current_tab()  # type: ignore[attr-defined]
        qtbot.waitUntil(lambda: "90 d:" in health.trend_label.text())
        assert f"90 d: {trend_arrow(trend)} {trend_points(trend):+d}" in health.trend_label.text()

        # The internal deck and brief: the renewal table's ARR and the trend in words.
        for suffix in (".pptx", ".docx"):
            path = tmp_path / f"internal{suffix}"
            export_qbr(store, name, path, today=TODAY, audience=Audience.INTERNAL)
            text = _texts(path)
            assert f"{words} over the last 90 days" in text
            assert own in text and rolled in text

        # The report: the same amounts as numbers, the trend shown in whole points.
        report = tmp_path / "report.xlsx"
        export_report(store, report, today=TODAY)
        sheet = openpyxl.load_workbook(report)["Accounts"]
        header = [c.value for c in sheet[1]]
        cells = {r[0].value: r for r in sheet.iter_rows(min_row=2)}[name]
        assert cells[header.index("ARR")].value * 100 == own_minor
        rolled_minor = round(cells[header.index("ARR with sub-accounts")].value * 100)
        assert format_money(rolled_minor, currency) == rolled
        assert format_compact(rolled_minor, currency) == shown_compact
        trend_cell = cells[header.index("90-day trend")]
        assert trend_cell.value == trend and trend_cell.number_format.startswith("+0")

        # The .ics feed: each entry of the account says its own ARR as the window does.
        feed = tmp_path / "feed.ics"
        with store.read() as session:
            export_calendar(
                session, feed, today=TODAY, days=400, now=datetime(2026, 5, 4, tzinfo=UTC)
            )
        text = feed.read_text(encoding="utf-8").replace("\r\n ", "").replace("\n ", "")
        assert f"{name.replace(',', chr(92) + ',')}: " in text
        assert f"ARR {own.replace(',', chr(92) + ',')}" in text
    finally:
        store.close()
