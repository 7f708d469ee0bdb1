"""CRM activities keep their time of day; a date without a time imports as an all-day
touchpoint, and the same file again changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.imports import builders_owned
from app.imports.matching import all_day
from app.models import Activity
from app.models.store import Store
from app.services.renewal_calendar import EventKind, calendar_events
from app.services.touchpoint_time import touchpoint_local, touchpoint_start
from tests.imports.test_import import ACCOUNTS, _import, _write


def test_timed_and_all_day_activities(store: Store, tmp_path: Path) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    activities = [
        "Account Name,Activity Type,Subject,Activity Date,Notes",
        "Initech,Call,Kick-off,2024-05-06 10:30,Went well",
        "Initech,Email,Sent the deck,2024-05-07,",
    ]
    path = _write(tmp_path / "t.csv", activities)
    outcome = _import(store, path, kind="activities")
    assert outcome.committed, outcome.plan.errors
    with store.read() as session:
        rows = {a.title: a for a in session.scalars(select(Activity))}
        assert rows["Kick-off"].occurred_at == datetime(2024, 5, 6, 10, 30, tzinfo=UTC)
        assert not rows["Kick-off"].all_day
        assert rows["Sent the deck"].all_day
        assert rows["Sent the deck"].occurred_at.date() == datetime(2024, 5, 7).date()
    again = _import(store, path, kind="activities")
    assert again.plan.created_rows == 0


def test_an_all_day_touchpoint_is_stored_and_read_as_the_app_keeps_one(
    store: Store, tmp_path: Path
) -> None:
    # The importer stored a date alone at midnight UTC, the form at ALL_DAY_UTC (09:00): west
    # of UTC a day's span starts after midnight UTC, so the calendar left the touchpoint out.
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    path = _write(
        tmp_path / "t.csv",
        [
            "Account Name,Activity Type,Subject,Activity Date",
            "Initech,Email,Sent the deck,2024-05-07",
        ],
    )
    assert _import(store, path, kind="activities").committed
    day, los_angeles = date(2024, 5, 7), ZoneInfo("America/Los_Angeles")
    with store.read() as session:
        activity = session.scalars(select(Activity)).one()
        assert (activity.occurred_at, activity.all_day) == touchpoint_start(day, None, los_angeles)
        for tz in (UTC, los_angeles, ZoneInfo("Asia/Tokyo")):
            assert touchpoint_local(activity.occurred_at, activity.all_day, tz) == day
            events = calendar_events(session, day, day, today=day, tz=tz)
            touchpoints = [e for e in events if e.kind is EventKind.TOUCHPOINT]
            assert [(e.day, e.title) for e in touchpoints] == [(day, "Sent the deck")], tz
    again = _import(store, path, kind="activities")
    assert (again.plan.created_rows, again.plan.updated_rows, again.plan.skipped) == (0, 0, 1)


def test_one_imported_at_midnight_before_is_the_same_touchpoint(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before, an all-day touchpoint was imported at midnight UTC: the same file again finds
    # it by its day (not a second one at 09:00) and moves it to ALL_DAY_UTC.
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    lines = ["Account Name,Activity Type,Subject,Activity Date", "Initech,Email,Sent it,2024-05-07"]
    path = _write(tmp_path / "t.csv", lines)
    with monkeypatch.context() as before:  # the importer as it was
        before.setattr(builders_owned, "touchpoint_of", lambda at: (at, all_day(at)))
        assert _import(store, path, kind="activities").committed
    with store.read() as session:
        assert session.scalars(select(Activity)).one().occurred_at.hour == 0
    again = _import(store, path, kind="activities")
    assert (again.plan.created_rows, again.plan.updated_rows) == (0, 1)
    with store.read() as session:
        activity = session.scalars(select(Activity)).one()
        assert activity.occurred_at == datetime(2024, 5, 7, 9, tzinfo=UTC) and activity.all_day


def test_the_import_names_fields_and_kinds_as_the_window_does() -> None:
    # The wizard said "Last contacted" where the person form says "Last contact", and
    # "Activities" / "Activity type" where the account's tab says touchpoints.
    from app.imports.fields import field_spec, kind_words

    assert field_spec("contacts", "last_contact_on").label == "Last contact"
    assert "Last Contacted" in field_spec("contacts", "last_contact_on").aliases  # still read
    assert field_spec("contacts", "role").label == "Buying role"
    assert field_spec("activities", "kind").label == "Touchpoint type"
    assert "Activity Type" in field_spec("activities", "kind").aliases
    assert kind_words("activities") == "touchpoints"
    assert kind_words("contacts") == "contacts"


def test_a_touchpoint_without_a_date_is_refused_in_the_domains_words(
    store: Store, tmp_path: Path
) -> None:
    _import(store, _write(tmp_path / "a.csv", ACCOUNTS))
    path = _write(
        tmp_path / "t.csv",
        ["Account Name,Activity Type,Subject,Activity Date", "Initech,Call,Kick-off,"],
    )
    outcome = _import(store, path, kind="activities")
    assert not outcome.committed
    assert [e.message for e in outcome.plan.errors] == ["A touchpoint needs a subject and a date."]
