"""The map at real window sizes, driven by real mouse events on the real main window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Activity, MapCard, Stakeholder, StakeholderRelation
from app.models.enums import ActivityKind, RelationKind
from app.models.store import Store
from app.services.map_layout import overlaps
from app.views.map import dialogs
from app.views.map.card_drawing import HANDLE_RADIUS, contact_age_text
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH
from app.views.map.view import READABLE_ZOOM
from tests.map_helpers import TODAY
from tests.views.map_window import LEFT, NO_MOD, SIZES, MapWindow, build_25, open_map

SHIFT = Qt.KeyboardModifier.ShiftModifier


class Recorder:
    """Stands in for a dialog: records the call, returns a fixed answer."""

    def __init__(self, answer: Any = None) -> None:
        self.answer = answer
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any) -> Any:
        self.calls.append(args)
        return self.answer


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    monkeypatch.setattr(dialogs, "refuse", recorder)
    return recorder


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def mapped(request: pytest.FixtureRequest, qtbot: QtBot, store: Store) -> tuple[MapWindow, dict]:
    acc, ids = build_25(store)
    return open_map(qtbot, store, acc, request.param), ids


def visible_rect(m: MapWindow) -> QRectF:
    return m.tab.view.mapToScene(m.tab.view.viewport().rect()).boundingRect()


def card_rect(m: MapWindow, pid: str) -> QRectF:
    pos = m.tab.scene.cards[pid].pos()
    return QRectF(pos.x(), pos.y(), CARD_WIDTH, CARD_HEIGHT)


def relations(store: Store) -> list[tuple[str, str, RelationKind]]:
    with store.read() as session:
        rows = session.scalars(select(StakeholderRelation)).all()
        return [(r.source_id, r.target_id, r.kind) for r in rows]


def test_default_view_of_25_people_is_readable_and_starts_at_the_top(
    mapped: tuple[MapWindow, dict],
) -> None:
    m, ids = mapped
    assert len(m.tab.scene.cards) == 25
    assert m.tab.view.zoom() >= READABLE_ZOOM
    # The CEO (top of the chart) and their first head are in view on opening; the heads'
    # teams are wrapped into rows below (tests/views/test_map_fit.py), never off to the side.
    seen = visible_rect(m)
    assert seen.contains(card_rect(m, ids["ceo"]))
    heads = [k for k in ("cfo", "cio", "coo", "cro") if seen.contains(card_rect(m, ids[k]))]
    assert len(heads) >= 1
    # An empty "Not on the map" list and the legend stay out of the map's way.
    assert m.tab.left_panel.folded
    assert not m.tab.legend.isVisible()


def test_a_line_is_drawn_from_every_point_of_the_handle(
    mapped: tuple[MapWindow, dict], store: Store
) -> None:
    m, ids = mapped
    source, target = ids["cfo"], ids["cio"]
    m.tab.view.set_zoom(1.0)
    m.show_cards(source, target)
    stack = m.window.ctx.undo_stack
    missed = []
    r = int(HANDLE_RADIUS)
    for dx in range(-r, r + 1, 2):
        for dy in range(-r, r + 1, 2):
            if dx * dx + dy * dy > r * r:
                continue
            m.tab.scene.select_ids([source] if (dx + dy) % 4 else [])
            m.drag(m.handle_point(source, dx, dy), m.card_point(target), SHIFT)
            if relations(store) != [(source, target, RelationKind.INFLUENCE)]:
                missed.append((dx, dy))
            while stack.canUndo() and relations(store):
                stack.undo()
    assert missed == []
    with store.read() as session:
        card = session.get(MapCard, source)
        assert card is not None
        # Drawing never moved the card.
        assert (card.x, card.y) == (
            m.tab.scene.cards[source].pos().x(),
            m.tab.scene.cards[source].pos().y(),
        )


def test_a_drop_on_a_card_records_it_or_refuses_and_puts_the_card_back(
    mapped: tuple[MapWindow, dict], store: Store, refusals: Recorder
) -> None:
    m, ids = mapped
    stack = m.window.ctx.undo_stack
    mover, boss = ids["proc"], ids["cfo"]
    m.show_cards(mover, boss)
    steps = stack.count()
    m.drag(m.card_point(mover), m.card_point(boss))
    with store.read() as session:
        assert session.get(Stakeholder, mover).reports_to_id == boss  # type: ignore[union-attr]
    assert stack.count() == steps + 1
    m.show_cards(mover, boss)
    # Dropping them on the manager they already report to: refused, back in place.
    home = m.tab.scene.cards[mover].pos()
    m.drag(m.card_point(mover), m.card_point(boss))
    assert refusals.calls and "already reports to" in refusals.calls[-1][1]
    assert m.tab.scene.cards[mover].pos() == home
    assert "already reports to" in m.tab.status.text()
    assert stack.count() == steps + 1
    # A cycle is refused the same way.
    ceo = ids["ceo"]
    m.show_cards(ceo, ids["cfo"])
    home = m.tab.scene.cards[ceo].pos()
    m.drag(m.card_point(ceo), m.card_point(ids["cfo"]))
    assert m.tab.scene.cards[ceo].pos() == home
    assert len(refusals.calls) == 2
    # Two cards dragged together onto others never end up on top of a card.
    a, b = ids["sal0"], ids["sal1"]
    m.show_cards(a, b, ids["cro"])
    m.tab.scene.select_ids([a, b])
    offset = m.card_point(ids["cro"]) - m.card_point(a)
    m.drag(m.card_point(a), m.card_point(a) + offset)
    with store.read() as session:
        cards = session.scalars(select(MapCard)).all()
        assert overlaps({c.stakeholder_id: (c.x, c.y) for c in cards}) == []


def test_add_person_shows_the_new_card_whole_and_selected(
    mapped: tuple[MapWindow, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    m, _ids = mapped
    monkeypatch.setattr(dialogs, "ask_text", Recorder("Nora Newcomer"))
    for _ in range(3):
        m.tab.add_action.trigger()
        (new,) = m.tab.scene.selected_ids()
        assert visible_rect(m).contains(card_rect(m, new))
        assert m.tab.edit_panel.person is not None
        assert m.tab.edit_panel.person.id == new


def test_a_click_fills_the_person_panel_and_nobody_selected_shows_a_hint(
    mapped: tuple[MapWindow, dict],
) -> None:
    m, ids = mapped
    panel = m.tab.edit_panel
    assert not panel.form_box.isVisible()
    assert "Click a card" in panel.heading.text()
    m.show_cards(ids["cio"])
    QTest.mouseClick(m.tab.view.viewport(), LEFT, NO_MOD, m.card_point(ids["cio"]))
    assert panel.person is not None and panel.person.id == ids["cio"]
    assert panel.form_box.isVisible() and panel.name.text() == "Priya Raman"
    # A click on empty canvas: nobody selected, the hint again, nothing to apply.
    empty = m.tab.scene.cards_rect().bottomRight() + QPointF(150, 150)
    m.tab.view.centerOn(empty)
    QTest.mouseClick(m.tab.view.viewport(), LEFT, NO_MOD, m.vp(empty))
    assert panel.person is None
    assert not panel.form_box.isVisible()


def test_card_age_and_last_contact_agree_even_after_a_future_dated_call(
    mapped: tuple[MapWindow, dict], store: Store
) -> None:
    m, ids = mapped
    pid = ids["cio"]
    with store.session() as session:
        past = Activity(
            account_id=m.tab.account_id, kind=ActivityKind.CALL, title="Sync",
            occurred_at=datetime.combine(TODAY - timedelta(days=3), datetime.min.time(), UTC),
        )  # fmt: skip
        future = Activity(
            account_id=m.tab.account_id, kind=ActivityKind.CALL, title="Planned",
            occurred_at=datetime.combine(TODAY + timedelta(days=7), datetime.min.time(), UTC),
        )  # fmt: skip
        person = session.get(Stakeholder, pid)
        past.attendees = [person]  # type: ignore[list-item]
        future.attendees = [person]  # type: ignore[list-item]
        session.add_all([past, future])
    card = m.tab.scene.cards[pid]
    assert contact_age_text(card.person, TODAY) == ("3 d ago", False)
    m.show_cards(pid)
    QTest.mouseClick(m.tab.view.viewport(), LEFT, NO_MOD, m.card_point(pid))
    shown = m.tab.edit_panel.last_contact.date()
    assert (shown.year(), shown.month(), shown.day()) == (
        (TODAY - timedelta(days=3)).year, (TODAY - timedelta(days=3)).month,
        (TODAY - timedelta(days=3)).day,
    )  # fmt: skip


def test_compare_follows_undo_and_save_version_confirms(
    mapped: tuple[MapWindow, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    m, ids = mapped
    monkeypatch.setattr(dialogs, "ask_text", Recorder("Before the reorg"))
    m.tab.save_version_action.trigger()
    assert "Saved map version “Before the reorg”" in m.tab.status.text()
    from app.services.map_versions import list_map_versions

    (version,) = list_map_versions(m.window.ctx.store, m.tab.account_id)  # type: ignore[arg-type]
    m.tab.edit_panel.show_person(m.tab.imap.people[ids["cio"]])  # type: ignore[union-attr]
    m.tab.edit_panel.title.setText("Chief Digital Officer")
    m.tab.edit_panel.apply_button.click()
    m.tab.extras.show_comparison(version.id, None)
    assert m.tab.scene.cards[ids["cio"]].diff_mark == "changed"
    m.window.ctx.undo_stack.undo()
    assert m.tab.scene.cards[ids["cio"]].diff_mark is None
    m.window.ctx.undo_stack.redo()
    assert m.tab.scene.cards[ids["cio"]].diff_mark == "changed"


def test_side_panels_fold_to_an_edge_and_the_legend_toggles_remembered(
    qtbot: QtBot, store: Store
) -> None:
    acc, _ids = build_25(store)
    m = open_map(qtbot, store, acc, (1366, 768))
    right = m.tab.right_panel
    width = m.tab.view.width()
    QTest.mouseClick(right.button, LEFT)
    assert right.folded and right.width() <= 30
    assert m.tab.view.width() > width + 200
    m.tab.legend_action.trigger()
    assert m.tab.legend.isVisible()
    m.window.close()
    again = open_map(qtbot, store, acc, (1366, 768))
    assert again.tab.right_panel.folded
    assert again.tab.legend.isVisible()
    QTest.mouseClick(again.tab.right_panel.button, LEFT)
    assert not again.tab.right_panel.folded
    assert again.tab.side_tabs.isVisible()
