"""Date fields in the user's locale, typed words, the calendar, and errors that never shift."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QLocale, Qt
from pytestqt.qtbot import QtBot

from app.services import money
from app.views.account.fields import FieldSpec
from app.views.account.forms import ItemForm
from app.views.date_edit import DateLineEdit, locale_order

pytestmark = pytest.mark.qt_log_ignore("does not support raise", "grabbing the keyboard")
TODAY = date(2026, 5, 4)  # a Monday
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)
US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def test_locale_orders() -> None:
    assert locale_order(GERMAN) == "dmy"
    assert locale_order(US) == "mdy"


@pytest.mark.parametrize(
    ("locale", "typed", "expected", "shown"),
    [
        (GERMAN, "31.12.2026", date(2026, 12, 31), "31. Dez. 2026"),
        (GERMAN, "31/12/2026", date(2026, 12, 31), "31. Dez. 2026"),
        (US, "12/31/2026", date(2026, 12, 31), "Dec 31, 2026"),
        (US, "2026-12-31", date(2026, 12, 31), "Dec 31, 2026"),
        (GERMAN, "next tuesday", date(2026, 5, 5), "5. Mai 2026"),
        (GERMAN, "tomorrow", date(2026, 5, 5), "5. Mai 2026"),
        (US, "+2w", date(2026, 5, 18), "May 18, 2026"),
        (GERMAN, "today", TODAY, "4. Mai 2026"),
        (US, "Dec 31, 2026", date(2026, 12, 31), "Dec 31, 2026"),  # what it writes reads back
    ],
)
def test_typed_dates_in_the_locale(
    qtbot: QtBot, locale: QLocale, typed: str, expected: date, shown: str
) -> None:
    # A day is written as everywhere else (app.services.dates_text, money's locale).
    money.set_locale(locale.name())
    edit = DateLineEdit(today=TODAY, locale=locale)
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    qtbot.keyClicks(edit, typed)
    assert edit.date_value() == expected
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # editing finished: written as the locale does
    assert edit.text() == shown
    assert edit.date_value() == expected


def test_the_calendar_popup_picks_a_date(qtbot: QtBot) -> None:
    edit = DateLineEdit(today=TODAY, locale=GERMAN)
    qtbot.addWidget(edit)
    edit.show()
    edit.calendar_action.trigger()
    qtbot.waitUntil(edit.popup.isVisible)
    assert edit.calendar.selectedDate() == QDate(2026, 5, 4)
    assert edit.calendar.firstDayOfWeek() == Qt.DayOfWeek.Monday
    with qtbot.waitSignal(edit.date_picked) as picked:
        edit.calendar.clicked.emit(QDate(2026, 6, 15))
    assert picked.args == [date(2026, 6, 15)]
    assert edit.text() == "Jun 15, 2026"
    assert not edit.popup.isVisible()


def test_a_validation_message_does_not_move_the_fields_below(qtbot: QtBot) -> None:
    specs = [
        FieldSpec("due_on", "Due", kind="date", required=True),
        FieldSpec("title", "Title", required=True),
        FieldSpec("notes", "Notes"),
    ]
    form = ItemForm("New task", specs, {"due_on": TODAY, "title": "Call"})
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    below = {
        name: e.input.mapTo(form, e.input.rect().topLeft()) for name, e in form.editors.items()
    }
    due = form.editors["due_on"]
    due.input.setFocus()
    due.input.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(due.input, "32.13.")
    assert due.error.isVisible() and due.error.text()
    assert not form.buttons.button(form.buttons.StandardButton.Ok).isEnabled()
    after = {
        name: e.input.mapTo(form, e.input.rect().topLeft()) for name, e in form.editors.items()
    }
    assert after == below
    # Required fields say so in their label.
    title = form.editors["title"]
    title.input.setFocus()
    title.input.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClick(title.input, Qt.Key.Key_Delete)
    assert title.error.text() == "Title is required."
    assert {
        name: e.input.mapTo(form, e.input.rect().topLeft()) for name, e in form.editors.items()
    } == below


def test_amounts_follow_the_locale_separators(qtbot: QtBot) -> None:
    previous = QLocale()
    QLocale.setDefault(GERMAN)
    try:
        specs = [FieldSpec("value_minor", "Value", kind="money", required=True)]
        form = ItemForm("New contract", specs, {"value_minor": 0})
        qtbot.addWidget(form)
        form.show()
        editor = form.editors["value_minor"]
        assert editor.input.placeholderText() == "e.g. 1.234,50"  # type: ignore[attr-defined]
        editor.input.setFocus()
        editor.input.selectAll()  # type: ignore[attr-defined]
        qtbot.keyClicks(editor.input, "12.000,50")
        assert editor.value() == 1_200_050
        assert not editor.error.isVisible()
        editor.set_value(1_200_050)
        assert editor.input.text() == "12.000,50"  # type: ignore[attr-defined]
    finally:
        QLocale.setDefault(previous)
