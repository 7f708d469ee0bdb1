"""Small defects a CSM sees on a 1366x768 laptop: nothing widens the window past the screen,
nothing is clipped without an ellipsis, no raw values."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.models.store import Store
from app.views.calendar.view import CalendarView
from tests.views.conftest import Book, main_window_as


def _home_tab(window: QWidget, title: str) -> QWidget:
    home = window.home  # type: ignore[attr-defined]
    for index in range(home.count()):
        if home.tabText(index) == title:
            home.setCurrentIndex(index)
            QApplication.processEvents()
            return home.currentWidget()
    raise AssertionError(f"no home tab {title!r}")


def test_the_calendar_tab_keeps_the_window_on_a_1366_screen(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    window = main_window_as(qtbot, store)
    calendar = _home_tab(window, "Calendar").findChild(CalendarView)
    # The legend (1,140 pixels on one line) and the week's summary used to push the window
    # to 1,569 pixels, its right edge off the screen.
    assert window.minimumSizeHint().width() <= 1366  # type: ignore[attr-defined]
    assert window.width() == 1366  # type: ignore[attr-defined]
    # The summary wraps in all the room right of the Types button, not in half of it.
    summary, types = calendar.summary_label, calendar.kind_button
    assert summary.x() <= types.geometry().right() + 2 * summary.fontMetrics().height()


def _painted(label: QLabel) -> str:
    """The text a label paints (an ElidedLabel's elided text, else all of it)."""
    shown = getattr(label, "shown_text", None)
    return shown() if shown is not None else label.text()


def test_the_map_hint_is_elided_with_the_whole_hint_in_its_tooltip(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    from app.views.map import StakeholderMapTab
    from app.views.map.tab import HINT

    window = main_window_as(qtbot, store)
    window.open_account(book.acme, "Stakeholders")  # type: ignore[attr-defined]
    tab = window.findChild(StakeholderMapTab)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: tab.isVisible() and tab.hint.width() > 100)
    hint = tab.hint
    painted = _painted(hint)
    # It was cut mid-word at the window's edge ("… F2 rer"), with no ellipsis.
    assert hint.fontMetrics().horizontalAdvance(painted) <= hint.contentsRect().width()
    assert painted.endswith("…") and HINT.startswith(painted[:-1])
    assert hint.toolTip() == HINT


def test_playbook_steps_and_plays_read_in_words_not_stored_values(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    from app.views.playbooks import PlaybooksView
    from app.views.playbooks.step_model import COL_KIND

    window = main_window_as(qtbot, store)
    view = _home_tab(window, "Playbooks")
    editor = window.findChild(PlaybooksView).playbooks  # type: ignore[attr-defined]
    assert view.isVisible() and editor.model.rowCount() > 0
    cell = editor.model.index(0, COL_KIND)
    # "checklist" was the stored value, lower case, beside "Pre-onboarding" and "Account owner".
    assert editor.model.data(cell) == "Checklist"
    assert editor.model.data(cell, Qt.ItemDataRole.EditRole) == "checklist"

    window.open_account(book.globex, "Plays")  # type: ignore[attr-defined]
    tab = window.workspace.current_tab()  # type: ignore[attr-defined]
    tab.playbook.setCurrentText("QBR preparation")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.plays.topLevelItem(0).text(1) == "Running"
    steps = [tab.steps.topLevelItem(i) for i in range(tab.steps.topLevelItemCount())]
    steps = [
        c
        for s in steps
        for c in ([s] if s.childCount() == 0 else [s.child(j) for j in range(s.childCount())])
    ]
    assert {s.text(1) for s in steps} <= {"Task", "Milestone", "Touchpoint", "Checklist"}
    assert {s.text(4) for s in steps} <= {"Yes", "No"}
    assert {s.text(5) for s in steps} == {"Open"}


def test_an_account_without_plays_says_so_instead_of_empty_lists(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    window = main_window_as(qtbot, store)
    window.open_account(book.initech, "Plays")  # type: ignore[attr-defined]
    tab = window.workspace.current_tab()  # type: ignore[attr-defined]
    qtbot.waitUntil(tab.isVisible)
    # Two empty lists, a Pause and a Cancel button were all the tab showed.
    hint = tab.findChild(QLabel, "noPlays")
    assert hint is not None and hint.isVisible()
    assert "No plays on this account yet" in hint.text()
    assert not tab.plays.isVisible() and not tab.pause_button.isVisible()

    tab.playbook.setCurrentText("QBR preparation")
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.plays.isVisible() and not hint.isVisible()
    window.ctx.undo_stack.undo()  # type: ignore[attr-defined]
    assert hint.isVisible() and not tab.plays.isVisible()


def test_a_long_name_in_the_overview_shows_its_start(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    from app.models import Account

    name = "Acme Germany Entertainment and Logistics Argentina"
    with store.session() as session:
        session.get(Account, book.germany).name = name
    window = main_window_as(qtbot, store)
    window.open_account(book.germany, "Overview")  # type: ignore[attr-defined]
    overview = window.workspace.current_tab()  # type: ignore[attr-defined]
    field = overview.editors["name"].input
    qtbot.waitUntil(lambda: field.isVisible() and field.text() == name)
    assert field.fontMetrics().horizontalAdvance(name) > field.width()  # it does not fit
    # The field scrolled to its end ("…ntertainment and Logistics Argentina").
    assert field.cursorPosition() == 0


def test_a_long_item_form_fits_the_screen_and_scrolls_its_fields(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox, QScrollArea

    from app.views.account.forms import ItemForm
    from app.views.account.sections import RISKS
    from app.views.window_fit import TITLE_BAR, available_area

    window = main_window_as(qtbot, store)
    form = ItemForm("New risk", RISKS.fields, {}, {}, window)  # type: ignore[arg-type]
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    room = available_area(form).height() - TITLE_BAR
    # Four text boxes made it 930 pixels tall, OK and Cancel below the screen's edge.
    assert form.height() <= room
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert form.rect().contains(ok.geometry().translated(form.buttons.pos()))
    # Every field is still there: the last one scrolls into view.
    scroll = form.findChild(QScrollArea)
    last = form.editors[RISKS.fields[-1].name]
    scroll.ensureWidgetVisible(last)
    assert last.visibleRegion().boundingRect().height() == last.height()


def test_the_pipelines_need_a_call_figure_sits_beside_the_other_figures(
    qtbot: QtBot, store: Store, book: Book
) -> None:
    from app.views.calendar.pipeline_panel import RenewalPipelinePanel

    window = main_window_as(qtbot, store)
    _home_tab(window, "Renewal pipeline")
    panel = window.findChild(RenewalPipelinePanel)  # type: ignore[attr-defined]
    table = panel.quarter_table
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() > 0)
    header = table.horizontalHeader()
    last = header.count() - 1
    # The last column took all the spare width: its figure stood far right of its row.
    assert header.sectionSize(last) <= max(
        table.sizeHintForColumn(last), header.sectionSizeHint(last)
    )
    assert header.sectionSize(0) == max(header.sectionSize(c) for c in range(header.count()))
