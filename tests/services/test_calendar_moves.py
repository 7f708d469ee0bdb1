"""Moving calendar entries: a touchpoint keeps its local time, a task's due date comes back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.models import Activity, Task
from app.models.store import Store
from app.services import calendar_moves
from tests import renewal_book as book


def test_reschedule_touchpoint_keeps_the_local_time(store: Store) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    with store.session() as session:
        acc = book.account(session, "Acme")
        # 09:00 in Berlin, still winter time (UTC+1).
        item = book.touchpoint(session, acc, datetime(2027, 3, 25, 8, 0, tzinfo=UTC))
        before = calendar_moves.reschedule_touchpoint(session, item.id, date(2027, 3, 29), berlin)
    assert before == datetime(2027, 3, 25, 8, 0, tzinfo=UTC)
    with store.read() as session:
        moved = session.get(Activity, item.id)
        assert moved is not None
        # 29 March 2027 is after the switch to summer time: still 09:00 in Berlin.
        assert moved.occurred_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
        assert moved.occurred_at.astimezone(berlin).time().hour == 9
        assert moved.occurred_at.astimezone(berlin).date() == date(2027, 3, 29)


def test_task_due_date_moves_and_comes_back(store: Store) -> None:
    with store.session() as session:
        acc = book.account(session, "Acme")
        item = book.task(session, acc, date(2027, 1, 4))
        assert calendar_moves.set_task_due(session, item.id, date(2027, 1, 8)) == date(2027, 1, 4)
        assert calendar_moves.set_task_due(session, item.id, date(2027, 1, 4)) == date(2027, 1, 8)
        moved = session.get(Task, item.id)
        assert moved is not None and moved.due_on == date(2027, 1, 4)
