"""A 25-person map fits the width of a 1366x768 window at a readable zoom: the layout wraps
a wide row of teams under a spine instead of spreading the CEO's row sideways; the demo's
maps and Tidy layout (Ctrl+L) do the same, and no reporting line crosses a card."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import Account, MapCard
from app.models.opening import open_workspace
from app.models.store import Store
from app.services.map_layout import FIT_WIDTH, LayoutSpec, overlaps, tidy_layout
from app.views.map.build_plan import connector_points
from app.views.map.line_groups import ReportingGroup
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH
from app.views.map.view import READABLE_ZOOM
from tests.map_helpers import TODAY
from tests.views.conftest import write_demo
from tests.views.map_window import PEOPLE, SIZES, MapWindow, build_25, open_map


@pytest.fixture(autouse=True)
def _collect_leftovers(qapp: QApplication) -> Iterator[None]:
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _cards_rect(m: MapWindow) -> QRectF:
    rect = QRectF()
    for card in m.tab.scene.cards.values():
        rect = rect.united(QRectF(card.pos().x(), card.pos().y(), CARD_WIDTH, CARD_HEIGHT))
    return rect


def _visible(m: MapWindow) -> QRectF:
    return m.tab.view.mapToScene(m.tab.view.viewport().rect()).boundingRect()


def _points(path: QPainterPath, step: float = 4.0) -> list[QPointF]:
    """Points every ``step`` along each straight piece of a (polyline) path."""
    out: list[QPointF] = []
    last: QPointF | None = None
    for i in range(path.elementCount()):
        element = path.elementAt(i)
        point = QPointF(element.x, element.y)
        if element.isLineTo() and last is not None:
            dx, dy = point.x() - last.x(), point.y() - last.y()
            n = max(1, int(max(abs(dx), abs(dy)) / step))
            out.extend(QPointF(last.x() + dx * t / n, last.y() + dy * t / n) for t in range(n + 1))
        last = point
    return out


def _crossings(m: MapWindow) -> list[tuple[str, str]]:
    """(line owner, card) where a reporting line runs through a card that is not its end."""
    found = []
    cards = m.tab.scene.cards
    for item in m.tab.scene.lines:
        if not isinstance(item, ReportingGroup):
            continue
        for report in item.reports:
            at, manager = report.pos(), item.manager.pos()
            corners = connector_points((at.x(), at.y()), (manager.x(), manager.y()))
            path = QPainterPath(QPointF(*corners[0]))
            for x, y in corners[1:]:
                path.lineTo(x, y)
            points = _points(path)
            for card in cards.values():
                if card is report or card is item.manager:
                    continue
                rect = QRectF(card.pos(), QPointF(card.pos().x() + CARD_WIDTH, card.pos().y()))
                rect.setHeight(CARD_HEIGHT)
                inner = rect.adjusted(2, 2, -2, -2)
                if any(inner.contains(p) for p in points):
                    found.append((report.person.name, card.person.name))
    return found


def test_the_25_person_chart_wraps_to_the_fit_width():
    keys = [k for k, *_ in PEOPLE]
    reports = {k: boss for k, _n, _t, boss in PEOPLE}
    laid = tidy_layout(keys, reports)
    xs = [x for x, _ in laid.values()]
    assert max(xs) + CARD_WIDTH - min(xs) <= FIT_WIDTH
    assert overlaps(laid) == []
    for key, boss in reports.items():
        if boss is not None:
            assert laid[key][1] > laid[boss][1], key
    # Without a width limit the heads' row spreads as before (what used to scroll).
    wide = tidy_layout(keys, reports, spec=LayoutSpec(max_width=0))
    wide_xs = [x for x, _ in wide.values()]
    assert max(wide_xs) + CARD_WIDTH - min(wide_xs) > 2 * FIT_WIDTH - 100
    assert overlaps(wide) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_25_person_map_opens_without_sideways_scrolling(
    qtbot: QtBot, store: Store, size: tuple[int, int]
) -> None:
    acc, ids = build_25(store)
    m = open_map(qtbot, store, acc, size)
    assert m.tab.view.zoom() >= READABLE_ZOOM
    cards, seen = _cards_rect(m), _visible(m)
    assert seen.left() <= cards.left() + 1 and seen.right() >= cards.right() - 1, (seen, cards)
    # The CEO and the first head are in view on opening; no line runs through a card.
    ceo, cfo = m.tab.scene.cards[ids["ceo"]], m.tab.scene.cards[ids["cfo"]]
    for card in (ceo, cfo):
        assert seen.contains(
            QRectF(card.pos(), QPointF(card.pos().x() + CARD_WIDTH, card.pos().y() + CARD_HEIGHT))
        )
    assert _crossings(m) == []


def _largest_demo_account(path) -> tuple[str, int]:
    store = open_workspace(path)
    try:
        with store.read() as session:
            name, count = session.execute(
                select(Account.name, func.count(MapCard.stakeholder_id))
                .join(MapCard, MapCard.account_id == Account.id)
                .group_by(Account.id)
                .order_by(func.count(MapCard.stakeholder_id).desc(), Account.name)
                .limit(1)
            ).one()
    finally:
        store.close()
    return name, count


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory):
    return write_demo(tmp_path_factory.mktemp("demo"), TODAY)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_demos_largest_map_fits_and_tidy_layout_fits_the_view(
    qtbot: QtBot, demo_book, size: tuple[int, int]
) -> None:
    name, count = _largest_demo_account(demo_book)
    assert count >= 15
    store = open_workspace(demo_book)
    try:
        with store.read() as session:
            account_id = session.scalars(select(Account.id).where(Account.name == name)).one()
        m = open_map(qtbot, store, account_id, size)
        assert m.tab.view.zoom() >= READABLE_ZOOM
        cards, seen = _cards_rect(m), _visible(m)
        assert seen.left() <= cards.left() + 1 and seen.right() >= cards.right() - 1
        assert _crossings(m) == []
        # Tidy layout (Ctrl+L) lays out to this view's width: still no sideways scroll.
        m.window.activateWindow()
        m.tab.view.setFocus()
        qtbot.waitUntil(m.tab.view.hasFocus)
        QTest.keyClick(m.tab.view.viewport(), Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        if size[0] > 1600:  # a wider view than the demo's layout was made for
            assert m.tab.ctx.undo_stack.undoText() == "Tidy layout"
        qtbot.waitUntil(lambda: m.tab._animation is None or not m.tab._animation.state().value)
        laid = _cards_rect(m)
        assert laid.width() * READABLE_ZOOM <= m.tab.view.viewport().width()
        assert _crossings(m) == []
        m.window.close()
    finally:
        store.close()


def _assert_opens_on_top(m: MapWindow, png) -> None:
    m.window.grab().save(str(png))
    cards, seen = _cards_rect(m), _visible(m)
    assert seen.top() <= cards.top()
    # At most the fit margin (30 scene units) and a pixel or two of rounding above the chart.
    zoom = m.tab.view.zoom()
    assert (cards.top() - seen.top()) * zoom <= 30 * zoom + 2, (seen, cards)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_map_opens_on_the_top_of_the_chart(
    qtbot: QtBot, store: Store, demo_book, size: tuple[int, int], tmp_path
) -> None:
    """No empty band above the chart: the view opens with the top row of cards at its top,
    whether the whole chart fits or scrolls (the 25-person chart and the demo's largest)."""
    acc, ids = build_25(store)
    m = open_map(qtbot, store, acc, size)
    _assert_opens_on_top(m, tmp_path / f"map25_{size[0]}x{size[1]}.png")
    ceo = m.tab.scene.cards[ids["ceo"]]
    assert _visible(m).contains(ceo.sceneBoundingRect().adjusted(12, 12, -12, -12))
    m.window.close()
    name, _count = _largest_demo_account(demo_book)
    demo = open_workspace(demo_book)
    try:
        with demo.read() as session:
            account_id = session.scalars(select(Account.id).where(Account.name == name)).one()
        _assert_opens_on_top(
            open_map(qtbot, demo, account_id, size), tmp_path / f"demo_{size[0]}x{size[1]}.png"
        )
    finally:
        demo.close()


def test_a_window_grown_after_opening_still_shows_the_top_of_the_chart(
    qtbot: QtBot, store: Store, tmp_path
) -> None:
    """Opened at 1366x768, then maximised to 1920x1080 (as a window restoring its size does):
    the map fits the new view again rather than keeping its centre with a band above."""
    acc, _ids = build_25(store)
    m = open_map(qtbot, store, acc, SIZES[0])
    m.window.resize(*SIZES[1])
    qtbot.waitUntil(lambda: m.tab.view.viewport().width() > 1000)
    qtbot.waitUntil(lambda: _cards_rect(m).top() - _visible(m).top() <= 31)
    _assert_opens_on_top(m, tmp_path / "grown_1920x1080.png")
    # Once the user has moved the view, a resize leaves it where they put it.
    m.tab.view.zoom_by(1.25)
    QTest.mouseClick(m.tab.view.viewport(), Qt.MouseButton.LeftButton)
    before = m.tab.view.zoom()
    m.window.resize(*SIZES[0])
    qtbot.waitUntil(lambda: m.tab.view.viewport().width() < 1000)
    assert m.tab.view.zoom() == before
