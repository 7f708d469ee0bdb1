"""The Calendar view: modes, filters, clicks that open accounts, "+N more", drag to move."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import Activity, Task
from app.models.enums import ForecastCategory
from app.models.store import Store
from app.services import renewals
from app.services.renewal_calendar import EventKind
from app.views.calendar import CalendarView, Mode, build_snapshot_widget
from app.views.context import AppContext
from tests import renewal_book as book

TODAY = date(2027, 3, 8)
# The offscreen platform cannot raise windows, grab the keyboard or propagate size hints.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def ctx(qtbot: QtBot, store: Store) -> AppContext:
    return AppContext(store=store, today=TODAY)


@pytest.fixture
def seeded(store: Store) -> dict[str, str]:
    with store.session() as session:
        acme = book.account(session, "Acme", owner="Ana")
        beta = book.account(session, "Beta", owner="Ben")
        renewal = book.contract(session, acme, date(2026, 3, 16), date(2027, 3, 15), 12_000_000)
        renewals.set_forecast(session, renewal.id, ForecastCategory.COMMIT, on=TODAY)
        call = book.touchpoint(session, beta, datetime(2027, 3, 10, 9, 30, tzinfo=UTC), title="QBR")
        todo = book.task(session, beta, date(2027, 3, 11), title="Send quote")
        return {
            "acme": acme.id,
            "beta": beta.id,
            "renewal": renewal.id,
            "call": call.id,
            "task": todo.id,
        }


def _view(qtbot: QtBot, ctx: AppContext) -> CalendarView:
    view = CalendarView(ctx)
    view.tz = UTC
    view.grid.tz = UTC
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    view.reload()
    view.grab()  # paint once so chip positions are known
    return view


def _drag(qtbot: QtBot, view: CalendarView, start: QPoint, end: QPoint) -> None:
    grid = view.grid
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
    middle = start + (end - start) / 2
    qtbot.mouseMove(grid, middle.toPoint() if hasattr(middle, "toPoint") else middle)
    qtbot.mouseMove(grid, end)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end)


def test_month_shows_the_book_and_highlights_today(
    qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]
) -> None:
    view = _view(qtbot, ctx)
    assert view.period_label.text() == "March 2027"
    assert view.grid.first_day == date(2027, 3, 1)
    assert view.grid.selected == TODAY
    kinds = {(e.kind, e.day) for e in view.events}
    assert (EventKind.RENEWAL, date(2027, 3, 15)) in kinds
    assert (EventKind.TOUCHPOINT, date(2027, 3, 10)) in kinds
    assert (EventKind.TASK, date(2027, 3, 11)) in kinds
    assert "1</b> renewal" in view.summary_label.text() or "This week" in view.summary_label.text()
    renewal = next(e for e in view.events if e.kind is EventKind.RENEWAL)
    assert view.grid.chip_rect(renewal.uid) is not None


def test_click_opens_the_account_at_the_right_tab(
    qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]
) -> None:
    view = _view(qtbot, ctx)
    renewal = next(e for e in view.events if e.kind is EventKind.RENEWAL)
    rect = view.grid.chip_rect(renewal.uid)
    assert rect is not None
    with qtbot.waitSignal(ctx.events.open_account) as blocker:
        qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [seeded["acme"], "Renewals"]
    call = next(e for e in view.events if e.kind is EventKind.TOUCHPOINT)
    rect = view.grid.chip_rect(call.uid)
    assert rect is not None
    with qtbot.waitSignal(ctx.events.open_account) as blocker:
        qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [seeded["beta"], "Touchpoints"]


@pytest.mark.parametrize("kind", [EventKind.TOUCHPOINT, EventKind.TASK])
def test_drag_reschedules_and_undo_restores(
    qtbot: QtBot, ctx: AppContext, store: Store, seeded: dict[str, str], kind: EventKind
) -> None:
    view = _view(qtbot, ctx)
    event = next(e for e in view.events if e.kind is kind)
    rect = view.grid.chip_rect(event.uid)
    assert rect is not None
    target = view.grid.cell_rect(date(2027, 3, 24)).center()
    with qtbot.waitSignal(view.reloaded):
        _drag(qtbot, view, rect.center(), target)

    def stored_day() -> date | None:
        with store.read() as session:
            if kind is EventKind.TOUCHPOINT:
                activity = session.get(Activity, seeded["call"])
                assert activity is not None
                return activity.occurred_at.date()
            task = session.get(Task, seeded["task"])
            assert task is not None
            return task.due_on

    assert stored_day() == date(2027, 3, 24)
    assert ctx.undo_stack.count() == 1
    # Edit > Undo names it as people quote, not as Python does ('QBR').
    assert ctx.undo_stack.undoText() == f"Move “{event.title}” to Mar 24, 2027"
    moved = next(e for e in view.events if e.uid == event.uid)
    assert moved.day == date(2027, 3, 24)
    if kind is EventKind.TOUCHPOINT:
        assert moved.starts_at == datetime(2027, 3, 24, 9, 30, tzinfo=UTC)
    with qtbot.waitSignal(view.reloaded):
        ctx.undo_stack.undo()
    assert stored_day() == event.day
    assert next(e for e in view.events if e.uid == event.uid).day == event.day
    ctx.undo_stack.redo()
    assert stored_day() == date(2027, 3, 24)


def test_renewals_cannot_be_dragged(
    qtbot: QtBot, ctx: AppContext, store: Store, seeded: dict[str, str]
) -> None:
    view = _view(qtbot, ctx)
    renewal = next(e for e in view.events if e.kind is EventKind.RENEWAL)
    rect = view.grid.chip_rect(renewal.uid)
    assert rect is not None
    with qtbot.waitSignal(ctx.events.open_account):
        _drag(qtbot, view, rect.center(), view.grid.cell_rect(date(2027, 3, 24)).center())
    assert ctx.undo_stack.count() == 0


def test_busy_day_folds_into_more_popup(qtbot: QtBot, ctx: AppContext, store: Store) -> None:
    with store.session() as session:
        for number in range(12):
            acc = book.account(session, f"Account {number:02d}")
            book.contract(
                session, acc, date(2026, 3, 10), date(2027, 3, 9), 1_000_000 * (number + 1)
            )
    view = _view(qtbot, ctx)
    more = view.grid.more_rect(date(2027, 3, 9))
    assert more is not None
    shown = [e for e in view.events if e.day == date(2027, 3, 9) and view.grid.chip_rect(e.uid)]
    assert 0 < len(shown) < 12
    qtbot.mouseClick(view.grid, Qt.MouseButton.LeftButton, pos=more.center())
    popup = view.popup
    assert popup is not None and popup.isVisible()
    assert popup.list.count() == 12
    # The biggest renewal comes first.
    assert "Account 11" in popup.list.item(0).text()
    with qtbot.waitSignal(ctx.events.open_account) as blocker:
        popup.list.itemClicked.emit(popup.list.item(0))
    assert blocker.args[1] == "Renewals"


def test_filters_narrow_the_entries(qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]) -> None:
    view = _view(qtbot, ctx)
    view.owner_box.setCurrentIndex(view.owner_box.findData("Ben"))
    assert {e.account_id for e in view.events} == {seeded["beta"]}
    view.owner_box.setCurrentIndex(0)
    view.forecast_box.setCurrentIndex(view.forecast_box.findData("commit"))
    assert [e.kind for e in view.events if e.kind is EventKind.RENEWAL] == [EventKind.RENEWAL]
    view.forecast_box.setCurrentIndex(view.forecast_box.findData("at_risk"))
    assert not [e for e in view.events if e.kind is EventKind.RENEWAL]
    view.forecast_box.setCurrentIndex(0)
    view.kind_actions[EventKind.TOUCHPOINT].setChecked(False)
    assert EventKind.TOUCHPOINT not in {e.kind for e in view.events}
    assert EventKind.TASK in {e.kind for e in view.events}


def test_keyboard_navigation(qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]) -> None:
    view = _view(qtbot, ctx)
    view.grid.setFocus()
    qtbot.keyClick(view.grid, Qt.Key.Key_Right)
    assert view.grid.selected == TODAY + timedelta(days=1)
    qtbot.keyClick(view.grid, Qt.Key.Key_Down)
    assert view.grid.selected == TODAY + timedelta(days=8)
    # Walking off the month moves to the next month.
    for _ in range(4):
        qtbot.keyClick(view.grid, Qt.Key.Key_Down)
    assert view.anchor.month == 4 and view.period_label.text() == "April 2027"
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.period_label.text() == "May 2027"
    qtbot.keyClick(view, Qt.Key.Key_T)
    assert view.period_label.text() == "March 2027"
    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert view.mode is Mode.WEEK and view.period() == (date(2027, 3, 8), date(2027, 3, 14))
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.period() == (date(2027, 3, 1), date(2027, 3, 7))


def test_agenda_and_quarter_modes(
    qtbot: QtBot, ctx: AppContext, seeded: dict[str, str], qtmodeltester: object
) -> None:
    view = _view(qtbot, ctx)
    view.set_mode(Mode.AGENDA)
    assert view.period() == (date(2027, 3, 8), date(2027, 3, 21))
    model = view.agenda_model
    assert model.rowCount() == len(view.events) > 0
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    first = model.index(0, 0)
    with qtbot.waitSignal(ctx.events.open_account):
        view.agenda.activated.emit(first)
    view.set_mode(Mode.QUARTER)
    assert view.period() == (date(2027, 1, 1), date(2027, 3, 31))
    count, money = view.timeline.cell("commit", date(2027, 3, 15))
    assert (count, money) == (1, {"USD": 12_000_000})
    with qtbot.waitSignal(view.reloaded):
        qtbot.mouseClick(
            view.timeline,
            Qt.MouseButton.LeftButton,
            pos=QPoint(view.timeline.width() - 5, view.timeline.height() // 2),
        )
    assert view.mode is Mode.WEEK


def test_snapshot_widget_renders_the_month(
    qtbot: QtBot, ctx: AppContext, seeded: dict[str, str]
) -> None:
    from PySide6.QtCore import QSize

    widget = build_snapshot_widget(ctx, date(2027, 5, 1), QSize(1366, 768))
    qtbot.addWidget(widget)
    assert isinstance(widget, CalendarView)
    assert widget.period_label.text() == "May 2027"
    image = widget.grab()
    assert (image.width(), image.height()) == (1366, 768)
    QApplication.processEvents()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_month_is_painted_on_the_palettes_surface(
    qapp: QApplication, qtbot: QtBot, ctx: AppContext, seeded: dict[str, str], mode: str
) -> None:
    """Under the dark palette the days are dark with light numbers (they were white, with
    the window dark around them); the light palette keeps its white days."""
    from app.views.calendar import style
    from app.views.theme import apply_theme

    apply_theme(qapp, mode)
    view = _view(qtbot, ctx)
    surface = style.DARK if mode == "dark" else style.LIGHT
    picture = view.grid.grab().toImage()
    empty = view.grid.cell_rect(date(2027, 3, 31)).adjusted(6, 40, -6, -6)  # no entries
    assert picture.pixelColor(empty.center()) == QColor(surface.fill)
    today = view.grid.cell_rect(TODAY).adjusted(6, 40, -6, -6)
    assert QColor(surface.today) in [
        picture.pixelColor(today.left() + dx, today.bottom() - 2) for dx in range(0, 40, 4)
    ]
    window = view.palette().color(QPalette.ColorRole.Window)
    assert (QColor(surface.fill).lightness() < 128) == (window.lightness() < 128)
