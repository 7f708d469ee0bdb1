"""A 25-person account shown on the real main window's Stakeholders tab, for map GUI tests."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.models.enums import BuyingRole as R
from app.models.store import Store
from app.services.map_layout import tidy_layout
from app.views.main_window import MainWindow
from app.views.map import StakeholderMapTab
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH
from tests.map_helpers import TODAY, add_account, add_person

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier
SIZES = [(1366, 768), (1920, 1080)]

#: (key, name, title, manager key): a CEO, four heads, their teams.
PEOPLE = [
    ("ceo", "Helena Marsh-Whitfield", "Chief Executive Officer", None),
    ("cfo", "Victor Osei", "Chief Financial Officer", "ceo"),
    ("cio", "Priya Raman", "Chief Information Officer", "ceo"),
    ("coo", "Dana Whitfield", "Chief Operating Officer", "ceo"),
    ("cro", "Lukas Kim", "Chief Revenue Officer", "ceo"),
    *[(f"fin{i}", f"Finance Person {i}", "Financial Analyst", "cfo") for i in range(4)],
    ("vpe", "Marco Bellini", "VP Engineering", "cio"),
    ("ops", "Sara Koch", "Director IT Operations", "cio"),
    *[(f"dev{i}", f"Developer {i}", "Software Engineer", "vpe") for i in range(5)],
    *[(f"sre{i}", f"Operator {i}", "Site Reliability Engineer", "ops") for i in range(3)],
    *[(f"sal{i}", f"Sales Person {i}", "Account Executive", "cro") for i in range(5)],
    ("proc", "Gary Lind", "Head of Procurement", "coo"),
]


def build_25(store: Store) -> tuple[str, dict[str, str]]:
    """A 25-person account laid out by the org-chart layout. Returns (account id, ids)."""
    assert len(PEOPLE) == 25
    acc = add_account(store, "Twentyfive Industries")
    keys = [k for k, *_ in PEOPLE]
    reports = {k: boss for k, _n, _t, boss in PEOPLE}
    laid = tidy_layout(keys, reports)
    ids: dict[str, str] = {}
    for key, name, title, boss in PEOPLE:
        ids[key] = add_person(
            store,
            acc,
            name,
            title=title,
            reports_to_id=ids[boss] if boss else None,
            role=R.ECONOMIC_BUYER if key == "cfo" else None,
            last_contact_on=TODAY - timedelta(days=10),
            at=laid[key],
        )
    return acc, ids


def open_map(qtbot: QtBot, store: Store, account_id: str, size: tuple[int, int]) -> MapWindow:
    window = MainWindow(store, today=TODAY)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.open_account(account_id, "Stakeholders")
    tab = window.findChild(StakeholderMapTab)
    assert tab is not None
    # Fitted, and the side panels filled after the map's first paint.
    qtbot.waitUntil(lambda: tab.isVisible() and not tab._fit_pending and not tab.panels_pending)
    return MapWindow(window, tab)


class MapWindow:
    """The window and its map tab, with mouse helpers in scene coordinates."""

    def __init__(self, window: MainWindow, tab: StakeholderMapTab) -> None:
        self.window = window
        self.tab = tab

    def vp(self, scene_point: QPointF) -> QPoint:
        return self.tab.view.mapFromScene(scene_point)

    def card_point(self, pid: str, dx: float = 100, dy: float = 46) -> QPoint:
        card = self.tab.scene.cards[pid]
        return self.vp(card.pos() + QPointF(dx, dy))

    def handle_point(self, pid: str, dx: float = 0, dy: float = 0) -> QPoint:
        return self.card_point(pid, CARD_WIDTH + dx, CARD_HEIGHT / 2 + dy)

    def show_cards(self, *pids: str) -> None:
        self.tab.reveal(list(pids))

    def drag(
        self, start: QPoint, end: QPoint, modifiers: Qt.KeyboardModifier = NO_MOD, steps: int = 5
    ) -> None:
        viewport = self.tab.view.viewport()
        QTest.mouseMove(viewport, start)
        QTest.mousePress(viewport, LEFT, modifiers, start)
        for i in range(1, steps + 1):
            QTest.mouseMove(viewport, start + (end - start) * (i / steps))
        QTest.mouseRelease(viewport, LEFT, modifiers, end)
