"""A large map opens on the part the view shows: that part is built before the first paint
and paints what the whole map paints there; the rest is built right after, and anything that
asks the scene for its items or cards gets every one of them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QGraphicsScene
from pytestqt.qtbot import QtBot

from app.services.map_analysis import analyse, warnings_by_person
from app.services.stakeholder_graph import load_account_map
from app.views.context import AppContext
from app.views.map.build_plan import connector_points, cubic_meets, plan_near
from app.views.map.card_item import StakeholderCard
from app.views.map.card_pictures import PICTURES
from app.views.map.tab import StakeholderMapTab
from benchmarks.map_bench import CARDS, TODAY, big_workspace


@pytest.fixture(scope="module")
def big() -> Iterator[tuple[Any, str]]:
    """The benchmark's 500-card, 600-line map (50 trees, 150 relation lines)."""
    with big_workspace() as (store, account_id):
        yield store, account_id


@pytest.fixture(autouse=True)
def _collect_leftovers(qapp: QApplication) -> Iterator[None]:
    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(autouse=True)
def _cards_painted_directly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compare the part built first with the whole map, both painted straight: a card's
    picture, made when it is painted a second time, is composited once instead of shape by
    shape (a rounding apart; ``test_map_paint`` checks it)."""
    monkeypatch.setattr(PICTURES, "draw", lambda *args: False)


def _tab(qtbot: QtBot, store: Any, size: tuple[int, int]) -> StakeholderMapTab:
    tab = StakeholderMapTab(AppContext(store=store, today=TODAY))
    qtbot.addWidget(tab)
    tab.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    tab.resize(*size)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def _built_cards(tab: StakeholderMapTab) -> int:
    """Cards in the scene now (the base class's ``items``: it builds nothing)."""
    return sum(isinstance(i, StakeholderCard) for i in QGraphicsScene.items(tab.scene))


def _grab(tab: StakeholderMapTab) -> QImage:
    return tab.view.viewport().grab().toImage()


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_first_paint_shows_what_the_whole_map_shows_there(
    qtbot: QtBot, big: tuple[Any, str], size: tuple[int, int]
) -> None:
    store, account_id = big
    tab = _tab(qtbot, store, size)
    tab.set_account(account_id)
    assert 0 < _built_cards(tab) < CARDS  # only the part in (or reaching into) the view
    first = _grab(tab)
    tab.scene.complete()
    assert _built_cards(tab) == CARDS
    assert _grab(tab) == first  # pixel for pixel, lines and labels included
    qtbot.waitUntil(lambda: not tab.panels_pending)


def test_the_rest_is_built_right_after_the_first_paint(qtbot: QtBot, big: tuple[Any, str]) -> None:
    store, account_id = big
    tab = _tab(qtbot, store, (1366, 768))
    tab.set_account(account_id)
    _grab(tab)
    qtbot.waitUntil(lambda: _built_cards(tab) == CARDS)
    assert not tab.scene.pending
    qtbot.waitUntil(lambda: not tab.panels_pending)
    lines = QGraphicsScene.items(tab.scene)
    assert len(lines) == len(tab.scene.items())


def test_asking_the_scene_builds_every_item_first(qtbot: QtBot, big: tuple[Any, str]) -> None:
    store, account_id = big
    tab = _tab(qtbot, store, (1366, 768))
    tab.set_account(account_id)
    assert _built_cards(tab) < CARDS
    assert sum(isinstance(i, StakeholderCard) for i in tab.scene.items()) == CARDS
    assert len(tab.scene.cards) == CARDS
    # 450 reporting lines in one item per manager, and 150 relation lines.
    assert sum(len(getattr(line, "reports", ())) for line in tab.scene.lines) == 450
    qtbot.waitUntil(lambda: not tab.panels_pending)


def test_a_view_moved_before_its_first_paint_paints_the_whole_map(
    qtbot: QtBot, big: tuple[Any, str]
) -> None:
    store, account_id = big
    tab = _tab(qtbot, store, (1366, 768))
    tab.set_account(account_id)
    tab.view.centerOn(QPointF(3000, 2500))  # far from the part built first
    moved = _grab(tab)
    assert _built_cards(tab) == CARDS
    assert _grab(tab) == moved
    qtbot.waitUntil(lambda: not tab.panels_pending)


def test_the_map_fits_and_scrolls_as_if_it_were_all_built(
    qtbot: QtBot, big: tuple[Any, str]
) -> None:
    store, account_id = big
    tab = _tab(qtbot, store, (1366, 768))
    tab.set_account(account_id)
    rect_before, scene_rect = tab.scene.cards_rect(), tab.view.sceneRect()
    tab.scene.complete()
    assert tab.scene.cards_rect() == rect_before
    tab.view.update_scroll_area()
    assert tab.view.sceneRect() == scene_rect
    qtbot.waitUntil(lambda: not tab.panels_pending)


def test_a_curve_meets_a_box_whenever_a_point_of_it_lies_inside() -> None:
    rng = random.Random(3)
    for _ in range(400):
        points = tuple((rng.uniform(0, 1000), rng.uniform(0, 1000)) for _ in range(4))
        left, top = rng.uniform(0, 900), rng.uniform(0, 900)
        box = (left, top, left + rng.uniform(1, 100), top + rng.uniform(1, 100))
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
        inside = False
        for i in range(2001):
            t = i / 2000
            u = 1 - t
            x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
            y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
            inside = inside or (box[0] <= x <= box[2] and box[1] <= y <= box[3])
        if inside:
            assert cubic_meets(points, box)  # type: ignore[arg-type]
    # A curve far from the box does not meet it.
    assert not cubic_meets(((0, 0), (10, 0), (20, 0), (30, 0)), (0, 50, 30, 60))


def test_a_managers_lines_come_whole_when_one_of_them_reaches_the_box() -> None:
    positions = {"boss": (0.0, 0.0), "near": (0.0, 200.0), "far": (3000.0, 200.0)}
    plan = plan_near((0, 150, 300, 400), positions, {"boss": ["near", "far"]}, [])
    assert plan.managers == {"boss"}
    # Only the card in the box is built first; the path's other ends stand as spots.
    assert plan.cards == {"near"}
    # Not reached: the box lies between the rows, left of every line.
    points = connector_points(positions["far"], positions["boss"])
    assert min(x for x, _ in points) > -100
    plan = plan_near((-900, 120, -400, 180), positions, {"boss": ["near", "far"]}, [])
    assert plan.managers == set() and plan.cards == set()


def test_a_gesture_before_the_rest_is_built_finds_any_card(
    qtbot: QtBot, big: tuple[Any, str]
) -> None:
    store, account_id = big
    tab = _tab(qtbot, store, (1366, 768))
    tab.set_account(account_id)
    built = {
        i.stakeholder_id for i in QGraphicsScene.items(tab.scene) if isinstance(i, StakeholderCard)
    }
    assert tab.imap is not None
    far = next(p for p in tab.imap.on_map() if p.id not in built and p.position is not None)
    x, y = far.position or (0.0, 0.0)
    # A press asks the scene which card is under the pointer: it builds the rest first.
    card = tab.scene.card_at(QPointF(x + 20, y + 20))
    assert card is not None and card.stakeholder_id == far.id
    assert not tab.scene.pending
    qtbot.waitUntil(lambda: not tab.panels_pending)


def test_the_cards_warnings_follow_right_after_the_first_paint(
    qtbot: QtBot, big: tuple[Any, str]
) -> None:
    """The analysis waits for the first paint; right after it every card carries its
    warnings, painted as a map analysed up front paints them, and the panel counts them."""
    store, account_id = big
    tab = _tab(qtbot, store, (1366, 768))
    tab.set_account(account_id)
    assert tab.warnings == [] and tab.panels_pending
    _grab(tab)
    qtbot.waitUntil(lambda: not tab.panels_pending)
    expected = analyse(load_account_map(store, account_id, today=TODAY), TODAY)
    by_person = warnings_by_person(expected)
    assert by_person  # the benchmark's map has warnings to show
    assert tab.warnings == expected
    assert {pid: card.warnings for pid, card in tab.scene.cards.items() if card.warnings} == {
        pid: list(found) for pid, found in by_person.items()
    }
    shown = sum(1 for w in expected if w.severity.value != "info")
    assert tab.side_tabs.tabText(0) == f"Warnings ({shown})"
    after = _grab(tab)
    tab.refresh()  # analysed before drawing
    assert _grab(tab) == after
