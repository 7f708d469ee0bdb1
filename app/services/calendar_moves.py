"""Moving a calendar entry: a touchpoint to another time or day, a task to another due date.

Each function returns what it replaced, so an undo can put it back exactly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo

from sqlalchemy.orm import Session

from app.models import Activity, Task
from app.services.touchpoint_time import touchpoint_start
from app.services.work_items import ItemNotFoundError


def set_touchpoint_time(session: Session, activity_id: str, when: datetime) -> datetime:
    """Move a touchpoint to ``when`` (timezone-aware); returns when it was before."""
    if when.tzinfo is None:
        raise ValueError("A touchpoint's time must carry its time zone.")
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise ItemNotFoundError("That touchpoint no longer exists.")
    before = activity.occurred_at
    activity.occurred_at = when.astimezone(UTC)
    session.flush()
    return before


def reschedule_touchpoint(
    session: Session, activity_id: str, day: date, tz: tzinfo = UTC
) -> datetime:
    """Move a touchpoint to another day, keeping its local time of day in ``tz``.

    Returns the previous UTC time, so an undo can put it back exactly.
    """
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise ItemNotFoundError("That touchpoint no longer exists.")
    if activity.all_day:
        moved, _ = touchpoint_start(day, None, tz)
    else:
        moved = datetime.combine(day, activity.occurred_at.astimezone(tz).time(), tzinfo=tz)
    return set_touchpoint_time(session, activity_id, moved)


def set_task_due(session: Session, task_id: str, due_on: date | None) -> date | None:
    """Set a task's due date; returns the previous one."""
    task = session.get(Task, task_id)
    if task is None:
        raise ItemNotFoundError("That task no longer exists.")
    before = task.due_on
    task.due_on = due_on
    session.flush()
    return before
