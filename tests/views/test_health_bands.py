"""The home Health panel is interactive: hover a band for its figures, click to list its
accounts, open one from the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.models.enums import HealthBand
from app.services.book_health import accounts_in_band
from app.views.health import PortfolioHealthPanel
from app.views.main_window import MainWindow
from tests.views.conftest import Book


def test_accounts_in_band(store: object, book: Book) -> None:
    with store.read() as session:  # type: ignore[attr-defined]
        red = accounts_in_band(session, HealthBand.RED)
        unscored = accounts_in_band(session, None)
    assert [a.id for a in red] == [book.initech]
    assert book.initech not in {a.id for a in unscored} and len(unscored) == 5


def test_click_a_band_to_list_its_accounts_and_open_one(
    window: MainWindow, qtbot: QtBot, book: Book
) -> None:
    window.show_home()
    titles = [window.home.tabText(i) for i in range(window.home.count())]
    window.home.setCurrentIndex(next(i for i, t in enumerate(titles) if "Health" in t))
    panel = window.findChild(PortfolioHealthPanel)
    assert panel is not None
    qtbot.waitUntil(lambda: panel.summary is not None)
    red = panel.band_accounts.buttons[HealthBand.RED]
    assert red.text() == "Red 1"
    assert "1 accounts" in red.toolTip() and "ARR" in red.toolTip()
    QTest.mouseClick(red, Qt.MouseButton.LeftButton)
    rows = panel.band_accounts.list
    assert rows.isVisible() and rows.count() == 1
    assert rows.item(0).text().startswith("Initech")
    item_rect = rows.visualItemRect(rows.item(0))
    QTest.mouseClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=item_rect.center())
    with qtbot.waitSignal(window.ctx.events.open_account) as opened:
        QTest.mouseDClick(rows.viewport(), Qt.MouseButton.LeftButton, pos=item_rect.center())
    assert opened.args == [book.initech, "Health"]
    qtbot.waitUntil(lambda: window.workspace.account_id == book.initech)
    assert window.workspace.tab_titles()[window.workspace.tabs.currentIndex()] == "Health"
