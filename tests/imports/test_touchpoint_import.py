"""CRM activities keep their time of day; a date without a time imports as an all-day
touchpoint, and the same file again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from app.models import Activity
from app.models.store import Store
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
