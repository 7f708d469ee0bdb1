"""The window's Alerts tab: every alert of my book (or the whole team's), acted on and opened
with real clicks, and the alert rules' way in."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models.alert import HealthAlert
from app.services.alerts import SCORE_DROP, SILENCE
from app.views.health import BookAlertsPanel
from app.views.health.models import AlertsModel
from tests.views.conftest import Book, main_window_as

SIZES = [(1366, 768), (1920, 1080)]


@pytest.fixture
def alerts(store: object, book: Book) -> None:
    """A score drop on Acme (Maya Patel's) and a silence on Globex (Jonas Weber's)."""
    with store.session() as session:  # type: ignore[attr-defined]
        session.add_all(
            [
                HealthAlert(
                    account_id=book.acme,
                    rule_key=SCORE_DROP,
                    raised_on=date(2026, 5, 4),
                    message="Score fell 18 points in 30 days",
                ),
                HealthAlert(
                    account_id=book.globex,
                    rule_key=SILENCE,
                    raised_on=date(2026, 5, 2),
                    message="No touchpoint in 45 days",
                ),
            ]
        )


def open_alerts_tab(qtbot: QtBot, store: object, size: tuple[int, int], me: str = ""):
    """The real main window at ``size``, its Alerts tab chosen by a click on the tab bar."""
    window = main_window_as(qtbot, store, size, me)
    qtbot.waitExposed(window)
    window.show_home()
    bar = window.home.tabBar()
    index = next(i for i in range(window.home.count()) if window.home.tabText(i) == "Alerts")
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: window.findChild(BookAlertsPanel) is not None)
    panel = window.findChild(BookAlertsPanel)
    qtbot.waitUntil(panel.isVisible)
    return window, panel


def accounts(panel: BookAlertsPanel) -> list[str]:
    model = panel.alerts.model
    return [model.index(row, AlertsModel.ACCOUNT).data() for row in range(model.rowCount())]


@pytest.mark.parametrize("size", SIZES)
def test_alerts_tab_lists_my_books_alerts_then_the_teams(
    qtbot: QtBot, store: object, book: Book, alerts: None, size: tuple[int, int]
) -> None:
    _window, panel = open_alerts_tab(qtbot, store, size, me="Maya Patel")
    assert accounts(panel) == ["Acme"]
    assert panel.count_label.text() == "1 new alert"
    # Every column reads whole: the tab fits the laptop screen too.
    view = panel.alerts.view
    assert view.horizontalScrollBar().maximum() == 0
    QTest.mouseClick(panel.scope.team, Qt.MouseButton.LeftButton)
    assert accounts(panel) == ["Acme", "Globex"]
    assert panel.count_label.text() == "2 new alerts"
    QTest.mouseClick(panel.scope.mine, Qt.MouseButton.LeftButton)
    assert accounts(panel) == ["Acme"]


@pytest.mark.parametrize("size", SIZES)
def test_acknowledge_then_open_the_account_on_its_health_tab(
    qtbot: QtBot, store: object, book: Book, alerts: None, size: tuple[int, int]
) -> None:
    window, panel = open_alerts_tab(qtbot, store, size, me="Maya Patel")
    view = panel.alerts.view
    cell = view.visualRect(panel.alerts.model.index(0, AlertsModel.MESSAGE)).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert panel.alerts.acknowledge_button.isEnabled()
    QTest.mouseClick(panel.alerts.acknowledge_button, Qt.MouseButton.LeftButton)
    assert panel.count_label.text() == "0 new alerts" and accounts(panel) == []
    QTest.mouseClick(panel.show_acknowledged, Qt.MouseButton.LeftButton)
    assert accounts(panel) == ["Acme"]
    window.ctx.undo_stack.undo()
    assert panel.count_label.text() == "1 new alert"
    cell = view.visualRect(panel.alerts.model.index(0, AlertsModel.MESSAGE)).center()
    # A double-click is a click and a second press: Qt's item views open on the second one.
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    with qtbot.waitSignal(window.ctx.events.open_account) as opened:
        QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert opened.args == [book.acme, "Health"]
    qtbot.waitUntil(lambda: window.workspace.account_id == book.acme)
    assert window.workspace.tab_titles()[window.workspace.tabs.currentIndex()] == "Health"


def test_alert_rules_open_from_the_alerts_tab(
    qtbot: QtBot, store: object, book: Book, alerts: None
) -> None:
    from app.views.health.alert_rules import AlertRulesDialog

    _window, panel = open_alerts_tab(qtbot, store, (1366, 768))
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog).__name__)
        if isinstance(dialog, AlertRulesDialog):
            seen.append(str(dialog.model.rowCount()))
        dialog.reject()

    QTimer.singleShot(0, answer)
    QTest.mouseClick(panel.rules_button, Qt.MouseButton.LeftButton)
    assert seen[0] == "AlertRulesDialog" and int(seen[1]) > 0


def test_an_alerts_status_starts_with_a_capital_like_its_neighbours(
    qtbot: QtBot, store: object, book: Book, alerts: None
) -> None:
    _window, panel = open_alerts_tab(qtbot, store, (1366, 768), me="Maya Patel")
    # It read "new" beside "Acme" and "Score fell 18 points in 30 days".
    assert panel.alerts.model.index(0, AlertsModel.STATUS).data() == "New"
