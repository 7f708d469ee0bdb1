"""The calendar suggests slots for reviews due, on my book by default."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from app.models import Activity
from app.models.enums import ActivityKind
from app.views.settings import WindowSettings

from .conftest import TODAY, Book


def test_calendar_suggests_review_slots_for_my_book(qtbot, store, book: Book) -> None:
    with store.session() as session:
        for account_id in (book.acme, book.globex):
            session.add(
                Activity(
                    account_id=account_id,
                    kind=ActivityKind.QBR,
                    title="QBR",
                    occurred_at=datetime(2026, 1, 13, tzinfo=UTC),
                )
            )
    settings = WindowSettings()
    settings.me = "Jonas Weber"
    settings.sync()
    from app.views.calendar import CalendarView
    from app.views.context import AppContext

    ctx = AppContext(store=store, today=TODAY)
    view = CalendarView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    slots = view.suggestions
    assert view.owner_box.currentText() == "Jonas Weber"
    rows = [
        [slots.topLevelItem(i).text(c) for c in range(4)] for i in range(slots.topLevelItemCount())
    ]
    assert rows == [["Mon, May 4", "Globex", "Quarterly business review", "QBR overdue by 20 days"]]
    view.owner_box.setCurrentIndex(0)  # the whole team
    names = [slots.topLevelItem(i).text(1) for i in range(slots.topLevelItemCount())]
    assert names == ["Acme", "Globex"]
    opened: list[tuple[object, str]] = []
    ctx.events.open_account.connect(lambda account_id, tab: opened.append((account_id, tab)))
    slots.setFocus()
    slots.setCurrentItem(slots.topLevelItem(0))
    qtbot.keyClick(slots, Qt.Key.Key_Return)
    assert opened == [(book.acme, "Plays")]
