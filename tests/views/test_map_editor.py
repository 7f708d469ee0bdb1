"""The stakeholder map editor driven with real mouse and key events on the view."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QUndoStack, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import MapCard, PrivateNote, Risk, Stakeholder, StakeholderRelation, Task
from app.models.changes import ChangeKind, ChangeSet
from app.models.enums import BuyingRole, RelationKind
from app.models.store import Store
from app.services import private_notes
from app.services.map_layout import overlaps
from app.services.stakeholder_graph import load_account_map
from app.views.context import AppContext
from app.views.map import StakeholderMapTab, build_snapshot_widget, dialogs
from app.views.map.card_item import StakeholderCard
from app.views.map.line_groups import ReportingGroup
from app.views.map.line_items import RelationLine
from app.views.map.style import CARD_HEIGHT, CARD_WIDTH
from tests.map_helpers import TODAY, add_account, add_line, add_person

LEFT = Qt.MouseButton.LeftButton
NO_MOD = Qt.KeyboardModifier.NoModifier


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


@pytest.fixture
def ctx(store: Store) -> Iterator[AppContext]:
    yield AppContext(store=store, undo_stack=QUndoStack(), today=TODAY)


@pytest.fixture
def people(store: Store) -> dict[str, str]:
    acc = add_account(store)
    return {
        "acc": acc,
        "ann": add_person(store, acc, "Ann Boss", at=(0, 0), role=BuyingRole.ECONOMIC_BUYER),
        "ben": add_person(store, acc, "Ben Mid", at=(400, 0)),
        "cat": add_person(store, acc, "Cat Low", at=(0, 300)),
        "dan": add_person(store, acc, "Dan Loose"),
    }


@pytest.fixture
def tab(
    qtbot: QtBot, ctx: AppContext, people: dict[str, str], refusals: Recorder
) -> StakeholderMapTab:
    widget = StakeholderMapTab(ctx)
    qtbot.addWidget(widget)
    widget.resize(1300, 820)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_account(people["acc"])
    widget.view.set_zoom(1.0)
    widget.view.centerOn(QPointF(300, 200))
    return widget


def vp(tab: StakeholderMapTab, scene_point: QPointF) -> QPoint:
    return tab.view.mapFromScene(scene_point)


def card_point(tab: StakeholderMapTab, pid: str, dx: float = 100, dy: float = 46) -> QPoint:
    card = tab.scene.cards[pid]
    return vp(tab, card.pos() + QPointF(dx, dy))


def drag(
    tab: StakeholderMapTab,
    start: QPoint,
    end: QPoint,
    modifiers: Qt.KeyboardModifier = NO_MOD,
    steps: int = 5,
) -> None:
    viewport = tab.view.viewport()
    QTest.mousePress(viewport, LEFT, modifiers, start)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, LEFT, modifiers, end)


def position(store: Store, pid: str) -> tuple[float, float] | None:
    with store.read() as session:
        card = session.get(MapCard, pid)
        return None if card is None else (card.x, card.y)


def manager(store: Store, pid: str) -> str | None:
    with store.read() as session:
        return session.get(Stakeholder, pid).reports_to_id  # type: ignore[union-attr]


def relations(store: Store) -> list[tuple[str, str, RelationKind]]:
    with store.read() as session:
        rows = session.scalars(select(StakeholderRelation)).all()
        return [(r.source_id, r.target_id, r.kind) for r in rows]


def count(store: Store, model: type) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


# --- moving -----------------------------------------------------------------------------


def test_dragging_a_card_saves_its_position_as_one_undo_step(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], qtbot: QtBot
) -> None:
    ben = people["ben"]
    start = card_point(tab, ben)
    with qtbot.waitSignal(ctx.events.changed) as signal:
        drag(tab, start, start + QPoint(60, 250), steps=8)
    assert signal.args == [ChangeSet.of(ChangeKind.MAP, accounts=[people["acc"]])]
    assert position(ctx.store, ben) == (460.0, 250.0)
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert position(ctx.store, ben) == (400.0, 0.0)
    assert tab.scene.cards[ben].pos() == QPointF(400, 0)
    ctx.undo_stack.redo()
    assert position(ctx.store, ben) == (460.0, 250.0)


def test_multi_select_with_ctrl_click_moves_several_at_once(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    viewport = tab.view.viewport()
    QTest.mouseClick(viewport, LEFT, NO_MOD, card_point(tab, people["ann"]))
    QTest.mouseClick(
        viewport, LEFT, Qt.KeyboardModifier.ControlModifier, card_point(tab, people["cat"])
    )
    assert sorted(tab.scene.selected_ids()) == sorted([people["ann"], people["cat"]])
    start = card_point(tab, people["ann"])
    drag(tab, start, start + QPoint(-100, 40))
    assert position(ctx.store, people["ann"]) == (-100.0, 40.0)
    assert position(ctx.store, people["cat"]) == (-100.0, 340.0)
    assert position(ctx.store, people["ben"]) == (400.0, 0.0)
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert position(ctx.store, people["ann"]) == (0.0, 0.0)
    assert position(ctx.store, people["cat"]) == (0.0, 300.0)
    ctx.undo_stack.redo()
    assert position(ctx.store, people["cat"]) == (-100.0, 340.0)
    assert tab.scene.cards[people["cat"]].pos() == QPointF(-100, 340)


def test_rubber_band_selects_the_cards_it_touches(
    tab: StakeholderMapTab, people: dict[str, str]
) -> None:
    start = vp(tab, QPointF(-30, -40))
    drag(tab, start, vp(tab, QPointF(300, 350)))
    assert sorted(tab.scene.selected_ids()) == sorted([people["ann"], people["cat"]])


def test_arrow_key_nudges_merge_into_one_undo_step(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    viewport = tab.view.viewport()
    QTest.mouseClick(viewport, LEFT, NO_MOD, card_point(tab, people["ben"]))
    for _ in range(3):
        QTest.keyClick(viewport, Qt.Key.Key_Right)
    assert position(ctx.store, people["ben"]) == (430.0, 0.0)
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    assert position(ctx.store, people["ben"]) == (400.0, 0.0)


# --- reporting lines by drop ------------------------------------------------------------


def test_dropping_a_card_on_another_sets_reports_to(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    cat, ann = people["cat"], people["ann"]
    drag(tab, card_point(tab, cat), card_point(tab, ann, 120, 40))
    assert manager(ctx.store, cat) == ann
    pos = position(ctx.store, cat)
    assert pos is not None and pos[1] > CARD_HEIGHT  # placed under the manager
    assert ctx.undo_stack.count() == 1
    assert ctx.undo_stack.text(0) == "Cat Low reports to Ann Boss"
    ctx.undo_stack.undo()
    assert manager(ctx.store, cat) is None
    assert position(ctx.store, cat) == (0.0, 300.0)
    ctx.undo_stack.redo()
    assert manager(ctx.store, cat) == ann


def test_a_reporting_cycle_is_refused_with_a_message(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], refusals: Recorder
) -> None:
    ann, ben = people["ann"], people["ben"]
    drag(tab, card_point(tab, ben), card_point(tab, ann))
    assert manager(ctx.store, ben) == ann
    drag(tab, card_point(tab, ann), card_point(tab, ben))
    assert refusals.calls == [
        (tab, "Ann Boss cannot report to someone who already reports to them.")
    ]
    assert manager(ctx.store, ann) is None
    assert position(ctx.store, ann) == (0.0, 0.0)
    assert tab.scene.cards[ann].pos() == QPointF(0, 0)
    assert ctx.undo_stack.count() == 1


# --- drawing lines ----------------------------------------------------------------------


def handle_point(tab: StakeholderMapTab, pid: str) -> QPoint:
    return card_point(tab, pid, CARD_WIDTH, CARD_HEIGHT / 2)


def test_drawing_from_the_handle_with_shift_creates_an_influence_line(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    ann, ben = people["ann"], people["ben"]
    QTest.mouseMove(tab.view.viewport(), card_point(tab, ann))  # hover shows the handle
    drag(tab, handle_point(tab, ann), card_point(tab, ben), Qt.KeyboardModifier.ShiftModifier)
    assert relations(ctx.store) == [(ann, ben, RelationKind.INFLUENCE)]
    assert position(ctx.store, ann) == (0.0, 0.0)  # drawing a line does not move the card
    lines = [item for item in tab.scene.lines if isinstance(item, RelationLine)]
    assert len(lines) == 1
    ctx.undo_stack.undo()
    assert relations(ctx.store) == []
    assert not [item for item in tab.scene.lines if isinstance(item, RelationLine)]
    ctx.undo_stack.redo()
    assert relations(ctx.store) == [(ann, ben, RelationKind.INFLUENCE)]


def test_drawing_without_modifier_asks_the_popup(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, cat = people["ann"], people["cat"]
    chooser = Recorder(RelationKind.CONFLICT)
    monkeypatch.setattr(dialogs, "choose_relation_kind", chooser)
    drag(tab, handle_point(tab, ann), card_point(tab, cat))
    assert len(chooser.calls) == 1
    assert relations(ctx.store) == [(ann, cat, RelationKind.CONFLICT)]
    chooser.answer = None  # dismissing the popup draws nothing
    drag(tab, handle_point(tab, cat), card_point(tab, ann))
    assert relations(ctx.store) == [(ann, cat, RelationKind.CONFLICT)]
    # Releasing over empty canvas draws nothing and asks nothing.
    drag(tab, handle_point(tab, ann), vp(tab, QPointF(900, 700)))
    assert len(chooser.calls) == 2


# --- adding and removing ----------------------------------------------------------------


def test_dropping_people_from_the_side_list_puts_them_on_the_map(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    dan = people["dan"]
    assert [tab.off_map.item(i).text() for i in range(tab.off_map.count())] == ["Dan Loose"]
    mime = tab.off_map.mimeData([tab.off_map.item(0)])
    target = vp(tab, QPointF(700, 400))
    viewport = tab.view.viewport()
    enter = QDragEnterEvent(target, Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(viewport, drop)
    assert position(ctx.store, dan) == (700 - CARD_WIDTH / 2, 400 - CARD_HEIGHT / 2)
    assert dan in tab.scene.cards
    assert tab.off_map.count() == 0
    ctx.undo_stack.undo()
    assert position(ctx.store, dan) is None
    assert tab.off_map.count() == 1


def test_delete_key_removes_the_card_only_when_asked_so(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = people["ben"]
    ask = Recorder("card")
    monkeypatch.setattr(dialogs, "ask_removal", ask)
    QTest.mouseClick(tab.view.viewport(), LEFT, NO_MOD, card_point(tab, ben))
    QTest.keyClick(tab.view.viewport(), Qt.Key.Key_Delete)
    assert ask.calls == [(tab, ["Ben Mid"])]
    assert position(ctx.store, ben) is None
    assert count(ctx.store, Stakeholder) == 4
    ctx.undo_stack.undo()
    assert position(ctx.store, ben) == (400.0, 0.0)


def test_delete_person_and_cancel(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = people["ben"]
    ask = Recorder(None)
    monkeypatch.setattr(dialogs, "ask_removal", ask)
    tab.scene.select_ids([ben])
    tab.remove_selected()
    assert count(ctx.store, Stakeholder) == 4 and ctx.undo_stack.count() == 0
    ask.answer = "person"
    tab.remove_selected()
    assert count(ctx.store, Stakeholder) == 3
    assert ben not in tab.scene.cards
    ctx.undo_stack.undo()
    assert count(ctx.store, Stakeholder) == 4
    assert position(ctx.store, ben) == (400.0, 0.0)


# --- editing ----------------------------------------------------------------------------


def test_double_click_opens_the_edit_panel_and_apply_is_undoable(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    ann = people["ann"]
    QTest.mouseDClick(tab.view.viewport(), LEFT, NO_MOD, card_point(tab, ann))
    assert tab.side_tabs.currentWidget() is tab.edit_panel
    assert tab.edit_panel.name.text() == "Ann Boss"
    tab.edit_panel.title.setText("CFO")
    tab.edit_panel.sentiment.setCurrentIndex(tab.edit_panel.sentiment.findData(-1))
    QTest.mouseClick(tab.edit_panel.apply_button, LEFT)
    person = load_account_map(ctx.store, people["acc"]).people[ann]
    assert (person.title, person.sentiment) == ("CFO", -1)
    assert ctx.undo_stack.count() == 1
    ctx.undo_stack.undo()
    person = load_account_map(ctx.store, people["acc"]).people[ann]
    assert (person.title, person.sentiment) == (None, 0)
    assert tab.edit_panel.title.text() == ""


def test_the_panel_keeps_the_users_own_private_note_and_undo_takes_it_back(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    ann = people["ann"]
    QTest.mouseDClick(tab.view.viewport(), LEFT, NO_MOD, card_point(tab, ann))
    notes = tab.edit_panel.notes
    notes.setFocus()
    QTest.keyClicks(notes, "Golf on Fridays")
    QTest.mouseClick(tab.edit_panel.apply_button, LEFT)
    assert load_account_map(ctx.store, people["acc"]).people[ann].private_notes == (
        "Golf on Fridays"
    )
    with ctx.store.read() as session:  # a row of its own, in the user's name
        rows = session.execute(select(PrivateNote.author, PrivateNote.stakeholder_id)).all()
        assert rows == [(private_notes.author(session), ann)]
    ctx.undo_stack.undo()
    assert load_account_map(ctx.store, people["acc"]).people[ann].private_notes is None
    assert notes.toPlainText() == ""


def test_f2_renames_in_place(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    ben = people["ben"]
    QTest.mouseClick(tab.view.viewport(), LEFT, NO_MOD, card_point(tab, ben))
    QTest.keyClick(tab.view.viewport(), Qt.Key.Key_F2)
    editor = tab._editor
    assert editor is not None and editor.text() == "Ben Mid"
    editor.selectAll()
    QTest.keyClicks(editor, "Benjamin Mid")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert load_account_map(ctx.store, people["acc"]).people[ben].name == "Benjamin Mid"
    assert ctx.undo_stack.text(0) == "Rename"


def test_marking_a_champion_departed_is_one_undoable_step(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ben = people["ben"]
    tab._on_edited(ben, {"role": BuyingRole.CHAMPION})
    answer = dialogs.DepartureAnswer(TODAY, "Globex", True)
    monkeypatch.setattr(dialogs, "ask_departure", Recorder(answer))
    tab.scene.select_ids([ben])
    tab.depart_action.trigger()
    person = load_account_map(ctx.store, people["acc"]).people[ben]
    assert person.departed and person.on_map
    assert (count(ctx.store, Risk), count(ctx.store, Task)) == (1, 2)
    card = tab.scene.cards[ben]
    assert card.opacity() < 1
    assert ctx.undo_stack.count() == 2
    ctx.undo_stack.undo()
    assert not load_account_map(ctx.store, people["acc"]).people[ben].departed
    assert (count(ctx.store, Risk), count(ctx.store, Task)) == (0, 0)


def test_clicking_a_warning_selects_the_cards_concerned(
    tab: StakeholderMapTab, people: dict[str, str], ctx: AppContext
) -> None:
    tab._on_edited(people["ben"], {"sentiment": -2, "influence": 5})
    panel = tab.warnings_panel
    rows = [panel.item(i) for i in range(panel.count())]
    row = next(item for item in rows if "Ben Mid opposes us" in item.text())
    QTest.mouseClick(panel.viewport(), LEFT, NO_MOD, panel.visualItemRect(row).center())
    assert tab.scene.selected_ids() == [people["ben"]]
    assert tab.scene.cards[people["ben"]].warnings


# --- layout, view, versions -------------------------------------------------------------


def test_tidy_layout_is_one_step_without_overlaps(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    tab._on_edited(people["cat"], {"reports_to_id": people["ann"]})
    tab._on_edited(people["ben"], {"reports_to_id": people["ann"]})
    before = ctx.undo_stack.count()
    tab.layout_action.trigger()
    assert ctx.undo_stack.count() == before + 1
    saved = {pid: position(ctx.store, pid) for pid in (people["ann"], people["ben"], people["cat"])}
    assert overlaps({k: v for k, v in saved.items() if v is not None}) == []
    assert saved[people["cat"]][1] > saved[people["ann"]][1]  # type: ignore[index]
    assert saved[people["ben"]][1] == saved[people["cat"]][1]  # type: ignore[index]
    ctx.undo_stack.undo()
    assert position(ctx.store, people["ben"]) == (400.0, 0.0)


def test_ctrl_wheel_zooms_plain_wheel_scrolls_and_fit_shows_every_card(
    tab: StakeholderMapTab,
) -> None:
    viewport = tab.view.viewport()
    before = tab.view.zoom()
    centre = QPointF(viewport.rect().center())

    def wheel(modifiers: Qt.KeyboardModifier) -> None:
        event = QWheelEvent(
            centre, tab.view.mapToGlobal(centre), QPoint(), QPoint(0, -240),
            Qt.MouseButton.NoButton, modifiers, Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(viewport, event)

    scrolled = tab.view.verticalScrollBar().value()
    wheel(NO_MOD)
    assert tab.view.zoom() == before
    assert tab.view.verticalScrollBar().value() > scrolled
    wheel(Qt.KeyboardModifier.ControlModifier)
    assert tab.view.zoom() < before
    tab.view.set_zoom(3.0)
    tab.fit_action.trigger()
    visible = tab.view.mapToScene(viewport.rect()).boundingRect()
    assert visible.contains(tab.scene.cards_rect())


def test_version_compare_marks_cards(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_text", Recorder("Before"))
    version = tab.extras.save_version()
    assert version is not None
    tab._on_edited(people["ann"], {"influence": 5})
    tab._on_people_dropped([people["dan"]], QPointF(800, 300))
    tab.extras.show_comparison(version, None)
    texts = [tab.changes_list.item(i).text() for i in range(tab.changes_list.count())]
    assert texts == ["Joined: Dan Loose", "Ann Boss: influence 3/5 → 5/5"]
    assert tab.scene.cards[people["dan"]].diff_mark == "joined"
    assert tab.scene.cards[people["ann"]].diff_mark == "changed"
    assert tab.scene.cards[people["ben"]].diff_mark is None


def test_customer_view_hides_internal_labels(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    add_line(ctx.store, people["acc"], people["ann"], people["ben"], RelationKind.INFLUENCE)
    tab.refresh()
    tab.safe_action.trigger()
    assert all(card.customer_safe for card in tab.scene.cards.values())
    assert all(not line.show_note for line in tab.scene.lines if isinstance(line, RelationLine))
    assert tab.legend.customer_safe


def test_no_account_shows_an_empty_disabled_editor(tab: StakeholderMapTab) -> None:
    tab.set_account(None)
    assert not tab.scene.cards
    assert not tab.layout_action.isEnabled()
    assert tab.empty_label.isVisible()


def test_snapshot_widget_renders_the_map(
    ctx: AppContext, people: dict[str, str], qtbot: QtBot
) -> None:
    from PySide6.QtCore import QSize

    widget = build_snapshot_widget(ctx, people["acc"], QSize(1000, 700))
    qtbot.addWidget(widget)
    assert widget.size() == QSize(1000, 700)
    image = widget.grab().toImage()
    assert not image.isNull() and image.width() == 1000
    assert isinstance(widget, StakeholderMapTab)
    assert all(isinstance(c, StakeholderCard) for c in widget.scene.cards.values())
    visible = widget.view.mapToScene(widget.view.viewport().rect()).boundingRect()
    assert visible.contains(widget.scene.cards_rect())


# --- context menus and line notes ---------------------------------------------------------


def relation_line(tab: StakeholderMapTab) -> RelationLine:
    (line,) = [item for item in tab.scene.lines if isinstance(item, RelationLine)]
    return line


def test_line_menu_changes_strength_and_kind_and_double_click_edits_the_note(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    acc, ann, ben = people["acc"], people["ann"], people["ben"]
    add_line(ctx.store, acc, ann, ben, RelationKind.INFLUENCE)
    tab.refresh()
    middle = vp(tab, relation_line(tab)._mid)
    menu = Recorder("strength:3")
    monkeypatch.setattr(dialogs, "choose_action", menu)
    tab.view.viewport().setFocus()
    event_pos = middle
    from PySide6.QtGui import QContextMenuEvent

    QApplication.sendEvent(
        tab.view.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, event_pos, tab.view.viewport().mapToGlobal(event_pos)
        ),
    )
    assert len(menu.calls) == 1
    assert load_account_map(ctx.store, acc).lines[0].strength == 3
    menu.answer = "kind:alliance"
    tab.menus.show_menu("line", relation_line(tab).relation_id, QPointF())
    assert load_account_map(ctx.store, acc).lines[0].kind is RelationKind.ALLIANCE
    monkeypatch.setattr(dialogs, "ask_text", Recorder("Golf buddies"))
    QTest.mouseDClick(tab.view.viewport(), LEFT, NO_MOD, vp(tab, relation_line(tab)._mid))
    assert load_account_map(ctx.store, acc).lines[0].note == "Golf buddies"
    for _ in range(3):
        ctx.undo_stack.undo()
    line = load_account_map(ctx.store, acc).lines[0]
    assert (line.kind, line.strength, line.note) == (RelationKind.INFLUENCE, 2, None)


def test_card_menu_reports_to_nobody(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cat, ann = people["cat"], people["ann"]
    tab._on_edited(cat, {"reports_to_id": ann})
    monkeypatch.setattr(dialogs, "choose_action", Recorder("no_manager"))
    tab.menus.show_menu("card", cat, QPointF())
    assert manager(ctx.store, cat) is None
    ctx.undo_stack.undo()
    assert manager(ctx.store, cat) == ann


def test_edit_panel_reports_to_refuses_a_cycle(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], refusals: Recorder
) -> None:
    ann, ben = people["ann"], people["ben"]
    tab._on_edited(ben, {"reports_to_id": ann})
    tab.edit_person(ann)
    panel = tab.edit_panel
    panel.reports_to.setCurrentIndex(panel.reports_to.findData(ben))
    panel.apply()
    assert refusals.calls == [
        (tab, "Ann Boss cannot report to someone who already reports to them.")
    ]
    assert manager(ctx.store, ann) is None


def test_edit_panel_records_a_successor_for_a_departed_contact(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, ben = people["ann"], people["ben"]
    monkeypatch.setattr(
        dialogs, "ask_departure", Recorder(dialogs.DepartureAnswer(TODAY, "", False))
    )
    tab.mark_departed(ann)
    tab.edit_person(ann)
    panel = tab.edit_panel
    assert not panel.successor.isHidden()
    panel.successor.setCurrentIndex(panel.successor.findData(ben))
    panel.apply()
    assert load_account_map(ctx.store, people["acc"]).people[ann].successor_id == ben


def test_a_new_user_builds_a_fifteen_person_org_chart_with_the_mouse(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, refusals: Recorder
) -> None:
    acc = add_account(ctx.store, "Fresh Account")
    tab = StakeholderMapTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    tab.set_account(acc)
    names = [f"Person {i:02d}" for i in range(15)]
    asker = Recorder()
    monkeypatch.setattr(dialogs, "ask_text", asker)
    for name in names:
        asker.answer = name
        tab.add_person()
    imap = load_account_map(ctx.store, acc)
    ids = {p.name: p.id for p in imap.people.values()}
    assert len(ids) == 15
    assert overlaps({pid: p.position for pid, p in imap.people.items() if p.position}) == []
    # Person 00 runs the place; 01-03 report to 00; everyone else to one of 01-03.
    boss_of = {i: 0 if i <= 3 else 1 + (i % 3) for i in range(1, 15)}
    for i, b in boss_of.items():
        tab.view.fit_all()
        report, boss = ids[names[i]], ids[names[b]]
        drag(tab, card_point(tab, report), card_point(tab, boss))
    imap = load_account_map(ctx.store, acc)
    assert {imap.people[ids[names[i]]].reports_to_id for i in (1, 2, 3)} == {ids[names[0]]}
    assert all(
        imap.people[ids[names[i]]].reports_to_id == ids[names[b]] for i, b in boss_of.items()
    )
    assert refusals.calls == []
    tab.layout_action.trigger()
    imap = load_account_map(ctx.store, acc)
    positions = {pid: p.position for pid, p in imap.people.items() if p.position}
    assert overlaps(positions) == []
    for report_id, manager_id in imap.reporting_lines():
        assert positions[report_id][1] > positions[manager_id][1]
    # Drawn as one item per manager's set of reports: 14 reporting lines in all.
    groups = [line for line in tab.scene.lines if isinstance(line, ReportingGroup)]
    assert sum(len(group.pairs) for group in groups) == 14
    assert len(groups) == len({manager for _, manager in imap.reporting_lines()})


def test_print_renders_the_map_to_the_chosen_printer(
    tab: StakeholderMapTab, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "map.pdf"))
    monkeypatch.setattr(dialogs, "ask_printer", Recorder(printer))
    tab.print_action.trigger()
    data = (tmp_path / "map.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_middle_drag_and_space_drag_pan_without_moving_cards(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    viewport = tab.view.viewport()
    centre = viewport.rect().center()
    before = tab.view.mapToScene(centre)
    start = card_point(tab, people["ann"])
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, NO_MOD, start)
    QTest.mouseMove(viewport, start + QPoint(-120, -60))
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, NO_MOD, start + QPoint(-120, -60))
    after = tab.view.mapToScene(centre)
    assert (after.x() - before.x(), after.y() - before.y()) == (120, 60)
    QTest.keyPress(viewport, Qt.Key.Key_Space)
    drag(tab, start, start + QPoint(50, 0))
    QTest.keyRelease(viewport, Qt.Key.Key_Space)
    assert tab.view.mapToScene(centre).x() - after.x() == -50
    assert position(ctx.store, people["ann"]) == (0.0, 0.0)
    assert ctx.undo_stack.count() == 0


def test_zoom_to_selection(tab: StakeholderMapTab, people: dict[str, str]) -> None:
    tab.view.set_zoom(0.2)
    tab.scene.select_ids([people["cat"]])
    tab.zoom_sel_action.trigger()
    visible = tab.view.mapToScene(tab.view.viewport().rect()).boundingRect()
    assert visible.contains(tab.scene.cards_rect([people["cat"]]))
    assert tab.view.zoom() > 1.0


def test_a_deleted_account_empties_the_tab(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    from app.models import Account

    with ctx.store.session() as session:
        session.delete(session.get(Account, people["acc"]))
    assert tab.account_id is None
    assert not tab.scene.cards


def test_edits_of_another_account_leave_the_tab_alone(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    other = add_account(ctx.store, "Other")
    stranger = add_person(ctx.store, other, "Stranger", at=(0, 0))
    assert stranger not in tab.scene.cards
    assert set(tab.scene.cards) == {people["ann"], people["ben"], people["cat"]}


def test_dropping_someone_from_another_account_is_refused(
    tab: StakeholderMapTab, ctx: AppContext, refusals: Recorder
) -> None:
    other = add_account(ctx.store, "Other")
    stranger = add_person(ctx.store, other, "Stranger")
    tab._on_people_dropped([stranger], QPointF(500, 500))
    assert refusals.calls == [(None, "Stranger belongs to another account.")]
    assert position(ctx.store, stranger) is None
    assert ctx.undo_stack.count() == 0


def test_dropping_a_person_from_the_list_onto_a_card_makes_them_report_to_it(
    tab: StakeholderMapTab, ctx: AppContext, people: dict[str, str]
) -> None:
    dan, ann = people["dan"], people["ann"]
    mime = tab.off_map.mimeData([tab.off_map.item(0)])
    target = card_point(tab, ann)
    enter = QDragEnterEvent(target, Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(tab.view.viewport(), enter)
    drop = QDropEvent(QPointF(target), Qt.DropAction.CopyAction, mime, LEFT, NO_MOD)
    QApplication.sendEvent(tab.view.viewport(), drop)
    assert manager(ctx.store, dan) == ann
    pos = position(ctx.store, dan)
    assert pos is not None and pos[1] > CARD_HEIGHT
    assert ctx.undo_stack.text(0) == "Add Dan Loose, reporting to Ann Boss"
    ctx.undo_stack.undo()
    assert manager(ctx.store, dan) is None and position(ctx.store, dan) is None


def test_exporting_the_map_where_the_folder_is_gone_says_so_and_writes_nothing(
    tab: StakeholderMapTab, refusals: Recorder, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    """The folder chosen in the save dialog can be gone by the time the map is written (a
    network drive, a USB stick): one sentence, not a traceback, and no half file."""
    out = tmp_path / "out"
    out.mkdir()
    gone = out / "stick"
    monkeypatch.setattr(dialogs, "ask_save_path", Recorder(gone / "Acme map.png"))
    tab.extras.export_image()
    assert refusals.calls == [(tab, f"The folder {gone} does not exist.")]
    assert list(out.iterdir()) == []
    monkeypatch.setattr(dialogs, "ask_save_path", Recorder(out / "Acme map.png"))
    tab.extras.export_image()
    assert (out / "Acme map.png").read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in out.iterdir()] == ["Acme map.png"]
