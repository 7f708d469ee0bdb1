"""Touchpoints have a time of day (or are all day) and a duration: typed in the form with real
keys, listed with their time, on the calendar at their time, and exported as timed or all-day
events."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from sqlalchemy import select

from app.exports.ics import calendar_feed
from app.models import Activity
from app.models.enums import ActivityKind
from app.services.renewal_calendar import CalendarFilter, EntryWindow, touchpoint_entries
from app.services.touchpoint_time import (
    duration_text,
    parse_duration,
    parse_time,
    touchpoint_day,
    touchpoint_start,
)
from app.views.account.forms import ItemForm
from app.views.locale_text import local_zone

from .conftest import TODAY, Book

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workspaces"


def _fill_form(qtbot, answers: dict[str, str], done: list[str]) -> None:
    """Answer the modal form with real keys: clear each named field and type its text."""
    form = QApplication.activeModalWidget()
    if not isinstance(form, ItemForm):
        QTimer.singleShot(20, lambda: _fill_form(qtbot, answers, done))
        return
    for name, text in answers.items():
        line = form.findChild(QLineEdit, name)
        assert line is not None, name
        line.setFocus()
        line.selectAll()
        qtbot.keyClick(line, Qt.Key.Key_Delete)
        if text:
            qtbot.keyClicks(line, text)
        qtbot.keyClick(line, Qt.Key.Key_Tab)
    ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
    done.append("ok" if ok.isEnabled() else "refused: " + _errors(form))
    if ok.isEnabled():
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    else:
        form.reject()


def _errors(form: ItemForm) -> str:
    return "; ".join(e.error.text() for e in form.editors.values() if e.error.isVisible())


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_log_a_timed_touchpoint_then_make_it_all_day_with_real_keys(
    qtbot, window, store, book: Book, size
):
    window.resize(*size)
    window.open_account(book.globex, "Touchpoints")
    section = window.workspace.current_tab().section("activity")
    qtbot.waitUntil(lambda: section.add_button.isVisible())
    day = TODAY - timedelta(days=2)
    done: list[str] = []
    answers = {
        "field_title": "Call with Dana",
        "field_occurred_at_date": day.isoformat(),
        "field_occurred_at_time": "2:30 pm",
        "field_duration_minutes": "1h 30m",
    }
    QTimer.singleShot(20, lambda: _fill_form(qtbot, answers, done))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert done == ["ok"]
    start = datetime.combine(day, time(14, 30), tzinfo=local_zone()).astimezone(UTC)
    with store.read() as session:
        activity = session.execute(
            select(Activity).where(Activity.title == "Call with Dana")
        ).scalar_one()
        assert activity.occurred_at == start
        assert not activity.all_day
        assert activity.duration_minutes == 90
        activity_id = activity.id
    row = next(n for n, r in enumerate(section.model.items) if r["id"] == activity_id)
    when = section.model.index(row, 0).data()
    assert when.startswith(f"{day:%b} {day.day}, {day:%Y}") and when.endswith(
        QLocale().toString(QLocale().toTime("14:30", "HH:mm"), QLocale.FormatType.ShortFormat)
    )
    assert section.model.index(row, 1).data() == "1 h 30 min"

    # Edit: empty the time, and it is an all-day touchpoint on the same date.
    section.select_item(activity_id)
    done.clear()
    QTimer.singleShot(20, lambda: _fill_form(qtbot, {"field_occurred_at_time": ""}, done))
    qtbot.mouseClick(section.edit_button, Qt.MouseButton.LeftButton)
    assert done == ["ok"]
    with store.read() as session:
        activity = session.get(Activity, activity_id)
        assert activity.all_day
        assert touchpoint_day(activity.occurred_at, True, local_zone()) == day
    row = next(n for n, r in enumerate(section.model.items) if r["id"] == activity_id)
    assert section.model.index(row, 0).data() == f"{day:%b} {day.day}, {day:%Y}"
    window.ctx.undo_stack.undo()
    with store.read() as session:
        assert session.get(Activity, activity_id).occurred_at == start


def test_the_form_refuses_a_bad_time_or_duration_beside_the_field(qtbot, window, book: Book):
    window.open_account(book.globex, "Touchpoints")
    section = window.workspace.current_tab().section("activity")
    done: list[str] = []
    answers = {
        "field_title": "Call",
        "field_occurred_at_time": "25:70",
        "field_duration_minutes": "forever",
    }
    QTimer.singleShot(20, lambda: _fill_form(qtbot, answers, done))
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert len(done) == 1 and done[0].startswith("refused")
    assert "not a time of day" in done[0] and "not a duration" in done[0]


def test_typed_times_and_durations():
    assert parse_time("14:30") == time(14, 30)
    assert parse_time("9") == time(9)
    assert parse_time("2:30 pm") == time(14, 30)
    assert parse_time("12am") == time(0)
    assert parse_time("") is None
    for bad in ("25:00", "13pm", "noonish"):
        with pytest.raises(ValueError):
            parse_time(bad)
    assert parse_duration("45") == 45
    assert parse_duration("1:30") == 90
    assert parse_duration("1h 30m") == 90
    assert parse_duration("1 hour 15 minutes") == 75
    assert parse_duration("1.5h") == 90
    assert parse_duration("") is None
    for bad in ("1:75", "abc", "30h"):
        with pytest.raises(ValueError):
            parse_duration(bad)
    assert duration_text(90) == "1 h 30 min"
    assert duration_text(45) == "45 min"


def test_all_day_and_timed_touchpoints_on_the_calendar_and_in_the_ics(store, book: Book):
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("America/Los_Angeles")
    day = TODAY + timedelta(days=3)
    timed_at, timed_flag = touchpoint_start(day, time(16, 30), tz)
    all_day_at, all_day_flag = touchpoint_start(day, None, tz)
    assert (timed_flag, all_day_flag) == (False, True)
    with store.session() as session:
        session.add_all(
            [
                Activity(account_id=book.globex, kind=ActivityKind.CALL, title="Timed call",
                         occurred_at=timed_at, all_day=False, duration_minutes=45),
                Activity(account_id=book.globex, kind=ActivityKind.EMAIL, title="Day email",
                         occurred_at=all_day_at, all_day=True),
            ]
        )  # fmt: skip
    with store.read() as session:
        entries = {
            e.title: e
            for e in touchpoint_entries(session, EntryWindow(day, day, CalendarFilter()), tz)
        }
        # 16:30 in Los Angeles is past midnight UTC: the timed call stays on its local day.
        assert entries["Timed call"].day == day
        assert entries["Timed call"].starts_at == timed_at
        assert entries["Day email"].day == day
        assert entries["Day email"].starts_at is None
        feed, _count = calendar_feed(
            session,
            day,
            day,
            today=TODAY,
            now=datetime(2026, 1, 1, tzinfo=UTC),
            tz_name="America/Los_Angeles",
        )
    text = feed.decode().replace("\r\n ", "")
    events = text.split("BEGIN:VEVENT")[1:]
    timed = next(e for e in events if "Timed call" in e)
    whole = next(e for e in events if "Day email" in e)
    assert f"DTSTART;TZID=America/Los_Angeles:{day:%Y%m%d}T163000" in timed
    assert f"DTEND;TZID=America/Los_Angeles:{day:%Y%m%d}T171500" in timed
    assert f"DTSTART;VALUE=DATE:{day:%Y%m%d}" in whole
    assert f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}" in whole


def test_touchpoints_of_an_older_workspace_become_all_day(tmp_path):
    from app.models.opening import open_workspace

    path = tmp_path / "book.db"
    shutil.copyfile(FIXTURES / "0004_team_books.db", path)
    store = open_workspace(path)
    try:
        with store.read() as session:
            rows = session.execute(select(Activity.occurred_at, Activity.all_day)).all()
    finally:
        store.close()
    assert rows and all(all_day for _at, all_day in rows)


def test_the_demo_has_timed_meetings_and_all_day_emails(tmp_path):
    from app.models.opening import open_workspace
    from app.services.demo import generate_demo

    store = open_workspace(tmp_path / "demo.db", create=True)
    try:
        generate_demo(store, accounts=6, seed=3, today=TODAY)
        with store.read() as session:
            rows = session.execute(select(Activity.kind, Activity.all_day)).all()
    finally:
        store.close()
    assert any(kind is ActivityKind.EMAIL and all_day for kind, all_day in rows)
    assert any(kind is not ActivityKind.EMAIL and not all_day for kind, all_day in rows)
    assert all(all_day for kind, all_day in rows if kind is ActivityKind.EMAIL)
