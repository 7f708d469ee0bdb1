"""The renewal pipeline in the real main window: the quarter table shows every line when the
panel has the room (it showed six and a scroll bar above a half-empty Needs action at
1920x1080), and takes at most half the panel on a 1366x768 laptop."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models.store import Store
from app.views.calendar.pipeline_panel import RenewalPipelinePanel
from tests.views.conftest import main_window_as


def _pipeline(qtbot: QtBot, store: Store, size: tuple[int, int]) -> RenewalPipelinePanel:
    window = main_window_as(qtbot, store, size)
    home = window.home  # type: ignore[attr-defined]
    titles = [home.tabText(i) for i in range(home.count())]
    home.setCurrentIndex(titles.index("Renewal pipeline"))
    QApplication.processEvents()
    panel = window.findChild(RenewalPipelinePanel)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.isVisible() and panel.quarters.rowCount() > 0)
    return panel


def test_every_quarter_line_shows_at_1920(qtbot: QtBot, demo: Store) -> None:
    panel = _pipeline(qtbot, demo, (1920, 1080))
    table = panel.quarter_table
    assert panel.quarters.rowCount() >= 7  # more than the old fixed height showed
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() == 0)
    last = table.visualRect(panel.quarters.index(panel.quarters.rowCount() - 1, 0))
    assert last.bottom() <= table.viewport().height()
    # Needs action below keeps the rest of the panel.
    assert panel.action_table.height() >= panel.height() // 3


def test_the_quarters_take_at_most_half_the_panel_at_1366(qtbot: QtBot, demo: Store) -> None:
    panel = _pipeline(qtbot, demo, (1366, 768))
    table, actions = panel.quarter_table, panel.action_table
    qtbot.waitUntil(lambda: table.height() > 0 and actions.height() > 0)
    assert table.height() <= panel.height() // 2
    # Needs action still shows three of its rows at least.
    assert actions.viewport().height() >= 3 * actions.verticalHeader().defaultSectionSize()
