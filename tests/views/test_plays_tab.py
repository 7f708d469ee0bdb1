"""The Plays tab in the real window: triggers from the Overview and the map, start, cancel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QScrollArea
from sqlalchemy import func, select

from app.models import Play, Stakeholder
from app.models.enums import LifecycleStage
from app.models.playbook import StepStatus
from app.views.map import dialogs as map_dialogs

from .conftest import TODAY, Book


def plays_tab(window, account_id: str):
    window.open_account(account_id, "Plays")
    tab = window.workspace.current_tab()
    assert tab.title == "Plays"
    return tab


def play_names(tab) -> list[str]:
    return [tab.plays.topLevelItem(i).text(0) for i in range(tab.plays.topLevelItemCount())]


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Pick ``text`` with the keyboard, as a user would."""
    combo.setFocus()
    target = combo.findText(text)
    assert target >= 0
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def test_setting_onboarding_starts_the_onboarding_play_with_its_checklist(
    window, qtbot, store, book: Book
) -> None:
    window.open_account(book.globex, "Overview")
    overview = window.workspace.current_tab()
    combo = overview.editors["lifecycle_stage"].input
    choose(qtbot, combo, "Adoption")
    assert overview.values["lifecycle_stage"] == LifecycleStage.ADOPTION
    choose(qtbot, combo, "Onboarding")
    assert overview.values["lifecycle_stage"] == LifecycleStage.ONBOARDING
    # The overview says so too.
    assert "3-phase onboarding" in overview.plays_summary.text()

    tab = plays_tab(window, book.globex)
    assert play_names(tab) == ["3-phase onboarding"]
    assert tab.plays.topLevelItem(0).text(2) == "0 of 12 steps"
    phases = [tab.steps.topLevelItem(i).text(0) for i in range(tab.steps.topLevelItemCount())]
    assert phases == ["Pre-onboarding", "Kick-off", "Continuous follow-up"]
    first = tab.steps.topLevelItem(0).child(0)
    assert first.text(0) == "Sales-to-CS handover notes reviewed"
    assert first.text(1) == "Checklist"
    assert first.text(2) == f"{TODAY:%a, %b} {TODAY.day}, {TODAY:%Y}"
    check_in = tab.steps.topLevelItem(2).child(0)
    assert check_in.text(0) == "30-day check-in"
    assert check_in.text(2) == "Thu, Jun 4, 2026"  # a month after Monday 4 May

    # Ticking a checklist item (Space on it, as with the mouse) counts towards progress.
    tab.steps.setFocus()
    tab.steps.setCurrentItem(first)
    qtbot.keyClick(tab.steps, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: tab.plays.topLevelItem(0).text(2) == "1 of 12 steps")
    window.ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: tab.plays.topLevelItem(0).text(2) == "0 of 12 steps")

    # One undo takes back the lifecycle edit and the play it started.
    window.ctx.undo_stack.undo()
    assert play_names(tab) == []
    with store.read() as session:
        # (Acme Germany's renewal play, started when the window opened, is not Globex's.)
        count = select(func.count()).select_from(Play).where(Play.account_id == book.globex)
        assert session.scalar(count) == 0


def test_the_overview_shows_plays_and_reviews_without_scrolling(window, qtbot, book: Book) -> None:
    """At 1366x768 the Overview's plays and review gaps line is in view as it opens."""
    window.open_account(book.globex, "Overview")
    overview = window.workspace.current_tab()
    choose(qtbot, overview.editors["lifecycle_stage"].input, "Adoption")
    choose(qtbot, overview.editors["lifecycle_stage"].input, "Onboarding")
    summary = overview.plays_summary
    assert "3-phase onboarding" in summary.text()
    scroll = overview.findChild(QScrollArea)
    assert scroll.verticalScrollBar().value() == 0
    top = summary.mapTo(scroll.viewport(), QPoint(0, 0)).y()
    assert summary.isVisible() and top >= 0 and top + summary.height() <= scroll.viewport().height()


def test_marking_the_champion_departed_starts_the_play_once(
    window, qtbot, store, book: Book, monkeypatch
) -> None:
    with store.read() as session:
        ann = session.scalars(select(Stakeholder).where(Stakeholder.name == "Ann Champion")).one()
        ann_id = ann.id
    answer = map_dialogs.DepartureAnswer(departed_on=TODAY, departed_to=None, is_lead=False)
    monkeypatch.setattr(map_dialogs, "ask_departure", lambda *a: answer)
    refusals: list[str] = []
    monkeypatch.setattr(map_dialogs, "refuse", lambda parent, text: refusals.append(text))
    window.open_account(book.acme, "Stakeholders")
    map_tab = window.workspace.current_tab()
    qtbot.waitUntil(lambda: map_tab.imap is not None)
    map_tab.mark_departed(ann_id)
    map_tab.mark_departed(ann_id)  # again: refused, no second play
    assert refusals == ["Ann Champion is already marked as departed."]

    tab = plays_tab(window, book.acme)
    assert play_names(tab) == ["Champion or sponsor left"]
    assert "champion Ann Champion left" in tab.plays.topLevelItem(0).toolTip(0)
    window.ctx.undo_stack.undo()
    assert play_names(tab) == []


def test_start_by_hand_cancel_with_a_reason_and_undo(window, qtbot, store, book: Book) -> None:
    tab = plays_tab(window, book.globex)
    tab.playbook.setCurrentText("QBR preparation")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert play_names(tab) == ["QBR preparation"]
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.message.text() == "QBR preparation is already running on this account."
    assert play_names(tab) == ["QBR preparation"]

    qtbot.keyClicks(tab.reason, "Customer moved the QBR to June")
    qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    assert tab.plays.topLevelItem(0).text(1) == "Cancelled"
    states = [tab.steps.topLevelItem(i).text(5) for i in range(tab.steps.topLevelItemCount())]
    assert set(states) == {"Closed: Customer moved the QBR to June"}
    window.ctx.undo_stack.undo()
    assert tab.plays.topLevelItem(0).text(1) == "Running"
    with store.read() as session:
        play = session.scalars(select(Play).where(Play.account_id == book.globex)).one()
        assert {s.status for s in play.steps} == {StepStatus.OPEN}

    # A renewal play needs a contract: Initech has none, so it is refused beside the button.
    tab = plays_tab(window, book.initech)
    tab.playbook.setCurrentText("Renewal")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert "no running contract" in tab.message.text()
    assert play_names(tab) == []


def test_pause_and_resume(window, qtbot, book: Book) -> None:
    tab = plays_tab(window, book.globex)
    tab.playbook.setCurrentText("Renewal")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    assert tab.plays.topLevelItem(0).text(1) == "Paused"
    assert tab.pause_button.text() == "Resume"
    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    assert tab.plays.topLevelItem(0).text(1) == "Running"


def test_recording_an_escalation_starts_its_play_and_undo_takes_both(
    window, store, book: Book
) -> None:
    from app.views.account_edits import CreateItemCommand

    values = {
        "account_id": book.globex,
        "category": "support",
        "title": "P1 outage",
        "is_escalation": True,
        "opened_on": TODAY,
    }
    window.ctx.undo_stack.push(CreateItemCommand(window.ctx, "risk", values, "add P1 outage"))
    tab = plays_tab(window, book.globex)
    assert play_names(tab) == ["Escalation opened"]
    window.ctx.undo_stack.undo()
    assert play_names(tab) == []
    window.ctx.undo_stack.redo()
    assert play_names(tab) == ["Escalation opened"]


def test_starting_by_hand_is_one_undo_step(window, qtbot, store, book: Book) -> None:
    tab = plays_tab(window, book.globex)
    tab.playbook.setCurrentText("QBR preparation")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert play_names(tab) == ["QBR preparation"]
    assert window.ctx.undo_stack.undoText() == "start QBR preparation"
    window.ctx.undo_stack.undo()
    assert play_names(tab) == []
    with store.read() as session:
        count = select(func.count()).select_from(Play).where(Play.account_id == book.globex)
        assert session.scalar(count) == 0
    window.ctx.undo_stack.redo()
    assert play_names(tab) == ["QBR preparation"]
